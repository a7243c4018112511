"""Renewable block: installed capacities (MW) and the available output they give each step."""

from __future__ import annotations

import pyomo.environ as pyo

from greenscen.model.params import SizingParams
from greenscen.scenario.inputs import ModelInputs


def add_renewables(m: pyo.ConcreteModel, inputs: ModelInputs, params: SizingParams) -> None:
    """Add ``cap[k]`` (MW), ``curt[t]`` (MW) and ``avail[t]`` = Σ_k cap[k]·cf[k,t] (an expression).

    A capacity given in the scenario is fixed; otherwise it is bounded by ``min_mw``/``max_mw``.
    Curtailment cannot exceed what is available.
    """
    m.K = pyo.Set(initialize=[t.name for t in params.renewables], ordered=True)
    bounds = {t.name: (t.min_mw, t.max_mw) for t in params.renewables}
    m.cap = pyo.Var(m.K, within=pyo.NonNegativeReals, bounds=lambda _m, k: bounds[k])
    m.cost_cap = pyo.Param(
        m.K,
        mutable=True,
        initialize={t.name: t.cost_yuan_per_mw_year for t in params.renewables},
        doc="yearly cost of 1 MW, yuan/MW/yr (annuity + fixed O&M)",
    )
    for t in params.renewables:
        if t.capacity_mw is not None:
            m.cap[t.name].fix(t.capacity_mw)
    cf = {k: inputs.cf[k].to_numpy(dtype=float) for k in m.K}
    m.cf_energy_h = {k: float((inputs.cf[k] * inputs.duration_h).sum()) for k in m.K}
    m.avail = pyo.Expression(m.T, rule=lambda _m, t: sum(cf[k][t] * _m.cap[k] for k in _m.K))
    m.curt = pyo.Var(m.T, within=pyo.NonNegativeReals)
    m.curt_le_avail = pyo.Constraint(m.T, rule=lambda _m, t: _m.curt[t] <= _m.avail[t])


def available_energy_mwh(m: pyo.ConcreteModel):
    """Return the expression Σ_t avail[t]·Δt = Σ_k cap[k]·Σ_t cf[k,t]·Δt (MWh per year)."""
    return sum(m.cap[k] * m.cf_energy_h[k] for k in m.K)
