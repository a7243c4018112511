"""Solve the canonical Pyomo model itself with HiGHS (Pyomo's appsi persistent interface).

``SizingModel`` (the default backend) solves the same LP built in bulk as arrays, which is
~100x cheaper to build; this backend is for users who want to inspect, extend or export the
Pyomo model and solve exactly what they see. Both offer the same face: ``set_param`` changes
a mutable Pyomo parameter, ``fix_capacity`` fixes a variable, and ``solve`` re-solves the
persistent HiGHS instance without rebuilding. ``tests/model`` checks both give the same optimum.
"""

from __future__ import annotations

import time

import numpy as np
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers import Highs

from greenscen.errors import SolverError
from greenscen.model.core import TUNABLE, Solution, build_model
from greenscen.model.objective import SCALE
from greenscen.model.params import SizingParams
from greenscen.model.solver import DEFAULT_HIGHS_OPTIONS, no_feasible_design
from greenscen.scenario.inputs import ModelInputs

_CAPACITY_VARS = {"storage_mw": "sto_p", "storage_mwh": "sto_e", "connection_mw": "conn"}


def _values(var, n: int) -> np.ndarray:
    vals = var.extract_values()
    return np.fromiter((vals[t] or 0.0 for t in range(n)), dtype=float, count=n)


class PyomoSizingModel:
    """The Pyomo sizing model and its persistent appsi-HiGHS solver (same API as SizingModel)."""

    def __init__(self, inputs: ModelInputs, params: SizingParams, rules_in_play=(), highs_options=None):
        self.inputs = inputs
        self.params = params
        self.rules_in_play = list(rules_in_play)
        t0 = time.perf_counter()
        self.model = build_model(inputs, params)
        t1 = time.perf_counter()
        self.solver = Highs()
        self.solver.config.load_solution = False
        self.solver.config.stream_solver = False
        self.solver.highs_options = dict(DEFAULT_HIGHS_OPTIONS | (highs_options or {}))
        self.solver.set_instance(self.model)
        t2 = time.perf_counter()
        self.timings = {"pyomo_build_s": t1 - t0, "transfer_s": t2 - t1, "build_s": t2 - t0}

    def set_param(self, name: str, value: float) -> None:
        """Change a mutable Pyomo parameter (see ``TUNABLE``) for the next solve."""
        if name not in TUNABLE:
            raise KeyError(f"unknown parameter {name!r}; tunable: {sorted(TUNABLE)}")
        attr, idx = TUNABLE[name]
        comp = getattr(self.model, attr, None)
        if comp is None:
            raise KeyError(f"parameter {name!r} is not part of this model (its rule is not in force)")
        (comp[idx] if idx is not None else comp).set_value(value)

    def fix_capacity(self, name: str, value: float | None) -> None:
        """Fix capacity ``name`` (wind, pv, storage_mw, storage_mwh, connection_mw); None frees it."""
        m = self.model
        var = _CAPACITY_VARS.get(name)
        if var is None:
            comp = m.cap[name] if name in m.K else None
        else:
            comp = getattr(m, var, None)
        if comp is None:
            raise KeyError(f"no capacity {name!r} in this model")
        comp.unfix() if value is None else comp.fix(value)

    def solve(self) -> Solution:
        """Solve (or re-solve); raise InfeasibleError or SolverError without a usable answer."""
        t0 = time.perf_counter()
        res = self.solver.solve(self.model)
        solve_s = time.perf_counter() - t0
        tc = res.termination_condition
        if tc in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
            raise no_feasible_design(self.rules_in_play)
        if tc != TerminationCondition.optimal:
            raise SolverError(f"HiGHS stopped without an optimal solution: {tc}")
        res.solution_loader.load_vars()
        return self._extract(solve_s)

    def _extract(self, solve_s: float) -> Solution:
        m = self.model
        n = len(m.dt)
        caps = {k: float(pyo.value(m.cap[k])) for k in m.K}
        caps["storage_mw"] = float(pyo.value(m.sto_p)) if m.has_storage else 0.0
        caps["storage_mwh"] = float(pyo.value(m.sto_e)) if m.has_storage else 0.0
        caps["connection_mw"] = float(pyo.value(m.conn)) if m.has_grid else 0.0
        zeros = np.zeros(n)
        arrays = {
            "curtailed_mw": _values(m.curt, n),
            "charge_mw": _values(m.ch, n) if m.has_storage else zeros,
            "discharge_mw": _values(m.dis, n) if m.has_storage else zeros,
            "soc_mwh": _values(m.soc, n) if m.has_storage else zeros,
            "import_mw": _values(m.imp, n) if m.has_grid else zeros,
            "export_mw": _values(m.exp, n) if m.has_export else zeros,
        }
        if m.grid_charging:
            arrays["charge_grid_mw"] = _values(m.ch_g, n)
            arrays["discharge_grid_mw"] = _values(m.dis_g, n)
            arrays["soc_grid_mwh"] = _values(m.soc_g, n)
        return Solution(
            capacities=caps,
            arrays=arrays,
            objective_yuan=float(pyo.value(m.obj)) / SCALE,
            timings=dict(self.timings, solve_s=solve_s),
            termination="optimal",
        )
