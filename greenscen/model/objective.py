"""Objective: least annualised cost (yuan/yr), scaled to thousand yuan inside the LP.

cost = Σ_k cost_cap[k]·cap[k] + storage cost + connection cost + Σ_t (energy price + T&D)·imp·Δt
       − Σ_t export price·exp·Δt.  Government funds on the load (五(四)) are a constant and are
added to the reported cost, not to the LP.
"""

from __future__ import annotations

import pyomo.environ as pyo

from greenscen.model.storage import storage_cost

SCALE = 1e-3  # the LP works in thousand yuan, keeping coefficients near 1


def annual_cost_expr(m: pyo.ConcreteModel):
    """Return the yearly cost expression in yuan (unscaled)."""
    cost = sum(m.cost_cap[k] * m.cap[k] for k in m.K) + storage_cost(m)
    if m.has_grid:
        cost += m.cost_conn * m.conn
        cost += sum((m.energy_price[t] + m.td_charge) * m.dt[t] * m.imp[t] for t in m.T)
        if m.has_export:
            cost -= sum(m.export_price_scale * m.export_price[t] * m.dt[t] * m.exp[t] for t in m.T)
    return cost


def add_objective(m: pyo.ConcreteModel) -> None:
    """Add ``m.obj``: minimise the annualised cost (thousand yuan)."""
    m.obj = pyo.Objective(expr=SCALE * annual_cost_expr(m), sense=pyo.minimize)
