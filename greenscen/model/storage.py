"""Storage block: power (MW) and energy (MWh) capacities, charge, discharge, state of charge.

The state of charge is cyclic (the last step feeds the first) so a year's dispatch leaves
storage as it found it. When grid charging is allowed, the grid-origin energy is tracked in
its own sub-account (``ch_g``, ``dis_g``, ``soc_g``): it is not green and cannot be counted
as self-consumption (SPEC A, 五(五)).
"""

from __future__ import annotations

import pyomo.environ as pyo

from greenscen.model.params import SizingParams


def add_storage(m: pyo.ConcreteModel, params: SizingParams) -> None:
    """Add ``sto_p`` (MW), ``sto_e`` (MWh) and per-step ``ch``, ``dis`` (MW), ``soc`` (MWh)."""
    st = params.storage
    m.has_storage = st is not None
    m.grid_charging = bool(st and st.allow_grid_charging)
    if st is None:
        return
    m.sto_p = pyo.Var(within=pyo.NonNegativeReals, bounds=(0, st.max_power_mw))
    m.sto_e = pyo.Var(within=pyo.NonNegativeReals)
    if st.power_mw is not None:
        m.sto_p.fix(st.power_mw)
    if st.energy_mwh is not None:
        m.sto_e.fix(st.energy_mwh)
    m.cost_sto_p = pyo.Param(mutable=True, initialize=st.power_cost_yuan_per_mw_year)
    m.cost_sto_e = pyo.Param(mutable=True, initialize=st.energy_cost_yuan_per_mwh_year)
    if st.max_hours is not None:
        m.sto_max_hours = pyo.Constraint(expr=m.sto_e <= st.max_hours * m.sto_p)
    if st.min_hours > 0:
        m.sto_min_hours = pyo.Constraint(expr=m.sto_e >= st.min_hours * m.sto_p)

    eta_c, eta_d = st.charge_efficiency, st.discharge_efficiency
    dt = m.dt
    last = len(dt) - 1
    m.ch = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.dis = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.soc = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.ch_le_p = pyo.Constraint(m.T, rule=lambda _m, t: _m.ch[t] <= _m.sto_p)
    m.dis_le_p = pyo.Constraint(m.T, rule=lambda _m, t: _m.dis[t] <= _m.sto_p)
    m.soc_le_e = pyo.Constraint(m.T, rule=lambda _m, t: _m.soc[t] <= _m.sto_e)
    m.soc_balance = pyo.Constraint(
        m.T,
        rule=lambda _m, t: _m.soc[t]
        == _m.soc[t - 1 if t else last] + (eta_c * _m.ch[t] - _m.dis[t] / eta_d) * dt[t],
    )
    if not m.grid_charging:
        return
    m.ch_g = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.dis_g = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.soc_g = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.ch_g_le = pyo.Constraint(m.T, rule=lambda _m, t: _m.ch_g[t] <= _m.ch[t])
    m.dis_g_le = pyo.Constraint(m.T, rule=lambda _m, t: _m.dis_g[t] <= _m.dis[t])
    m.soc_g_le = pyo.Constraint(m.T, rule=lambda _m, t: _m.soc_g[t] <= _m.soc[t])
    m.soc_g_balance = pyo.Constraint(
        m.T,
        rule=lambda _m, t: _m.soc_g[t]
        == _m.soc_g[t - 1 if t else last] + (eta_c * _m.ch_g[t] - _m.dis_g[t] / eta_d) * dt[t],
    )


def storage_cost(m: pyo.ConcreteModel):
    """Return the yearly storage capacity cost expression (yuan/yr), 0 without storage."""
    if not m.has_storage:
        return 0.0
    return m.cost_sto_p * m.sto_p + m.cost_sto_e * m.sto_e


def flows(m: pyo.ConcreteModel, t: int):
    """Return (charge, discharge, grid_charge, grid_discharge) expressions for step ``t``."""
    if not m.has_storage:
        return 0.0, 0.0, 0.0, 0.0
    if not m.grid_charging:
        return m.ch[t], m.dis[t], 0.0, 0.0
    return m.ch[t], m.dis[t], m.ch_g[t], m.dis_g[t]
