"""Carry-over rules: 004 第二十二条 (none from a plan's final year) and 000 (十一) (always)."""

from __future__ import annotations

import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.carryover import carries_over, carry_forward

FINAL = (2025, 2030)


@pytest.mark.parametrize(
    ("year", "rule", "expected"),
    [
        (2027, "next_year_except_plan_final", True),
        (2030, "next_year_except_plan_final", False),
        (2025, "next_year_except_plan_final", False),
        (2030, "next_year", True),
        (2027, "none", False),
    ],
)
def test_carries_over(year, rule, expected):
    assert carries_over(year, rule, FINAL) is expected


def test_shortfall_2027_carried_into_2028():
    # 2027: required 100, got 80 -> shortfall 20 carried; 2028: required 100 + 20 = 120, got 120
    df = carry_forward([2027, 2028], [100, 100], [80, 120], "next_year_except_plan_final", FINAL)
    assert df.loc[2027, "carried_out_mwh"] == 20
    assert df.loc[2027, "uncured_mwh"] == 0
    assert df.loc[2028, "carried_in_mwh"] == 20
    assert df.loc[2028, "required_mwh"] == 120
    assert df.loc[2028, "shortfall_mwh"] == 0


def test_shortfall_2030_not_carried_stays_uncured():
    # 2030 is the final year of the 15th five-year plan: 20 short, nothing into 2031
    df = carry_forward([2030, 2031], [100, 100], [80, 100], "next_year_except_plan_final", FINAL)
    assert df.loc[2030, "carried_out_mwh"] == 0
    assert df.loc[2030, "uncured_mwh"] == 20
    assert df.loc[2031, "required_mwh"] == 100


def test_enterprise_rule_carries_even_from_2030():
    df = carry_forward([2030, 2031], [100, 100], [80, 100], "next_year", FINAL)
    assert df.loc[2031, "required_mwh"] == 120
    assert df.loc[2031, "shortfall_mwh"] == 20


def test_years_must_be_consecutive_and_rule_known():
    with pytest.raises(ScenarioError, match="consecutive"):
        carry_forward([2026, 2028], [1, 1], [1, 1], "next_year", FINAL)
    with pytest.raises(ScenarioError, match="carry_over_rule"):
        carries_over(2026, "sometimes", FINAL)
