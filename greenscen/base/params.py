"""Resolved, typed parameters the model blocks take (from a scenario and its rules).

Money is annualised here, once: a capacity's yearly cost is capital recovery factor x capex
+ fixed O&M. The model never sees a policy number except through :class:`PolicyParams`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from greenscen.base.biomass import BiomassParams, biomass_params
from greenscen.base.hydrogen import HydrogenParams, hydrogen_params
from greenscen.base.windows import load_peak_valley_limit
from greenscen.rules import ResolvedRules
from greenscen.rules.registry import TUNABLE_RULES
from greenscen.scenario.inputs import ModelInputs
from greenscen.scenario.load import LoadedScenario

KW_PER_MW = 1000.0


def capital_recovery_factor(rate: float, years: float) -> float:
    """Return the capital recovery factor r(1+r)^n / ((1+r)^n - 1) (1/n when r = 0).

    >>> round(capital_recovery_factor(0.06, 20), 5)
    0.08718
    >>> capital_recovery_factor(0.0, 25)
    0.04
    """
    if rate == 0:
        return 1.0 / years
    growth = (1.0 + rate) ** years
    return rate * growth / (growth - 1.0)


@dataclass(frozen=True)
class TechParams:
    """A renewable technology: yearly cost per MW and its capacity (fixed, or bounds)."""

    name: str
    cost_yuan_per_mw_year: float
    capacity_mw: float | None
    min_mw: float
    max_mw: float | None


@dataclass(frozen=True)
class StorageParams:
    """Storage: yearly costs per MW and per MWh, efficiencies and capacity bounds."""

    power_cost_yuan_per_mw_year: float
    energy_cost_yuan_per_mwh_year: float
    charge_efficiency: float
    discharge_efficiency: float
    power_mw: float | None
    energy_mwh: float | None
    max_power_mw: float | None
    min_hours: float
    max_hours: float | None
    allow_grid_charging: bool


@dataclass(frozen=True)
class GridParams:
    """The public-grid connection (grid-connected projects only)."""

    connection_mw: float | None
    connection_max_mw: float | None
    connection_cost_yuan_per_mw_year: float
    td_charge_yuan_per_mwh: float
    allow_export: bool


@dataclass(frozen=True)
class PolicyParams:
    """Rule values in force, by the rule registry's tunable names (absent = rule not in force).

    ``limits`` maps each tunable name of :data:`greenscen.rules.registry.TUNABLE_RULES` whose
    rule is in force with a numeric value to that value (``export_max_ratio``: 0.4, ...); the
    names read as attributes too (``policy.export_max_ratio``, None when not in force).
    """

    limits: Mapping[str, float]
    exchange_limit: bool  # exchange_limit, 四(一)
    peak_valley_window: str = "D"
    peak_valley_reading: str = "signed"  # "signed" or "connection" (README "Peak-valley readings")

    def __getattr__(self, name: str):
        if name in TUNABLE_RULES:
            return self.limits.get(name)
        raise AttributeError(f"PolicyParams has no attribute {name!r}")


@dataclass(frozen=True)
class SizingParams:
    """Everything the model needs besides the time series."""

    mode: str
    renewables: tuple[TechParams, ...]
    storage: StorageParams | None
    grid: GridParams | None
    policy: PolicyParams
    funds_yuan_per_mwh: float
    hydrogen: HydrogenParams | None = None  # greenscen.base.hydrogen
    biomass: BiomassParams | None = None  # greenscen.base.biomass


def policy_params(rules: ResolvedRules, inputs: ModelInputs) -> PolicyParams:
    """Return the rule values in force (registry names); a limit 'load' is resolved from the load."""
    window = rules.param("peak_valley_limit", "window", "D")
    limits = {}
    for name, rule in TUNABLE_RULES.items():
        value = rules.param(rule.name, rule.param)
        if value == "load":  # the planned value defaults to the load's own largest rate (四(三))
            value = load_peak_valley_limit(inputs.total_load_mw, window)
        if value is not None:
            limits[name] = float(value)
    return PolicyParams(
        limits=limits,
        exchange_limit=rules.get("exchange_limit") is not None,
        peak_valley_window=window,
        peak_valley_reading=rules.param("peak_valley_limit", "reading", "signed"),
    )


def sizing_params(ls: LoadedScenario, rules: ResolvedRules, inputs: ModelInputs) -> SizingParams:
    """Return the typed parameters of a scenario: costs annualised, rules resolved."""
    sc = ls.scenario
    rate = sc.finance.discount_rate
    techs = []
    for name in ("wind", "pv"):
        spec = getattr(sc.technologies, name)
        if spec is None:
            continue
        crf = capital_recovery_factor(rate, spec.lifetime_years)
        techs.append(
            TechParams(
                name=name,
                cost_yuan_per_mw_year=(crf * spec.capex_yuan_per_kw + spec.fixed_om_yuan_per_kw_year)
                * KW_PER_MW,
                capacity_mw=spec.capacity_mw,
                min_mw=spec.min_mw,
                max_mw=spec.max_mw,
            )
        )
    storage = None
    st = sc.technologies.storage
    if st is not None:
        crf = capital_recovery_factor(rate, st.lifetime_years)
        storage = StorageParams(
            power_cost_yuan_per_mw_year=(crf * st.power_capex_yuan_per_kw + st.fixed_om_yuan_per_kw_year)
            * KW_PER_MW,
            energy_cost_yuan_per_mwh_year=crf * st.energy_capex_yuan_per_kwh * KW_PER_MW,
            charge_efficiency=st.charge_efficiency,
            discharge_efficiency=st.discharge_efficiency,
            power_mw=st.power_mw,
            energy_mwh=st.energy_mwh,
            max_power_mw=st.max_power_mw,
            min_hours=st.min_hours,
            max_hours=st.max_hours,
            allow_grid_charging=st.allow_grid_charging,
        )
    grid = None
    if sc.project.mode == "grid":
        grid = GridParams(
            connection_mw=sc.project.connection_mw,
            connection_max_mw=sc.project.connection_max_mw,
            connection_cost_yuan_per_mw_year=sc.tariff.connection_charge_yuan_per_kw_month
            * 12
            * KW_PER_MW,
            td_charge_yuan_per_mwh=sc.tariff.td_charge_yuan_per_mwh,
            allow_export=rules.get("export_ban") is None,
        )
    return SizingParams(
        mode=sc.project.mode,
        renewables=tuple(techs),
        storage=storage,
        grid=grid,
        policy=policy_params(rules, inputs),
        funds_yuan_per_mwh=sc.tariff.funds_yuan_per_mwh,
        hydrogen=hydrogen_params(sc.hydrogen, rate, capital_recovery_factor),
        biomass=biomass_params(sc.technologies.biomass, rate, capital_recovery_factor),
    )
