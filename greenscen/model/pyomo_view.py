"""A Pyomo view of the array LP: derived from :class:`LinearProgram`, never kept by hand.

``build_lp`` is the one formulation the solver path uses. Users who want to inspect, extend or
export the model in Pyomo get it here, generated from the same arrays: one indexed ``Var`` per
column block and one indexed ``Constraint`` per row block (``:`` in a block name becomes ``_``,
so ``cap:wind`` is ``m.cap_wind``), and ``m.obj`` minimising ``c·x`` in thousand yuan. Since
nothing is written twice, the view cannot drift from the LP; ``standard_form`` reads a model
back into arrays so tests can check that it is the same LP, coefficient by coefficient.

Rows are built from the CSR rows of ``A`` as ``LinearExpression`` objects: on the full-year
default LP (~80k rows x 36k columns) that takes ~1.4-2 s, where ``quicksum`` took ~5.5 s
(measured); appsi's transfer of the model to HiGHS then takes another ~3-5 s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn import generate_standard_repn

from greenscen.errors import SolverError, check_solver_status
from greenscen.model.solver import DEFAULT_HIGHS_OPTIONS

if TYPE_CHECKING:  # the LP module may move; only its shape (duck typing) matters here
    from greenscen.model.lp import LinearProgram

INF = float("inf")
# (A, row_lb, row_ub, c, col_lb, col_ub) of min c·x s.t. row_lb <= A x <= row_ub, col bounds
StandardForm = tuple[sp.csr_matrix, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _ordered(blocks: dict[str, slice], total: int, what: str) -> list[tuple[str, slice]]:
    """Return the blocks by position; they must be contiguous and cover 0..total-1."""
    out = sorted(blocks.items(), key=lambda kv: kv[1].start)
    stops = [0] + [s.stop for _, s in out]
    if any(s.start != stops[i] for i, (_, s) in enumerate(out)) or stops[-1] != total:
        raise ValueError(f"the {what} blocks of the LP are not contiguous over 0..{total - 1}")
    return out


def _bound(value: float) -> float | None:
    return value if -INF < value < INF else None


def _relation(body, lb: float, ub: float) -> tuple:
    # Pyomo's tuple forms: (body, value) is an equality, (lb, body, ub) an inequality whose
    # infinite side is None (one-sided) or a ranged row when both sides are finite.
    if lb == ub:
        return (body, lb)
    return (_bound(lb), body, _bound(ub))


class _Rows:
    """The CSR rows of A as Python lists: per-row numpy slicing would double the build time."""

    def __init__(self, A) -> None:
        A = sp.csr_matrix(A, copy=True)
        A.eliminate_zeros()  # a stored 0 is no coefficient: keep 0·x out of the Pyomo rows
        A.sort_indices()
        self.ptr, self.idx, self.val = A.indptr.tolist(), A.indices.tolist(), A.data.tolist()

    def body(self, r: int, cols: list) -> LinearExpression:
        a, b = self.ptr[r], self.ptr[r + 1]
        # The args form: LinearExpression(linear_coefs=, linear_vars=) was ~2x slower here.
        val, idx = self.val, self.idx
        return LinearExpression(
            [MonomialTermExpression((val[k], cols[idx[k]])) for k in range(a, b)]
        )


def _objective(c: np.ndarray, cols: list) -> LinearExpression:
    nz = np.flatnonzero(c)
    cv = c.tolist()  # Python floats: numpy scalars in a Pyomo expression take slower paths
    return LinearExpression([MonomialTermExpression((cv[j], cols[j])) for j in nz.tolist()])


def _flat(blocks: list[tuple[pyo.Component, int]]) -> list:
    return [comp[i] for comp, size in blocks for i in range(size)]


def to_pyomo(lp: LinearProgram) -> pyo.ConcreteModel:
    """Return the LP as a Pyomo model: one indexed Var per column block, one Constraint per row block.

    Parameters
    ----------
    lp : LinearProgram
        ``min c·x  s.t.  row_lb <= A x <= row_ub,  col_lb <= x <= col_ub`` with named blocks.

    Returns
    -------
    pyomo.environ.ConcreteModel
        Components named after the blocks (``:`` → ``_``), indexed 0..size-1; ``m.obj``
        minimises ``c·x`` (thousand yuan). ``m._greenscen_columns`` / ``m._greenscen_rows``
        list (component, size) in LP order; ``m._greenscen_col_blocks`` /
        ``m._greenscen_row_blocks`` keep the LP's block names and slices.
    """
    nrow, ncol = lp.A.shape
    m = pyo.ConcreteModel(name="greenscen_lp")
    m._greenscen_col_blocks = dict(lp.cols)
    m._greenscen_row_blocks = dict(lp.rows)

    def add(block: str, comp: pyo.Component) -> None:
        name = block.replace(":", "_")
        if hasattr(m, name):  # a clash would silently shadow a block or a Pyomo attribute
            raise ValueError(f"LP block {block!r} cannot be named {name!r} on a Pyomo model")
        setattr(m, name, comp)

    m._greenscen_columns = []
    for block, s in _ordered(lp.cols, ncol, "column"):
        lb = [_bound(v) for v in lp.col_lb[s].tolist()]
        ub = [_bound(v) for v in lp.col_ub[s].tolist()]
        var = pyo.Var(range(s.stop - s.start), bounds=lambda _, i, lb=lb, ub=ub: (lb[i], ub[i]))
        add(block, var)
        m._greenscen_columns.append((var, s.stop - s.start))
    cols = _flat(m._greenscen_columns)

    A = _Rows(lp.A)
    row_lb, row_ub = lp.row_lb.tolist(), lp.row_ub.tolist()
    m._greenscen_rows = []
    for block, s in _ordered(lp.rows, nrow, "row"):

        def rule(_, i, off=s.start):
            return _relation(A.body(off + i, cols), row_lb[off + i], row_ub[off + i])

        con = pyo.Constraint(range(s.stop - s.start), rule=rule)
        add(block, con)
        m._greenscen_rows.append((con, s.stop - s.start))
    add("obj", pyo.Objective(expr=_objective(lp.c, cols), sense=pyo.minimize))
    return m


def column_values(m: pyo.ConcreteModel) -> np.ndarray:
    """Return the values of the LP's columns in LP order (a variable without a value → 0)."""
    return np.array(
        [0.0 if v.value is None else v.value for v in _flat(m._greenscen_columns)], dtype=float
    )


