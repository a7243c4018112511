"""Solve the sizing LP as a Pyomo model with HiGHS (Pyomo's appsi persistent interface).

The Pyomo model is compiled from the one formulation (``greenscen.model.lp.build_lp`` →
``greenscen.model.pyomo_view.to_pyomo``): it is exactly the LP the default backend solves,
with one Pyomo variable per column block (``cap_wind``, ``imp``, ``soc``, ...) and one
constraint per row block (``supply``, ``export_ratio``, ...). A researcher adds their own
Pyomo components to ``model`` and solves; ``set_param`` and ``fix_capacity`` change the
model in place, so added components survive::

    pm = PyomoSizingModel(inputs, params)
    m = pm.model
    m.pv_at_most_wind = pyo.Constraint(expr=m.cap_pv[0] <= m.cap_wind[0])
    sol = pm.solve()

The LP works in thousand yuan (``SCALE``); ``Solution.objective_yuan`` is in yuan and includes
whatever the user added to ``m.obj``.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from greenscen.base.params import SizingParams
from greenscen.errors import InfeasibleError
from greenscen.model.components import capacity_bounds
from greenscen.model.core import (
    Solution,
    capacity_block,
    check_tunable,
    loop_report,
    solution_from_lp,
)
from greenscen.model.hydrogen import LOOP_ROUNDS, burn_fixes
from greenscen.model.lp import build_lp, default_values
from greenscen.model.pyomo_view import column_values, solve_pyomo, to_pyomo, update_pyomo
from greenscen.model.solver import DEFAULT_HIGHS_OPTIONS
from greenscen.model.timegrid import TimeGrid, full_grid
from greenscen.scenario.inputs import ModelInputs


class PyomoSizingModel:
    """The sizing LP as a Pyomo model, solved through appsi-HiGHS (same face as SizingModel)."""

    def __init__(self, inputs: ModelInputs, params: SizingParams, rules_in_play=(),
                 highs_options=None, grid: TimeGrid | None = None):  # fmt: skip
        self.inputs, self.params = inputs, params
        self.rules_in_play = list(rules_in_play)
        self.options = dict(DEFAULT_HIGHS_OPTIONS | (highs_options or {}))
        t0 = time.perf_counter()
        self.grid = grid if grid is not None else full_grid(inputs, params)
        self.values = default_values(params)
        self.lp = build_lp(params, self.grid, self.values)
        t1 = time.perf_counter()
        self.model = to_pyomo(self.lp)
        self._closed_lp = None  # the LP as the last solve closed it against burning energy
        self.timings = {"lp_build_s": t1 - t0, "pyomo_build_s": time.perf_counter() - t1,
                        "build_s": time.perf_counter() - t0}  # fmt: skip

    def set_param(self, name: str, value: float) -> None:
        """Change a tunable parameter for the next solve (the Pyomo model is updated in place)."""
        check_tunable(name, self.values)
        self.values[name] = float(value)
        new = build_lp(self.params, self.grid, self.values)
        update_pyomo(self.model, self.lp, new)
        self.lp = new

    def fix_capacity(self, name: str, value: float | None) -> None:
        """Fix capacity ``name`` (wind, pv, storage_mw, storage_mwh, connection_mw); None frees it."""
        block = capacity_block(name)
        if block not in self.lp.cols:
            raise KeyError(f"no capacity {name!r} in this model")
        var = getattr(self.model, block.replace(":", "_"))[0]
        if value is None:  # optimise it within its bounds, also when the scenario fixed it
            _, lo, hi = capacity_bounds(self.params)[block]
            var.unfix()
            var.setlb(lo)
            var.setub(hi)
        else:
            var.fix(float(value))

    def solve(self) -> Solution:
        """Solve; raise InfeasibleError or SolverError without a usable answer."""
        t0 = time.perf_counter()
        if self._closed_lp is not None:  # the last solve's closures against burning energy
            update_pyomo(self.model, self._closed_lp, self.lp)
            self._closed_lp = None
        rounds, bound, n_closed = 0, None, 0
        try:
            _, obj = solve_pyomo(self.model, self.options)
            x = column_values(self.model)
            for i in range(2 * LOOP_ROUNDS if LOOP_ROUNDS else 0):  # as HighsLP._close_loops (model.hydrogen.burn_fixes)
                cols, rows = burn_fixes(self.lp, x)
                if not (cols.size or rows.size):
                    break
                before = self._closed_lp or self.lp
                if i == LOOP_ROUNDS:  # close every step (see burn_fixes)
                    shut = np.flatnonzero((before.col_ub == 0.0) & (self.lp.col_ub != 0.0))
                    equal = np.flatnonzero(before.row_lb != self.lp.row_lb)
                    cols, rows = burn_fixes(self.lp, x, closed=shut, closed_rows=equal)
                after = replace(before, col_lb=before.col_lb.copy(), col_ub=before.col_ub.copy(),
                                row_lb=before.row_lb.copy())  # fmt: skip
                after.col_lb[cols] = after.col_ub[cols] = 0.0
                after.row_lb[rows] = after.row_ub[rows]
                update_pyomo(self.model, before, after)
                self._closed_lp = after
                bound = obj if bound is None else bound
                rounds, n_closed = rounds + 1, n_closed + cols.size + rows.size
                _, obj = solve_pyomo(self.model, self.options)
                x = column_values(self.model)
        except InfeasibleError as exc:
            raise InfeasibleError(exc.base_message, self.rules_in_play) from None
        solve_s = time.perf_counter() - t0
        sol = solution_from_lp(self.lp, self.grid, x, obj, self.params.storage)
        sol.timings = dict(self.timings, solve_s=solve_s)
        sol.extra = {"backend": "pyomo"}
        if rounds:
            sol.extra["h2_loops"] = loop_report(rounds, n_closed, bound, obj)
        return sol
