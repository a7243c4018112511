"""The scenario schema: what a scenario YAML may contain, with units in every name.

Pydantic models with ``extra="forbid"`` so that a misspelt key is reported, not ignored.
A capacity left as ``null`` is optimised (within ``min_mw``/``max_mw``); a number fixes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from greenscen.scenario.biomass import BiomassSpec
from greenscen.scenario.hydrogen import HydrogenSpec
from greenscen.scenario.planning import PlanningSpec

# SPEC A 二: eligible load categories of the Inner Mongolia multi-user plan.
USER_CATEGORIES = {
    "new_load": "新增负荷 (二(一))",
    "hydrogen_fuel": "氢基绿色燃料: green H2 / NH3 / methanol / SAF (二(二))",
    "hydrogen_service": "loads serving a built hydrogen project (二(二))",
    "export_oriented": "降碳刚性需求出口外向型企业 (二(三))",
    "data_centre": "和林格尔数据中心集群 (二(四))",
    "electrolytic_aluminium": "电解铝 (二(五))",
    "zero_carbon_park": "国家级零碳园区 (二(六))",
    "free_trade_zone": "呼和浩特/满洲里/二连浩特自贸片区 (二(七))",
    "steel": "钢铁 (二(八))",
    "cement": "水泥 (二(八))",
    "polysilicon": "多晶硅 (二(八))",
}
UserCategory = Literal[tuple(USER_CATEGORIES)]  # type: ignore[valid-type]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LoadSpec(_Model):
    """A user's load: a bundled shape scaled to annual MWh or peak MW, or the user's own CSV (MW)."""

    shape: str | None = None
    annual_mwh: float | None = Field(None, gt=0)
    peak_mw: float | None = Field(None, gt=0)
    csv: str | None = None
    column: str | None = None

    @model_validator(mode="after")
    def _one_source(self):
        if self.csv is None and self.shape is None:
            raise ValueError("give either shape (with annual_mwh or peak_mw) or csv")
        if self.csv is not None and self.shape is not None:
            raise ValueError("give shape or csv, not both")
        if self.shape is not None and (self.annual_mwh is None) == (self.peak_mw is None):
            raise ValueError("a bundled shape needs exactly one of annual_mwh, peak_mw")
        if self.csv is not None and (self.annual_mwh is not None or self.peak_mw is not None):
            raise ValueError("a CSV load is in MW as given; annual_mwh/peak_mw do not apply")
        return self


class User(_Model):
    """One internal user (a legal entity) of the project."""

    name: str = Field(min_length=1, pattern=r"^[^:,\n]+$")
    category: UserCategory
    load: LoadSpec | None = None  # None only for the electrolyser user of ``hydrogen:``
    online_from: dt.date | None = None  # batch commissioning (三(一), 三(四)): no load before


class SiteSpec(_Model):
    """The site: a bundled one by id, and/or the user's own capacity-factor CSV per technology."""

    name: str | None = None
    csv: dict[str, str] | None = None

    @model_validator(mode="after")
    def _some_source(self):
        if self.name is None and not self.csv:
            raise ValueError("give a bundled site name or csv files per technology")
        return self


def _unit_hint(value: float, low: float, unit: str, other: str, factor: float) -> str | None:
    """Return a hint when a positive value is implausibly small for ``unit`` (likely ``other``)."""
    if 0 < value < low:
        return f"expected {unit}, found {value:g}, which looks like {other} (x{factor:g} = {value * factor:g} {unit}?)"
    return None


class RenewableSpec(_Model):
    """A renewable technology: costs and its capacity (null = optimise)."""

    capex_yuan_per_kw: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_yuan_per_kw_year: float = Field(0.0, ge=0)
    capacity_mw: float | None = Field(None, ge=0)
    min_mw: float = Field(0.0, ge=0)
    max_mw: float | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _units(self):
        hint = _unit_hint(self.capex_yuan_per_kw, 50, "yuan/kW", "yuan/W", 1000)
        if hint:
            raise ValueError(f"capex_yuan_per_kw: {hint}")
        return self


