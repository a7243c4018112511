"""SizingSession: changes reach the built model as parameter updates, not rebuilds."""

from __future__ import annotations

import pytest

from greenscen.session import SizingSession
from greenscen.tweaks import TWEAKS, model_skeleton


@pytest.fixture(scope="module")
def session():
    # 8-hour steps (three per day) keep each solve around a second.
    return SizingSession("bundled:default", resolution_h=8)


def test_tweak_override_nests_along_its_path():
    assert TWEAKS["self_consumption_min"].override(0.5) == {
        "rules": {"overrides": {"self_consumption_min": {"min_share": 0.5}}}
    }


def test_raising_self_consumption_floor_raises_share_and_cost_without_rebuild(session):
    base = session.update(self_consumption_min=None)
    model_id, builds = id(session.model), session.builds
    share0 = base.ratios()["self_consumption_share"]
    floor = min(0.99, share0 + 0.1)  # above the unconstrained optimum: the floor binds
    res = session.update(self_consumption_min=floor)
    assert res.ratios()["self_consumption_share"] >= floor - 1e-6
    assert res.cost["total_annual_yuan"] > base.cost["total_annual_yuan"]
    # the result checks against the changed limit, not the rule set's 30 %
    row = res.compliance.set_index("rule").loc["self_consumption_min"]
    assert row["limit"] == pytest.approx(floor) and row["ok"] is True
    assert id(session.model) == model_id and session.builds == builds
    assert session.log[-1]["rebuilt"] is False
    session.update(self_consumption_min=None)


def test_cheaper_storage_buys_more_storage_energy(session):
    base = session.update(storage_energy_capex_yuan_per_kwh=None)
    cheap = session.update(storage_energy_capex_yuan_per_kwh=100)
    assert cheap.capacities["storage_mwh"] > base.capacities["storage_mwh"]
    assert cheap.cost["total_annual_yuan"] < base.cost["total_annual_yuan"]
    session.update(storage_energy_capex_yuan_per_kwh=None)


def test_fixed_connection_is_kept_and_none_frees_it(session):
    fixed = session.update(connection_mw=50.0)
    assert fixed.capacities["connection_mw"] == pytest.approx(50.0)
    free = session.update(connection_mw=None)
    assert free.capacities["connection_mw"] != pytest.approx(50.0)


def test_year_2030_brings_the_35_percent_floor_through_set_param(session):
    builds = session.builds
    res = session.update(year=2030)
    assert res.rules.param("self_consumption_min", "min_share") == pytest.approx(0.35)
    assert session.builds == builds  # same rules in force, only values change
    session.update(year=None)


def test_sweep_returns_one_row_per_value_and_restores(session):
    sweep = session.sweep("peak_valley_limit", [0.1, 0.5])
    assert list(sweep["peak_valley_limit"]) == [0.1, 0.5]
    assert (sweep["status"] == "solved").all()
    assert sweep.loc[0, "storage_mwh"] >= sweep.loc[1, "storage_mwh"] - 1e-6
    assert "peak_valley_limit" not in session.values


def test_unknown_tweak_is_refused(session):
    with pytest.raises(KeyError, match="unknown tweak"):
        session.update(spam=1)


def test_skeleton_ignores_values_but_not_structure(session):
    import dataclasses

    p = session.params
    cheaper = dataclasses.replace(p, funds_yuan_per_mwh=1.0)
    assert model_skeleton(cheaper) == model_skeleton(p)
    limits = dict(p.policy.limits)
    looser = dataclasses.replace(p, policy=dataclasses.replace(p.policy, limits=limits | {"self_consumption_min": 0.1}))
    assert model_skeleton(looser) == model_skeleton(p)  # a new limit value: same model
    limits.pop("self_consumption_min")  # the rule no longer in force: another model
    no_rule = dataclasses.replace(p, policy=dataclasses.replace(p.policy, limits=limits))
    assert model_skeleton(no_rule) != model_skeleton(p)


def test_freeing_a_capacity_the_scenario_fixes_optimises_it(tmp_path):
    # The scenario fixes the connection at 40 MW, below what the default design uses; None
    # in a session means "optimise": the optimum of the scenario without the fix (solved
    # separately here), and cheaper than the fixed design.
    path = tmp_path / "fixed.yaml"
    path.write_text("extends: bundled:default\nname: fixed\ntime: {resolution_h: 24}\n"
                    "project: {connection_mw: 40}\n", encoding="utf-8")  # fmt: skip
    s = SizingSession(path)
    fixed = s.solve()
    assert fixed.capacities["connection_mw"] == pytest.approx(40.0)
    freed = s.update(connection_mw=None)
    free = SizingSession("bundled:default", resolution_h=24).solve()
    assert freed.objective_yuan == pytest.approx(free.objective_yuan, rel=1e-7)
    assert freed.objective_yuan < fixed.objective_yuan - 1e3


def test_an_export_price_change_survives_a_rebuild():
    # A 以荷定源 cap brings a new row (a rebuild); the export price halved before must reach the
    # new model, and the result's revenue is at the halved price.
    s = SizingSession("scenarios/hydrogen_grid_2027.yaml", resolution_h=24)
    base = s.current("export_price_yuan_per_mwh")
    s.update(export_price_yuan_per_mwh=0.5 * base)
    builds = s.builds
    res = s.update(available_max_ratio=3.0)  # loose: the rule is in force but does not bind
    assert s.builds == builds + 1 and s.log[-1]["rebuilt"] is True
    assert s.model.values["export_price_scale"] == pytest.approx(0.5)
    assert res.cost["export_revenue_yuan"] == pytest.approx(
        -0.5 * base * res.energy["export_mwh"], rel=1e-9)  # fmt: skip


def test_a_new_year_dates_the_results_in_that_year():
    s = SizingSession("bundled:default", resolution_h=24)
    s.solve()
    res = s.update(year=2030)
    assert res.hourly.index[0].year == 2030 and res.hourly.index[-1].year == 2030
    assert res.rules.year == 2030
    row = res.compliance.set_index("rule").loc["self_consumption_min"]
    assert row["limit"] == pytest.approx(0.35)  # 35% from 2030 (三(一))
