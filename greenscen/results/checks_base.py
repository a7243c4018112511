"""Shared pieces of the independent checks: design facts, tolerances, row builders."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.results import metrics as mt
from greenscen.rules.ruleset import KINDS, MODES, ResolvedRules

PHYSICS = "model physics"
COLUMNS = ("rule", "clause", "value", "limit", "unit", "ok", "margin", "margin_share", "note")
REQUIRED = (
    "duration_h", "load_mw", "available_mw", "curtailed_mw", "charge_mw", "discharge_mw",
    "soc_mwh", "import_mw", "export_mw",
)  # fmt: skip
NONNEGATIVE = REQUIRED[1:] + ("charge_grid_mw", "discharge_grid_mw", "soc_grid_mwh")


@dataclass(frozen=True)
class DesignFacts:
    """What compliance needs beyond the hourly dispatch: the design and the project's papers.

    Parameters
    ----------
    mode : {"grid", "off_grid"}
    kind : {"general", "hydrogen"}
    connection_mw : float
        Connection capacity chosen by the project, 接网容量 [MW] (四(一)); 0 for off-grid.
    storage_power_mw, storage_energy_mwh : float
        Storage power [MW] and energy [MWh] capacities.
    charge_efficiency, discharge_efficiency : float
        One-way efficiencies η_c, η_d in (0, 1] [-].
    capacities_mw : mapping
        Installed capacity per technology [MW], e.g. ``{"wind": 100, "pv": 50}``.
    connection_voltage_kv : float or None
        Connection voltage [kV] (三(三)); None when not given.
    security_assessment_done : bool
        The special power-system security assessment (三(三)) has been carried out.
    preapproval_date, source_request_date : date or None
        Hydrogen projects: pre-approval date and the date the source scale is requested (六(二)).
    load_construction_start_date : date or None
        Date the new load side started construction (开工) (六(二), both kinds of project).
    source_approval_date : date or None
        General projects: date the matching renewables are approved (核准/备案) (六(二)).
    load_investment_share : float or None
        Share of the load side's planned investment completed at the request [-] (六(二)).
    internal_contract_years : float or None
        Term of the internal purchase agreements [years] (五(一)).
    """

    mode: str
    kind: str
    connection_mw: float = 0.0
    storage_power_mw: float = 0.0
    storage_energy_mwh: float = 0.0
    charge_efficiency: float = 1.0
    discharge_efficiency: float = 1.0
    capacities_mw: Mapping[str, float] = field(default_factory=dict)
    connection_voltage_kv: float | None = None
    security_assessment_done: bool = False
    preapproval_date: date | None = None
    load_construction_start_date: date | None = None
    source_request_date: date | None = None
    source_approval_date: date | None = None
    load_investment_share: float | None = None
    internal_contract_years: float | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "capacities_mw", MappingProxyType(dict(self.capacities_mw)))
        problems = []
        if self.mode not in MODES:
            problems.append(f"facts.mode: expected one of {list(MODES)}, found {self.mode!r}")
        if self.kind not in KINDS:
            problems.append(f"facts.kind: expected one of {list(KINDS)}, found {self.kind!r}")
        for name in ("charge_efficiency", "discharge_efficiency"):
            v = getattr(self, name)
            if not 0 < v <= 1:
                problems.append(f"facts.{name}: expected a number in (0, 1], found {v}")
        for name in ("connection_mw", "storage_power_mw", "storage_energy_mwh"):
            if getattr(self, name) < 0:
                problems.append(
                    f"facts.{name}: expected a number >= 0, found {getattr(self, name)}"
                )
        if problems:
            raise ScenarioError(problems)


@dataclass(frozen=True)
class Tolerances:
    """Absolute tolerances of the checks: per-step power [MW], horizon energy [MWh],
    storage energy per step [MWh] and ratio of energies [-]."""

    power_mw: float
    energy_mwh: float
    soc_mwh: float
    ratio: float


def tolerances(hourly: pd.DataFrame, facts: DesignFacts, tol: float = 1e-6) -> Tolerances:
    """Return the tolerances of :func:`compliance_table`, scaled to the problem (module doc)."""
    scale = max(
        1.0, float(hourly["load_mw"].abs().max()), float(hourly["available_mw"].abs().max())
    )
    power = tol * scale
    energy = power * float(hourly["duration_h"].sum())
    soc = tol * max(1.0, facts.storage_energy_mwh, scale * float(hourly["duration_h"].max()))
    e_load = mt.energy_mwh(hourly["load_mw"], hourly["duration_h"])
    ratio = max(tol, energy / e_load) if e_load > 0 else tol
    return Tolerances(power_mw=power, energy_mwh=energy, soc_mwh=soc, ratio=ratio)


@dataclass
class _Ctx:
    hourly: pd.DataFrame
    rules: ResolvedRules
    facts: DesignFacts
    tol: Tolerances
    e: dict[str, float]

    def col(self, name: str) -> pd.Series:
        return mt.column_or_zero(self.hourly, name)


def _row(rule, clause, value, limit, unit, ok, sense=None, note="") -> dict[str, Any]:
    """One table row; ``sense`` "cap" (value <= limit) or "floor" (value >= limit) sets margin."""
    value = float("nan") if value is None else float(value)
    margin = share = float("nan")
    if sense is not None and limit is not None:
        margin = limit - value if sense == "cap" else value - limit
        share = margin / abs(limit) if limit != 0 else float("nan")
    return {
        "rule": rule, "clause": clause, "value": value,
        "limit": float("nan") if limit is None else float(limit), "unit": unit,
        "ok": None if ok is None else bool(ok), "margin": margin, "margin_share": share,
        "note": note,
    }  # fmt: skip


def _le(value: float, limit: float, tol: float) -> bool:
    return bool(value <= limit + tol)  # NaN compares False: an undefined value fails


def _cap(name, clause, value, limit, unit, tol, note="") -> dict[str, Any]:
    """A row for ``value <= limit`` within ``tol``."""
    return _row(name, clause, value, limit, unit, _le(value, limit, tol), "cap", note)


def _floor(name, clause, value, limit, unit, tol, note="") -> dict[str, Any]:
    """A row for ``value >= limit`` within ``tol``."""
    return _row(name, clause, value, limit, unit, _le(limit, value, tol), "floor", note)


def _ratio(num: float, den: float) -> float:
    return num / den if den != 0 else float("nan")


def _at(series: pd.Series) -> str:
    """'; largest at <time>' for notes, or '' when the series is nowhere positive."""
    if len(series) == 0 or not float(series.max()) > 0:
        return ""
    return f"; largest at {series.idxmax()}"
