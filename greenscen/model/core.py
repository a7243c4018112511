"""The solver-facing sizing model: one LP held in HiGHS, re-solved in place, and its Solution.

:class:`SizingModel` builds the LP of :func:`greenscen.model.lp.build_lp` on a time grid and
keeps it in a persistent HiGHS instance (``greenscen.model.solver``): ``set_param`` (a cost,
a rule limit) and ``fix_capacity`` change it in place and ``solve`` starts from the previous
basis. Every solve path (exact, fast, Pyomo) returns the same :class:`Solution`, and
:class:`SolveModel` states that face.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import pandas as pd

from greenscen.base.params import SizingParams
from greenscen.errors import Interrupted
from greenscen.model.components import capacity_bounds
from greenscen.model.linear import LinearProgram
from greenscen.model.lp import SCALE, TUNABLE, build_lp, default_values
from greenscen.model.solver import DEFAULT_HIGHS_OPTIONS, HighsLP  # noqa: F401 (re-exported)
from greenscen.model.timegrid import TimeGrid, full_grid
from greenscen.scenario.inputs import ModelInputs

# Capacity names of the public face (Solution.capacities, fix_capacity) -> LP column block;
# a renewable k is ``cap:<k>``.
# Exact mode warm-starts its first solve from fast mode from this many steps on (see SizingModel).
WARM_START_MIN_STEPS = 2000
CAPACITY_BLOCKS = {"storage_mw": "sto_p", "storage_mwh": "sto_e", "connection_mw": "conn",
                   "electrolyser_mw": "el_cap", "h2_storage_kg": "h2s_cap"}  # fmt: skip
# Per-step hydrogen arrays of a Solution (hourly.csv columns) -> LP column block
HYDROGEN_ARRAYS = {"electrolyser_mw": "p_el", "h2_produced_kg_h": "h2", "h2_delivered_kg_h": "h2_d",
                   "h2_to_storage_kg_h": "h2_in", "h2_from_storage_kg_h": "h2_out",
                   "h2_storage_kg": "h2_soc"}  # fmt: skip


def capacity_block(name: str) -> str:
    """Return the LP column block of capacity ``name`` (wind, pv, storage_mw, ...)."""
    return CAPACITY_BLOCKS.get(name, f"cap:{name}")


@dataclass
class Solution:
    """Solved values: capacities (MW, MWh), per-step arrays, the objective (yuan/yr) and facts.

    ``extra`` holds what a solve mode reports besides the dispatch (fast mode: its periods,
    repair steps and sizing objective; exact mode: the backend).
    """

    capacities: dict[str, float]
    arrays: dict[str, np.ndarray]
    objective_yuan: float
    timings: dict[str, float] = field(default_factory=dict)
    termination: str = ""
    extra: dict = field(default_factory=dict)


class SolveModel(Protocol):
    """The face every solve mode offers to a session (exact, fast, Pyomo)."""

    rules_in_play: list[str]

    def set_param(self, name: str, value: float) -> None: ...

    def fix_capacity(self, name: str, value: float | None) -> None: ...

    def solve(self) -> Solution: ...


def check_tunable(name: str, values: dict) -> None:
    """Raise KeyError unless ``name`` is a tunable parameter of this model."""
    if name not in TUNABLE:
        raise KeyError(f"unknown parameter {name!r}; tunable: {sorted(TUNABLE)}")
    if name not in values:
        raise KeyError(f"parameter {name!r} is not part of this model (its rule is not in force)")


class SizingModel:
    """The sizing LP of a scenario held in a persistent HiGHS instance (exact mode).

    Parameters
    ----------
    inputs, params : the model inputs and typed parameters of a scenario
    rules_in_play : rule descriptions listed when the LP is infeasible
    highs_options : HiGHS options over ``DEFAULT_HIGHS_OPTIONS``
    grid : TimeGrid, optional
        The steps to write the LP on; the full grid of ``inputs`` by default.
    warm_start : bool, optional
        Start the first solve from fast mode's full-year dispatch basis
        (``greenscen.model.fast.exact_start``, then dual simplex; a cold solve when that
        fails). By default on for a full-grid LP of ``WARM_START_MIN_STEPS`` steps or more
        with the default HiGHS options and no electrolyser: 0.39x the time of the cold interior-point solve on the
        full-year hourly default, while below ~2,000 steps the cold solve takes about a second.
    """

    def __init__(self, inputs: ModelInputs, params: SizingParams, rules_in_play=(),
                 highs_options=None, grid: TimeGrid | None = None,
                 warm_start: bool | None = None):  # fmt: skip
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
        if warm_start is None:
            # not with an electrolyser: fast mode's repair does not yet clear the hydrogen
            # rows' slack, so it would end in the exact LP and the start would cost a solve
            warm_start = (grid is None and not highs_options and self.grid.n >= WARM_START_MIN_STEPS
                          and params.hydrogen is None)  # fmt: skip
        self.warm_start = warm_start
        self.fixed: dict[str, float | None] = {}  # capacities fixed (or freed: None) by the user
        self.timings = {"lp_build_s": t1 - t0, "transfer_s": t2 - t1, "build_s": t2 - t0}

    def pyomo_model(self):
        """Return a Pyomo model of exactly this LP (compiled from it; see ``pyomo_view``)."""
        from greenscen.model.pyomo_view import to_pyomo

        return to_pyomo(self.lp)

    def set_param(self, name: str, value: float) -> None:
        """Change a tunable parameter (see ``greenscen.model.lp.TUNABLE``) for the next solve."""
        check_tunable(name, self.values)
        self.values[name] = float(value)
        self.lp = build_lp(self.params, self.grid, self.values)
        self.highs.update(self.lp)

    def fix_capacity(self, name: str, value: float | None) -> None:
        """Fix capacity ``name`` (wind, pv, storage_mw, storage_mwh, connection_mw); None frees it."""
        block = capacity_block(name)
        if block not in self.lp.cols:
            raise KeyError(f"no capacity {name!r} in this model")
        col = self.lp.cols[block].start
        self.fixed[name] = None if value is None else float(value)
        if value is None:  # optimise it within its bounds, also when the scenario fixed it
            _, lo, hi = capacity_bounds(self.params)[block]
            self.highs.set_bounds(col, lo, hi)
        else:
            self.highs.fix(col, value)

    def tighten_row(self, name: str, amount: float) -> None:
        """Tighten the one-row block ``name`` by ``amount`` (raise a floor, lower a cap)."""
        self.highs.tighten_row(self.lp.rows[name].start, amount)

    def cancel(self) -> None:
        """Stop a solve running in another thread (it raises Interrupted)."""
        self.highs.cancel()

    def solve(self) -> Solution:
        """Solve (or re-solve) and return the values; raise InfeasibleError/SolverError otherwise."""
        route, out, timings, info, t0 = "cold", None, {}, None, time.perf_counter()
        if self.warm_start and not self.highs.solved:
            from greenscen.model.fast import exact_start

            self.highs.arm()
            start = exact_start(self)  # a cancel meanwhile reaches fast mode's models
            if self.highs.cancel_requested:  # cancelled between two of fast mode's solves
                raise Interrupted("the solve was cancelled")
            if start is not None:
                out = self.highs.warm_solve(start[0], self.rules_in_play)
                timings = {"warm_start_s": time.perf_counter() - t0 - (out[2] if out else 0.0)}
                info = start[1]
            route = "warm start from fast mode" if out else "cold (the warm start failed)"
            if out is not None:
                out = (out[0], out[1], time.perf_counter() - t0)
        if out is None:
            out = self.highs.solve(self.rules_in_play)
            out = (out[0], out[1], time.perf_counter() - t0)  # with a failed start's time
        x, obj, solve_s = out
        sol = solution_from_lp(self.lp, self.grid, x, obj, self.params.storage)
        sol.timings = dict(self.timings, **timings, solve_s=solve_s)
        sol.extra = {"backend": "arrays", "route": route}
        if info is not None:
            sol.extra["warm_start"] = info
        if self.highs.loop_rounds:
            h = self.highs
            sol.extra["h2_loops"] = loop_report(h.loop_rounds, h.closed.size + h.closed_rows.size,
                                                h.loop_bound, obj)  # fmt: skip
        return sol


def loop_report(rounds: int, steps_closed: int, bound: float, objective: float) -> dict:
    """What closing burning steps did (:func:`greenscen.model.hydrogen.burn_fixes`): re-solves,
    step rows and columns closed, the LP's optimum (yuan/yr; burning allowed, so a lower bound
    on the burn-free optimum) and the answer's relative gap to it (an upper bound on its
    distance to the burn-free optimum). ``bound`` and ``objective`` in LP units."""
    return {"rounds": rounds, "steps_closed": int(steps_closed), "lp_bound_yuan": bound / SCALE,
            "gap_to_bound": (objective - bound) / max(abs(bound), SCALE)}  # fmt: skip


def solution_from_lp(lp: LinearProgram, grid: TimeGrid, x: np.ndarray, objective: float,
                     storage=None) -> Solution:
    """Return the Solution (capacities, per-step arrays, yuan/yr) of LP values ``x``.

    Values are clipped to their column bounds: a solver may leave them a feasibility
    tolerance (~1e-9) outside, and -3e-12 MW of storage is no design. With ``storage`` (its
    StorageParams) simultaneous charge and discharge is unwound (:func:`unwind_storage_loops`).
    """
    x = np.clip(x, lp.col_lb, lp.col_ub)
    zeros = np.zeros(grid.n)

    def get(name):
        return x[lp.cols[name]].copy() if name in lp.cols else zeros.copy()

    caps = {k.split(":", 1)[1]: float(x[s.start]) for k, s in lp.cols.items() if k.startswith("cap:")}
    for key, block in CAPACITY_BLOCKS.items():
        if block in lp.cols or block not in ("el_cap", "h2s_cap"):  # hydrogen ones only if built
            caps[key] = float(x[lp.cols[block].start]) if block in lp.cols else 0.0
    avail = sum((grid.cf[k] * caps[k] for k in caps if k in grid.cf), zeros)
    biomass = get("bio") if "bio" in lp.cols else None
    if biomass is not None:  # a dispatched source: its output is what it makes available
        avail = avail + biomass
    ch, dis, imp, exp_ = get("ch"), get("dis"), get("imp"), get("exp")
    if storage is not None and "ch" in lp.cols:
        eff = (storage.charge_efficiency, storage.discharge_efficiency)
        ch, dis = unwind_storage_loops(ch, dis, get("ch_g"), get("dis_g"), eff)
    hyd = {k: get(b) for k, b in HYDROGEN_ARRAYS.items() if "p_el" in lp.cols}
    variable = 0.0
    if hyd:  # the variable load L^v: the electrolyser and the compression of stored hydrogen
        c = _compression_kwh_per_kg(lp)
        hyd["compression_mw"] = c * hyd["h2_to_storage_kg_h"] / 1000.0
        variable = hyd["electrolyser_mw"] + hyd["compression_mw"]
    curt = avail - ch + dis + imp - exp_ - grid.load_mw - variable
    arrays = {
        "curtailed_mw": np.maximum(curt, 0.0),
        "charge_mw": ch,
        "discharge_mw": dis,
        "soc_mwh": get("soc"),
        "import_mw": imp,
        "export_mw": exp_,
    }
    arrays.update(hyd)
    if biomass is not None:
        arrays["biomass_mw"] = biomass
    if "ch_g" in lp.cols:
        arrays["charge_grid_mw"] = get("ch_g")
        arrays["discharge_grid_mw"] = get("dis_g")
        arrays["soc_grid_mwh"] = get("soc_g")
    return Solution(capacities=caps, arrays=arrays, objective_yuan=objective / SCALE,
                    termination="optimal")  # fmt: skip


def _compression_kwh_per_kg(lp: LinearProgram) -> float:
    """Return c (kWh/kg) from the E_v row's coefficient on h2_in (0 without compression)."""
    if "h2_in" not in lp.cols:
        return 0.0
    row, col = lp.rows["E_v_def"].start, lp.cols["h2_in"].start
    yh = -lp.A[row, lp.cols["p_el"].start]  # the first step's year hours
    return float(-lp.A[row, col] / yh * 1000.0) if yh else 0.0


