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


def test_study_sizes_on_each_weather_year(tmp_path):
    from greenscen.errors import ScenarioError
    from greenscen.study.runner import run_study
    from greenscen.study.spec import load_study

    f = tmp_path / "wy.yaml"
    f.write_text("name: wy\nbase: bundled:default\nsolve_mode: exact\nresolution_h: 24\n"
                 "grid:\n  site.name: [ordos@wy03, ordos@wy07]\n")  # fmt: skip
    t = run_study(load_study(f), tmp_path / "out", workers=0).set_index("site.name")
    # second method: a single run on that weather year
    for wy in ("ordos@wy03", "ordos@wy07"):
        one = SizingSession(variant("bundled:default", {"site": {"name": wy}}, resolution_h=24)).solve()
        assert t.loc[wy, "total_annual_yuan"] == pytest.approx(one.cost["total_annual_yuan"], rel=1e-6)
        assert t.loc[wy, "pv_mw"] == pytest.approx(one.capacities["pv_mw"], rel=1e-4, abs=1e-3)
    # wy07 is the sunniest year (PV 1,806 h vs 1,535 h in wy03): it costs less
    assert t.loc["ordos@wy07", "total_annual_yuan"] < t.loc["ordos@wy03", "total_annual_yuan"]
    g = tmp_path / "bad.yaml"
    g.write_text("name: wy\nbase: bundled:default\nweather_years: all\ngrid:\n  pv_capex_yuan_per_kw: [3000]\n")
    with pytest.raises(ScenarioError, match="check_design_across_years"):
        load_study(g)
