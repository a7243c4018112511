"""The Pyomo view is the array LP itself: same rows, coefficients, bounds and optimum, and it
follows the LP through in-place updates without losing what a user added to it."""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pyomo.environ as pyo
import pytest
import scipy.sparse as sp
from pyomo.contrib.appsi.base import TerminationCondition

from greenscen.errors import InfeasibleError, SolverError, check_solver_status
from greenscen.model.lp import LinearProgram, build_lp, full_grid
from greenscen.model.pyomo_view import (
    column_values,
    solve_pyomo,
    standard_form,
    to_pyomo,
    update_pyomo,
)
from greenscen.model.solver import HighsLP
from greenscen.run import resolve
from greenscen.scenario.load import load_scenario

INF = np.inf
CASES = {
    "default": (None, False),
    "export": ("scenarios/hydrogen_grid_2027.yaml", False),
    "elastic": (None, True),
    "hydrogen": ("scenarios/hydrogen_ammonia_2028.yaml", False),  # electrolyser, H2 storage
}


@cache
def scenario_lp(case: str) -> LinearProgram:
    path, elastic = CASES[case]
    _, inputs, params = resolve(load_scenario(path, time={"resolution_h": 24}))
    return build_lp(params, full_grid(inputs, params), elastic=elastic)


def assert_same_lp(m: pyo.ConcreteModel, lp: LinearProgram) -> None:
    A, row_lb, row_ub, c, col_lb, col_ub = standard_form(m)
    want = sp.csr_matrix(lp.A)
    want.eliminate_zeros()
    want.sort_indices()
    A.sort_indices()
    assert A.shape == want.shape
    np.testing.assert_array_equal(A.indptr, want.indptr)  # same nonzeros, row by row
    np.testing.assert_array_equal(A.indices, want.indices)
    np.testing.assert_allclose(A.data, want.data, rtol=0, atol=1e-12)
    for got, exp in ((row_lb, lp.row_lb), (row_ub, lp.row_ub), (c, lp.c),
                     (col_lb, lp.col_lb), (col_ub, lp.col_ub)):  # fmt: skip
        np.testing.assert_array_equal(got, exp)


@pytest.mark.parametrize("case", sorted(CASES))
def test_view_is_structurally_the_lp(case):
    lp = scenario_lp(case)
    m = to_pyomo(lp)
    assert_same_lp(m, lp)
    names = {v.name for v in m.component_objects(pyo.Var)}
    assert names == {b.replace(":", "_") for b in lp.cols}
    assert {c.name for c in m.component_objects(pyo.Constraint)} == set(lp.rows)
    for block, s in lp.cols.items():
        assert len(getattr(m, block.replace(":", "_"))) == s.stop - s.start
    for block, s in lp.rows.items():
        assert len(getattr(m, block)) == s.stop - s.start
    if case == "export":
        assert "exp" in lp.cols and m.exp is not None
    if case == "elastic":
        assert m.slack_supply is not None


def tiny_lp(cost_y: float = 4.0, lim_y: float = -1.0, demand: float = 4.0) -> LinearProgram:
    """min x0 + 2 x1 + cost_y·y  s.t.  x0 + x1 + y >= demand,  x0 + lim_y·y <= 1.

    Bounds 0 <= x0 <= 3, 0 <= x1 <= 2, y >= 0. Columns: block "x" (2), block "cap:y" (1).
    """
    A = sp.csc_matrix(np.array([[1.0, 1.0, 1.0], [1.0, 0.0, lim_y]]))
    return LinearProgram(
        c=np.array([1.0, 2.0, cost_y]), col_lb=np.zeros(3), col_ub=np.array([3.0, 2.0, INF]),
        A=A, row_lb=np.array([demand, -INF]), row_ub=np.array([INF, 1.0]),
        cols={"x": slice(0, 2), "cap:y": slice(2, 3)},
        rows={"demand": slice(0, 1), "lim": slice(1, 2)},
    )  # fmt: skip


def test_tiny_lp_hand_optimum_and_user_constraint():
    # x0 (cost 1) is capped at 1 + y, x1 (cost 2) at 2. Fill x0 = 1 and x1 = 2; the last unit
    # comes from y, each unit of which brings itself and one more x0: 2 units for 4 + 1, i.e.
    # 2.5 per unit: y = 0.5, x0 = 1.5. Objective 1.5 + 2·2 + 4·0.5 = 7.5.
    m = to_pyomo(tiny_lp())
    x, obj = solve_pyomo(m)
    np.testing.assert_allclose(x, [1.5, 2.0, 0.5], atol=1e-7)
    assert obj == pytest.approx(7.5, rel=1e-9)
    assert isinstance(m.cap_y, pyo.Var) and isinstance(m.demand, pyo.Constraint)
    # A user caps x1 at 1: the two missing units come through y: y = 1, x0 = 2, x1 = 1,
    # objective 2 + 2 + 4 = 8.
    m.user_cap = pyo.Constraint(expr=m.x[1] <= 1.0)
    x, obj = solve_pyomo(m)
    np.testing.assert_allclose(x, [2.0, 1.0, 1.0], atol=1e-7)
    assert obj == pytest.approx(8.0, rel=1e-9)
    A, row_lb, row_ub, *_ = standard_form(m)  # the user row comes after the LP's rows
    assert A.shape == (3, 3) and A[2].toarray().tolist() == [[0.0, 1.0, 0.0]]
    assert (row_lb[2], row_ub[2]) == (-INF, 1.0)