def unwind_storage_loops(ch, dis, ch_g, dis_g, efficiency: tuple[float, float]):
    """Return (charge, discharge) MW with simultaneous renewable charge and discharge removed.

    Charging and discharging in the same step only burns energy: no cost falls on it and
    (with utilisation read as energy delivered, 四(三)) no rule gains from it, so an LP
    optimum may still show it where energy is curtailed anyway. Reducing the renewable
    charge by a and the discharge by b = η_c·η_d·a leaves the state of charge, every rule's
    energies and the cost unchanged and moves a·(1 − η_c·η_d) MW to curtailment, so the
    dispatch reported is the same optimum without the loop. Grid-origin parts are kept.
    """
    ec, ed = efficiency
    a = np.minimum(ch - ch_g, (dis - dis_g) / (ec * ed))
    a = np.maximum(a, 0.0)
    return ch - a, dis - ec * ed * a


def hourly_frame(inputs: ModelInputs, sol: Solution, hydrogen_user: str | None = None) -> pd.DataFrame:
    """Return the hourly dispatch table (the public ``hourly.csv`` columns) of a solution.

    With an electrolyser, ``load_mw`` and ``load_mw:<hydrogen_user>`` include its consumption
    and compression (``electrolyser_mw + compression_mw``): it is that user's load in every check.
    """
    idx = inputs.index
    df = pd.DataFrame(index=idx)
    df["duration_h"] = inputs.duration_h.to_numpy()
    # the electrolyser's consumption (and compression) is its user's load, as in the LP
    variable = sol.arrays["electrolyser_mw"] + sol.arrays["compression_mw"] if (
        "electrolyser_mw" in sol.arrays) else None  # fmt: skip
    df["load_mw"] = inputs.total_load_mw.to_numpy() + (0.0 if variable is None else variable)
    for user in inputs.load_mw.columns:
        df[f"load_mw:{user}"] = inputs.load_mw[user].to_numpy()
        if variable is not None and user == hydrogen_user:
            df[f"load_mw:{user}"] = df[f"load_mw:{user}"] + variable
    avail = np.zeros(len(idx))
    for k in inputs.cf.columns:
        df[f"cf:{k}"] = inputs.cf[k].to_numpy()
    for k in inputs.cf.columns:
        a = inputs.cf[k].to_numpy() * sol.capacities.get(k, 0.0)
        df[f"available_mw:{k}"] = a
        avail = avail + a
    if "biomass_mw" in sol.arrays:  # biomass is renewable output (一), as dispatched
        df["available_mw:biomass"] = sol.arrays["biomass_mw"]
        avail = avail + sol.arrays["biomass_mw"]
    df["available_mw"] = avail
    for name, arr in sol.arrays.items():
        df[name] = arr
    return df
