"""Obligation scenarios: YAML schema (pydantic v2, unknown keys forbidden) and loading.

A scenario may ``extends:`` another YAML file (path relative to the file); mappings are merged
key by key, lists and values replaced, and an empty mapping ``{}`` clears the parent's. Every problem in a file is collected and raised once as a
:class:`~greenscen.errors.ScenarioError` naming the file and each field, expected and found.

Per-year inputs (consumption, caps, prices) are a number for every year or ``{year: value}``;
a year not listed takes the value of the latest earlier listed year (a step path), years before
the first listed take 0 for caps and an error for consumption.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from greenscen.errors import ScenarioError
from greenscen.obligations.carryover import CARRY_RULES
from greenscen.obligations.trajectories import METHODS
from greenscen.scenario.load import read_yaml_mapping, validation_problems


def _carry_rule(v: str | None) -> str | None:
    if v is not None and v not in CARRY_RULES:
        raise ValueError(f"expected one of {', '.join(CARRY_RULES)}")
    return v


# carry-over rule of an entity or enterprise (004 第二十二条, 000 (十一)); None = the default
CarryRule = Annotated[str | None, AfterValidator(_carry_rule)]

YearValues = float | dict[int, float]


def _non_negative(v: YearValues) -> YearValues:
    values = v.values() if isinstance(v, dict) else [v]
    bad = [x for x in values if x < 0]
    if bad:
        raise ValueError(f"expected MWh >= 0 in every year, found {bad[0]:g}")
    return v


def _positive(v: YearValues) -> YearValues:
    values = v.values() if isinstance(v, dict) else [v]
    bad = [x for x in values if x <= 0]
    if bad:
        raise ValueError(f"expected a consumption > 0 MWh in every year, found {bad[0]:g}")
    return v


# energy per year (MWh): one number for every year or {year: value}
NonNegativeYearValues = Annotated[YearValues, AfterValidator(_non_negative)]
PositiveYearValues = Annotated[YearValues, AfterValidator(_positive)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VolumesSpec(_Strict):
    """Hydro and non-hydro renewable MWh."""

    hydro_mwh: float = Field(0.0, ge=0)
    non_hydro_mwh: float = Field(0.0, ge=0)


class WeightsOverride(_Strict):
    total: float = Field(ge=0, le=1)
    non_hydro: float = Field(ge=0, le=1)
    source: str = "scenario value"


class TrajectorySpec(_Strict):
    method: str
    label: str | None = None
    provinces: list[str] | None = None
    total: dict = Field(default_factory=dict)
    non_hydro: dict = Field(default_factory=dict)

    @field_validator("method")
    @classmethod
    def _known(cls, v: str) -> str:
        if v not in METHODS:
            raise ValueError(f"expected one of {', '.join(METHODS)}")
        return v


class WeightsSection(_Strict):
    user_csv: str | None = None
    provinces: list[str] = Field(default_factory=lambda: ["内蒙古"])
    horizon: int = Field(2035, ge=2024, le=2060)
    trajectories: list[TrajectorySpec] = Field(
        default_factory=lambda: [
            TrajectorySpec(method="hold_last"),
            TrajectorySpec(method="linear_to_target"),
            TrajectorySpec(method="regional_step"),
        ]
    )


class EntityYearSpec(_Strict):
    year: int = Field(ge=2000, le=2100)
    consumption_mwh: float = Field(gt=0)
    exempt_agricultural_mwh: float = Field(0.0, ge=0)
    exempt_heating_mwh: float = Field(0.0, ge=0)
    guaranteed: VolumesSpec | Literal["allocated", "priority"] = Field(default_factory=VolumesSpec)
    market: VolumesSpec = Field(default_factory=VolumesSpec)
    self_generated: VolumesSpec = Field(default_factory=VolumesSpec)
    excess_bought: VolumesSpec = Field(default_factory=VolumesSpec)
    certificates_bought: VolumesSpec = Field(default_factory=VolumesSpec)
    excess_sold: VolumesSpec = Field(default_factory=VolumesSpec)
    certificates_sold: VolumesSpec = Field(default_factory=VolumesSpec)
    makeup_certificates: VolumesSpec = Field(default_factory=VolumesSpec)
    weights: WeightsOverride | None = None


class EntitySpec(_Strict):
    name: str
    kind: Literal["grid_company", "retailer", "market_user", "captive_plant"]
    province: str
    # a captive plant not connected to the public grid (未与公用电网联网): takes no guaranteed-
    # purchase allocation (002 五(四)); a grid-connected one does
    off_grid: bool = False
    carry_over_rule: CarryRule = None
    carried_in: dict[Literal["total", "non_hydro"], float] = Field(default_factory=dict)
    weights_method: str | None = None
    years: list[EntityYearSpec] = Field(min_length=1)

    @field_validator("weights_method")
    @classmethod
    def _method(cls, v):
        if v is not None and v not in METHODS:
            raise ValueError(f"expected one of {', '.join(METHODS)}")
        return v


class AllocationSpec(_Strict):
    province: str
    year: int
    guaranteed: VolumesSpec
    priority_consumption_mwh: dict[str, float] = Field(default_factory=dict)


class LossesSpec(_Strict):
    """Grid losses and plant own use of a province-year, shared by every obligated entity (002 三(二))."""

    province: str
    year: int
    grid_losses_mwh: float = Field(0.0, ge=0)
    plant_own_use_mwh: float = Field(0.0, ge=0)
    status: str = "assumption"
    source: str = "scenario value"


class TargetSpec(_Strict):
    by_year: dict[int, float] = Field(default_factory=dict)
    extend: Literal["hold_last", "linear_to_target"] = "hold_last"
    target: float | None = Field(None, ge=0, le=1)
    target_year: int | None = None

    @field_validator("by_year")
    @classmethod
    def _shares(cls, v):
        bad = {y: s for y, s in v.items() if not 0 <= s <= 1}
        if bad:
            raise ValueError(f"expected shares between 0 and 1, found {bad}")
        return v


class ClosedYear(_Strict):
    """Purchases already made in a closed year (MWh), incl. those of the 3-month make-up window."""

    direct_mwh: float = Field(0.0, ge=0)
    trading_mwh: float = Field(0.0, ge=0)
    certificates_mwh: float = Field(0.0, ge=0)
    makeup_certificates_mwh: float = Field(0.0, ge=0)
    # 004 第二十二条: make-up 「グリーン電力証書取引又はその他の市場化された取引方式により」 - by
    # certificates OR other market-based trading (green power trading bought in the window)
    makeup_trading_mwh: float = Field(0.0, ge=0)


class DirectRoute(_Strict):
    cost_yuan_per_mwh: YearValues | None = None
    max_mwh: YearValues = 0.0
    # A `greenscen run` output folder (relative to the scenario file): its incremental cost
    # per green MWh and its self-consumed MWh fill cost_yuan_per_mwh and max_mwh when not given.
    from_sizing: str | None = None


class TradingRoute(_Strict):
    premium_yuan_per_mwh: YearValues | None = None
    max_mwh: YearValues | None = None
    # share of traded green power whose certificates are not delivered in step with the energy
    # (「绿证与物理消纳绿电不同步」 is 证电分离, 000 二(一)); 0 = all traded power bundled
    unsynchronised_share: float = Field(0.0, ge=0, le=1)


class CertificateRoute(_Strict):
    price_yuan_per_mwh: YearValues | None = None
    max_mwh: YearValues | None = None


class Routes(_Strict):
    direct: DirectRoute = Field(default_factory=DirectRoute)
    trading: TradingRoute = Field(default_factory=TradingRoute)
    certificates: CertificateRoute = Field(default_factory=CertificateRoute)


class EnterpriseSpec(_Strict):
    name: str
    sector: str
    province: str
    first_year: int = Field(ge=2020, le=2060)
    last_year: int = Field(ge=2020, le=2060)
    consumption_mwh: PositiveYearValues
    target: TargetSpec = Field(default_factory=TargetSpec)
    carry_over_rule: CarryRule = None
    carried_in_mwh: float = Field(0.0, ge=0)
    closed_years: dict[int, ClosedYear] = Field(default_factory=dict)
    self_generated_mwh: NonNegativeYearValues = 0.0
    routes: Routes = Field(default_factory=Routes)
    bundled_min_share_of_green: float | None = Field(None, ge=0, le=1)
    zero_carbon_park: bool = False
    other_clean_mwh: NonNegativeYearValues = 0.0
    # The park's shares are park-wide (000 (六): 园区清洁能源消费占比): the rest of the park's
    # consumption and its green (physical / certificate) and other clean MWh, by year
    park_other_consumption_mwh: NonNegativeYearValues = 0.0
    park_other_bundled_mwh: NonNegativeYearValues = 0.0
    park_other_certificates_mwh: NonNegativeYearValues = 0.0
    # certificates of the firm's own bundled (physically consumed) energy sold on: must be 0
    # (000 二(二)); given so that the ledger can check it
    bundled_certificates_sold_mwh: NonNegativeYearValues = 0.0
    allow_planned_carry: bool = False
    carry_penalty_yuan_per_mwh: float = Field(0.0, ge=0)
    monthly_consumption_profile: list[float] | None = None
    # 004 第四条: non-electric energy (heat, fuels; tce by year) and the renewable part of it
    # (renewable heat/cooling, green H2/NH3/methanol, biofuels), for the energy basis of the share
    non_electric_energy_tce: NonNegativeYearValues = 0.0
    non_electric_renewable_tce: NonNegativeYearValues = 0.0
    # 004 第五条 移行期間: last year of the sector's transition period (no length in the seed;
    # user input); years up to it are reported, not assessed
    transition_until: int | None = None

    @field_validator("monthly_consumption_profile")
    @classmethod
    def _months(cls, v):
        if v is not None and (len(v) != 12 or min(v) < 0 or sum(v) <= 0):
            raise ValueError("expected 12 non-negative values with a positive sum")
        return v

    @model_validator(mode="after")
    def _years(self):
        if self.last_year < self.first_year:
            raise ValueError(
                f"last_year: expected >= first_year ({self.first_year}), found {self.last_year}"
            )
        outside = [y for y in self.closed_years if not self.first_year <= y <= self.last_year]
        if outside:
            raise ValueError(
                f"closed_years: expected years within {self.first_year}-{self.last_year}, found {outside}"
            )
        closed = sorted(self.closed_years)
        if closed and closed != list(range(self.first_year, self.first_year + len(closed))):
            raise ValueError(
                f"closed_years: expected the first years of the horizon in a row, found {closed}"
            )
        return self


class CarbonSpec(_Strict):
    region: str | None = None
    lag_years: int = Field(2, ge=0, le=5)


class CarbonRatingSpec(_Strict):
    """Carbon-finance rating of the enterprise in one year (seed 003); see data/carbon_rating.yaml."""

    year: int
    # the firm's own data by metric name of the tree (energy intensity, load factor, ...); wins
    # over the metrics greenscen computes from the ledger (green share, carbon intensity, trend)
    firm: dict[str, float] = Field(default_factory=dict)
    loan_principal_yuan: float = Field(0.0, ge=0)
    # 符合自治区绿色金融贷款准入条件 (seed 003): the bank's admission, a user input
    green_finance_admitted: bool = True
    tree: list[dict] | None = None
    grades: dict | None = None
    qualifying_grades: list[str] | None = None


class MonitoringSpec(_Strict):
    """Quarterly green-share view (000 二(三), 004 第十九条) from a sizing run's hourly output."""

    from_sizing: str
    year: int
    target_share: float | None = Field(None, ge=0, le=1)  # None = the enterprise target of year
    trading_mwh: list[float] | None = None  # 4 quarterly values
    certificates_mwh: list[float] | None = None


