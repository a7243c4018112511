"""Exact mode warm-started from fast mode's full-year dispatch: the cold optimum, or a cold solve."""

from __future__ import annotations

import pytest

import greenscen.model.fast as fast_module
from greenscen.model.core import SizingModel
from greenscen.run import resolve
from greenscen.scenario.load import load_scenario

from .test_lp import head_days


def storage_x10(model, params):
    cost = 10 * params.storage.energy_cost_yuan_per_mwh_year
    model.set_param("storage_energy_cost_yuan_per_mwh_year", cost)
    return model


@pytest.fixture(scope="module")
def two_weeks():
    ls = load_scenario(None)
    rules, inputs, params = resolve(ls)
    names = [r.describe() for r in rules.rules]
    inputs = head_days(inputs, 14)
    # the second method: interior point + crossover from scratch (the cold route); storage
    # energy 10x dearer, where fast mode's design is 0.6% dearer than the optimum
    cold = storage_x10(SizingModel(inputs, params, names, warm_start=False), params).solve()
    assert cold.extra["route"] == "cold"
    return inputs, params, names, cold


def test_warm_started_exact_reaches_the_cold_optimum(two_weeks):
    inputs, params, names, cold = two_weeks
    warm = storage_x10(SizingModel(inputs, params, names, warm_start=True), params).solve()
    assert warm.extra["route"] == "warm start from fast mode"
    assert warm.objective_yuan == pytest.approx(cold.objective_yuan, rel=1e-6)
    # fast mode's own design is dearer (it sized on typical days and only dispatched the
    # full horizon): the warm start moved on from it to the optimum, it did not stop there
    assert warm.extra["warm_start"]["fast_objective_yuan"] > warm.objective_yuan * (1 + 1e-6)


def test_warm_start_keeps_a_user_fix(two_weeks):
    inputs, params, names, _ = two_weeks
    fixed = {}
    for warm_start in (True, False):
        sm = storage_x10(SizingModel(inputs, params, names, warm_start=warm_start), params)
        sm.fix_capacity("pv", 300.0)
        fixed[warm_start] = sm.solve()
    assert fixed[True].capacities["pv"] == pytest.approx(300.0)
    assert fixed[True].objective_yuan == pytest.approx(fixed[False].objective_yuan, rel=1e-6)


def test_a_failed_warm_start_falls_back_to_a_cold_solve(two_weeks, monkeypatch):
    inputs, params, names, cold = two_weeks
    real = fast_module.exact_start

    def broken(exact):  # a start whose basis does not fit the LP (one status missing)
        start, info = real(exact)
        return dict(start, col_status=start["col_status"][:-1]), info

    monkeypatch.setattr(fast_module, "exact_start", broken)
    sol = storage_x10(SizingModel(inputs, params, names, warm_start=True), params).solve()
    assert sol.extra["route"] == "cold (the warm start failed)"
    assert sol.objective_yuan == pytest.approx(cold.objective_yuan, rel=1e-9)


def test_too_short_for_typical_days_solves_cold(two_weeks):
    inputs, params, names, _ = two_weeks
    sol = SizingModel(head_days(inputs, 2), params, names, warm_start=True).solve()
    assert sol.extra["route"] == "cold (the warm start failed)"
    cold = SizingModel(head_days(inputs, 2), params, names, warm_start=False).solve()
    assert sol.objective_yuan == pytest.approx(cold.objective_yuan, rel=1e-9)
