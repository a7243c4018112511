"""Enterprise green shares (SPEC B): targets as data, bundled rules, carry-over, monthly buys."""

from __future__ import annotations

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.enterprise import (
    check_bundled_not_resold,
    check_zero_carbon_park,
    enterprise_ledger,
    green_share,
    monthly_certificate_schedule,
    sector_target,
    target_path,
)
from greenscen.obligations.weights import load_weights


def test_inner_mongolia_2025_targets_from_seed_000():
    t = sector_target("electrolytic_aluminium", "内蒙古", 2025)
    assert t.share == pytest.approx(0.307) and t.status == "published" and "1020号" in t.source
    assert sector_target("data_centre_existing", "内蒙古", 2025).share == pytest.approx(0.60)
    assert sector_target("data_centre_new", "内蒙古", 2025).share == pytest.approx(0.80)
    # the 25% / 30% aluminium shares are industry-wide, returned only as such
    t30 = sector_target("electrolytic_aluminium", "全国", 2030, scope="industry")
    assert t30.share == pytest.approx(0.30) and t30.scope == "industry"


def test_sector_equal_to_total_weight():
    # 000 三(五): nonferrous >= the region's total weight; 内蒙古 2023 total = 23.0%
    t = sector_target("nonferrous", "内蒙古", 2023, weights=load_weights())
    assert t.share == pytest.approx(0.23)
    with pytest.raises(ScenarioError, match="found none"):
        sector_target("nonferrous", "内蒙古", 2027, weights=load_weights())


def test_target_path_linear_after_2025():
    # 30.7% in 2025 (published), linear to 40% in 2030: +1.86 points a year -> 2027 = 34.42%
    tp = target_path(
        "electrolytic_aluminium",
        "内蒙古",
        list(range(2025, 2031)),
        extend="linear_to_target",
        target=0.40,
        target_year=2030,
    )
    assert tp.loc[2027, "share"] == pytest.approx(0.3442)
    assert tp.loc[2025, "status"] == "published"
    assert tp.loc[2027, "status"] == "assumption"
    held = target_path("electrolytic_aluminium", "内蒙古", [2025, 2026], by_year={2026: 0.35})
    assert held.loc[2026, "share"] == 0.35 and held.loc[2026, "status"] == "scenario"


def test_zero_carbon_park_rules_physical_70_reading():
    # the strict reading (physical_70): consumption 1,000: physical 650 < 700 fails; physical 700
    # + hydro 150 = 850 < 900 fails the (binding) clean test; 700 + 200 = 900 passes
    r = {"reading": "physical_70"}
    assert len(check_zero_carbon_park(1_000, 650, 300, **r)) == 1
    assert len(check_zero_carbon_park(1_000, 700, 150, **r)) == 1
    assert check_zero_carbon_park(1_000, 700, 200, **r) == []
    # certificates do not count for the 70% in this reading, but they do count as clean (绿证交易
    # is a named route): physical 600 + certificates 400 = 1,000 clean; only the 70% fails
    assert len(check_zero_carbon_park(1_000, 600, 0, unbundled_mwh=400, **r)) == 1


def test_bundled_certificates_cannot_be_resold():
    assert check_bundled_not_resold(500, 0) == []
    assert "sold on" in check_bundled_not_resold(500, 10)[0]


def test_green_share_and_monthly_schedule():
    assert green_share(1_000, 200, 107) == pytest.approx(0.307)
    # 1,200 MWh a year, January and July double -> 14 shares: 171.43 in Jan, 85.71 in Feb
    prof = [2, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1]
    s = monthly_certificate_schedule(1_200, prof)
    assert s[1] == pytest.approx(1_200 * 2 / 14)
    assert s[2] == pytest.approx(1_200 / 14)
    assert s.sum() == pytest.approx(1_200)


def test_enterprise_ledger_carry_into_next_year_even_from_2025():
    # consumption 1,000 MWh; targets 30% (2025), 35% (2026)
    # 2025: trading 200 + certificates 50 + make-up 20 = 270 < 300 -> 30 carried (000 (十一))
    # 2026: required 350 + 30 = 380; direct 300 + certificates 80 = 380 -> compliant
    # cost 2025: 200 x 30 + (50 + 20) x 5 = 6,350 yuan; 2026: 300 x (-20) + 80 x 6 = -5,520 yuan
    years = [2025, 2026]
    target = pd.DataFrame({"share": [0.30, 0.35], "status": "x", "source": "y"}, index=years)
    purchases = pd.DataFrame(
        {
            "trading": [200, 0],
            "certificates": [50, 80],
            "makeup_certificates": [20, 0],
            "direct": [0, 300],
        },
        index=years,
    )
    prices = pd.DataFrame(
        {"direct": [-20, -20], "trading": [30, 30], "certificates": [5, 6]}, index=years
    )
    df = enterprise_ledger(
        "厂",
        "electrolytic_aluminium",
        "内蒙古",
        pd.Series(1_000.0, index=years),
        target,
        purchases,
        prices,
        "next_year",
        (2025, 2030),
    ).set_index("year")
    assert df.loc[2025, "shortfall_before_makeup_total_mwh"] == pytest.approx(50)
    assert df.loc[2025, "carried_out_total_mwh"] == pytest.approx(30)
    assert df.loc[2026, "required_total_mwh"] == pytest.approx(380)
    assert df.loc[2026, "compliant"] and not df.loc[2025, "compliant"]
    assert df.loc[2025, "cost_total_yuan"] == pytest.approx(6_350)
    assert df.loc[2026, "cost_total_yuan"] == pytest.approx(-5_520)
    assert df.loc[2025, "bundled_mwh"] == 200 and df.loc[2025, "unbundled_mwh"] == 70
    # under the provincial rule the 2025 shortfall would not move (004 第二十二条)
    df2 = enterprise_ledger(
        "厂",
        "x",
        "内蒙古",
        pd.Series(1_000.0, index=years),
        target,
        purchases,
        prices,
        "next_year_except_plan_final",
        (2025, 2030),
    ).set_index("year")
    assert df2.loc[2025, "uncured_total_mwh"] == pytest.approx(30)
    assert df2.loc[2026, "required_total_mwh"] == pytest.approx(350)