def test_update_keeps_user_components():
    # With the user's x1 <= 1 and y at cost 6: y = 1, x0 = 2, x1 = 1, objective 2 + 2 + 6 = 10.
    old, new = tiny_lp(), tiny_lp(cost_y=6.0)
    m = to_pyomo(old)
    m.user_cap = pyo.Constraint(expr=m.x[1] <= 1.0)
    update_pyomo(m, old, new)
    x, obj = solve_pyomo(m)
    assert m.user_cap.active
    np.testing.assert_allclose(x, [2.0, 1.0, 1.0], atol=1e-7)
    assert obj == pytest.approx(10.0, rel=1e-9)


@pytest.mark.parametrize(
    "change", [{"cost_y": 3.0}, {"demand": 5.0}, {"lim_y": -2.0}], ids=["cost", "row_bound", "coef"]
)
def test_update_tiny_matches_highs(change):
    old, new = tiny_lp(), tiny_lp(**change)
    m = to_pyomo(old)
    update_pyomo(m, old, new)
    assert_same_lp(m, new)
    x, obj = solve_pyomo(m)
    want_x, want_obj, _ = HighsLP(new).solve()
    assert obj == pytest.approx(want_obj, rel=1e-9)
    np.testing.assert_allclose(x, want_x, atol=1e-7)


def changed(lp: LinearProgram, what: str) -> LinearProgram:
    """Return a copy of ``lp`` with a cost, a row bound block or matrix coefficients changed."""
    new = dataclasses.replace(lp, c=lp.c.copy(), row_lb=lp.row_lb.copy(), A=lp.A.copy())
    if what == "cost":
        new.c[lp.cols["cap:pv"]] *= 1.5
    elif what == "row_bound":
        new.row_lb[lp.rows["supply"]] *= 0.9  # 10% less load to supply each step
    else:  # the wind capacity factor in every supply row, halved
        j = lp.cols["cap:wind"].start
        a, b = new.A.indptr[j], new.A.indptr[j + 1]
        rows = new.A.indices[a:b]
        s = lp.rows["supply"]
        new.A.data[a:b][(rows >= s.start) & (rows < s.stop)] *= 0.5
        assert np.any(new.A.data != lp.A.data)
    return new


@pytest.mark.parametrize("what", ["cost", "row_bound", "coef"])
def test_update_scenario_matches_highs(what):
    old = scenario_lp("default")
    new = changed(old, what)
    m = to_pyomo(old)
    _, before = solve_pyomo(m)
    update_pyomo(m, old, new)
    assert_same_lp(m, new)
    _, obj = solve_pyomo(m)
    _, want, _ = HighsLP(new).solve()
    assert obj == pytest.approx(want, rel=1e-6)
    assert obj != pytest.approx(before, rel=1e-6)  # the change mattered


def test_update_rejects_other_structure():
    m = to_pyomo(tiny_lp())
    with pytest.raises(ValueError):
        update_pyomo(m, tiny_lp(), scenario_lp("default"))


def test_column_values_unsolved_are_zero():
    m = to_pyomo(tiny_lp())
    m.x[1].set_value(1.25)
    np.testing.assert_array_equal(column_values(m), [0.0, 1.25, 0.0])


def test_infeasible_raises():
    # x0 + x1 + y >= 4 with y <= 0 (x0 - y <= 1 → x0 <= 1) and x1 <= 2: at most 3.
    lp = tiny_lp()
    lp.col_ub[2] = 0.0
    with pytest.raises(InfeasibleError):
        solve_pyomo(to_pyomo(lp))


def test_one_status_mapping_serves_pyomo_and_highs():
    check_solver_status(TerminationCondition.optimal)
    check_solver_status("Optimal")  # HiGHS's own model status text
    with pytest.raises(InfeasibleError):
        check_solver_status("Primal infeasible or unbounded")
    for tc in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
        with pytest.raises(InfeasibleError):
            check_solver_status(tc)
    for tc in (TerminationCondition.maxTimeLimit, TerminationCondition.unbounded, "unknown"):
        with pytest.raises(SolverError):
            check_solver_status(tc)


def test_standard_form_reads_fixed_columns_as_equal_bounds():
    lp = tiny_lp()
    m = to_pyomo(lp)
    m.cap_y[0].fix(0.5)
    A, *_, col_lb, col_ub = standard_form(m)
    assert abs(A - lp.A).max() == 0  # the fixed column keeps its coefficients
    assert (col_lb[2], col_ub[2]) == (0.5, 0.5)
    assert m.cap_y[0].fixed and m.cap_y[0].value == 0.5
    # x0 <= 1 + 0.5 now: x0 = 1.5, x1 = 2, objective 1.5 + 4 + 2 = 7.5 (the same point)
    assert solve_pyomo(m)[1] == pytest.approx(7.5, rel=1e-9)
