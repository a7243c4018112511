"""A persistent HiGHS instance holding a :class:`LinearProgram`, updated in place between solves.

The matrix goes to HiGHS in one call from numpy arrays (no per-element transfer). A change of
parameters is applied as the difference between the old and the new arrays: costs, bounds and
the few changed matrix coefficients, so HiGHS keeps its model (and its basis for a warm start).
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from greenscen.errors import Interrupted, check_solver_status
from greenscen.model.hydrogen import LOOP_ROUNDS, burn_fixes
from greenscen.model.linear import LinearProgram

# Chosen by measurement on the full-year default scenario (benchmarks/results/latest.md):
# interior point + crossover, dual simplex and interior point without crossover all take
# 20-45 s here and swap places from run to run; crossover gives a vertex (clean residuals)
# and an optimal basis, which makes the simplex re-solve after a change ~3x faster than a
# fresh solve. PDLP did not reach the tolerances; parallel dual simplex was slower.
DEFAULT_HIGHS_OPTIONS = {"solver": "ipm", "run_crossover": "on", "presolve": "on"}
# A re-solve starts from the previous optimal basis: simplex uses it, interior point cannot.
RESOLVE_HIGHS_OPTIONS = {"solver": "simplex"}
# A first solve from a start basis (``HighsLP.warm_solve``): serial dual simplex, the one
# simplex strategy that keeps a basis set from outside (parallel dual simplex drops it).
WARM_HIGHS_OPTIONS = {"solver": "simplex", "simplex_strategy": 1}

_OK = highspy.HighsModelStatus.kOptimal
_INFEASIBLE = (
    highspy.HighsModelStatus.kInfeasible,
    highspy.HighsModelStatus.kUnboundedOrInfeasible,
)


class HighsLP:
    """A LinearProgram loaded into highspy, with diff-based updates and timed solves."""

    def __init__(self, lp: LinearProgram, options: dict | None = None, threads: int | None = None):
        self.options = dict(DEFAULT_HIGHS_OPTIONS | (options or {}))
        self.threads = threads
        self.lp = lp
        # column -> (lb, ub) held against LP updates: fixes, and freed scenario-fixed capacities
        self.held: dict[int, tuple[float, float]] = {}
        self.tightened: dict[int, float] = {}
        self._cancel_requested = False
        # Called by cancel(): forwards it to the models that solve for this one (fast mode's
        # sizing and dispatch while they find exact mode's warm start).
        self.on_cancel = None
        self._load()

    def _load(self) -> None:
        """Create the HiGHS instance and pass it the LP (with the fixes and tightenings made)."""
        self.h = highspy.Highs()
        self.h.silent()
        # HiGHS checks this flag at its interrupt callbacks (simplex and IPM iterations), so
        # a Ctrl-C or cancel() stops a long solve within an iteration instead of at its end.
        self.h.HandleUserInterrupt = True
        self.set_options(self.options)
        if self.threads:
            self.h.setOptionValue("threads", self.threads)
        lp, A = self.lp, self.lp.A
        self.h.passModel(
            A.shape[1], A.shape[0], A.nnz, 1, 1, 0.0,
            lp.c, lp.col_lb, lp.col_ub, lp.row_lb, lp.row_ub,
            A.indptr.astype(np.int32), A.indices.astype(np.int32), A.data,
            np.zeros(A.shape[1], dtype=np.int32),
        )  # fmt: skip
        for col, (lb, ub) in self.held.items():
            self.h.changeColBounds(col, lb, ub)
        # hydrogen-storage flows closed by the last solve against loops (_close_loops)
        self.closed = np.zeros(0, dtype=np.int32)
        self.closed_rows = np.zeros(0, dtype=np.int32)
        self.loop_rounds, self.loop_bound = 0, None
        for row, amount in self.tightened.items():
            self._tighten(row, amount)
        self.solved = False

    def set_options(self, options: dict) -> None:
        """Set HiGHS options for the next solves (the configured ones stay the fallback)."""
        for key, value in options.items():
            self.h.setOptionValue(key, value)

    def reset(self, options: dict | None = None) -> None:
        """Forget the previous basis: the next solve starts cold with ``options`` (or the
        configured ones)."""
        self.h.clearSolver()
        self.set_options(options or self.options)
        self.solved = False

    def set_col_bounds(self, cols: np.ndarray, lb: np.ndarray, ub: np.ndarray) -> None:
        """Change the bounds of columns ``cols`` (not remembered as fixes)."""
        cols = np.asarray(cols, dtype=np.int32)
        if cols.size:
            self.h.changeColsBounds(cols.size, cols, np.asarray(lb, float), np.asarray(ub, float))

    def tighten_row(self, row: int, amount: float) -> None:
        """Tighten row ``row`` by ``amount``: raise a finite lower bound, else lower the upper."""
        self.tightened[row] = amount
        self._tighten(row, amount)

    def _tighten(self, row: int, amount: float) -> None:
        lb, ub = float(self.lp.row_lb[row]), float(self.lp.row_ub[row])
        if np.isfinite(lb):
            self.h.changeRowBounds(row, lb + amount, ub)
        else:
            self.h.changeRowBounds(row, lb, ub - amount)

    @property
    def simplex_iterations(self) -> int:
        """Simplex iterations of the last solve."""
        return int(self.h.getInfo().simplex_iteration_count)

    def update(self, new: LinearProgram) -> None:
        """Send HiGHS what differs between the loaded LP and ``new`` (same structure)."""
        old = self.lp
        if new.A.shape != old.A.shape or new.A.nnz != old.A.nnz:
            raise ValueError("update needs an LP of the same structure")
        i = np.flatnonzero(new.c != old.c)
        if i.size:
            self.h.changeColsCost(i.size, i.astype(np.int32), new.c[i])
        i = np.flatnonzero((new.col_lb != old.col_lb) | (new.col_ub != old.col_ub))
        i = np.array([j for j in i if j not in self.held], dtype=np.int32)
        if i.size:
            self.h.changeColsBounds(i.size, i, new.col_lb[i], new.col_ub[i])
        i = np.flatnonzero((new.row_lb != old.row_lb) | (new.row_ub != old.row_ub))
        if i.size:
            self.h.changeRowsBounds(i.size, i.astype(np.int32), new.row_lb[i], new.row_ub[i])
        k = np.flatnonzero(new.A.data != old.A.data)
        if k.size:
            col_of = np.repeat(np.arange(new.A.shape[1]), np.diff(new.A.indptr))
            for j in k:
                self.h.changeCoeff(int(new.A.indices[j]), int(col_of[j]), float(new.A.data[j]))
        self.lp = new

    def fix(self, col: int, value: float | None) -> None:
        """Fix column ``col`` at ``value``; None restores its bounds from the LP."""
        if value is None:
            self.held.pop(col, None)
            self.h.changeColBounds(col, float(self.lp.col_lb[col]), float(self.lp.col_ub[col]))
        else:
            self.set_bounds(col, float(value), float(value))

    def set_bounds(self, col: int, lb: float, ub: float | None) -> None:
        """Hold column ``col`` within [lb, ub] whatever later LP updates say (None: no upper)."""
        ub = np.inf if ub is None else float(ub)
        self.held[col] = (float(lb), ub)
        self.h.changeColBounds(col, float(lb), ub)

    def add_row(self, cols: np.ndarray, coefs: np.ndarray, lb: float, ub: float) -> int:
        """Add the row ``lb <= coefs·x[cols] <= ub`` after the LP's rows (the basis is kept);
        return its index. :meth:`drop_rows_from` removes it again."""
        cols = np.asarray(cols, dtype=np.int32)
        self.h.addRow(float(lb), float(ub), cols.size, cols, np.asarray(coefs, float))
        return int(self.h.getNumRow()) - 1

    def drop_rows_from(self, first: int) -> None:
        """Delete the rows added from index ``first`` on (see :meth:`add_row`)."""
        n = int(self.h.getNumRow())
        if n > first:
            self.h.deleteRows(n - first, np.arange(first, n, dtype=np.int32))

    def set_costs(self, c: np.ndarray) -> None:
        """Replace the objective coefficients for the next solves (``lp.c`` restores them)."""
        c = np.asarray(c, float)
        self.h.changeColsCost(c.size, np.arange(c.size, dtype=np.int32), c)

    def cancel(self) -> None:
        """Ask a running solve (in another thread) to stop; it raises :class:`Interrupted`."""
        self._cancel_requested = True
        self.h.cancelSolve()
        if self.on_cancel is not None:
            self.on_cancel()

    @property
    def cancel_requested(self) -> bool:
        """True when cancel() was called since the last solve started."""
        return self._cancel_requested

    def arm(self) -> None:
        """Forget an earlier cancel: a solve (or its warm start) begins now."""
        self._cancel_requested = False

    def _run(self) -> None:
        """Run HiGHS in its worker thread and wait, so that Ctrl-C reaches us at once."""
        self._cancel_requested = False
        self.h.startSolve()
        try:
            while not self.h.wait(0.1)[0]:
                pass
        except KeyboardInterrupt:
            self.h.cancelSolve()
            self.h.joinSolve()  # HiGHS stops at its next interrupt check
            self._load()  # an interrupted instance keeps answering "Interrupted": start anew
            raise
        if self._cancel_requested:
            self._load()
            raise Interrupted("the solve was cancelled")

    def _reopen(self) -> None:
        """Give what the last solve closed against burning energy its LP bounds back."""
        c, r = self.closed, self.closed_rows
        if c.size:
            self.h.changeColsBounds(c.size, c, self.lp.col_lb[c], self.lp.col_ub[c])
        if r.size:
            self.h.changeRowsBounds(r.size, r, self.lp.row_lb[r], self.lp.row_ub[r])
        self.closed = np.zeros(0, dtype=np.int32)
        self.closed_rows = np.zeros(0, dtype=np.int32)
        self.loop_rounds = 0

    def _close_loops(self, x: np.ndarray, rules_in_play=()) -> np.ndarray:
        """Close, step by step, hydrogen stored and drawn at once and power drawn below the
        part-load curve, and re-solve until no step burns energy (see
        :func:`greenscen.model.hydrogen.burn_fixes`); return the values."""
        for i in range(2 * LOOP_ROUNDS if LOOP_ROUNDS else 0):  # 0: no repair (tests)
            cols, rows = burn_fixes(self.lp, x)
            if not (cols.size or rows.size):
                break
            if i == LOOP_ROUNDS:  # the burning moved from step to step: close every step
                cols, rows = burn_fixes(self.lp, x, closed=self.closed, closed_rows=self.closed_rows)
            if not self.loop_rounds:  # the LP's optimum: a lower bound on the burn-free one
                self.loop_bound = float(self.h.getInfo().objective_function_value)
            if cols.size:
                self.closed = np.union1d(self.closed, cols).astype(np.int32)
                zero = np.zeros(cols.size)
                self.h.changeColsBounds(cols.size, cols, zero, zero)
            if rows.size:  # the segment's row h - a·p - b·K <= 0 becomes == 0
                self.closed_rows = np.union1d(self.closed_rows, rows).astype(np.int32)
                self.h.changeRowsBounds(rows.size, rows, self.lp.row_ub[rows], self.lp.row_ub[rows])
            self.set_options(RESOLVE_HIGHS_OPTIONS)  # dual simplex from the optimal basis
            self._run()
            status = self.h.getModelStatus()
            if status != _OK and status not in _INFEASIBLE:
                self.h.clearSolver()
                self.set_options(self.options)
                self._run()
                status = self.h.getModelStatus()
            check_solver_status(self.h.modelStatusToString(status), rules_in_play=rules_in_play)
            self.loop_rounds += 1
            x = np.asarray(self.h.getSolution().col_value, dtype=float)
        return x

    def warm_solve(self, start: dict, rules_in_play=()) -> tuple[np.ndarray, float, float] | None:
        """Solve from a start basis; return (column values, objective, seconds), or None when
        the start does not lead to an optimum (the caller then solves cold with :meth:`solve`).

        ``start`` holds ``col_status`` and ``row_status`` (HiGHS basis statuses, one per column
        and row of this LP) and ``fixed`` ({column: value}): the basis is optimal for this LP
        with those columns fixed at those values (fast mode's full-year dispatch with its
        capacities fixed). The columns are fixed, the basis is set (HiGHS confirms it in
        ~0 iterations), the columns are freed again and dual simplex goes on from there.
        An infeasible LP is not judged here: None, and the cold solve gives the verdict.
        """
        t0 = time.perf_counter()
        self._reopen()
        fixed = {int(c): float(v) for c, v in start["fixed"].items()}
        try:
            for col, value in fixed.items():
                self.h.changeColBounds(col, value, value)
            basis = highspy.HighsBasis()
            basis.col_status = list(start["col_status"])
            basis.row_status = list(start["row_status"])
            basis.valid = True
            ok = self.h.setBasis(basis) == highspy.HighsStatus.kOk
            self.set_options(WARM_HIGHS_OPTIONS)
            if ok:
                self._run()
                ok = self.h.getModelStatus() == _OK
        finally:
            for col in fixed:  # back to the LP's bounds, or the fixes held against it
                lb, ub = self.held.get(col, (float(self.lp.col_lb[col]), float(self.lp.col_ub[col])))
                self.h.changeColBounds(col, lb, ub)
        if ok:
            self._run()
            ok = self.h.getModelStatus() == _OK
        if not ok:
            self.reset()
            return None
        self.solved = True
        x = np.asarray(self.h.getSolution().col_value, dtype=float)
        x = self._close_loops(x)
        return x, float(self.h.getInfo().objective_function_value), time.perf_counter() - t0

    def solve(self, rules_in_play=()) -> tuple[np.ndarray, float, float]:
        """Solve; return (column values, objective, seconds). Raise on infeasible or failure.

        A first solve uses the configured options; later solves switch to simplex, which
        starts from the previous optimal basis.
        """
        warm = self.solved
        if warm:
            self.set_options(RESOLVE_HIGHS_OPTIONS)
        t0 = time.perf_counter()
        self._reopen()
        self._run()
        status = self.h.getModelStatus()
        if warm and status != _OK and status not in _INFEASIBLE:
            # A warm start from the previous basis can end without a verdict ("Unknown")
            # after large changes; solve once more from scratch with the configured options.
            self.reset()
            self._run()
            status = self.h.getModelStatus()
        check_solver_status(self.h.modelStatusToString(status), rules_in_play=rules_in_play)
        self.solved = True
        x = np.asarray(self.h.getSolution().col_value, dtype=float)
        x = self._close_loops(x, rules_in_play)
        return x, float(self.h.getInfo().objective_function_value), time.perf_counter() - t0
