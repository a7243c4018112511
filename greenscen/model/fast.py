"""Fast mode: size on typical days, then dispatch and verify the full year hour by hour.

1. **Sizing** on ``n_periods`` typical days chosen by tsam (hierarchical clustering of the
   daily load and capacity-factor profiles, plus the days of highest load and lowest
   renewable output as their own periods). Each typical day is the mean of its member days,
   so every annual energy is kept exactly; storage is linked across the year's day sequence
   (Kotzur et al. 2018), so multi-day storage is still seen.
2. **Dispatch** of the full year at full resolution with the capacities fixed: the same LP as exact mode (``greenscen.model.lp``) made *elastic*, each row
   that fixed capacities can make infeasible given a heavily priced slack. It is always
   feasible, so it solves in about the time of a feasible dispatch, where proving a plain
   dispatch infeasible took HiGHS 10-80 s.
3. **Repair** when a slack is positive (a rule missed on a day no typical day showed): the days
   with slack become typical days of their own (weight 1, taken out of their cluster, so the
   annual energies stay exact) and an annual rule missed by some MWh is tightened by that much
   in the sizing; re-size, re-dispatch, up to ``REPAIR_ROUNDS`` times; as a last resort the full
   exact LP is solved. Only a dispatch with every slack at zero is returned, so a fast answer is
   always a full-year hourly dispatch that meets every rule; the independent compliance check
   of ``greenscen.results.compliance`` then verifies it like any other.

``FastSizingModel`` keeps the typical-day sizing LP and the full-year dispatch LP in HiGHS, so
``set_param`` and ``solve`` re-solve without rebuilding and start from the previous basis. A
repair builds a separate sizing LP for that solve only: the next ``solve`` starts again from
the ``n_periods`` typical days, so one hard change does not slow down later ones; only the
annual-rule margins the last repair needed are kept as the next solve's starting point.
"""

from __future__ import annotations

import time

import highspy
import numpy as np

from greenscen.base.params import SizingParams
from greenscen.errors import InfeasibleError, Interrupted, ScenarioError, SolverError
from greenscen.model.core import (
    CAPACITY_BLOCKS,
    SizingModel,
    Solution,
    capacity_block,
    solution_from_lp,
)
from greenscen.model.linear import LinearProgram
from greenscen.model.lp import build_lp
from greenscen.model.solver import HighsLP
from greenscen.model.timegrid import full_grid
from greenscen.model.typical_days import (  # noqa: F401 (typical_day_grid re-exported)
    cluster_days,
    steps_per_day,
    typical_day_grid,
)
from greenscen.rules.registry import ANNUAL_ROWS
from greenscen.scenario.inputs import ModelInputs

DEFAULT_PERIODS = 32
# Dual simplex is the fastest route for the dispatch with fixed capacities (measured, see
# benchmarks/); its optimal basis makes a re-solve after a small change cheap.
DISPATCH_HIGHS_OPTIONS = {"solver": "simplex", "simplex_strategy": 1}
SIZING_HIGHS_OPTIONS = {"solver": "simplex"}
REPAIR_ROUNDS = 4
# A slack below this (MW per step, MWh per year per MWh of load) is solver noise, not a miss.
SLACK_TOL = 1e-6
# An annual rule missed by m MWh is tightened in the sizing by GAIN·m + MIN·load; the miss
# shrinks ~10x per round on the default scenario (measured). The connection stays fixed in the
# dispatch: letting it grow there hid the miss behind a costly connection (+3% objective).
MARGIN_GAIN = 1.0
MARGIN_MIN = 1e-5
# The longest run of days before a missed day made typical with it in one round
# (two weeks, a choice: a longer calm spell keeps its earlier days averaged, and the next
# round or the exact fallback takes them).
MAX_RUN_DAYS = 14


