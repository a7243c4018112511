"""Near-optimal ranges, checked by a second method: fixing a capacity at a range's end costs (1+ε)·C*."""

from __future__ import annotations

import pytest

from greenscen.session import SizingSession
from greenscen.study.near_optimal import near_optimal_ranges
from greenscen.tweaks import variant


def test_max_wind_within_1_percent_costs_exactly_the_slack():
    s = SizingSession(None, resolution_h=24)
    base = s.solve()
    r = near_optimal_ranges(s, (0.01,)).set_index("capacity")
    c_star = base.cost["total_annual_yuan"]
    assert r.loc["wind", "optimal_cost_yuan"] == pytest.approx(c_star, rel=1e-7)
    w_max = r.loc["wind", "max"]
    assert r.loc["wind", "min"] <= base.capacities["wind_mw"] <= w_max
    # second method: the ordinary solve with wind fixed at the range's end costs (1 + 1%)·C*
    # (the cost row binds there), and 3% more wind costs more than that
    fixed = SizingSession(variant("bundled:default", {"technologies": {"wind": {"capacity_mw": w_max}}},
                                  resolution_h=24)).solve()  # fmt: skip
    assert fixed.cost["total_annual_yuan"] == pytest.approx(1.01 * c_star, rel=1e-5)
    over = SizingSession(variant("bundled:default", {"technologies": {"wind": {"capacity_mw": w_max * 1.03}}},
                                 resolution_h=24)).solve()  # fmt: skip
    assert over.cost["total_annual_yuan"] > 1.01 * c_star
    # the session solves its own scenario as before (rows and costs restored)
    assert s.update().cost["total_annual_yuan"] == pytest.approx(c_star, rel=1e-7)
