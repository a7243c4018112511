"""Policy blocks: one function per rule of SPEC part A, each switched on by its resolved value.

Every limit is a mutable Pyomo parameter, so a sweep or a widget changes it and re-solves
without rebuilding. A rule that is not in force adds nothing.
"""

from __future__ import annotations

import pandas as pd
import pyomo.environ as pyo

from greenscen.model.grid import exp, imp
from greenscen.model.lp import window_ids
from greenscen.model.params import PolicyParams
from greenscen.model.renewables import available_energy_mwh
from greenscen.model.storage import flows


def self_consumption(m: pyo.ConcreteModel, t: int):
    """Return sc[t] = load − import + grid charge − grid discharge (MW; 五(五))."""
    _, _, ch_g, dis_g = flows(m, t)
    return m.load[t] - imp(m, t) + ch_g - dis_g


def self_consumption_mwh(m: pyo.ConcreteModel):
    """Return E_sc = Σ sc[t]·Δt as an expression (MWh)."""
    return sum(self_consumption(m, t) * m.dt[t] for t in m.T)


def export_mwh(m: pyo.ConcreteModel):
    """Return E_exp = Σ exp[t]·Δt (MWh), 0 when export is not allowed."""
    if not m.has_export:
        return 0.0
    return sum(m.exp[t] * m.dt[t] for t in m.T)


def add_hydrogen_cap(m: pyo.ConcreteModel, p: PolicyParams) -> None:
    """E_A <= max_ratio · E_load (hydrogen_generation_cap, 三(一)); also the optional 以荷定源 cap."""
    if p.hydrogen_max_ratio is not None:
        m.h2_max_ratio = pyo.Param(mutable=True, initialize=p.hydrogen_max_ratio)
        m.h2_cap = pyo.Constraint(expr=available_energy_mwh(m) <= m.h2_max_ratio * m.load_mwh)
    if p.available_max_ratio is not None:
        m.avail_max_ratio = pyo.Param(mutable=True, initialize=p.available_max_ratio)
        m.avail_cap = pyo.Constraint(expr=available_energy_mwh(m) <= m.avail_max_ratio * m.load_mwh)


def add_export_rules(m: pyo.ConcreteModel, p: PolicyParams) -> None:
    """E_exp <= r · (E_exp + E_sc) (export_ratio_cap, 三(一)); the ban is the absent variable."""
    if not m.has_export or p.export_max_ratio is None:
        return
    m.export_max_ratio = pyo.Param(mutable=True, initialize=p.export_max_ratio)
    m.export_ratio = pyo.Constraint(
        expr=(1 - m.export_max_ratio) * export_mwh(m) <= m.export_max_ratio * m.sc_mwh
    )


def add_self_consumption(m: pyo.ConcreteModel, p: PolicyParams) -> None:
    """E_sc >= s · E_load (self_consumption_min, 三(一))."""
    if p.self_consumption_min is None or not m.has_grid:
        return
    m.sc_min = pyo.Param(mutable=True, initialize=p.self_consumption_min)
    m.self_consumption = pyo.Constraint(expr=m.sc_mwh >= m.sc_min * m.load_mwh)


def add_peak_valley_limit(m: pyo.ConcreteModel, p: PolicyParams, index: pd.DatetimeIndex) -> None:
    """(max P − min P) <= λ · max P per window (peak_valley_limit, 四(三)).

    Linear form: Pmax[w] >= P[t] >= Pmin[w] for t in w and (1 − λ)·Pmax[w] <= Pmin[w]. For
    λ < 1 this forbids export on a day with import (the rate would exceed 1) and makes every
    hour import at least (1 − λ) of the day's peak exchange: storage must hold the swing.
    """
    if p.peak_valley_limit is None or not m.has_grid:
        return
    ids = window_ids(index, p.peak_valley_window)
    m.W = pyo.RangeSet(0, int(ids.max()))
    m.pv_limit = pyo.Param(mutable=True, initialize=p.peak_valley_limit)
    m.p_max = pyo.Var(m.W)
    m.p_min = pyo.Var(m.W)
    m.p_le_max = pyo.Constraint(m.T, rule=lambda _m, t: imp(_m, t) - exp(_m, t) <= _m.p_max[ids[t]])
    m.p_ge_min = pyo.Constraint(m.T, rule=lambda _m, t: imp(_m, t) - exp(_m, t) >= _m.p_min[ids[t]])
    m.pv_rate = pyo.Constraint(m.W, rule=lambda _m, w: (1 - _m.pv_limit) * _m.p_max[w] <= _m.p_min[w])


def add_utilisation(m: pyo.ConcreteModel, p: PolicyParams) -> None:
    """Σ curt·Δt <= (1 − u)·E_A (renewable_utilisation_min, 四(三))."""
    if p.utilisation_min is None:
        return
    m.util_min = pyo.Param(mutable=True, initialize=p.utilisation_min)
    m.utilisation = pyo.Constraint(
        expr=sum(m.curt[t] * m.dt[t] for t in m.T) <= (1 - m.util_min) * available_energy_mwh(m)
    )
