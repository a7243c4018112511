"""A dispatchable biomass plant in the sizing LP (生物质发电, seed 001 一), written once.

One family, :func:`define_biomass`, run before the balances (``greenscen.model.lp``), so the
hourly LP, typical days (fast mode), the elastic dispatch, multi-year planning and the Pyomo
view all take it. Symbols (units; LP block in brackets):

==============  ===================================================  ================
symbol          meaning                                              block
==============  ===================================================  ================
K_b             biomass capacity (MW of electricity)                 ``cap:biomass``
b_t             biomass output (MW)                                  ``bio``
E_b             output over the year Σ w_t·Δt·b_t (MWh)              ``E_bio``
a, m            availability, minimum load (shares of K_b)           parameters
η               electric efficiency (MWh electricity per MWh fuel)   parameter
==============  ===================================================  ================

Rows: b_t <= a·K_b (every step); b_t >= m·K_b (every step: the plant does not stop, an LP;
m = 0 for a plant that may); E_b = Σ w_t·Δt·b_t; E_b/η <= F (annual fuel limit, MWh of
fuel) and E_b <= G (annual generation limit). Cost: K_b at its annuity + fixed O&M, b_t at
fuel/η + variable O&M per MWh.

Biomass is 新能源 in every rule (一 「风电、太阳能发电、生物质发电等新能源发电」): its output is part
of the renewable output A_t and E_A (``Formulation.available``), so it enters the supply
balance, the 1.2× and 以荷定源 caps, self-consumption, export, utilisation and green tracing
as wind and PV do. For a dispatched plant the output *is* what is available: running below
capacity saves fuel and is no curtailment (弃电).
"""

from __future__ import annotations

from greenscen.model.components import Formulation, capacity_bounds
from greenscen.model.linear import INF

BLOCK = "cap:biomass"


def define_biomass(f: Formulation) -> None:
    """Add K_b, b_t, E_b and the rows of the module docstring (nothing without a biomass plant)."""
    bp = f.params.biomass
    if bp is None:
        return
    n, yh, m = f.grid.n, f.grid.year_h, f.m
    fixed, lo, hi = capacity_bounds(f.params)[BLOCK]
    cap = f.var(BLOCK, 1, fixed if fixed is not None else lo, fixed if fixed is not None else hi,
                f.values["biomass_cost_yuan_per_mw_year"])  # fmt: skip
    b = f.var("bio", n, 0.0, None, f.values["biomass_energy_cost_yuan_per_mwh"] * yh)
    m.add_constraints("bio_le_avail", b - cap * bp.availability, "<=", 0.0)
    if bp.min_load_share > 0:
        m.add_constraints("bio_min_load", b - cap * bp.min_load_share, ">=", 0.0)
    e = f.var("E_bio", 1, -INF)
    m.add_constraints("E_bio_def", e - b.sum(yh), "==", 0.0)
    if bp.max_fuel_mwh_per_year is not None:  # MWh of fuel: E_b / η <= F
        m.add_constraints("bio_fuel_max", e * (1.0 / bp.efficiency), "<=", bp.max_fuel_mwh_per_year,
                          slack=f.penalty(bp.efficiency))  # fmt: skip
    if bp.max_generation_mwh_per_year is not None:
        m.add_constraints("bio_generation_max", e.expr(), "<=", bp.max_generation_mwh_per_year,
                          slack=f.penalty())  # fmt: skip