class ObligationScenario(_Strict):
    """An obligations scenario: weights and trajectories, an enterprise, obligated entities."""

    name: str
    title: str | None = None
    description: str | None = None
    extends: str | None = None
    lang: Literal["en", "zh"] = "en"
    weights: WeightsSection = Field(default_factory=WeightsSection)
    rules: dict[str, object] = Field(default_factory=dict)
    enterprise: EnterpriseSpec | None = None
    entities: list[EntitySpec] = Field(default_factory=list)
    allocation: list[AllocationSpec] = Field(default_factory=list)
    losses: list[LossesSpec] = Field(default_factory=list)
    carbon: CarbonSpec = Field(default_factory=CarbonSpec)
    carbon_rating: CarbonRatingSpec | None = None
    monitoring: MonitoringSpec | None = None

    @field_validator("rules")
    @classmethod
    def _known_rules(cls, v):
        from greenscen.obligations.data import load_yaml

        unknown = sorted(set(v) - set(load_yaml("rules.yaml")))
        if unknown:
            raise ValueError(f"expected rule names from data/rules.yaml, found unknown {unknown}")
        return v


def deep_merge(base: dict, over: dict) -> dict:
    """Return ``base`` updated by ``over``: mappings merged recursively, anything else replaced.

    An empty mapping ``{}`` in ``over`` clears the parent's mapping instead of merging into it.
    """
    out = dict(base)
    for k, v in over.items():
        merge = isinstance(v, dict) and v and isinstance(out.get(k), dict)
        out[k] = deep_merge(out[k], v) if merge else v
    return out


