"""Build a sizing model from its blocks and solve it with HiGHS (through Pyomo's appsi).

``SizingModel`` keeps the Pyomo model and a persistent HiGHS instance together, so changing
a mutable parameter (a cost, a rule limit) or fixing a capacity and solving again does not
rebuild anything: only the changed coefficients are sent to HiGHS.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.contrib.appsi.base import TerminationCondition
from pyomo.contrib.appsi.solvers import Highs

from greenscen.errors import InfeasibleError, SolverError
from greenscen.model.grid import add_grid_exchange, exp, imp
from greenscen.model.objective import SCALE, add_objective, annual_cost_expr
from greenscen.model.params import SizingParams
from greenscen.model.policy import (
    add_export_rules,
    add_hydrogen_cap,
    add_peak_valley_limit,
    add_self_consumption,
    add_utilisation,
    self_consumption_mwh,
)
from greenscen.model.renewables import add_renewables
from greenscen.model.storage import add_storage, flows
from greenscen.scenario.inputs import ModelInputs

# HiGHS options chosen by measurement on the full-year default scenario (see benchmarks/).
DEFAULT_HIGHS_OPTIONS = {"solver": "ipm", "run_crossover": "on", "presolve": "on"}

# Mutable parameters a user may change between solves: name -> (model attribute, index).
TUNABLE = {
    "wind_cost_yuan_per_mw_year": ("cost_cap", "wind"),
    "pv_cost_yuan_per_mw_year": ("cost_cap", "pv"),
    "storage_power_cost_yuan_per_mw_year": ("cost_sto_p", None),
    "storage_energy_cost_yuan_per_mwh_year": ("cost_sto_e", None),
    "connection_cost_yuan_per_mw_year": ("cost_conn", None),
    "td_charge_yuan_per_mwh": ("td_charge", None),
    "export_price_scale": ("export_price_scale", None),
    "hydrogen_max_ratio": ("h2_max_ratio", None),
    "export_max_ratio": ("export_max_ratio", None),
    "self_consumption_min": ("sc_min", None),
    "peak_valley_limit": ("pv_limit", None),
    "utilisation_min": ("util_min", None),
}


@dataclass
class Solution:
    """Raw solved values: capacities (MW, MWh), per-step arrays and the objective (yuan/yr)."""

    capacities: dict[str, float]
    arrays: dict[str, np.ndarray]
    objective_yuan: float
    timings: dict[str, float] = field(default_factory=dict)
    termination: str = ""


def add_energy_balance(m: pyo.ConcreteModel) -> None:
    """avail − curt − ch + dis + imp − exp = load, every step (MW)."""

    def balance(_m, t):
        ch, dis, _, _ = flows(_m, t)
        return _m.avail[t] - _m.curt[t] - ch + dis + imp(_m, t) - exp(_m, t) == _m.load[t]

    m.balance = pyo.Constraint(m.T, rule=balance)


def add_green_charging(m: pyo.ConcreteModel) -> None:
    """Storage charges from the project's own renewables: ch[t] − ch_g[t] <= avail[t] − curt[t].

    SPEC A 五(五): energy released from storage counts as green only when it was charged from
    the project's renewables; the grid-origin part (``ch_g``) exists only with grid charging.
    Without this, charging and discharging at once could pass grid energy through storage.
    """
    if not m.has_storage:
        return

    def green(_m, t):
        ch, _, ch_g, _ = flows(_m, t)
        return ch - ch_g <= _m.avail[t] - _m.curt[t]

    m.green_charging = pyo.Constraint(m.T, rule=green)


def build_model(inputs: ModelInputs, params: SizingParams) -> pyo.ConcreteModel:
    """Return the Pyomo sizing model: blocks for renewables, storage, grid, rules, objective."""
    m = pyo.ConcreteModel(name="greenscen_sizing")
    n = len(inputs.index)
    m.T = pyo.RangeSet(0, n - 1)
    m.dt = inputs.duration_h.to_numpy(dtype=float)
    m.load = inputs.total_load_mw.to_numpy(dtype=float)
    m.load_mwh = float((m.load * m.dt).sum())
    add_renewables(m, inputs, params)
    add_storage(m, params)
    add_grid_exchange(m, inputs, params)
    add_energy_balance(m)
    add_green_charging(m)
    m.sc_mwh = pyo.Expression(expr=self_consumption_mwh(m))
    p = params.policy
    add_hydrogen_cap(m, p)
    add_export_rules(m, p)
    add_self_consumption(m, p)
    add_peak_valley_limit(m, p, inputs.index)
    add_utilisation(m, p)
    add_objective(m)
    return m


def _values(var, n: int) -> np.ndarray:
    vals = var.extract_values()
    return np.fromiter((vals[t] or 0.0 for t in range(n)), dtype=float, count=n)


class SizingModel:
    """A built model plus its persistent solver; re-solve after ``set_param`` without rebuild."""

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
        """Change a tunable parameter (see ``TUNABLE``) for the next solve."""
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
        var = {"storage_mw": "sto_p", "storage_mwh": "sto_e", "connection_mw": "conn"}.get(name)
        comp = m.cap[name] if var is None and name in m.K else getattr(m, var, None) if var else None
        if comp is None:
            raise KeyError(f"no capacity {name!r} in this model")
        if value is None:
            comp.unfix()
        else:
            comp.fix(value)

    def solve(self) -> Solution:
        """Solve (or re-solve) and return the values; raise InfeasibleError/SolverError otherwise."""
        t0 = time.perf_counter()
        res = self.solver.solve(self.model)
        solve_s = time.perf_counter() - t0
        tc = res.termination_condition
        if tc in (TerminationCondition.infeasible, TerminationCondition.infeasibleOrUnbounded):
            raise InfeasibleError(
                "the scenario has no feasible design: the rules in play cannot all be met "
                "with the given technologies, capacities and bounds",
                self.rules_in_play,
            )
        if tc != TerminationCondition.optimal:
            raise SolverError(f"HiGHS stopped without an optimal solution: {tc}")
        res.solution_loader.load_vars()
        return self._extract(tc, solve_s)

    def _extract(self, tc, solve_s: float) -> Solution:
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
        timings = dict(self.timings, solve_s=solve_s)
        return Solution(
            capacities=caps,
            arrays=arrays,
            objective_yuan=float(pyo.value(m.obj)) / SCALE,
            timings=timings,
            termination=str(tc),
        )


def annual_cost_yuan(m: pyo.ConcreteModel) -> float:
    """Return the solved model's yearly cost in yuan (for cross-checks)."""
    return float(pyo.value(annual_cost_expr(m)))


def hourly_frame(inputs: ModelInputs, sol: Solution) -> pd.DataFrame:
    """Return the hourly dispatch table (the public ``hourly.csv`` columns) of a solution."""
    idx = inputs.index
    df = pd.DataFrame(index=idx)
    df["duration_h"] = inputs.duration_h.to_numpy()
    df["load_mw"] = inputs.total_load_mw.to_numpy()
    for user in inputs.load_mw.columns:
        df[f"load_mw:{user}"] = inputs.load_mw[user].to_numpy()
    avail = np.zeros(len(idx))
    for k in inputs.cf.columns:
        df[f"cf:{k}"] = inputs.cf[k].to_numpy()
    for k in inputs.cf.columns:
        a = inputs.cf[k].to_numpy() * sol.capacities.get(k, 0.0)
        df[f"available_mw:{k}"] = a
        avail = avail + a
    df["available_mw"] = avail
    for name, arr in sol.arrays.items():
        df[name] = arr
    return df
