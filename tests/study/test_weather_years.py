"""A design sized on the typical year, fixed, checked on the weather years (daily steps)."""

from __future__ import annotations

import pytest

from greenscen.errors import InfeasibleError
from greenscen.session import SizingSession
from greenscen.study.weather_years import check_design_across_years, design_overrides
from greenscen.tweaks import variant


def test_design_checked_on_other_years():
    base = SizingSession(None, resolution_h=24).solve()
    d = check_design_across_years(None, ["ordos@wy01", "ordos@wy09"], resolution_h=24)
    assert list(d["weather_year"]) == ["ordos", "ordos@wy01", "ordos@wy09"]
    # the sizing year with its own design fixed: compliant, and at the least cost
    assert d.loc[0, "status"] == "compliant"
    assert d.loc[0, "total_annual_yuan"] == pytest.approx(base.cost["total_annual_yuan"], rel=1e-6)
    # wy01 (wind 2,555 h, PV 1,603 h): some days' load cannot be met within the fixed connection;
    # second method: the plain solve of that fixed design raises infeasible
    assert d.loc[1, "status"] == "breaks" and "cannot be served" in d.loc[1, "breaks"]
    fixed = design_overrides(base.capacities) | {"site": {"name": "ordos@wy01"}}
    with pytest.raises(InfeasibleError):
        SizingSession(variant("bundled:default", fixed, resolution_h=24)).solve()
    # wy09 stays compliant with the same design
    assert d.loc[2, "status"] == "compliant" and bool(d.loc[2, "compliant"])
