"""Least-cost compliance plan: hand-solved case, single-route comparison, rules."""

from __future__ import annotations

import itertools
import math

import pyomo.environ as pyo
import pytest

from greenscen.errors import InfeasibleError
from greenscen.obligations.plan import PlanProblem, build_model, single_route_costs, solve_plan


def small(**kw) -> PlanProblem:
    base = dict(
        years=(2026, 2027, 2028), consumption_mwh=(1_000, 1_000, 1_000), target_share=(0.30, 0.35, 0.40),
        direct_cost_yuan_per_mwh=(-20, -20, -20), trading_premium_yuan_per_mwh=(30, 30, 30),
        certificate_price_yuan_per_mwh=(5, 6, 7), direct_max_mwh=(0, 100, 200), carried_in_mwh=50,
        bundled_min_share_of_green=0.5,
    )  # fmt: skip
    base.update(kw)
    return PlanProblem(**base)


def test_hand_solved_three_years():
    # 2026: need 300 + 50 carried = 350; no direct; half bundled -> trading 175, certificates 175
    #       cost 175 x 30 + 175 x 5 = 6,125
    # 2027: need 350; direct 100 (cost -2,000), bundled >= 175 -> trading 75 (2,250),
    #       certificates 175 (1,050) -> 1,300
    # 2028: need 400; direct 200 (-4,000) = half -> certificates 200 (1,400) -> -2,600
    # total 6,125 + 1,300 - 2,600 = 4,825 yuan
    r = solve_plan(small())
    assert r.termination == "optimal"
    p = r.purchases
    assert p.loc[2026, "trading"] == pytest.approx(175) and p.loc[
        2026, "certificates"
    ] == pytest.approx(175)
    assert p.loc[2027, "direct"] == pytest.approx(100) and p.loc[2027, "trading"] == pytest.approx(
        75
    )
    assert p.loc[2028, "direct"] == pytest.approx(200) and p.loc[
        2028, "certificates"
    ] == pytest.approx(200)
    assert list(p["cost_yuan"].round(6)) == [6_125, 1_300, -2_600]
    assert r.total_cost_yuan == pytest.approx(4_825)


def test_model_size():
    m = build_model(small())
    # 4 variables a year (direct, trading, certificates, carry); requirement + bundled rule a year
    assert sum(len(v) for v in m.component_objects(pyo.Var)) == 12
    assert sum(len(c) for c in m.component_objects(pyo.Constraint)) == 6


def test_single_route_costs_by_hand():
    # trading alone: (350 + 350 + 400) x 30 = 33,000; certificates alone break the bundled rule;
    # direct alone lacks capacity
    assert single_route_costs(small()) == {"direct": None, "trading": 33_000, "certificates": None}
    # without the bundled rule certificates alone: 350 x 5 + 350 x 6 + 400 x 7 = 6,650
    assert single_route_costs(small(bundled_min_share_of_green=0.0))[
        "certificates"
    ] == pytest.approx(6_650)


def _independent_single_route(p: PlanProblem, route: str) -> float | None:
    """Cost of one route alone, written out afresh (no shared code with the module)."""
    need = [s * c for s, c in zip(p.target_share, p.consumption_mwh, strict=True)]
    need[0] += p.carried_in_mwh
    if route == "certificates" and p.bundled_min_share_of_green > 0:
        return None
    cap = {"direct": p.direct_max_mwh, "trading": [math.inf] * 3, "certificates": [math.inf] * 3}[
        route
    ]
    price = {"direct": p.direct_cost_yuan_per_mwh, "trading": p.trading_premium_yuan_per_mwh,
             "certificates": p.certificate_price_yuan_per_mwh}[route]  # fmt: skip
    if any(n > c for n, c in zip(need, cap, strict=True)):
        return None
    return sum(n * q for n, q in zip(need, price, strict=True))


@pytest.mark.parametrize(
    ("direct_cost", "premium", "bundled", "cap"),
    list(itertools.product([-20, 10, 40], [15, 30], [0.0, 0.5], [(0, 100, 200), (400, 400, 400)])),
)
def test_least_cost_never_costlier_than_any_single_route(direct_cost, premium, bundled, cap):
    p = small(direct_cost_yuan_per_mwh=(direct_cost,) * 3, trading_premium_yuan_per_mwh=(premium,) * 3,
              bundled_min_share_of_green=bundled, direct_max_mwh=cap)  # fmt: skip
    best = solve_plan(p).total_cost_yuan
    feasible = 0
    for route in ("direct", "trading", "certificates"):
        single = _independent_single_route(p, route)
        assert single == (
            pytest.approx(single_route_costs(p)[route]) if single is not None else None
        )
        if single is not None:
            feasible += 1
            assert best <= single + 1e-6, route
    assert feasible >= 1


def test_zero_carbon_park_needs_70_percent_bundled():
    # consumption 1,000: bundled >= 700 every year although the share is only 30-40%
    # 2026: trading 700 (21,000); 2027: direct 100 + trading 600 (-2,000 + 18,000);
    # 2028: direct 200 + trading 500 (-4,000 + 15,000); no certificates needed
    r = solve_plan(small(bundled_min_share_of_consumption=0.70, carried_in_mwh=0))
    p = r.purchases
    assert (p["direct"] + p["trading"]).tolist() == pytest.approx([700, 700, 700])
    assert p["certificates"].tolist() == pytest.approx([0, 0, 0])
    assert r.total_cost_yuan == pytest.approx(21_000 + 16_000 + 11_000)


def test_infeasible_names_rules():
    with pytest.raises(InfeasibleError, match="bundled main route"):
        solve_plan(small(trading_max_mwh=(0, 0, 0)))


def test_planned_carry_only_where_allowed():
    # certificates get dearer: 5 -> 6 -> 7; with planned carry allowed and a penalty of 0 the plan
    # still never carries out of 2030 (final year) nor past the horizon
    p = small(years=(2029, 2030, 2031), allow_carry=True, carry_rule="next_year_except_plan_final",
              plan_final_years=(2025, 2030), bundled_min_share_of_green=0.0,
              certificate_price_yuan_per_mwh=(9, 5, 5))  # fmt: skip
    r = solve_plan(p)
    # 2029 certificates cost 9 > 5 in 2030: carry all 2029 need (300 + 50) into 2030
    assert r.purchases.loc[2029, "carried_out"] == pytest.approx(350)
    assert r.purchases.loc[2030, "carried_out"] == 0 and r.purchases.loc[2031, "carried_out"] == 0
