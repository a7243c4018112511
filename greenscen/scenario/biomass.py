"""The ``technologies.biomass`` block of a scenario: a dispatchable biomass plant (units in names).

Biomass power (生物质发电) is one of the sources of a direct-connection project (seed 001 一
「风电、太阳能发电、生物质发电等新能源发电」). Unlike wind and PV it is dispatched: the LP decides
its output each step between its minimum load and its available capacity
(``greenscen.model.biomass``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

HOURS_PER_YEAR = 8760.0


class BiomassSpec(BaseModel):
    """A biomass plant: costs, capacity (null = optimise), minimum load, fuel and its limits."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    capex_yuan_per_kw: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_yuan_per_kw_year: float = Field(0.0, ge=0)
    variable_om_yuan_per_mwh: float = Field(0.0, ge=0)  # per MWh of electricity
    capacity_mw: float | None = Field(None, ge=0)
    min_mw: float = Field(0.0, ge=0)
    max_mw: float | None = Field(None, ge=0)
    # electric efficiency: MWh of electricity per MWh of fuel (lower heating value)
    efficiency: float = Field(gt=0, le=1)
    fuel_cost_yuan_per_mwh_fuel: float = Field(ge=0)
    # minimum stable load as a share of capacity, held in every step (the plant does not stop)
    min_load_share: float = Field(0.0, ge=0, lt=1)
    # share of the capacity available in every step (outages, derating)
    availability: float = Field(1.0, gt=0, le=1)
    max_fuel_mwh_per_year: float | None = Field(None, ge=0)  # annual fuel limit, MWh of fuel
    max_generation_mwh_per_year: float | None = Field(None, ge=0)  # annual limit, MWh of electricity

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        if 0 < self.capex_yuan_per_kw < 50:
            problems.append(f"capex_yuan_per_kw: expected yuan/kW, found {self.capex_yuan_per_kw:g}, "
                            "which looks like yuan/W (x1000?)")
        if self.max_mw is not None and self.min_mw > self.max_mw:
            problems.append(f"min_mw: expected at most max_mw {self.max_mw}, found {self.min_mw}")
        if self.min_load_share > self.availability:
            problems.append(f"min_load_share: expected at most availability {self.availability} (the "
                            f"plant cannot hold more than it has available), found {self.min_load_share}")
        if 0 < self.fuel_cost_yuan_per_mwh_fuel < 2:
            problems.append(f"fuel_cost_yuan_per_mwh_fuel: expected yuan/MWh, found "
                            f"{self.fuel_cost_yuan_per_mwh_fuel:g}, which looks like yuan/kWh (x1000?)")
        if self.capacity_mw is not None and self.min_load_share > 0:
            floor_el = self.min_load_share * self.capacity_mw * HOURS_PER_YEAR
            limits = [("max_generation_mwh_per_year", self.max_generation_mwh_per_year, floor_el),
                      ("max_fuel_mwh_per_year", self.max_fuel_mwh_per_year, floor_el / self.efficiency)]
            for key, limit, floor in limits:
                if limit is not None and limit < floor:
                    problems.append(
                        f"{key}: expected at least {floor:,.0f} (the minimum load "
                        f"{self.min_load_share:g} x {self.capacity_mw:g} MW held for 8760 h), found {limit:,.0f}")
        if problems:
            raise ValueError("\n".join(problems))
        return self