def update_pyomo(m: pyo.ConcreteModel, old_lp: LinearProgram, new_lp: LinearProgram) -> None:
    """Apply in place what differs between two LPs of the same structure to their Pyomo view.

    Objective coefficients, column bounds and row bounds are set where they differ; a row with
    a changed matrix coefficient gets its body rebuilt. Nothing else on ``m`` is touched, so
    components a user added survive.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A model from ``to_pyomo(old_lp)``.
    old_lp, new_lp : LinearProgram
        Same shape and blocks; the sparsity pattern may differ within rows.
    """
    blocks = (m._greenscen_col_blocks, m._greenscen_row_blocks)
    if (
        new_lp.A.shape != old_lp.A.shape
        or not (new_lp.cols, new_lp.rows) == (old_lp.cols, old_lp.rows) == blocks
    ):
        raise ValueError("update_pyomo needs two LPs of the same structure as the model")
    cols = _flat(m._greenscen_columns)
    if np.any(new_lp.c != old_lp.c):
        m.obj.expr = _objective(new_lp.c, cols)  # one expression: rebuilding is cheap
    for j in np.flatnonzero((new_lp.col_lb != old_lp.col_lb) | (new_lp.col_ub != old_lp.col_ub)):
        cols[j].setlb(_bound(float(new_lp.col_lb[j])))
        cols[j].setub(_bound(float(new_lp.col_ub[j])))
    diff = sp.csr_matrix(new_lp.A - old_lp.A)
    diff.eliminate_zeros()
    changed = np.flatnonzero(np.diff(diff.indptr))  # rows with a changed coefficient
    bounds = np.flatnonzero((new_lp.row_lb != old_lp.row_lb) | (new_lp.row_ub != old_lp.row_ub))
    if changed.size or bounds.size:
        rows = _flat(m._greenscen_rows)
        A = _Rows(new_lp.A)
        for r in np.union1d(changed, bounds).tolist():
            rows[r].set_value(
                _relation(A.body(r, cols), float(new_lp.row_lb[r]), float(new_lp.row_ub[r]))
            )


