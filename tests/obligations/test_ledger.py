"""Obligated-entity ledger (SPEC C) against hand-worked numbers."""

from __future__ import annotations

import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.ledger import (
    EntityYear,
    Volumes,
    allocate_guaranteed,
    check_entity_year,
    entity_ledger,
)

FINAL = (2025, 2030)


def sichuan_retailer(**kw) -> EntityYear:
    base = dict(
        entity="某售电公司", kind="retailer", province="四川", year=2021,
        consumption_mwh=10_000, weight_total=0.74, weight_non_hydro=0.06,
        exempt_agricultural_mwh=1_000,
        guaranteed=Volumes(hydro_mwh=4_700, non_hydro_mwh=300),
        market=Volumes(hydro_mwh=1_200),
        certificates_bought=Volumes(non_hydro_mwh=200),
    )  # fmt: skip
    base.update(kw)
    return EntityYear(**base)


def test_sichuan_2021_exempt_agricultural_load():
    # consumption 10,000 MWh, agricultural 1,000 exempt (002 三(二)) -> obligated 9,000
    # total 74% x 9,000 = 6,660; non-hydro 6% x 9,000 = 540
    # counted: guaranteed 5,000 (300 non-hydro) + market 1,200 hydro + certificates 200 non-hydro
    #   total 6,400 -> short 260; non-hydro 500 -> short 40
    df = entity_ledger([sichuan_retailer()], "next_year_except_plan_final", FINAL)
    r = df.iloc[0]
    assert r["obligated_consumption_mwh"] == 9_000
    assert r["obligation_total_mwh"] == pytest.approx(6_660)
    assert r["obligation_non_hydro_mwh"] == pytest.approx(540)
    assert r["fulfilled_total_mwh"] == pytest.approx(6_400)
    assert r["fulfilled_non_hydro_mwh"] == pytest.approx(500)
    assert r["shortfall_total_mwh"] == pytest.approx(260)
    assert r["shortfall_non_hydro_mwh"] == pytest.approx(40)
    assert not r["compliant"]
    # 2021 is not a final plan year: both shortfalls carry into 2022
    assert r["carried_out_total_mwh"] == pytest.approx(260)
    assert r["carried_out_non_hydro_mwh"] == pytest.approx(40)


def test_makeup_certificates_within_three_months_close_both_gaps():
    # 260 non-hydro certificates in the window: total 6,400 + 260 = 6,660 (= obligation),
    # non-hydro 500 + 260 = 760 >= 540
    df = entity_ledger(
        [sichuan_retailer(makeup_certificates=Volumes(non_hydro_mwh=260))],
        "next_year_except_plan_final",
        FINAL,
    )
    r = df.iloc[0]
    assert r["shortfall_before_makeup_total_mwh"] == pytest.approx(260)
    assert r["shortfall_total_mwh"] == 0 and r["shortfall_non_hydro_mwh"] == 0
    assert r["excess_non_hydro_mwh"] == pytest.approx(220)
    assert r["compliant"]


def test_hydro_makeup_does_not_help_non_hydro():
    df = entity_ledger(
        [sichuan_retailer(makeup_certificates=Volumes(hydro_mwh=260))],
        "next_year_except_plan_final",
        FINAL,
    )
    r = df.iloc[0]
    assert r["shortfall_total_mwh"] == 0
    assert r["shortfall_non_hydro_mwh"] == pytest.approx(40)


def test_certificate_sale_removes_volume_from_seller():
    # seller: obligated 1,000 MWh, weights 30% / 10% -> 300 / 100
    # self-generated 400 non-hydro -> compliant with 100 total excess
    # sells 150 certificates -> counts 250: short 50 total; non-hydro 250 >= 100
    seller = dict(entity="卖方", kind="captive_plant", province="内蒙古", year=2027,
                  consumption_mwh=1_000, weight_total=0.30, weight_non_hydro=0.10,
                  self_generated=Volumes(non_hydro_mwh=400))  # fmt: skip
    before = entity_ledger([EntityYear(**seller)], "next_year_except_plan_final", FINAL).iloc[0]
    assert before["compliant"] and before["excess_total_mwh"] == pytest.approx(100)
    after = entity_ledger(
        [EntityYear(**seller, certificates_sold=Volumes(non_hydro_mwh=150))],
        "next_year_except_plan_final",
        FINAL,
    ).iloc[0]
    assert after["fulfilled_total_mwh"] == pytest.approx(250)
    assert after["certificates_sold_mwh"] == pytest.approx(-150)
    assert after["shortfall_total_mwh"] == pytest.approx(50)
    assert after["shortfall_non_hydro_mwh"] == 0
    assert after["carried_out_total_mwh"] == pytest.approx(50)  # 2027 carries into 2028


