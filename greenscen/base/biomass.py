"""Typed, annualised parameters of a scenario's biomass plant (``technologies.biomass``).

Money is annualised here, as in :mod:`greenscen.base.params`: a MW costs CRF(r, n)·capex +
fixed O&M per year; each MWh of electricity costs its fuel (fuel price / electric efficiency)
plus the variable O&M.
"""

from __future__ import annotations

from dataclasses import dataclass

KW_PER_MW = 1000.0


@dataclass(frozen=True)
class BiomassParams:
    """A dispatchable biomass plant as the LP takes it (MW, MWh of electricity unless ``fuel``)."""

    cost_yuan_per_mw_year: float
    energy_cost_yuan_per_mwh: float  # fuel / efficiency + variable O&M, per MWh of electricity
    fuel_cost_yuan_per_mwh_fuel: float
    variable_om_yuan_per_mwh: float
    efficiency: float  # MWh of electricity per MWh of fuel
    capacity_mw: float | None
    min_mw: float
    max_mw: float | None
    min_load_share: float
    availability: float
    max_fuel_mwh_per_year: float | None
    max_generation_mwh_per_year: float | None


def biomass_params(spec, rate: float, crf) -> BiomassParams | None:
    """Return the BiomassParams of a ``technologies.biomass`` spec (None when there is none)."""
    if spec is None:
        return None
    cost = (crf(rate, spec.lifetime_years) * spec.capex_yuan_per_kw + spec.fixed_om_yuan_per_kw_year) * KW_PER_MW
    return BiomassParams(
        cost_yuan_per_mw_year=cost,
        energy_cost_yuan_per_mwh=spec.fuel_cost_yuan_per_mwh_fuel / spec.efficiency
        + spec.variable_om_yuan_per_mwh,
        fuel_cost_yuan_per_mwh_fuel=spec.fuel_cost_yuan_per_mwh_fuel,
        variable_om_yuan_per_mwh=spec.variable_om_yuan_per_mwh,
        efficiency=spec.efficiency,
        capacity_mw=spec.capacity_mw,
        min_mw=spec.min_mw,
        max_mw=spec.max_mw,
        min_load_share=spec.min_load_share,
        availability=spec.availability,
        max_fuel_mwh_per_year=spec.max_fuel_mwh_per_year,
        max_generation_mwh_per_year=spec.max_generation_mwh_per_year,
    )