def solve_pyomo(m: pyo.ConcreteModel, options: dict | None = None) -> tuple[np.ndarray, float]:
    """Solve the model, user components included, with HiGHS through Pyomo's appsi interface.

    Parameters
    ----------
    m : pyomo.environ.ConcreteModel
        A model from ``to_pyomo`` (possibly extended).
    options : dict, optional
        HiGHS options, laid over ``DEFAULT_HIGHS_OPTIONS`` (ipm + crossover, presolve on).

    Returns
    -------
    x : numpy.ndarray
        The LP's column values in LP order.
    objective : float
        The value of ``m.obj`` (thousand yuan).
    """
    from pyomo.contrib.appsi.solvers import Highs  # import late: appsi loads highspy

    solver = Highs()
    if not solver.available():
        raise SolverError("HiGHS is not available to Pyomo's appsi interface (install highspy)")
    solver.config.load_solution = False  # load only an optimum, after checking the status
    solver.config.stream_solver = False
    solver.highs_options = dict(DEFAULT_HIGHS_OPTIONS | (options or {}))
    res = solver.solve(m)
    check_solver_status(res.termination_condition)
    res.solution_loader.load_vars()
    return column_values(m), float(pyo.value(m.obj))


def standard_form(m: pyo.ConcreteModel) -> StandardForm:
    """Read a model's active rows back as arrays, in LP order (user rows and variables last).

    Fixed variables are read as columns with equal bounds, not folded into constants, so a
    model with a fixed capacity still has the LP's shape; a constant in a row shifts its bounds.

    Returns
    -------
    A : scipy.sparse.csr_matrix
    row_lb, row_ub, c, col_lb, col_ub : numpy.ndarray
        ``c`` is for minimisation (negated if the active objective maximises).
    """
    cols = _flat(m._greenscen_columns)
    index = {id(v): j for j, v in enumerate(cols)}
    ours = [con[i] for con, size in m._greenscen_rows for i in range(size)]
    own = {id(c) for c in ours}
    rows = [c for c in ours if c.active]
    rows += [c for c in m.component_data_objects(pyo.Constraint, active=True) if id(c) not in own]
    fixed = [v for v in m.component_data_objects(pyo.Var) if v.fixed]

    def column(v) -> int:
        if id(v) not in index:  # a user's variable: a column after the LP's
            index[id(v)] = len(cols)
            cols.append(v)
        return index[id(v)]

    for v in fixed:
        v.unfix()
    try:  # unfix so that fixed columns keep their coefficients; refix whatever happens
        ri, ci, vals, row_lb, row_ub = [], [], [], [], []
        for r, con in enumerate(rows):
            repn = generate_standard_repn(con.body, compute_values=True, quadratic=False)
            if not repn.is_linear():
                raise ValueError(f"constraint {con.name} is not linear")
            for v, a in zip(repn.linear_vars, repn.linear_coefs, strict=True):
                ri.append(r)
                ci.append(column(v))
                vals.append(a)
            k = float(repn.constant)
            row_lb.append(-INF if con.lb is None else con.lb - k)
            row_ub.append(INF if con.ub is None else con.ub - k)
        objs = list(m.component_data_objects(pyo.Objective, active=True))
        if len(objs) != 1:
            raise ValueError(f"expected one active objective, found {len(objs)}")
        repn = generate_standard_repn(objs[0].expr, compute_values=True, quadratic=False)
        sign = 1.0 if objs[0].sense == pyo.minimize else -1.0
        terms = zip(repn.linear_vars, repn.linear_coefs, strict=True)
        obj_terms = [(column(v), sign * a) for v, a in terms]
    finally:
        for v in fixed:
            v.fix()
    n = len(cols)
    A = sp.csr_matrix((vals, (ri, ci)), shape=(len(rows), n))  # duplicates are summed
    c = np.zeros(n)
    for j, a in obj_terms:
        c[j] += a
    col_lb = np.array([v.value if v.fixed else (-INF if v.lb is None else v.lb) for v in cols])
    col_ub = np.array([v.value if v.fixed else (INF if v.ub is None else v.ub) for v in cols])
    return A, np.array(row_lb, float), np.array(row_ub, float), c, col_lb, col_ub