class StorageSpec(_Model):
    """Battery storage: power and energy costs, efficiencies, capacities (null = optimise)."""

    power_capex_yuan_per_kw: float = Field(ge=0)
    energy_capex_yuan_per_kwh: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_yuan_per_kw_year: float = Field(0.0, ge=0)
    charge_efficiency: float = Field(0.95, gt=0, le=1)
    discharge_efficiency: float = Field(0.95, gt=0, le=1)
    power_mw: float | None = Field(None, ge=0)
    energy_mwh: float | None = Field(None, ge=0)
    max_power_mw: float | None = Field(None, ge=0)
    min_hours: float = Field(0.0, ge=0)
    max_hours: float | None = Field(None, gt=0)
    allow_grid_charging: bool = False

    @model_validator(mode="after")
    def _units(self):
        hints = [
            ("power_capex_yuan_per_kw", _unit_hint(self.power_capex_yuan_per_kw, 5, "yuan/kW", "yuan/W", 1000)),
            ("energy_capex_yuan_per_kwh", _unit_hint(self.energy_capex_yuan_per_kwh, 5, "yuan/kWh", "yuan/Wh", 1000)),
        ]
        problems = [f"{k}: {h}" for k, h in hints if h]
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Technologies(_Model):
    wind: RenewableSpec | None = None
    pv: RenewableSpec | None = None
    storage: StorageSpec | None = None
    biomass: BiomassSpec | None = None  # dispatchable biomass plant (greenscen.model.biomass)


class Finance(_Model):
    discount_rate: float = Field(ge=0, lt=1, description="a fraction: 0.06 for 6%")


class TouPeriod(_Model):
    price: float = Field(ge=0)
    hours: list[int]


class Tariff(_Model):
    """Grid tariff. Prices in yuan/MWh; the connection charge in yuan per kW per month."""

    energy_price_yuan_per_mwh: float | dict[str, TouPeriod]
    td_charge_yuan_per_mwh: float = Field(0.0, ge=0)
    funds_yuan_per_mwh: float = Field(0.0, ge=0)
    connection_charge_yuan_per_kw_month: float = Field(0.0, ge=0)
    export_price_yuan_per_mwh: float = Field(0.0, ge=0)

    @model_validator(mode="after")
    def _tou_covers_day(self):
        price = self.energy_price_yuan_per_mwh
        if isinstance(price, dict):
            owners: dict[int, list[str]] = {}
            for name, period in price.items():
                for h in period.hours:
                    owners.setdefault(h, []).append(name)
            missing = [h for h in range(24) if h not in owners]
            shared = {h: names for h, names in sorted(owners.items()) if len(names) > 1}
            outside = sorted(h for h in owners if not 0 <= h <= 23)
            found = []
            if missing:
                found.append(f"hours {_hour_list(missing)} in no period")
            for h, names in shared.items():
                found.append(f"hour {h} in {' and '.join(names)}")
            if outside:
                found.append(f"hours {outside} outside 0-23")
            if found:
                raise ValueError("energy_price_yuan_per_mwh: expected time-of-use periods that "
                                 f"cover hours 0-23 exactly once, found {'; '.join(found)}")
        elif price < 0:
            raise ValueError(f"expected a price >= 0, found {price}")
        prices = [("energy_price_yuan_per_mwh", p.price) for p in price.values()] if isinstance(price, dict) else [("energy_price_yuan_per_mwh", price)]
        prices += [
            ("td_charge_yuan_per_mwh", self.td_charge_yuan_per_mwh),
            ("funds_yuan_per_mwh", self.funds_yuan_per_mwh),
            ("export_price_yuan_per_mwh", self.export_price_yuan_per_mwh),
        ]
        problems = []
        for key, value in prices:
            hint = _unit_hint(value, 2, "yuan/MWh", "yuan/kWh", 1000)
            if hint:
                problems.append(f"{key}: {hint}")
        if problems:
            raise ValueError("\n".join(dict.fromkeys(problems)))
        return self


def _hour_list(hours: list[int]) -> str:
    """Return hours as ranges, e.g. [0, 1, 2, 7] -> '0-2, 7'."""
    parts, start = [], None
    for i, h in enumerate(hours):
        if start is None:
            start = h
        if i + 1 == len(hours) or hours[i + 1] != h + 1:
            parts.append(f"{start}-{h}" if h != start else f"{h}")
            start = None
    return ", ".join(parts)


class Project(_Model):
    """Project-level facts: kind, mode, connection and the data the validations need."""

    kind: Literal["general", "hydrogen"]
    mode: Literal["grid", "off_grid"]
    existing_hydrogen: bool = False
    connection_mw: float | None = Field(None, ge=0)
    connection_max_mw: float | None = Field(None, ge=0)
    connection_voltage_kv: float | None = Field(None, gt=0)
    security_assessment_done: bool = False
    internal_contract_years: float | None = Field(None, gt=0)
    preapproval_date: dt.date | None = None
    load_construction_start_date: dt.date | None = None
    source_request_date: dt.date | None = None
    source_approval_date: dt.date | None = None
    load_investment_share: float | None = Field(None, ge=0, le=1)


