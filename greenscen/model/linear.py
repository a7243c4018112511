"""Labelled, vectorised LP building: variable blocks, linear expressions and named row blocks.

The sizing LP is written once, in this vocabulary, in the spirit of linopy and PyPSA's
``define_*_constraints``: a constraint family reads like its equation,
``m.add_constraints(<name>, ch - p, "<=", 0)``, and is built in bulk with numpy. The result
is a :class:`LinearProgram` (standard form with named column and row blocks) that HiGHS takes in
one call (``greenscen.model.solver``) and from which the Pyomo view is derived
(``greenscen.model.pyomo_view``), so no second formulation exists.

Broadcasting: a 1-element variable block (a capacity) or a 1-row expression used with an
n-row expression stands in every row, as a scalar would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

INF = np.inf
SENSES = ("<=", ">=", "==")


@dataclass
class LinearProgram:
    """min c·x s.t. row_lb <= A x <= row_ub, col_lb <= x <= col_ub; ``cols``/``rows`` name blocks."""

    c: np.ndarray
    col_lb: np.ndarray
    col_ub: np.ndarray
    A: sp.csc_matrix
    row_lb: np.ndarray
    row_ub: np.ndarray
    cols: dict[str, slice] = field(default_factory=dict)
    rows: dict[str, slice] = field(default_factory=dict)


class LinExpr:
    """``nrow`` linear expressions stored as triplet parts (row, column, coefficient).

    Parts are concatenated only when the rows are added to a model, so a sum of several
    terms costs no intermediate copies.
    """

    __slots__ = ("nrow", "parts")

    def __init__(self, nrow: int, r=None, c=None, v=None, parts=None):
        self.nrow = int(nrow)
        self.parts = parts if parts is not None else [
            tuple(np.asarray(a).ravel() for a in (r, c, v))
        ]

    @classmethod
    def zero(cls, nrow: int) -> LinExpr:
        """Return ``nrow`` empty expressions (0)."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(nrow, parts=[(empty, empty, np.zeros(0))])

    @property
    def r(self) -> np.ndarray:
        return np.concatenate([p[0] for p in self.parts])

    @property
    def c(self) -> np.ndarray:
        return np.concatenate([p[1] for p in self.parts])

    @property
    def v(self) -> np.ndarray:
        return np.concatenate([p[2] for p in self.parts])

    def _rows(self, n: int) -> LinExpr:
        """Return this expression repeated in ``n`` rows (only a 1-row expression repeats)."""
        if self.nrow == n:
            return self
        if self.nrow != 1:
            raise ValueError(f"cannot broadcast a {self.nrow}-row expression to {n} rows")
        parts = [(np.repeat(np.arange(n), r.size), np.tile(c, n), np.tile(v, n))
                 for r, c, v in self.parts]  # fmt: skip
        return LinExpr(n, parts=parts)

    def __add__(self, other) -> LinExpr:
        if isinstance(other, (int, float)) and other == 0:
            return self
        o = as_expr(other)
        n = max(self.nrow, o.nrow)
        return LinExpr(n, parts=self._rows(n).parts + o._rows(n).parts)

    __radd__ = __add__

    def __neg__(self) -> LinExpr:
        return LinExpr(self.nrow, parts=[(r, c, -v) for r, c, v in self.parts])

    def __sub__(self, other) -> LinExpr:
        return self + (-as_expr(other))

    def __rsub__(self, other) -> LinExpr:
        return (-self) + other

    def __mul__(self, coef) -> LinExpr:
        coef = np.asarray(coef, float)
        if coef.ndim == 0 or coef.size == 1:
            return LinExpr(self.nrow, parts=[(r, c, v * float(coef.ravel()[0]))
                                             for r, c, v in self.parts])  # fmt: skip
        if self.nrow not in (1, coef.size):
            raise ValueError(f"cannot scale a {self.nrow}-row expression by {coef.size} coefficients")
        e = self._rows(coef.size) if self.nrow == 1 else self
        return LinExpr(e.nrow, parts=[(r, c, v * coef[r]) for r, c, v in e.parts])

    __rmul__ = __mul__

    def sum(self, weights=1.0) -> LinExpr:
        """Return the one-row expression Σ_i weights[i]·expr[i]."""
        w = np.broadcast_to(np.asarray(weights, float), (self.nrow,))
        return LinExpr(1, parts=[(np.zeros_like(r), c, v * w[r]) for r, c, v in self.parts])


