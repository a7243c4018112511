"""Scenario values a session, a widget or a sweep may change, and the one variant helper.

A tweak is a scenario value as a planner thinks of it (the export cap, a storage capex, the
connection capacity, the year) with its path in the scenario file, its unit and its labels.
The rule tweaks are derived from the rule registry (``greenscen.rules.registry``): one per
rule with a tunable limit, with the registry's labels and the rule set's clause.

:func:`variant` is the one way to make an in-memory variant of a scenario: the overrides
are merged into the scenario's resolved form as if written in its YAML file, and validated
like a file (bad input stays :class:`~greenscen.errors.ScenarioError`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from greenscen.base.params import SizingParams
from greenscen.rules.registry import RULES, rule_label
from greenscen.scenario.load import LoadedScenario, deep_merge, load_scenario, scenario_from_dict


@dataclass(frozen=True)
class Tweak:
    """A scenario value a session can change: where it lives in the scenario, its unit, labels."""

    name: str
    path: tuple[str, ...]
    unit: str
    label_en: str
    label_zh: str
    slider: tuple[float, float, float] | None = None  # (min, max, step) of a widget control

    def override(self, value) -> dict:
        """Return the nested scenario mapping that sets this value."""
        out: dict = value
        for key in reversed(self.path):
            out = {key: out}
        return out

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang == "zh" else self.label_en


def _rule_tweaks() -> list[Tweak]:
    return [
        Tweak(r.tunable, ("rules", "overrides", r.name, r.param), r.unit, rule_label(r.name, "en"),
              rule_label(r.name, "zh"), r.slider)  # fmt: skip
        for r in RULES
        if r.tunable
    ]


_T = Tweak
TWEAKS: dict[str, Tweak] = {
    t.name: t
    for t in (
        _T("year", ("year",), "", "Year", "年份", (2025, 2035, 1)),
        *_rule_tweaks(),
        _T("storage_energy_capex_yuan_per_kwh", ("technologies", "storage", "energy_capex_yuan_per_kwh"),
           "yuan/kWh", "Storage energy capex", "储能容量造价", (100.0, 1000.0, 25.0)),
        _T("storage_power_capex_yuan_per_kw", ("technologies", "storage", "power_capex_yuan_per_kw"),
           "yuan/kW", "Storage power capex", "储能功率造价", (50.0, 800.0, 25.0)),
        _T("wind_capex_yuan_per_kw", ("technologies", "wind", "capex_yuan_per_kw"), "yuan/kW",
           "Wind capex", "风电造价", (2000.0, 6000.0, 100.0)),
        _T("pv_capex_yuan_per_kw", ("technologies", "pv", "capex_yuan_per_kw"), "yuan/kW",
           "PV capex", "光伏造价", (1500.0, 5000.0, 100.0)),
        _T("connection_mw", ("project", "connection_mw"), "MW",
           "Connection capacity (None = optimise)", "接网容量 (空 = 优化)", (0.0, 400.0, 5.0)),
        _T("td_charge_yuan_per_mwh", ("tariff", "td_charge_yuan_per_mwh"), "yuan/MWh",
           "T&D charge", "输配电价", (0.0, 300.0, 10.0)),
        _T("export_price_yuan_per_mwh", ("tariff", "export_price_yuan_per_mwh"), "yuan/MWh",
           "Export price", "上网电价", (0.0, 600.0, 10.0)),
    )
}  # fmt: skip


def tweak_overrides(values: Mapping[str, object]) -> dict:
    """Return the nested scenario overrides that set tweak ``values`` (name -> value)."""
    unknown = sorted(set(values) - set(TWEAKS))
    if unknown:
        raise KeyError(f"unknown tweak(s) {unknown}; expected some of {sorted(TWEAKS)}")
    over: dict = {}
    for name, value in values.items():
        over = deep_merge(over, TWEAKS[name].override(value))
    return over


def variant(base, overrides: Mapping | None = None, name: str | None = None,
            resolution_h: int | None = None) -> LoadedScenario:
    """Return ``base`` (path, bundled name, LoadedScenario or None) with ``overrides`` merged in.

    ``overrides`` are scenario keys as in a YAML file (mappings merge, lists and values are
    replaced); ``name`` renames the variant; ``resolution_h`` aggregates its time series
    (hours per step).
    """
    over = dict(overrides or {})
    if name:
        over["name"] = name
    if resolution_h:
        over = deep_merge(over, {"time": {"resolution_h": resolution_h}})
    if isinstance(base, LoadedScenario):
        if not over:
            return base
        return scenario_from_dict(deep_merge(base.resolved_dict(), over), base.base_dir, base.source)
    return load_scenario(str(base) if isinstance(base, Path) else base, **over)


def fixed_capacities(params: SizingParams) -> dict[str, float | None]:
    """Return each capacity the scenario fixes (MW or MWh), None where it is optimised."""
    out: dict[str, float | None] = {t.name: t.capacity_mw for t in params.renewables}
    if params.storage is not None:
        out["storage_mw"] = params.storage.power_mw
        out["storage_mwh"] = params.storage.energy_mwh
    if params.grid is not None:
        out["connection_mw"] = params.grid.connection_mw
    return out


def model_skeleton(params: SizingParams) -> SizingParams:
    """Return ``params`` with every mutable value blanked: equal skeletons share one model."""
    r = dataclasses.replace
    techs = tuple(r(t, cost_yuan_per_mw_year=0.0, capacity_mw=None) for t in params.renewables)
    st = params.storage and r(params.storage, power_cost_yuan_per_mw_year=0.0,
                              energy_cost_yuan_per_mwh_year=0.0, power_mw=None, energy_mwh=None)
    grid = params.grid and r(params.grid, connection_mw=None, connection_cost_yuan_per_mw_year=0.0,
                             td_charge_yuan_per_mwh=0.0)
    policy = r(params.policy, limits=dict.fromkeys(params.policy.limits, 0.0))
    return r(params, renewables=techs, storage=st, grid=grid, policy=policy, funds_yuan_per_mwh=0.0)
