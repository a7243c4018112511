"""Grid block: import, export and the connection capacity (接网容量, 四(一)).

Off-grid projects get no grid variables at all. Export exists only when the rules allow
it (grid-connected hydrogen-fuel projects, 三(一)); otherwise the variable is left out,
which is both the export ban and a leaner model.
"""

from __future__ import annotations

import pyomo.environ as pyo

from greenscen.model.params import SizingParams
from greenscen.model.storage import flows
from greenscen.scenario.inputs import ModelInputs


def add_grid_exchange(m: pyo.ConcreteModel, inputs: ModelInputs, params: SizingParams) -> None:
    """Add ``imp[t]``, ``exp[t]`` (MW) and ``conn`` (MW) with |P[t]| <= conn (exchange_limit)."""
    g = params.grid
    m.has_grid = g is not None
    m.has_export = bool(g and g.allow_export)
    if g is None:
        return
    m.imp = pyo.Var(m.T, within=pyo.NonNegativeReals)
    if m.has_export:
        m.exp = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.conn = pyo.Var(within=pyo.NonNegativeReals, bounds=(0, g.connection_max_mw))
    if g.connection_mw is not None:
        m.conn.fix(g.connection_mw)
    m.cost_conn = pyo.Param(mutable=True, initialize=g.connection_cost_yuan_per_mw_year)
    m.td_charge = pyo.Param(mutable=True, initialize=g.td_charge_yuan_per_mwh)
    m.export_price_scale = pyo.Param(mutable=True, initialize=1.0)
    m.energy_price = inputs.energy_price_yuan_per_mwh.to_numpy(dtype=float)
    m.export_price = inputs.export_price_yuan_per_mwh.to_numpy(dtype=float)
    if params.policy.exchange_limit:
        m.imp_le_conn = pyo.Constraint(m.T, rule=lambda _m, t: _m.imp[t] <= _m.conn)
        if m.has_export:
            m.exp_le_conn = pyo.Constraint(m.T, rule=lambda _m, t: _m.exp[t] <= _m.conn)
    load = m.load

    # Grid energy may reach the loads (directly or through the grid sub-account of storage)
    # but is never stored as green or exported: grey supply to the loads <= load.
    def grey_le_load(_m, t):
        _, _, ch_g, dis_g = flows(_m, t)
        return _m.imp[t] - ch_g + dis_g <= load[t]

    m.grey_le_load = pyo.Constraint(m.T, rule=grey_le_load)
    if getattr(m, "grid_charging", False):
        # Grid-origin charge comes from this step's import: without this, charging and
        # discharging at once could relabel green energy as grid energy and back.
        m.grid_charge_le_import = pyo.Constraint(m.T, rule=lambda _m, t: _m.ch_g[t] <= _m.imp[t])


def imp(m: pyo.ConcreteModel, t: int):
    """Return the import expression of step ``t`` (0 off-grid)."""
    return m.imp[t] if m.has_grid else 0.0


def exp(m: pyo.ConcreteModel, t: int):
    """Return the export expression of step ``t`` (0 when export is not allowed)."""
    return m.exp[t] if m.has_export else 0.0