def _read_yaml(path: Path, chain: tuple[Path, ...] = ()) -> dict:
    if path in chain:
        raise ScenarioError(
            f"extends: expected no cycle, found {' -> '.join(map(str, (*chain, path)))}",
            source=str(path),
        )
    raw = read_yaml_mapping(path)
    parent = raw.get("extends")
    if parent:
        base_path = (path.parent / str(parent)).resolve()
        if not base_path.is_file():
            raise ScenarioError(
                f"extends: expected an existing scenario file, found {parent!r} ({base_path} "
                "does not exist; a relative path is taken from this file's folder)",
                source=str(path),
            )
        base = _read_yaml(base_path, (*chain, path))
        raw = deep_merge(base, raw)
    return raw


def scenario_from_dict(raw: dict, source: str | None = None) -> ObligationScenario:
    """Return the validated scenario; raise one ScenarioError listing every problem."""
    try:
        return ObligationScenario.model_validate(raw)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc), source=source) from None


def load_obligations_scenario(path: str | os.PathLike) -> ObligationScenario:
    """Return the scenario in ``path`` (following ``extends:``), validated."""
    p = Path(path).resolve()
    raw = _read_yaml(p)
    return scenario_from_dict(raw, source=str(path))


def year_values(
    value: YearValues | None,
    years: list[int],
    before_first: float | None = 0.0,
    default: float | None = None,
) -> list[float]:
    """Return a per-year list from a number or a ``{year: value}`` step path.

    Years before the first listed take ``before_first`` (None raises); ``None`` gives ``default``.
    """
    if value is None:
        return [default] * len(years)
    if isinstance(value, (int, float)):
        return [float(value)] * len(years)
    keys = sorted(int(k) for k in value)
    out = []
    for y in years:
        earlier = [k for k in keys if k <= y]
        if earlier:
            out.append(float(value[earlier[-1]]))
        elif before_first is None:
            raise ScenarioError(
                f"expected a value for {y} or an earlier year, found the first at {keys[0]}"
            )
        else:
            out.append(before_first)
    return out