class RulesSpec(_Model):
    set: str = "inner_mongolia_multiuser"
    overrides: dict[str, dict[str, float | int | str | bool | None]] = Field(default_factory=dict)


class TimeSpec(_Model):
    resolution_h: int = Field(1, ge=1, le=24)

    @model_validator(mode="after")
    def _divides_day(self):
        if 24 % self.resolution_h:
            raise ValueError(f"resolution_h must divide 24 (1, 2, 3, 4, 6, 8, 12, 24), found {self.resolution_h}")
        return self


class Scenario(_Model):
    """A complete direct-connection sizing scenario."""

    name: str = Field(min_length=1)
    description: str = ""
    year: int
    project: Project
    users: list[User] = Field(min_length=1)
    site: SiteSpec
    technologies: Technologies
    finance: Finance
    tariff: Tariff
    rules: RulesSpec = Field(default_factory=RulesSpec)
    time: TimeSpec = Field(default_factory=TimeSpec)
    planning: PlanningSpec | None = None  # a horizon of years (greenscen.scenario.planning)
    hydrogen: HydrogenSpec | None = None  # a sized electrolyser chain (greenscen.model.hydrogen)

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        names = [u.name for u in self.users]
        dups = sorted({n for n in names if names.count(n) > 1})
        if dups:
            problems.append(f"users: user names must be unique, found {dups} more than once")
        if self.project.mode == "off_grid" and self.project.connection_mw:
            problems.append(
                "project.connection_mw: an off-grid project has no connection to the public grid; "
                f"expected null or 0, found {self.project.connection_mw}"
            )
        if self.project.kind == "hydrogen" and not any(
            u.category == "hydrogen_fuel" for u in self.users
        ):
            problems.append(
                "users: a hydrogen-fuel project needs at least one user of category hydrogen_fuel"
            )
        last = self.planning.last_year if self.planning else self.year
        if self.planning and self.planning.first_year is not None and self.planning.first_year != self.year:
            problems.append(f"planning.first_year: expected the scenario's year {self.year} "
                            f"(the profiles' year), found {self.planning.first_year}")
        for i, u in enumerate(self.users):
            if u.online_from is not None and u.online_from.year > last:
                problems.append(
                    f"users[{i}].online_from: expected a date in or before {last}, "
                    f"found {u.online_from} (the user has no load in the scenario year)"
                    if not self.planning else
                    f"users[{i}].online_from: expected a date in or before the horizon's last "
                    f"year {last}, found {u.online_from}"
                )
        problems += _hydrogen_problems(self)
        if self.project.existing_hydrogen and self.project.kind != "hydrogen":
            problems.append("project.existing_hydrogen: only meaningful for kind hydrogen")
        t = self.technologies
        if t.wind is None and t.pv is None and t.biomass is None:
            problems.append("technologies: at least one of wind, pv, biomass is needed")
        if t.storage and t.storage.allow_grid_charging and self.project.mode == "off_grid":
            problems.append("technologies.storage.allow_grid_charging: an off-grid project has no grid")
        for tech in ("wind", "pv"):
            spec = getattr(t, tech)
            if spec and spec.max_mw is not None and spec.min_mw > spec.max_mw:
                problems.append(f"technologies.{tech}: min_mw {spec.min_mw} exceeds max_mw {spec.max_mw}")
        if problems:
            raise ValueError("\n".join(problems))
        return self


def _hydrogen_problems(sc: Scenario) -> list[str]:
    """Return what is wrong between ``hydrogen:`` and the users (each naming field, expected, found)."""
    h = sc.hydrogen
    problems = []
    for i, u in enumerate(sc.users):
        if u.load is None and (h is None or u.name != h.user):
            problems.append(f"users[{i}].load: expected a load (shape or csv) for user {u.name!r}, "
                            "found none (only the electrolyser user of hydrogen: may have none)")
    if h is None:
        return problems
    users = {u.name: u for u in sc.users}
    if h.user not in users:
        problems.append(f"hydrogen.user: expected the name of a user, found {h.user!r} "
                        f"(users: {sorted(users)})")
    else:
        u = users[h.user]
        if u.category != "hydrogen_fuel":
            problems.append(f"hydrogen.user: expected a user of category hydrogen_fuel, found "
                            f"{h.user!r} of category {u.category}")
        if u.load is not None:
            problems.append(f"users[{sc.users.index(u)}].load: the electrolyser user {h.user!r} "
                            "takes its load from hydrogen.electrolyser; expected no load, found one")
    if sc.project.kind != "hydrogen":
        problems.append(f"hydrogen: expected project.kind hydrogen, found {sc.project.kind}")
    return problems
