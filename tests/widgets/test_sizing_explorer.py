"""The sizing explorer: setting a widget re-solves the same model and redraws in place."""

from __future__ import annotations

import threading

import pytest

from greenscen.widgets import SizingExplorer, SizingSession


@pytest.fixture(scope="module")
def session():
    return SizingSession("bundled:default", resolution_h=8)


def test_slider_change_resolves_same_model_and_updates_outputs(session):
    ex = SizingExplorer(session=session, background=False)
    assert ex.result is not None and ex.images["dispatch_week"].value
    before_png = ex.images["monthly_balance"].value
    before = ex.result
    model_id = id(session.model)
    floor = min(0.99, before.ratios()["self_consumption_share"] + 0.1)
    ex.controls["self_consumption_min"].value = floor
    after = ex.result
    assert after is not before
    assert after.ratios()["self_consumption_share"] >= floor - 1e-6
    assert after.cost["total_annual_yuan"] > before.cost["total_annual_yuan"]
    assert id(session.model) == model_id and session.builds == 1
    assert ex.images["monthly_balance"].value != before_png  # chart replaced in place
    assert f"{floor:.1%}" in ex.table.value  # the compliance table shows the new limit (in %)
    assert "compliant" in ex.status.value
    assert not any(c.disabled for c in ex.controls.values())
    ex.controls["self_consumption_min"].value = 0.3


def test_controls_are_bound_to_the_rules_in_force(session):
    ex = SizingExplorer(session=session, background=False, solve=False)
    assert "export_max_ratio" not in ex.controls  # a general project may not export at all
    assert "hydrogen_max_ratio" not in ex.controls
    assert all(not getattr(c, "continuous_update", False) for c in ex.controls.values())


def test_background_changes_coalesce_into_few_solves(session):
    ex = SizingExplorer(session=session, background=True, solve=False)
    seen_busy = []
    gate = threading.Event()
    original = session.update

    def slow_update(**kw):
        seen_busy.append(all(c.disabled for c in ex.controls.values()))
        gate.wait(5)  # hold the first solve while more changes arrive
        return original(**kw)

    session.update = slow_update
    try:
        solves = session.solves
        for v in (0.4, 0.5, 0.6, 0.7):
            ex.controls["self_consumption_min"].value = v
        gate.set()
        ex.wait(60)
    finally:
        del session.update
    # first change starts a solve; the three made during it collapse into one more
    assert session.solves - solves == 2
    assert all(seen_busy)
    assert session.values["self_consumption_min"] == 0.7
    assert not any(c.disabled for c in ex.controls.values())


def test_failed_solve_is_reported_and_controls_come_back(session, monkeypatch):
    from greenscen.errors import InfeasibleError

    ex = SizingExplorer(session=session, background=False, solve=False)

    def infeasible(**_kw):
        raise InfeasibleError("no feasible design", ["self_consumption_min"])

    monkeypatch.setattr(session, "update", infeasible)
    ex.controls["self_consumption_min"].value = 0.95
    assert ex.error and "no feasible design" in ex.status.value
    assert not any(c.disabled for c in ex.controls.values())


def test_moving_the_year_brings_that_years_export_cap():
    # hydrogen_grid_2027: cap 40% to 2027, 20% from 2028 (三(一)). The export-cap slider was
    # never touched, so moving the year must not pin 40%: the 2028 result checks against 20%
    # and the slider then shows 20%.
    ex = SizingExplorer("scenarios/hydrogen_grid_2027.yaml", resolution_h=24, background=False)
    assert ex.controls["export_max_ratio"].value == pytest.approx(0.40)
    ex.controls["year"].value = 2028
    row = ex.result.compliance.set_index("rule").loc["export_ratio_cap"]
    assert row["limit"] == pytest.approx(0.20)
    assert ex.controls["export_max_ratio"].value == pytest.approx(0.20)


def test_a_slider_never_clamps_the_scenarios_own_value():
    # general_multiuser_grid states a peak-valley limit of 0, below the slider's 0.05 start
    ex = SizingExplorer("scenarios/general_multiuser_grid.yaml", resolution_h=24,
                        background=False, solve=False)  # fmt: skip
    assert ex.controls["peak_valley_limit"].value == 0.0
    assert ex.values() == {}  # nothing moved: nothing overrides the scenario


def test_cancel_stops_a_running_solve_and_says_so():
    ex = SizingExplorer("bundled:default", resolution_h=2, background=True, solve=False)
    ex.request({})
    deadline = threading.Event()
    for _ in range(100):  # wait until the worker is solving
        if ex.cancel_button.disabled is False:
            break
        deadline.wait(0.05)
    deadline.wait(0.5)
    ex.cancel()
    ex.wait(timeout=30)
    assert ex.error == "the solve was cancelled"
    assert "cancelled" in ex.status.value and ex.cancel_button.disabled


def test_the_week_chooser_redraws_the_dispatch_chart_without_a_solve(session):
    ex = SizingExplorer(session=session, background=False)
    solves, before = session.solves, ex.images["dispatch_week"].value
    assert len(ex.week.options) > 40  # the typical week and every whole Monday-to-Sunday week
    ex.week.value = ex.week.options[5][1]
    assert ex.images["dispatch_week"].value != before and session.solves == solves
