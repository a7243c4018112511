"""The Inner Mongolia aluminium scenario end to end, checked by hand for one year."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenscen.obligations.run import run_obligations
from greenscen.obligations.scenario import load_obligations_scenario

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def im():
    return run_obligations(load_obligations_scenario(REPO / "scenarios" / "obligations_im_aluminium.yaml"))


def test_2025_closed_year_carries_shortfall(im):
    # 2025: 30.7% x 6,750,000 = 2,072,250 MWh; bought 1,200,000 + 700,000 + 100,000 make-up
    # = 2,000,000 -> 72,250 carried into 2026 (000 (十一))
    # cost 1,200,000 x 30 + 800,000 x 5.22 = 36,000,000 + 4,176,000 = 40,176,000 yuan
    r = im.ledger.set_index("year").loc[2025]
    assert r["obligation_total_mwh"] == pytest.approx(2_072_250)
    assert r["carried_out_total_mwh"] == pytest.approx(72_250)
    assert r["cost_total_yuan"] == pytest.approx(40_176_000)
    assert not r["planned"]


def test_2026_by_hand(im):
    # share 30.7% + (40% - 30.7%) / 5 = 32.56%. Energy basis from 2026 (004 第四条): the
    # scenario's 40,000 tce of fuel = 40,000 / 0.1229 = 325,468.67 MWh-eq, so the base is
    # 7,075,468.67 and the obligation 0.3256 x 7,075,468.67 = 2,303,772.33 MWh (electricity
    # basis: 2,197,800); + 72,250 carried in = 2,376,022.33 MWh; no direct yet; bundled >= half
    # -> trading = certificates = 1,188,011.17, cost x (30 + 6) = 42,768,402.0 yuan
    r = im.ledger.set_index("year").loc[2026]
    assert r["target_share"] == pytest.approx(0.3256)
    assert r["share_basis"] == "energy"
    assert r["obligation_total_mwh"] == pytest.approx(2_303_772.33, abs=0.01)
    assert r["required_total_mwh"] == pytest.approx(2_376_022.33, abs=0.01)
    assert r["trading_mwh"] == pytest.approx(1_188_011.17, abs=0.01)
    assert r["certificates_mwh"] == pytest.approx(1_188_011.17, abs=0.01)
    assert r["cost_total_yuan"] == pytest.approx(42_768_402.0, abs=1)
    assert r["compliant"]


def test_plan_beats_every_single_route_and_no_shortfall_remains(im):
    assert im.plan.termination == "optimal"
    for route, cost in im.single_route_costs.items():
        if cost is not None:
            assert im.plan.total_cost_yuan <= cost, route
    assert im.single_route_costs["trading"] is not None
    assert not im.shortfall_remains
    planned = im.ledger[im.ledger["planned"]]
    assert planned["compliant"].all() and list(planned["year"]) == [2026, 2027, 2028, 2029, 2030]
    # monthly certificates: flat profile -> one twelfth each month
    assert im.monthly_certificates[2026].iloc[0] == pytest.approx(1_188_011.17 / 12, abs=0.01)


def test_sichuan_entities_ledger():
    res = run_obligations(load_obligations_scenario(REPO / "scenarios" / "obligations_sichuan_2021.yaml"))
    led = res.ledger.set_index("entity")
    # allocation: pool 7,400,000; priority need 74% x 8,000,000 = 5,920,000 to the grid company;
    # remainder 1,480,000 split 3 : 2 -> retailer 888,000, user 592,000
    assert led.loc["省级电网企业", "guaranteed_mwh"] == pytest.approx(5_920_000)
    assert led.loc["某售电公司", "guaranteed_mwh"] == pytest.approx(888_000)
    assert led.loc["某电解铝用户", "guaranteed_mwh"] == pytest.approx(592_000)
    # retailer: obligated 2,800,000 -> 2,072,000 total; before make-up 888,000 + 1,060,000
    # + 40,000 = 1,988,000 -> 84,000 short, closed by 84,000 make-up certificates
    assert led.loc["某售电公司", "shortfall_before_makeup_total_mwh"] == pytest.approx(84_000)
    assert led["compliant"].all()
    assert (led["weight_total"] == 0.74).all() and (led["weight_non_hydro"] == 0.06).all()


def test_grid_company_projected_weights_carry_2027_not_2030():
    # weights projected by regional_step and flagged "projected", except the 2026 non-hydro
    # weight of 30% (the expected value of 发改办能源〔2025〕669号), which is published.
    # obligated 10,000,000 - 500,000 - 300,000 = 9,200,000 MWh each year.
    # 2027 total: 2,900,000 counted < weight x 9,200,000 -> the gap moves into 2028;
    # 2030 (final plan year): 3,350,000 + 60,000 make-up < requirement -> uncured, not carried
    res = run_obligations(load_obligations_scenario(REPO / "scenarios" / "obligations_im_grid.yaml"))
    led = res.ledger.set_index("year")
    assert (led.loc[2027:2030, "weight_status"] == "projected").all()
    assert led.loc[2026, "weight_status"] == "projected/expected"  # 669号's 2026 value is 预期
    assert led.loc[2026, "weight_non_hydro"] == pytest.approx(0.30)
    gap27 = led.loc[2027, "weight_total"] * 9_200_000 - 2_900_000
    assert gap27 > 0
    assert led.loc[2027, "carried_out_total_mwh"] == pytest.approx(gap27)
    assert led.loc[2028, "required_total_mwh"] == pytest.approx(
        led.loc[2028, "weight_total"] * 9_200_000 + gap27
    )
    gap30 = led.loc[2030, "weight_total"] * 9_200_000 - 3_410_000
    assert led.loc[2030, "uncured_total_mwh"] == pytest.approx(gap30)
    assert led.loc[2030, "carried_out_total_mwh"] == 0
    assert res.shortfall_remains