class Var:
    """A block of LP columns (or a selection of one, e.g. ``p_max[window]``)."""

    __slots__ = ("idx",)

    def __init__(self, idx):
        self.idx = np.atleast_1d(np.asarray(idx, dtype=np.int64))

    @property
    def size(self) -> int:
        return self.idx.size

    def __getitem__(self, i) -> Var:
        return Var(self.idx[i])

    def expr(self) -> LinExpr:
        n = self.idx.size
        return LinExpr(n, np.arange(n), self.idx, np.ones(n))

    def __mul__(self, coef) -> LinExpr:
        coef = np.asarray(coef, float)
        if coef.ndim > 1 or (coef.ndim == 1 and coef.size not in (1, self.idx.size)
                             and self.idx.size != 1):  # fmt: skip
            raise ValueError(f"cannot scale {self.idx.size} columns by {coef.size} coefficients")
        if self.idx.size == 1 and coef.ndim == 1 and coef.size != 1:
            n = coef.size  # a capacity times a profile: one row per step
            return LinExpr(n, np.arange(n), np.repeat(self.idx, n), coef)
        return self.expr() * coef

    __rmul__ = __mul__

    def __neg__(self) -> LinExpr:
        return -self.expr()

    def __add__(self, other) -> LinExpr:
        return self.expr() + other

    __radd__ = __add__

    def __sub__(self, other) -> LinExpr:
        return self.expr() - other

    def __rsub__(self, other) -> LinExpr:
        return other - self.expr()

    def sum(self, weights=1.0) -> LinExpr:
        """Return the one-row expression Σ_i weights[i]·x[i]."""
        return self.expr().sum(weights)


def as_expr(x) -> LinExpr:
    """Return ``x`` (a Var or a LinExpr) as a LinExpr."""
    if isinstance(x, Var):
        return x.expr()
    if isinstance(x, LinExpr):
        return x
    raise TypeError(f"expected a variable or a linear expression, found {type(x).__name__}")


class LinearModel:
    """Collects variable blocks and constraint blocks and assembles a :class:`LinearProgram`.

    ``elastic`` models give each constraint added with a ``slack`` penalty a non-negative slack
    column ``slack:<name>`` that relaxes the row towards feasibility (added to a ``>=`` row,
    subtracted from a ``<=`` row), costed at ``slack`` per unit (already in objective units).
    """

    def __init__(self, elastic: bool = False):
        self.elastic = elastic
        self.ncol = self.nrow = 0
        self.cols: dict[str, slice] = {}
        self.rows: dict[str, slice] = {}
        self._c, self._lb, self._ub = [], [], []
        self._r, self._ci, self._v, self._rlb, self._rub = [], [], [], [], []

    def add_variables(self, name: str, size: int, lb=0.0, ub=INF, cost=0.0) -> Var:
        """Add a block of ``size`` columns with bounds and objective coefficients (broadcast)."""
        if name in self.cols:
            raise ValueError(f"variable block {name!r} exists")
        self.cols[name] = slice(self.ncol, self.ncol + size)
        for store, value in ((self._c, cost), (self._lb, lb), (self._ub, INF if ub is None else ub)):
            store.append(np.broadcast_to(np.asarray(value, float), (size,)))
        var = Var(np.arange(self.ncol, self.ncol + size))
        self.ncol += size
        return var

    def add_constraints(self, name: str, lhs, sense: str, rhs, slack=None, slack_ub=INF) -> None:
        """Add the rows ``lhs sense rhs`` (``rhs`` broadcast over the rows of ``lhs``)."""
        if sense not in SENSES:
            raise ValueError(f"sense must be one of {SENSES}, got {sense!r}")
        if name in self.rows:
            raise ValueError(f"constraint block {name!r} exists")
        e = as_expr(lhs)
        n = e.nrow
        rhs = np.broadcast_to(np.asarray(rhs, float), (n,))
        lb = rhs if sense in (">=", "==") else np.full(n, -INF)
        ub = rhs if sense in ("<=", "==") else np.full(n, INF)
        if self.elastic and slack is not None:
            s = self.add_variables(f"slack:{name}", n, 0.0, slack_ub, slack)
            e = e + s * (1.0 if sense == ">=" else -1.0)
        self.rows[name] = slice(self.nrow, self.nrow + n)
        for r, c, v in e.parts:
            self._r.append(self.nrow + r)
            self._ci.append(c)
            self._v.append(v)
        self._rlb.append(lb)
        self._rub.append(ub)
        self.nrow += n

    def to_lp(self) -> LinearProgram:
        """Return the assembled LinearProgram (CSC matrix, duplicate entries summed)."""
        cat = np.concatenate
        A = sp.coo_matrix(
            (cat(self._v), (cat(self._r), cat(self._ci))), shape=(self.nrow, self.ncol)
        ).tocsc()
        A.sort_indices()
        return LinearProgram(
            cat(self._c).copy(), cat(self._lb).copy(), cat(self._ub).copy(), A,
            cat(self._rlb).copy(), cat(self._rub).copy(), dict(self.cols), dict(self.rows),
        )  # fmt: skip
