"""Energy burnt as load is closed, not reported as a design (model.hydrogen.burn_fixes).

At 12-hour steps the ammonia 2028 project's LP stores and draws the same hydrogen in one step
(14,207 t/yr when measured): the compression energy counts as load, and the 1.2x rule (三(一))
binds, so burning it lets the project build more; with the loops closed it draws electrolyser
power below its part-load curve instead (900 kg/h short at one step). The solve closes both and
re-solves. The LP's own optimum bounds the burn-free one from below, so the answer is checked
against it. Measured with the loops alone closed: a MILP with a storage-direction binary per step
(HiGHS, 10 min limit) ended at 455.57 M yuan/yr (dual bound 452.36 M) against 452.39 M repaired.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from greenscen.model import solver
from greenscen.model.core import SizingModel
from greenscen.run import resolve, run_scenario
from greenscen.scenario import load_scenario

SCENARIO = Path(__file__).parents[2] / "scenarios" / "hydrogen_ammonia_2028.yaml"


def _loaded():
    return load_scenario(SCENARIO, time={"resolution_h": 12})


def _loops_kg(sol) -> float:
    a = sol.arrays
    return float(np.minimum(a["h2_to_storage_kg_h"], a["h2_from_storage_kg_h"]).sum() * 12.0)


def test_the_lp_alone_loops_here(monkeypatch):
    # guards the case: without the repair this LP burns compression energy (else the tests
    # below would pass on any code)
    monkeypatch.setattr(solver, "LOOP_ROUNDS", 0)
    _, inputs, params = resolve(_loaded())
    sol = SizingModel(inputs, params, warm_start=False).solve()
    assert _loops_kg(sol) > 1e6


def test_repaired_design_has_no_loops_and_is_bounded_by_the_lp():
    _, inputs, params = resolve(_loaded())
    model = SizingModel(inputs, params, warm_start=False)
    sol = model.solve()
    assert _loops_kg(sol) < 1e-3 * 30_000_000  # kg/yr, against 30,000 t delivered
    rep = sol.extra["h2_loops"]
    assert rep["rounds"] >= 1 and rep["steps_closed"] > 0
    # the LP with loops allowed is a relaxation: its optimum is a lower bound
    assert rep["lp_bound_yuan"] <= sol.objective_yuan
    assert rep["gap_to_bound"] == pytest.approx(sol.objective_yuan / rep["lp_bound_yuan"] - 1, rel=1e-9)
    assert rep["gap_to_bound"] < 1e-3
    # a re-solve starts from the LP again and ends loop-free at the same cost
    again = model.solve()
    assert again.objective_yuan == pytest.approx(sol.objective_yuan, rel=1e-6)
    assert _loops_kg(again) < 1e-3 * 30_000_000


def test_the_run_passes_the_independent_check_in_both_backends():
    results = {b: run_scenario(_loaded(), backend=b) for b in ("arrays", "pyomo")}  # raises if not
    for r in results.values():
        comp = r.compliance.set_index("rule")
        for rule in ("h2_storage_loops", "h2_production"):
            assert comp.loc[rule, "ok"] == True, rule  # noqa: E712 (an object column)
        assert r.extra["h2_loops"]["gap_to_bound"] < 1e-3
    a, p = (results[b].cost["total_annual_yuan"] for b in ("arrays", "pyomo"))
    assert p == pytest.approx(a, rel=1e-3)


def test_burn_fixes_every_step_leaves_one_way_open_per_step():
    # A 4-step toy LP's flow columns: in = cols 0-3, out = cols 4-7; col 1 (in at step 1) is
    # closed already. Every step with both ways open closes the smaller (a tie: the inflow):
    # step 0 (in 5 > out 2) closes out (col 4); step 1 has in closed: nothing; step 2 (0, 0)
    # closes in (col 2); step 3 (in 1 < out 3) closes in (col 3).
    from types import SimpleNamespace

    from greenscen.model.hydrogen import burn_fixes

    lp = SimpleNamespace(cols={"h2_in": slice(0, 4), "h2_out": slice(4, 8)}, rows={})
    x = np.array([5.0, 0.0, 0.0, 1.0, 2.0, 4.0, 0.0, 3.0])
    cols, rows = burn_fixes(lp, x, closed=np.array([1], dtype=np.int32))
    assert sorted(cols.tolist()) == [2, 3, 4] and rows.size == 0
    # without ``closed`` only the looping steps (0 and 3) are closed
    assert sorted(burn_fixes(lp, x)[0].tolist()) == [3, 4]


def test_loops_that_move_between_steps_end_after_the_every_step_round(monkeypatch):
    # One ordinary round, then every step one way: no step can loop after that re-solve, and
    # the LP's own optimum still bounds the answer from below.
    monkeypatch.setattr(solver, "LOOP_ROUNDS", 1)
    _, inputs, params = resolve(_loaded())
    sol = SizingModel(inputs, params, warm_start=False).solve()
    a = sol.arrays
    assert float(np.minimum(a["h2_to_storage_kg_h"], a["h2_from_storage_kg_h"]).max()) <= 1e-6
    rep = sol.extra["h2_loops"]
    assert rep["rounds"] == 2  # the ordinary round left loops (this case needs 6): both ran
    assert rep["lp_bound_yuan"] <= sol.objective_yuan * (1 + 1e-9)
    assert rep["gap_to_bound"] < 1e-3  # measured 0.039%, as with the 6 ordinary rounds


def test_burn_fixes_every_step_puts_each_open_step_on_its_segment():
    # Two curve segments over 4 steps; the gaps a_k·p + b·K − h (as A @ x, <= 0) are
    # seg 0: [0, −5, −1, 0], seg 1: [−2, 0, −3, −4]. The nearest segment per step: 0, 1, 0, 0.
    # Step 1 has a row made an equality already (row 5 = seg 1, step 1). Every-step mode makes
    # rows 0, 2, 3 equalities (seg 0 at steps 0, 2, 3); the ordinary mode only step 2's (row
    # 2), the one step below the curve (its largest gap −1 < 0).
    from types import SimpleNamespace

    import scipy.sparse as sp

    from greenscen.model.hydrogen import burn_fixes

    gaps = np.array([0.0, -5.0, -1.0, 0.0, -2.0, 0.0, -3.0, -4.0])
    x = np.concatenate([np.ones(4), gaps])  # h2 (4 steps), then 8 columns holding the gaps
    A = sp.csr_matrix((np.ones(8), (np.arange(8), 4 + np.arange(8))), shape=(8, 12))
    lp = SimpleNamespace(cols={"h2": slice(0, 4)}, A=A,
                         rows={"h2_curve_0": slice(0, 4), "h2_curve_1": slice(4, 8)})  # fmt: skip
    _, rows = burn_fixes(lp, x, closed=np.zeros(0, dtype=np.int32), closed_rows=np.array([5]))
    assert sorted(rows.tolist()) == [0, 2, 3]
    assert burn_fixes(lp, x)[1].tolist() == [2]