def slack_misses(lp: LinearProgram, x: np.ndarray, steps: int, load_mwh: float) -> dict:
    """Return where the elastic dispatch ``x`` misses: days (worst first) and annual rows (MWh).

    A day misses when some step of it needs supply slack, or when its peak-valley window needs
    slack (the days of that window's highest and lowest exchange then count).
    """
    day_slack: dict[int, float] = {}
    if "slack:supply" in lp.cols:
        s = x[lp.cols["slack:supply"]]
        for t in np.flatnonzero(s > SLACK_TOL):
            day_slack[t // steps] = day_slack.get(t // steps, 0.0) + float(s[t])
    if "slack:pv_rate" in lp.cols:
        s = x[lp.cols["slack:pv_rate"]]
        p = x[lp.cols["imp"]] - (x[lp.cols["exp"]] if "exp" in lp.cols else 0.0)
        # each window's steps: the rows p_le_max tie step t to the column p_max[window[t]]
        rows = lp.A[lp.rows["p_le_max"]]
        pmax = lp.cols["p_max"]
        window = rows[:, pmax.start : pmax.stop].tocsr().indices
        for w in np.flatnonzero(s > SLACK_TOL):
            t = np.flatnonzero(window == w)
            for day in {t[np.argmax(p[t])] // steps, t[np.argmin(p[t])] // steps}:
                day_slack[day] = day_slack.get(day, 0.0) + float(s[w])
    annual = {}
    for row in ANNUAL_ROWS:
        col = lp.cols.get(f"slack:{row}")
        if col is not None and x[col.start] > SLACK_TOL * load_mwh:
            annual[row] = float(x[col.start])
    days = sorted(day_slack, key=day_slack.get, reverse=True)
    return {"days": [int(d) for d in days], "annual_mwh": annual}


def _days_to_add(missed: list[int], typical: list[int], n_days: int) -> list[int]:
    """Return the days to make typical in one round: every missed day and the run of days
    before it back to the previous typical day, at most ``MAX_RUN_DAYS`` of them.

    A day that misses ran short after a run of days the typical days made look better than
    they were (a windless week drains the storage). Adding those days one per round (0.1)
    made each round's sizing dearer (the storage had to carry the missed day from a state of
    charge the other, still averaged, days of the run set) while the next day of the run
    missed in turn: the repair paid without converging and ended in the exact fallback. With
    the run typical the sizing sees it as it is. The run is capped: walking back to "the
    previous typical day" when there is none made every day of the year typical (a 365-day
    sizing, slower than exact mode: 401 s variants in a study of the default scenario).
    """
    new = [d for d in dict.fromkeys(missed) if d not in typical]
    known = set(typical) | set(new)
    for d in dict.fromkeys(missed):
        prev, run = (d - 1) % n_days, 0
        while prev not in known and run < MAX_RUN_DAYS:
            new.append(prev)
            known.add(prev)
            prev, run = (prev - 1) % n_days, run + 1
    return new


class FastSizingModel:
    """Typical-day sizing plus full-year dispatch, both kept in HiGHS for re-solves."""

    def __init__(
        self, inputs, params, rules_in_play=(), n_periods: int = DEFAULT_PERIODS, highs_options=None
    ):
        self.inputs, self.params = inputs, params
        self._rules_in_play = list(rules_in_play)
        self.n_periods = n_periods
        self.sizing_options = SIZING_HIGHS_OPTIONS | (highs_options or {})
        t0 = time.perf_counter()
        self.days = cluster_days(inputs, n_periods)
        self.grid = typical_day_grid(inputs, params, n_periods, days=self.days)
        t1 = time.perf_counter()
        self.sizing = SizingModel(inputs, params, rules_in_play, self.sizing_options, self.grid)
        t2 = time.perf_counter()
        self.full = full_grid(inputs, params)
        self.values = dict(self.sizing.values)
        self.dispatch_lp = build_lp(params, self.full, self.values, elastic=True)
        self.dispatch = HighsLP(self.dispatch_lp, DISPATCH_HIGHS_OPTIONS)
        self.slack_cols = np.concatenate(
            [np.arange(s.start, s.stop) for k, s in self.dispatch_lp.cols.items()
             if k.startswith("slack:")] or [np.zeros(0, dtype=int)]
        ).astype(np.int32)  # fmt: skip
        self.fixed_by_user: dict[str, float] = {}
        self._cancelled = False
        # Annual rows tightened in the sizing by the last solve's repair (MWh). The next solve
        # starts from them: a design that missed its self-consumption by some MWh will likely
        # miss it again after a change of a cost. The typical days themselves are not carried.
        self.margins: dict[str, float] = {}
        self.timings = {"aggregate_s": t1 - t0, "build_s": time.perf_counter() - t0,
                        "sizing_build_s": t2 - t1, "dispatch_build_s": time.perf_counter() - t2}  # fmt: skip

    def set_param(self, name: str, value: float) -> None:
        """Change a tunable parameter in both the sizing and the dispatch LP."""
        self.sizing.set_param(name, value)
        self.values[name] = float(value)
        self.dispatch_lp = build_lp(self.params, self.full, self.values, elastic=True)
        self.dispatch.update(self.dispatch_lp)

    @property
    def rules_in_play(self) -> list[str]:
        """The rules an infeasibility message lists (kept in step with the sizing model)."""
        return self._rules_in_play

    @rules_in_play.setter
    def rules_in_play(self, rules: list[str]) -> None:
        self._rules_in_play = list(rules)
        if hasattr(self, "sizing"):
            self.sizing.rules_in_play = list(rules)

    def _check_cancelled(self) -> None:
        if self._cancelled:
            raise Interrupted("the solve was cancelled")

    def cancel(self) -> None:
        """Stop a solve running in another thread (it raises Interrupted)."""
        self._cancelled = True
        self.sizing.cancel()
        self.dispatch.cancel()

    def fix_capacity(self, name: str, value: float | None) -> None:
        """Fix a capacity (wind, pv, storage_mw, storage_mwh, connection_mw); None frees it."""
        self.sizing.fix_capacity(name, value)
        if value is None:
            self.fixed_by_user.pop(name, None)
        else:
            self.fixed_by_user[name] = float(value)

    def _columns(self) -> dict[str, int]:
        cols = {}
        for key in [
            k.split(":", 1)[1] for k in self.dispatch_lp.cols if k.startswith("cap:")
        ] + list(CAPACITY_BLOCKS):
            col = capacity_block(key)
            if col in self.dispatch_lp.cols:
                cols[key] = self.dispatch_lp.cols[col].start
        return cols

    def _set_elastic(self, elastic: bool, caps: dict[str, float], conn_ub: float) -> None:
        """Open the slack columns (``elastic``) or close them all (a plain dispatch).

        A step's supply slack may only cover what no dispatch could: the load above the
        renewables available and the most the grid can bring in. Elsewhere it is closed, so
        presolve drops it: with 8760 supply slacks open, dual simplex took 5-10 s instead of 1.
        """
        n = self.slack_cols.size
        if not n:
            return
        lp, ub = self.dispatch_lp, np.full(n, np.inf if elastic else 0.0)
        if elastic and "slack:supply" in lp.cols:
            avail = sum(self.full.cf[k] * caps.get(k, 0.0) for k in self.full.cf)
            room = np.zeros(self.full.n)
            if "imp" in lp.cols:
                room = lp.col_ub[lp.cols["imp"]]
                if "imp_le_conn" in lp.rows:
                    room = np.minimum(room, conn_ub)
            s = lp.cols["slack:supply"]
            i = np.searchsorted(self.slack_cols, s.start)
            ub[i : i + s.stop - s.start] = np.maximum(self.full.load_mw - avail - room, 0.0)
        self.dispatch.set_col_bounds(self.slack_cols, np.zeros(n), ub)

    def _dispatch(self, caps: dict[str, float], free=(), grow_only: bool = True, elastic=True):
        """Solve the full-year dispatch with ``caps`` fixed (those in ``free`` may only grow)."""
        lp = self.dispatch_lp
        conn_ub = caps.get("connection_mw", 0.0)
        for key, col in self._columns().items():
            if key in free and key not in self.fixed_by_user:
                self.dispatch.fix(col, None)
                if grow_only:
                    lb = min(max(caps[key], lp.col_lb[col]), lp.col_ub[col])
                    self.dispatch.set_col_bounds([col], [lb], [lp.col_ub[col]])
                if key == "connection_mw":
                    conn_ub = float(lp.col_ub[col])
            else:
                self.dispatch.fix(col, min(max(caps[key], lp.col_lb[col]), lp.col_ub[col]))
        self._set_elastic(elastic, caps, conn_ub)
        return self.dispatch.solve(self.rules_in_play)

    def _repair_sizing(self, extra_days, margins: dict[str, float]) -> SizingModel:
        """Return a sizing LP whose typical days include ``extra_days`` and whose annual rule
        rows are tightened by ``margins`` (MWh per row)."""
        grid = typical_day_grid(self.inputs, self.params, self.n_periods, extra_days, self.days)
        sm = SizingModel(self.inputs, self.params, self.rules_in_play, self.sizing_options, grid)
        for name, value in self.values.items():
            if sm.values.get(name) != value:
                sm.set_param(name, value)
        for name, value in self.fixed_by_user.items():
            sm.fix_capacity(name, value)
        for row, mwh in margins.items():
            sm.tighten_row(row, mwh)
        return sm

    def solve(self) -> Solution:
        """Size on typical days, dispatch and repair on the full year; return the Solution.

        ``Solution.extra["fast"]`` reports the periods, repair steps and sizing objective.

        Repair while the elastic full-year dispatch needs slack: the days with slack become
        typical days and the annual rows missed are tightened by the missing MWh, re-size,
        re-dispatch (up to ``REPAIR_ROUNDS`` times); then solve the exact LP.
        """
        t0 = time.perf_counter()
        self._cancelled = False
        margins, sm = dict(self.margins), self.sizing
        if margins:  # start from the margins the last solve needed: one dispatch, not two
            try:
                sm = self._repair_sizing([], margins)
                sized = sm.solve()
            except InfeasibleError:
                margins, sm = {}, self.sizing
        if sm is self.sizing:
            sized = sm.solve()
        t1 = time.perf_counter()
        steps: list[str] = []
        log: list[tuple] = [("sizing", t1 - t0)]
        per_day, load_mwh = steps_per_day(self.inputs), self.full.load_mwh  # per year, as the rows
        extra_days: list[int] = []
        periods = int(sm.grid.period.max()) + 1
        out = None
        for i in range(REPAIR_ROUNDS + 1):
            self._check_cancelled()
            out = self._dispatch(sized.capacities)
            log.append(("dispatch", out[2], self.dispatch.simplex_iterations))
            miss = slack_misses(self.dispatch_lp, out[0], per_day, load_mwh)
            if not miss["days"] and not miss["annual_mwh"]:
                break
            new_days = _days_to_add(miss["days"], extra_days, len(self.days))
            for row, mwh in miss["annual_mwh"].items():
                gain = MARGIN_GAIN * 2**i  # a miss that does not shrink is pushed harder
                margins[row] = margins.get(row, 0.0) + gain * mwh + MARGIN_MIN * load_mwh
            out = None
            if i == REPAIR_ROUNDS or not (new_days or miss["annual_mwh"]):
                break
            extra_days += new_days
            steps.append(
                f"re-size: {len(new_days)} more typical days, annual rows tightened "
                + (", ".join(f"{k} {v:,.0f} MWh" for k, v in margins.items()) or "none")
            )
            try:
                sm = self._repair_sizing(extra_days, margins)
                sized = sm.solve()
                log.append(("sizing", sized.timings["solve_s"]))
            except InfeasibleError:
                break
            periods = int(sm.grid.period.max()) + 1
        if out is not None:
            self.margins = margins
        if out is not None and np.any(out[0][self.slack_cols] != 0.0):
            try:  # every slack is within noise: drop them for a dispatch that has none
                out = self._dispatch(sized.capacities, elastic=False)
                log.append(("strict", out[2]))
            except InfeasibleError:
                out = None
        self._check_cancelled()
        if out is None:  # last resort: the exact LP (raises InfeasibleError if there is none)
            steps.append("exact")
            self.dispatch.reset({"solver": "ipm", "run_crossover": "on"})
            try:
                out = self._dispatch(
                    sized.capacities, tuple(self._columns()), grow_only=False, elastic=False
                )
            finally:
                self.dispatch.set_options(DISPATCH_HIGHS_OPTIONS)
        x, obj, _ = out
        # Cannot happen: each path above ends with every slack zero or fixed at zero (where
        # the solver may leave values within its feasibility tolerance, ~1e-9).
        if np.any(x[self.slack_cols] > SLACK_TOL):
            raise SolverError("fast mode ended with a dispatch that needs slack")
        t2 = time.perf_counter()
        sol = solution_from_lp(self.dispatch_lp, self.full, x, obj, self.params.storage)
        sol.timings = dict(self.timings, sizing_s=t1 - t0, dispatch_s=t2 - t1, solve_s=t2 - t0)
        sol.extra = {
            "fast": {
                "periods": periods,
                "requested_periods": self.n_periods,
                "repair_steps": steps,
                "repair_days": sorted(extra_days),
                "solves": [(k, round(v, 3), *r) for k, v, *r in log],
                "sizing_objective_yuan": sized.objective_yuan,
                "sizing_capacities": sized.capacities,
                "timings": dict(sol.timings),
            }
        }
        return sol


def exact_start(exact: SizingModel, n_periods: int = DEFAULT_PERIODS) -> tuple[dict, dict] | None:
    """Solve fast mode for the exact model ``exact`` and return a start for its first solve.

    Returns (start, info): ``start`` for :meth:`HighsLP.warm_solve` (fast mode's full-year
    dispatch basis mapped onto the exact LP's columns, with its capacities to fix), ``info``
    its timings; or None when fast mode cannot give one (a horizon too short for typical
    days, no feasible sizing, an LP of another shape), and exact mode then solves cold.
    """
    try:
        fm = FastSizingModel(exact.inputs, exact.params, exact.rules_in_play, n_periods)
    except ScenarioError:
        return None
    for name, value in exact.values.items():
        if fm.values.get(name) != value:
            fm.set_param(name, value)
    for name, value in exact.fixed.items():
        fm.fix_capacity(name, value)
    exact.highs.on_cancel = fm.cancel  # exact.cancel() now stops fast mode's solves
    try:
        if exact.highs.cancel_requested:
            raise Interrupted("the solve was cancelled")
        sol = fm.solve()
    except (InfeasibleError, SolverError):
        return None
    finally:
        exact.highs.on_cancel = None
    lp, dlp = exact.lp, fm.dispatch_lp
    if lp.rows != dlp.rows or any(k not in dlp.cols for k in lp.cols):
        return None
    to_dispatch = np.empty(lp.A.shape[1], dtype=np.int64)
    for k, s in lp.cols.items():
        d = dlp.cols[k]
        if d.stop - d.start != s.stop - s.start:
            return None
        to_dispatch[s] = np.arange(d.start, d.stop)
    if not np.array_equal(lp.c, dlp.c[to_dispatch]):
        return None
    basis = fm.dispatch.h.getBasis()
    all_cols, row_status = list(basis.col_status), list(basis.row_status)  # one copy each
    col_status = [all_cols[i] for i in to_dispatch]
    basic = highspy.HighsBasisStatus.kBasic
    n_basic = sum(st == basic for st in col_status) + sum(st == basic for st in row_status)
    if not basis.valid or n_basic != lp.A.shape[0]:  # a slack column was basic
        return None
    x = np.asarray(fm.dispatch.h.getSolution().col_value, dtype=float)
    fixed = {lp.cols[capacity_block(k)].start: x[dlp.cols[capacity_block(k)].start]
             for k in sol.capacities if capacity_block(k) in lp.cols}  # fmt: skip
    start = {"col_status": col_status, "row_status": row_status, "fixed": fixed}
    info = {"fast_s": sol.timings["solve_s"] + fm.timings["build_s"],
            "fast_objective_yuan": sol.objective_yuan,
            "fast_repair_steps": sol.extra["fast"]["repair_steps"]}  # fmt: skip
    return start, info


def solve_fast(
    inputs: ModelInputs, params: SizingParams, rules, n_periods: int = DEFAULT_PERIODS
) -> Solution:
    """Return the fast-mode Solution (full-year dispatch; ``extra["fast"]`` tells how)."""
    names = [r.describe() for r in rules.rules] if hasattr(rules, "rules") else list(rules)
    return FastSizingModel(inputs, params, names, n_periods).solve()


__all__ = ["FastSizingModel", "exact_start", "slack_misses", "solve_fast", "typical_day_grid"]
