"""The sizing model: its canonical Pyomo formulation and the solver-facing ``SizingModel``.

``build_model`` builds the Pyomo model from its blocks (one per technology and rule family);
it is the readable statement of the LP. ``SizingModel`` solves the same LP, built in bulk as
arrays (``greenscen.model.lp``) and held by a persistent HiGHS instance
(``greenscen.model.solver``), so changing a mutable parameter (a cost, a rule limit) or fixing a
capacity and solving again does not rebuild anything. ``tests/model`` checks that both give the
same optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyomo.environ as pyo

from greenscen.model.grid import add_grid_exchange, exp, imp
from greenscen.model.lp import LinearProgram, TimeGrid, build_lp, default_values, full_grid
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
from greenscen.model.solver import DEFAULT_HIGHS_OPTIONS, HighsLP  # noqa: F401 (re-exported)
from greenscen.model.storage import add_storage, flows
from greenscen.scenario.inputs import ModelInputs

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
    "available_max_ratio": ("avail_max_ratio", None),
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


class SizingModel:
    """The sizing LP of a scenario held in a persistent HiGHS instance.

    The LP is the one of :func:`build_model`, built in bulk (``greenscen.model.lp``) and passed
    to highspy in one call. ``set_param`` and ``fix_capacity`` change it in place, so a
    re-solve does not rebuild anything and starts from the previous basis.
    """

    def __init__(
        self,
        inputs: ModelInputs,
        params: SizingParams,
        rules_in_play=(),
        highs_options=None,
        grid=None,
    ):
        self.inputs = inputs
        self.params = params
        self.rules_in_play = list(rules_in_play)
        t0 = time.perf_counter()
        self.grid = grid if grid is not None else full_grid(inputs, params)
        self.values = default_values(params)
        self.lp = build_lp(params, self.grid, self.values)
        t1 = time.perf_counter()
        self.highs = HighsLP(self.lp, highs_options)
        t2 = time.perf_counter()
        self.timings = {"lp_build_s": t1 - t0, "transfer_s": t2 - t1, "build_s": t2 - t0}
        self._model = None

    @property
    def model(self) -> pyo.ConcreteModel:
        """The canonical Pyomo model of the same LP (built on first use; not what is solved)."""
        if self._model is None:
            self._model = build_model(self.inputs, self.params)
        return self._model

    def set_param(self, name: str, value: float) -> None:
        """Change a tunable parameter (see ``TUNABLE``) for the next solve."""
        if name not in TUNABLE:
            raise KeyError(f"unknown parameter {name!r}; tunable: {sorted(TUNABLE)}")
        if name not in self.values:
            raise KeyError(
                f"parameter {name!r} is not part of this model (its rule is not in force)"
            )
        self.values[name] = float(value)
        self.lp = build_lp(self.params, self.grid, self.values)
        self.highs.update(self.lp)

    def fix_capacity(self, name: str, value: float | None) -> None:
        """Fix capacity ``name`` (wind, pv, storage_mw, storage_mwh, connection_mw); None frees it."""
        col = CAPACITY_COLUMNS.get(name, f"cap:{name}")
        if col not in self.lp.cols:
            raise KeyError(f"no capacity {name!r} in this model")
        self.highs.fix(self.lp.cols[col].start, value)

    def solve(self) -> Solution:
        """Solve (or re-solve) and return the values; raise InfeasibleError/SolverError otherwise."""
        x, obj, solve_s = self.highs.solve(self.rules_in_play)
        sol = solution_from_lp(self.lp, self.grid, x, obj)
        sol.timings = dict(self.timings, solve_s=solve_s)
        return sol


CAPACITY_COLUMNS = {"storage_mw": "sto_p", "storage_mwh": "sto_e", "connection_mw": "conn"}


def solution_from_lp(
    lp: LinearProgram, grid: TimeGrid, x: np.ndarray, objective: float
) -> Solution:
    """Return the Solution (capacities, per-step arrays, yuan/yr) of LP values ``x``."""
    n = grid.n
    zeros = np.zeros(n)

    def get(name):
        return x[lp.cols[name]] if name in lp.cols else zeros

    caps = {
        k.split(":", 1)[1]: float(x[s.start]) for k, s in lp.cols.items() if k.startswith("cap:")
    }
    for key, col in CAPACITY_COLUMNS.items():
        caps[key] = float(x[lp.cols[col].start]) if col in lp.cols else 0.0
    avail = sum((grid.cf[k] * caps[k] for k in caps if k in grid.cf), zeros)
    ch, dis, imp, exp_ = get("ch"), get("dis"), get("imp"), get("exp")
    curt = avail - ch + dis + imp - exp_ - grid.load_mw
    arrays = {
        "curtailed_mw": np.maximum(curt, 0.0),
        "charge_mw": ch.copy(),
        "discharge_mw": dis.copy(),
        "soc_mwh": get("soc").copy(),
        "import_mw": imp.copy(),
        "export_mw": exp_.copy(),
    }
    if "ch_g" in lp.cols:
        arrays["charge_grid_mw"] = get("ch_g").copy()
        arrays["discharge_grid_mw"] = get("dis_g").copy()
        arrays["soc_grid_mwh"] = get("soc_g").copy()
    return Solution(
        capacities=caps, arrays=arrays, objective_yuan=objective / SCALE, termination="optimal"
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
