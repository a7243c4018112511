"""Fast mode: typical-day sizing, verified (and repaired) on the full-year hourly dispatch."""

from __future__ import annotations

import numpy as np
import pytest

import greenscen.run as run_module
from greenscen.errors import ComplianceError
from greenscen.model.core import Solution
from greenscen.model.fast import FastSizingModel, solve_fast, typical_day_grid
from greenscen.run import assemble_result, resolve, run_scenario
from greenscen.scenario.load import load_scenario

from .test_lp import head_days


@pytest.fixture(scope="module")
def default():
    ls = load_scenario(None)
    rules, inputs, params = resolve(ls)
    return ls, rules, inputs, params


def test_typical_days_keep_the_annual_energies(default):
    _, _, inputs, params = default
    grid = typical_day_grid(inputs, params, 12)
    assert grid.year_h.sum() == pytest.approx(8760.0)
    assert grid.load_mw @ grid.year_h == pytest.approx(inputs.load_mwh, rel=1e-9)
    for k in inputs.cf.columns:
        assert grid.cf[k] @ grid.year_h == pytest.approx(float(inputs.cf[k].sum()), rel=1e-9)
    assert len(grid.sequence) == 365 and grid.sequence.max() == grid.period.max()


@pytest.mark.slow
def test_fast_default_full_year_is_compliant_and_within_one_percent_of_exact(default):
    ls, rules, inputs, params = default
    fast = run_scenario(ls, mode="fast")  # raises ComplianceError if the full year fails a rule
    assert fast.compliant
    assert len(fast.hourly) == 8760
    assert fast.extra["fast"]["periods"] >= 8
    exact = run_scenario(ls, mode="exact")
    assert fast.objective_yuan >= exact.objective_yuan * (
        1 - 1e-7
    )  # fixed capacities cannot beat the optimum
    assert fast.objective_yuan <= exact.objective_yuan * 1.01
    # the reported cost is that of the full-year dispatch, not of the typical days
    assert fast.cost["total_annual_yuan"] == pytest.approx(
        fast.objective_yuan + params.funds_yuan_per_mwh * inputs.load_mwh, rel=1e-6
    )


def test_bad_sizing_is_repaired_on_the_full_horizon(default, monkeypatch):
    # two weeks instead of the year keep this test short; the repair code is the same
    # (a numeric peak-valley limit: the default "load" limit is read from the horizon's load)
    ls = load_scenario(None, rules={"overrides": {"peak_valley_limit": {"limit": 0.5}}})
    rules, inputs, params = resolve(ls)
    inputs = head_days(inputs, 14)
    fm = FastSizingModel(inputs, params, n_periods=4)
    good = fm.sizing.solve()
    bad_caps = dict(good.capacities, storage_mw=5.0, storage_mwh=10.0, connection_mw=1.0)
    real_solve = fm.sizing.solve
    calls = []

    def first_bad():
        calls.append(1)
        if len(calls) == 1:  # the first sizing is forced to a design that cannot meet the rules
            return Solution(capacities=bad_caps, arrays={}, objective_yuan=good.objective_yuan)
        return real_solve()

    monkeypatch.setattr(fm.sizing, "solve", first_bad)
    monkeypatch.setattr(fm, "_resize", lambda n: setattr(fm, "n_periods", n))  # keep the same LP
    sol, extra = fm.solve()
    steps = extra["fast"]["repair_steps"]
    assert steps and steps[0].startswith("connection may grow")
    assert sol.capacities["storage_mwh"] > 10.0  # not the forced design
    result = assemble_result(ls, rules, inputs, params, sol, "fast", extra)
    failed = [
        r
        for r, ok in zip(result.compliance["rule"], result.compliance["ok"], strict=True)
        if ok is False
    ]
    assert failed == []


def test_fast_answer_failing_a_rule_is_never_reported_compliant(default, monkeypatch):
    ls, rules, inputs, params = default

    def broken_fast(inputs, params, rules):
        sol, extra = solve_fast(inputs, params, rules)
        imp = sol.arrays["import_mw"]
        imp[np.argmax(imp)] = sol.capacities["connection_mw"] * 1.5  # exceed the connection
        return sol, extra

    monkeypatch.setattr("greenscen.model.fast.solve_fast", broken_fast)
    with pytest.raises(ComplianceError, match="exchange_limit|energy_balance"):
        run_scenario(ls, mode="fast")
    assert run_module.run_scenario is run_scenario