def test_excess_sale_limited_to_excess_so_exempt_volumes_cannot_be_traded():
    # consumption 10,000 of which 1,000 agricultural: obligated 9,000 -> 6,660 total.
    # counted 7,000 -> excess 340. Selling 400 would trade volume that only exists because
    # the agricultural load is outside the base (002 五(三)3): refused.
    ey = sichuan_retailer(
        guaranteed=Volumes(hydro_mwh=5_500, non_hydro_mwh=300), certificates_bought=Volumes(non_hydro_mwh=0),
        excess_sold=Volumes(hydro_mwh=400),
    )  # fmt: skip
    problems = check_entity_year(ey)
    assert len(problems) == 1 and "excess_sold" in problems[0] and "340.0 MWh" in problems[0]
    with pytest.raises(ScenarioError, match="cannot be traded"):
        entity_ledger([ey], "next_year_except_plan_final", FINAL)
    ok = sichuan_retailer(
        guaranteed=Volumes(hydro_mwh=5_500, non_hydro_mwh=300), certificates_bought=Volumes(non_hydro_mwh=0),
        excess_sold=Volumes(hydro_mwh=340),
    )  # fmt: skip
    assert check_entity_year(ok) == []
    assert entity_ledger([ok], "next_year", FINAL).iloc[0]["fulfilled_total_mwh"] == pytest.approx(
        6_660
    )


def _grid_years(years, fulfilled_total):
    # grid company, sales 1,000 MWh, weights 40% / 25% -> 400 / 250 each year
    # all its renewables are non-hydro, so both weights move together
    return [
        EntityYear(
            "电网",
            "grid_company",
            "内蒙古",
            y,
            1_000,
            0.40,
            0.25,
            guaranteed=Volumes(non_hydro_mwh=f),
        )
        for y, f in zip(years, fulfilled_total, strict=True)
    ]


def test_carry_over_2027_into_2028():
    # 2027: 350 < 400 -> 50 carried; 2028 requires 400 + 50 = 450, got 450 -> compliant
    df = entity_ledger(
        _grid_years([2027, 2028], [350, 450]), "next_year_except_plan_final", FINAL
    ).set_index("year")
    assert df.loc[2027, "carried_out_total_mwh"] == pytest.approx(50)
    assert df.loc[2028, "carried_in_total_mwh"] == pytest.approx(50)
    assert df.loc[2028, "required_total_mwh"] == pytest.approx(450)
    assert df.loc[2028, "compliant"]
    assert df.loc[2027, "uncured_total_mwh"] == 0


def test_no_carry_over_from_2030():
    # 2030: 350 < 400 -> 50 short, final year of the 15th plan: nothing carried, 50 uncured;
    # 2031 requires its own 400 only
    df = entity_ledger(
        _grid_years([2030, 2031], [350, 400]), "next_year_except_plan_final", FINAL
    ).set_index("year")
    assert df.loc[2030, "carried_out_total_mwh"] == 0
    assert df.loc[2030, "uncured_total_mwh"] == pytest.approx(50)
    assert df.loc[2031, "required_total_mwh"] == pytest.approx(400)
    assert df.loc[2030, "plan_final_year"] and not df.loc[2031, "plan_final_year"]


def test_allocation_order_of_guaranteed_purchase():
    # pool 1,000 MWh (600 hydro, 400 non-hydro); weight 74%
    # 1) priority: residential 500 + agricultural 200 = 700 MWh -> need 74% x 700 = 518
    #    residential 518 x 5/7 = 370, agricultural 148
    # 2) remainder 482 to market entities by consumption 3,000 : 1,000 -> 361.5 and 120.5
    # every MWh has the pool's mix: 40% non-hydro
    out = allocate_guaranteed(
        Volumes(600, 400), 0.74, {"residential": 500, "agricultural": 200}, {"A": 3_000, "B": 1_000}
    )
    assert out["residential"].total_mwh == pytest.approx(370)
    assert out["agricultural"].total_mwh == pytest.approx(148)
    assert out["A"].total_mwh == pytest.approx(361.5)
    assert out["B"].total_mwh == pytest.approx(120.5)
    assert out["A"].non_hydro_mwh == pytest.approx(0.4 * 361.5)
    assert sum(v.total_mwh for v in out.values()) == pytest.approx(1_000)


def test_allocation_when_pool_smaller_than_priority_need():
    # pool 300 < need 518: priority classes share it all, market entities get nothing
    out = allocate_guaranteed(
        Volumes(300, 0), 0.74, {"residential": 500, "agricultural": 200}, {"A": 3_000}
    )
    assert out["residential"].total_mwh == pytest.approx(300 * 5 / 7)
    assert out["A"].total_mwh == 0


def test_bad_entity_inputs_all_reported():
    ey = EntityYear("x", "bank", "四川", 2021, 100, 0.05, 0.06, exempt_agricultural_mwh=200)
    with pytest.raises(ScenarioError) as exc:
        entity_ledger([ey], "next_year", FINAL)
    text = str(exc.value)
    assert "kind" in text and "non-hydro <= total" in text and "exempt volumes" in text
