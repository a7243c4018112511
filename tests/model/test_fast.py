"""Fast mode: typical-day sizing, verified (and repaired) on the full-year hourly dispatch."""

from __future__ import annotations

import numpy as np
import pytest

import greenscen.run as run_module
from greenscen.errors import ComplianceError
from greenscen.model.core import SizingModel, Solution
from greenscen.model.fast import FastSizingModel, _days_to_add, slack_misses, typical_day_grid
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
    # the first sizing is forced to a design that cannot meet the rules on several days
    monkeypatch.setattr(
        fm.sizing,
        "solve",
        lambda: Solution(capacities=bad_caps, arrays={}, objective_yuan=good.objective_yuan),
    )
    sol = fm.solve()
    extra = sol.extra
    steps = extra["fast"]["repair_steps"]
    assert steps and steps[0].startswith("re-size")
    assert extra["fast"]["repair_days"]  # the days with slack became typical days
    assert sol.capacities["storage_mwh"] > 10.0  # not the forced design
    x = fm.dispatch.h.getSolution().col_value
    assert max(x[int(j)] for j in fm.slack_cols) < 1e-7  # the dispatch reported has no slack
    result = assemble_result(ls, rules, inputs, params, sol, "fast", extra)
    failed = [
        r
        for r, ok in zip(result.compliance["rule"], result.compliance["ok"], strict=True)
        if ok is False
    ]
    assert failed == []


def test_elastic_dispatch_shows_the_days_and_rules_a_design_misses(default):
    _, _, inputs, params = default
    inputs = head_days(inputs, 7)
    fm = FastSizingModel(inputs, params, n_periods=3)
    caps = dict(fm.sizing.solve().capacities)
    fm.set_param("self_consumption_min", 0.99)  # not reachable with the sized design
    caps["connection_mw"] = 0.5 * caps["connection_mw"]  # too small on the worst hours
    x, _, _ = fm._dispatch(caps)
    miss = slack_misses(fm.dispatch_lp, x, 24, inputs.load_mwh)
    assert "self_consumption" in miss["annual_mwh"]
    supply = x[fm.dispatch_lp.cols["slack:supply"]]
    assert set(miss["days"]) >= set(np.flatnonzero(supply > 1e-6) // 24)
    # the slack on a step is never more than what no dispatch could supply there
    avail = sum(fm.full.cf[k] * caps[k] for k in fm.full.cf)
    room = np.minimum(fm.full.load_mw, caps["connection_mw"])
    assert np.all(supply <= np.maximum(fm.full.load_mw - avail - room, 0.0) + 1e-9)


def test_a_hard_change_does_not_slow_later_solves(default):
    _, _, inputs, params = default
    fm = FastSizingModel(head_days(inputs, 14), params, n_periods=4)
    base, base_periods = fm.sizing, int(fm.grid.period.max()) + 1
    fm.solve()
    fm.set_param("self_consumption_min", 0.9)
    fm.solve()
    # a repair sizes on a grid of its own; the next solve starts again from the requested days
    assert fm.sizing is base and int(fm.sizing.grid.period.max()) + 1 == base_periods


def test_fast_answer_failing_a_rule_is_never_reported_compliant(default, monkeypatch):
    ls, rules, inputs, params = default

    solve = FastSizingModel.solve

    def broken_fast(self):
        sol = solve(self)
        imp = sol.arrays["import_mw"]
        imp[np.argmax(imp)] = sol.capacities["connection_mw"] * 1.5  # exceed the connection
        return sol

    monkeypatch.setattr(FastSizingModel, "solve", broken_fast)
    with pytest.raises(ComplianceError, match="exchange_limit|energy_balance"):
        run_scenario(ls, mode="fast")
    assert run_module.run_scenario is run_scenario


def test_repair_makes_the_whole_run_of_missed_days_typical_in_one_round(default):
    # Two weeks of the default: the 11 + 3 typical days miss on days 8-12 (a run the storage
    # carries). 0.1 added one day per round, paid more each round and ended in the exact
    # fallback after 4 rounds; one round with the run typical reaches the optimum, which here
    # is the exact LP's (all 14 days typical: the typical-day LP is the full LP).
    _, rules, inputs, params = default
    inputs = head_days(inputs, 14)
    sol = FastSizingModel(inputs, params).solve()
    steps = sol.extra["fast"]["repair_steps"]
    assert len(steps) == 1 and "exact" not in steps
    exact = SizingModel(inputs, params, warm_start=False).solve()
    assert sol.objective_yuan == pytest.approx(exact.objective_yuan, rel=1e-6)


def test_days_to_add_walks_back_to_the_previous_typical_day_at_most_two_weeks():
    # day 100 missed, day 95 typical already: days 100 and 99..96 (back to 95)
    assert _days_to_add([100], [95], 365) == [100, 99, 98, 97, 96]
    # no typical day before it: the missed day and the MAX_RUN_DAYS (14) days before it,
    # not the whole year (0.1 of this walk made all 365 days typical)
    assert _days_to_add([100], [], 365) == [100, *range(99, 85, -1)]
    # the walk wraps over the year's start (storage is cyclic) and stops at days just added
    assert _days_to_add([1, 3], [], 365) == [1, 3, 0, 364, 363, 362, 361, 360, 359, 358, 357, 356,
                                              355, 354, 353, 352, 2]  # fmt: skip
