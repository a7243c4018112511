"""Fast mode: size on typical days, then dispatch and verify the full year hour by hour.

1. **Sizing** on ``n_periods`` typical days chosen by tsam (hierarchical clustering of the
   daily load and capacity-factor profiles, plus the days of highest load and lowest
   renewable output as their own periods). Each typical day is the mean of its member days,
   so every annual energy is kept exactly; storage is linked across the year's day sequence
   (Kotzur et al. 2018), so multi-day storage is still seen.
2. **Dispatch** of the full year at full resolution with the capacities fixed: the same LP as
   exact mode (``greenscen.model.lp``), every rule a constraint, solved by dual simplex.
3. **Repair** when the dispatch is infeasible (a rule missed on a day no typical day showed):
   the connection capacity may grow; then the sizing is redone on twice as many typical days
   (twice at most); as a last resort the full exact LP is solved. A fast answer is thus
   always a full-year hourly dispatch that meets every rule; the independent compliance check
   of ``greenscen.results.compliance`` then verifies it like any other.

``FastSizingModel`` keeps both LPs in HiGHS, so ``set_param`` and ``solve`` re-solve without
rebuilding and each solve starts from the previous basis.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from greenscen.errors import InfeasibleError
from greenscen.model.core import CAPACITY_COLUMNS, TUNABLE, SizingModel, Solution, solution_from_lp
from greenscen.model.lp import TimeGrid, build_lp, full_grid
from greenscen.model.params import SizingParams
from greenscen.model.solver import HighsLP
from greenscen.scenario.inputs import ModelInputs

DEFAULT_PERIODS = 32
# Dual simplex is the fastest route for the dispatch with fixed capacities (measured, see
# benchmarks/); its optimal basis makes a re-solve after a small change cheap.
DISPATCH_HIGHS_OPTIONS = {"solver": "simplex", "simplex_strategy": 1}
SIZING_HIGHS_OPTIONS = {"solver": "simplex"}
REPAIR_TRIES = 2


def typical_day_grid(inputs: ModelInputs, params: SizingParams, n_periods: int) -> TimeGrid:
    """Return a grid of ``n_periods`` (+2 extreme) typical days, weighted by their day counts."""
    import tsam

    steps = int(round(24 / float(inputs.duration_h.iloc[0])))
    n_days = len(inputs.index) // steps
    load = inputs.total_load_mw.to_numpy(dtype=float)
    data = pd.DataFrame({"load_mw": load}, index=inputs.index)
    for k in inputs.cf.columns:
        data[f"cf:{k}"] = inputs.cf[k].to_numpy(dtype=float)
    extremes = tsam.ExtremeConfig(
        method="append", max_period=["load_mw"], min_period=list(data.columns[1:])
    )
    res = tsam.aggregate(data, min(n_periods, n_days - 3), period_duration=24, extremes=extremes)
    days = np.asarray(res.cluster_assignments, dtype=int)[:n_days]
    used, seq = np.unique(days, return_inverse=True)  # renumber the clusters 0..p-1
    counts = np.bincount(seq, minlength=len(used)).astype(float)

    def typical(values: np.ndarray) -> np.ndarray:
        per_day = values[: n_days * steps].reshape(n_days, steps)
        sums = np.zeros((len(used), steps))
        np.add.at(sums, seq, per_day)
        return (sums / counts[:, None]).ravel()

    n = len(used) * steps
    period = np.repeat(np.arange(len(used)), steps)
    window = period if params.policy.peak_valley_window != "Y" else np.zeros(n, dtype=int)
    return TimeGrid(
        load_mw=typical(load),
        cf={k: typical(inputs.cf[k].to_numpy(dtype=float)) for k in inputs.cf.columns},
        duration_h=typical(inputs.duration_h.to_numpy(dtype=float)),
        weight=np.repeat(counts, steps),
        period=period,
        window=window,
        energy_price=typical(inputs.energy_price_yuan_per_mwh.to_numpy(dtype=float)),
        export_price=typical(inputs.export_price_yuan_per_mwh.to_numpy(dtype=float)),
        sequence=seq,
    )


class FastSizingModel:
    """Typical-day sizing plus full-year dispatch, both kept in HiGHS for re-solves."""

    def __init__(
        self, inputs, params, rules_in_play=(), n_periods: int = DEFAULT_PERIODS, highs_options=None
    ):
        self.inputs, self.params = inputs, params
        self.rules_in_play = list(rules_in_play)
        self.n_periods = n_periods
        t0 = time.perf_counter()
        self.grid = typical_day_grid(inputs, params, n_periods)
        t1 = time.perf_counter()
        self.sizing = SizingModel(
            inputs, params, rules_in_play, SIZING_HIGHS_OPTIONS | (highs_options or {}), self.grid
        )
        t2 = time.perf_counter()
        self.full = full_grid(inputs, params)
        self.values = dict(self.sizing.values)
        self.dispatch_lp = build_lp(params, self.full, self.values)
        self.dispatch = HighsLP(self.dispatch_lp, DISPATCH_HIGHS_OPTIONS)
        self.fixed_by_user: dict[str, float] = {}
        self.timings = {"aggregate_s": t1 - t0, "build_s": time.perf_counter() - t0,
                        "sizing_build_s": t2 - t1, "dispatch_build_s": time.perf_counter() - t2}  # fmt: skip

    def set_param(self, name: str, value: float) -> None:
        """Change a tunable parameter in both the sizing and the dispatch LP."""
        self.sizing.set_param(name, value)
        self.values[name] = float(value)
        self.dispatch_lp = build_lp(self.params, self.full, self.values)
        self.dispatch.update(self.dispatch_lp)

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
        ] + list(CAPACITY_COLUMNS):
            col = CAPACITY_COLUMNS.get(key, f"cap:{key}")
            if col in self.dispatch_lp.cols:
                cols[key] = self.dispatch_lp.cols[col].start
        return cols

    def _dispatch(self, caps: dict[str, float], free: tuple[str, ...] = (), grow_only: bool = True):
        """Solve the full-year dispatch with ``caps`` fixed (those in ``free`` may only grow)."""
        lp = self.dispatch_lp
        for key, col in self._columns().items():
            if key in free and key not in self.fixed_by_user:
                self.dispatch.fix(col, None)
                if grow_only:
                    self.dispatch.h.changeColBounds(col, float(caps[key]), float(lp.col_ub[col]))
            else:
                self.dispatch.fix(col, min(max(caps[key], lp.col_lb[col]), lp.col_ub[col]))
        return self.dispatch.solve(self.rules_in_play)

    def _resize(self, n_periods: int) -> None:
        """Rebuild the sizing LP on ``n_periods`` typical days (a repair step)."""
        self.n_periods = n_periods
        self.grid = typical_day_grid(self.inputs, self.params, n_periods)
        self.sizing = SizingModel(
            self.inputs, self.params, self.rules_in_play, SIZING_HIGHS_OPTIONS, self.grid
        )
        for name, value in self.values.items():
            if self.sizing.values.get(name) != value:
                self.sizing.set_param(name, value)
        for name, value in self.fixed_by_user.items():
            self.sizing.fix_capacity(name, value)

    def _try_dispatch(self, caps, free=()):
        try:
            return self._dispatch(caps, free)
        except InfeasibleError:
            return None

    def solve(self) -> tuple[Solution, dict]:
        """Size on typical days, dispatch and repair on the full year; return (Solution, extra).

        Repair ladder when the dispatch of the sized capacities is infeasible: let the
        connection capacity grow; re-size on twice as many typical days (up to
        ``REPAIR_TRIES`` times); solve the exact LP.
        """
        t0 = time.perf_counter()
        sized = self.sizing.solve()
        t1 = time.perf_counter()
        steps: list[str] = []
        grow = ("connection_mw",) if self.params.grid is not None else ()
        out = self._try_dispatch(sized.capacities)
        for i in range(REPAIR_TRIES + 1):
            if out is not None:
                break
            if grow:
                steps.append(f"connection may grow ({self.n_periods} periods)")
                out = self._try_dispatch(sized.capacities, grow)
            if out is None and i < REPAIR_TRIES:
                steps.append(f"re-size on {2 * self.n_periods} periods")
                self._resize(2 * self.n_periods)
                sized = self.sizing.solve()
                out = self._try_dispatch(sized.capacities)
        if out is None:  # last resort: the exact LP (raises InfeasibleError if there is none)
            steps.append("exact")
            self.dispatch._apply({"solver": "ipm", "run_crossover": "on"})
            self.dispatch.solved = False
            out = self._dispatch(sized.capacities, free=tuple(self._columns()), grow_only=False)
            self.dispatch._apply(DISPATCH_HIGHS_OPTIONS)
        x, obj, _ = out
        t2 = time.perf_counter()
        sol = solution_from_lp(self.dispatch_lp, self.full, x, obj)
        sol.timings = dict(self.timings, sizing_s=t1 - t0, dispatch_s=t2 - t1, solve_s=t2 - t0)
        extra = {
            "fast": {
                "periods": int(self.grid.period.max()) + 1,
                "requested_periods": self.n_periods,
                "repair_steps": steps,
                "sizing_objective_yuan": sized.objective_yuan,
                "sizing_capacities": sized.capacities,
                "timings": dict(sol.timings),
            }
        }
        return sol, extra


def solve_fast(
    inputs: ModelInputs, params: SizingParams, rules, n_periods: int = DEFAULT_PERIODS
) -> tuple[Solution, dict]:
    """Return the fast-mode Solution (full-year dispatch) and its ``extra`` facts."""
    names = [r.describe() for r in rules.rules] if hasattr(rules, "rules") else list(rules)
    return FastSizingModel(inputs, params, names, n_periods).solve()


__all__ = ["FastSizingModel", "TUNABLE", "solve_fast", "typical_day_grid"]
