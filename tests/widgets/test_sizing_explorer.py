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
    assert f"{floor:.4g}" in ex.table.value  # the compliance table shows the new limit
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
