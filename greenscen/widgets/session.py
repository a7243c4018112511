"""A sizing session: one built model, re-solved after each change of a scenario value.

A change is written the way a planner thinks of it (a scenario value: the export cap, a
storage capex, the connection capacity, the year), applied to the scenario as an in-memory
override, resolved again (pure and cheap: rules and typed parameters, not the time series)
and then passed to the *built* model as ``set_param`` / ``fix_capacity`` calls, so the model
is not rebuilt (Calliope's mutable-parameter backend is the pattern). Only a change that alters
the model's structure (a rule coming into or out of force with a new year, say) rebuilds it,
and the session counts and reports that.

The result of every solve is a full :class:`~greenscen.results.result.SizingResult` of the
changed scenario: its compliance table checks against the changed limits and its costs use
the changed prices.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greenscen.errors import GreenscenError
from greenscen.model.params import SizingParams, sizing_params
from greenscen.results.result import SizingResult
from greenscen.rules import ResolvedRules, load_rule_set, resolve_rules
from greenscen.scenario.inputs import ModelInputs
from greenscen.scenario.load import LoadedScenario, deep_merge, load_scenario, scenario_from_dict

ModelFactory = Callable[[ModelInputs, SizingParams, ResolvedRules], object]


@dataclass(frozen=True)
class Tweak:
    """A scenario value a session can change: where it lives in the scenario, its unit, labels."""

    name: str
    path: tuple[str, ...]
    unit: str
    label_en: str
    label_zh: str

    def override(self, value) -> dict:
        """Return the nested scenario mapping that sets this value."""
        out: dict = value
        for key in reversed(self.path):
            out = {key: out}
        return out

    def label(self, lang: str = "en") -> str:
        return self.label_zh if lang == "zh" else self.label_en


_T = Tweak
TWEAKS: dict[str, Tweak] = {
    t.name: t
    for t in (
        _T("year", ("year",), "", "Year", "年份"),
        _T("export_max_ratio", ("rules", "overrides", "export_ratio_cap", "max_ratio"), "share",
           "Export cap (三(一))", "上网电量比例上限 (三(一))"),
        _T("self_consumption_min", ("rules", "overrides", "self_consumption_min", "min_share"),
           "share", "Self-consumption floor (三(一))", "自发自用比例下限 (三(一))"),
        _T("peak_valley_limit", ("rules", "overrides", "peak_valley_limit", "limit"), "rate",
           "Peak-valley limit (四(三))", "交换功率峰谷差率上限 (四(三))"),
        _T("utilisation_min", ("rules", "overrides", "renewable_utilisation_min", "min_share"),
           "share", "Utilisation floor (四(三))", "新能源利用率下限 (四(三))"),
        _T("hydrogen_max_ratio", ("rules", "overrides", "hydrogen_generation_cap", "max_ratio"),
           "MWh/MWh", "Generation/load cap (三(一))", "发电量/用电量上限 (三(一))"),
        _T("storage_energy_capex_yuan_per_kwh", ("technologies", "storage", "energy_capex_yuan_per_kwh"),
           "yuan/kWh", "Storage energy capex", "储能容量造价"),
        _T("storage_power_capex_yuan_per_kw", ("technologies", "storage", "power_capex_yuan_per_kw"),
           "yuan/kW", "Storage power capex", "储能功率造价"),
        _T("wind_capex_yuan_per_kw", ("technologies", "wind", "capex_yuan_per_kw"), "yuan/kW",
           "Wind capex", "风电造价"),
        _T("pv_capex_yuan_per_kw", ("technologies", "pv", "capex_yuan_per_kw"), "yuan/kW",
           "PV capex", "光伏造价"),
        _T("connection_mw", ("project", "connection_mw"), "MW",
           "Connection capacity (None = optimise)", "接网容量 (空 = 优化)"),
        _T("td_charge_yuan_per_mwh", ("tariff", "td_charge_yuan_per_mwh"), "yuan/MWh",
           "T&D charge", "输配电价"),
        _T("export_price_yuan_per_mwh", ("tariff", "export_price_yuan_per_mwh"), "yuan/MWh",
           "Export price", "上网电价"),
    )
}

# TUNABLE model parameter -> how to read its value from typed parameters.
_TECH_COST = {"wind": "wind_cost_yuan_per_mw_year", "pv": "pv_cost_yuan_per_mw_year"}


def tunable_values(params: SizingParams) -> dict[str, float]:
    """Return the model's mutable parameter values (names of ``model.core.TUNABLE``) in ``params``."""
    out: dict[str, float] = {}
    for t in params.renewables:
        if t.name in _TECH_COST:
            out[_TECH_COST[t.name]] = t.cost_yuan_per_mw_year
    if params.storage is not None:
        out["storage_power_cost_yuan_per_mw_year"] = params.storage.power_cost_yuan_per_mw_year
        out["storage_energy_cost_yuan_per_mwh_year"] = params.storage.energy_cost_yuan_per_mwh_year
    if params.grid is not None:
        out["connection_cost_yuan_per_mw_year"] = params.grid.connection_cost_yuan_per_mw_year
        out["td_charge_yuan_per_mwh"] = params.grid.td_charge_yuan_per_mwh
    from greenscen.model.core import TUNABLE

    p = params.policy
    for name in ("hydrogen_max_ratio", "available_max_ratio", "export_max_ratio",
                 "self_consumption_min", "peak_valley_limit", "utilisation_min"):
        if getattr(p, name) is not None and name in TUNABLE:
            out[name] = float(getattr(p, name))
    return out


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
    p = params.policy
    marks = {k: (None if getattr(p, k) is None else 0.0) for k in (
        "hydrogen_max_ratio", "available_max_ratio", "export_max_ratio", "self_consumption_min", "peak_valley_limit",
        "utilisation_min")}
    return r(params, renewables=techs, storage=st, grid=grid, policy=r(p, **marks), funds_yuan_per_mwh=0.0)


def exact_factory(highs_options: dict | None = None) -> ModelFactory:
    """Return a factory building the full-resolution :class:`~greenscen.model.core.SizingModel`."""
    from greenscen.model.core import SizingModel

    def build(inputs: ModelInputs, params: SizingParams, rules: ResolvedRules):
        return SizingModel(inputs, params, [x.describe() for x in rules.rules], highs_options)

    return build


def model_factory(mode: str = "exact", highs_options: dict | None = None) -> ModelFactory:
    """Return the model factory of ``mode`` ("exact", or "fast" once ``greenscen.model.fast`` has one).

    A factory takes (inputs, params, rules) and returns an object with ``set_param(name, value)``,
    ``fix_capacity(name, value)`` and ``solve() -> Solution``.
    """
    if mode == "exact":
        return exact_factory(highs_options)
    if mode == "fast":
        try:
            from greenscen.model.fast import FastSizingModel
        except ImportError as exc:
            raise GreenscenError("mode 'fast' needs greenscen.model.fast.FastSizingModel") from exc

        def build_fast(inputs: ModelInputs, params: SizingParams, rules: ResolvedRules):
            return FastSizingModel(inputs, params, [x.describe() for x in rules.rules],
                                   highs_options=highs_options)

        return build_fast
    raise ValueError(f"mode must be 'exact' or 'fast', got {mode!r}")


def _load(scenario, resolution_h: int | None) -> LoadedScenario:
    over = {"time": {"resolution_h": resolution_h}} if resolution_h else {}
    if isinstance(scenario, LoadedScenario):
        if not over:
            return scenario
        return scenario_from_dict(deep_merge(scenario.resolved_dict(), over), scenario.base_dir,
                                  scenario.source)
    return load_scenario(str(scenario) if isinstance(scenario, Path) else scenario, **over)


class SizingSession:
    """A scenario, its built model and the values changed so far; ``update`` re-solves.

    Parameters
    ----------
    scenario : path, "bundled:<name>" or LoadedScenario
    mode : {"exact", "fast"}
        Which model to build (see :func:`model_factory`); ignored when ``factory`` is given.
    resolution_h : int, optional
        Aggregate the time series to this step (hours) for speed, e.g. 4 in a notebook.
    factory : callable, optional
        Builds the model from (inputs, params, rules); for a custom or reduced model.
    """

    def __init__(self, scenario=None, mode: str = "exact", resolution_h: int | None = None,
                 factory: ModelFactory | None = None, highs_options: dict | None = None):
        from greenscen.run import resolve

        self.base = _load(scenario, resolution_h)
        self.mode = mode
        self.factory = factory or model_factory(mode, highs_options)
        self.rules, self.inputs, self.params = resolve(self.base)
        self.loaded = self.base
        self.values: dict[str, object] = {}
        self.builds = 0
        self.solves = 0
        self.log: list[dict] = []
        self.result: SizingResult | None = None
        self._build()

    def _build(self) -> None:
        t0 = time.perf_counter()
        self.model = self.factory(self.inputs, self.params, self.rules)
        self.build_s = time.perf_counter() - t0
        self.builds += 1
        self._applied = tunable_values(self.params)
        self._fixed = fixed_capacities(self.params)

    def current(self, name: str):
        """Return the scenario value of tweak ``name`` now in force (None when absent)."""
        tw = TWEAKS[name]
        node = self.loaded.resolved_dict()
        for key in tw.path[:-1]:
            node = (node or {}).get(key) or {}
        value = node.get(tw.path[-1]) if isinstance(node, dict) else None
        if value is None and tw.path[0] == "rules":
            return self._applied.get(name)
        return value

    def available(self) -> list[str]:
        """Return the tweaks this scenario's model can take without a rebuild (and the year)."""
        present = set(self._applied) | {"year"}
        out = []
        for name, tw in TWEAKS.items():
            if tw.path[0] == "rules":
                ok = name in present
            elif name == "connection_mw":
                ok = self.params.grid is not None
            elif name == "export_price_yuan_per_mwh":
                ok = bool(self.params.grid and self.params.grid.allow_export and self._export_base())
            elif name == "td_charge_yuan_per_mwh":
                ok = self.params.grid is not None
            elif tw.path[0] == "technologies":
                ok = getattr(self.base.scenario.technologies, tw.path[1]) is not None
            else:
                ok = True
            if ok:
                out.append(name)
        return out

    def _export_base(self) -> float:
        return float(self.base.scenario.tariff.export_price_yuan_per_mwh)

    def _variant(self, values: dict) -> LoadedScenario:
        over: dict = {}
        for name, value in values.items():
            over = deep_merge(over, TWEAKS[name].override(value))
        if not over:
            return self.base
        return scenario_from_dict(deep_merge(self.base.resolved_dict(), over), self.base.base_dir,
                                  self.base.source)

    def _apply(self, ls: LoadedScenario) -> tuple[ResolvedRules, SizingParams, bool]:
        """Send the changed values to the model; return rules, params and whether it rebuilt."""
        sc = ls.scenario
        rules = resolve_rules(load_rule_set(sc.rules.set), sc.year, sc.project.kind, sc.project.mode,
                              sc.rules.overrides, existing_hydrogen=sc.project.existing_hydrogen,
                              source=ls.source)
        params = sizing_params(ls, rules, self.inputs)
        if model_skeleton(params) != model_skeleton(self.params):
            self.rules, self.params = rules, params
            self._build()
            return rules, params, True
        for name, value in tunable_values(params).items():
            if self._applied.get(name) != value:
                self.model.set_param(name, value)
                self._applied[name] = value
        if self.params.grid is not None and self._export_base():
            scale = float(sc.tariff.export_price_yuan_per_mwh) / self._export_base()
            if self._applied.get("export_price_scale", 1.0) != scale:
                self.model.set_param("export_price_scale", scale)
                self._applied["export_price_scale"] = scale
        for name, value in fixed_capacities(params).items():
            if self._fixed.get(name) != value:
                self.model.fix_capacity(name, value)
                self._fixed[name] = value
        if hasattr(self.model, "rules_in_play"):
            self.model.rules_in_play = [x.describe() for x in rules.rules]
        self.rules, self.params = rules, params
        return rules, params, False

    def update(self, **changes) -> SizingResult:
        """Set tweak values (see ``TWEAKS``; None restores the scenario's own), re-solve, return the result.

        >>> s = SizingSession("bundled:default", resolution_h=24)  # doctest: +SKIP
        >>> s.update(self_consumption_min=0.6).ratios()["self_consumption_share"] >= 0.6  # doctest: +SKIP
        True
        """
        from greenscen.run import assemble_result

        unknown = sorted(set(changes) - set(TWEAKS))
        if unknown:
            raise KeyError(f"unknown tweak(s) {unknown}; expected some of {sorted(TWEAKS)}")
        values = dict(self.values)
        for name, value in changes.items():
            if value is None and name != "connection_mw":
                values.pop(name, None)
            else:
                values[name] = value
        ls = self._variant(values)
        t0 = time.perf_counter()
        rules, params, rebuilt = self._apply(ls)
        t1 = time.perf_counter()
        sol = self.model.solve()
        t2 = time.perf_counter()
        extra: dict = {}
        if isinstance(sol, tuple):  # the fast model also reports how it sized and repaired
            sol, extra = sol
        self.values, self.loaded = values, ls
        self.solves += 1
        inputs = self.inputs
        if params.grid is not None and params.grid.allow_export and self._export_base():
            scale = float(ls.scenario.tariff.export_price_yuan_per_mwh) / self._export_base()
            inputs = dataclasses.replace(inputs, export_price_yuan_per_mwh=inputs.export_price_yuan_per_mwh * scale)
        session = {"changes": {k: v for k, v in changes.items()}, "rebuilt": rebuilt,
                   "apply_s": t1 - t0, "solve_s": t2 - t1, "builds": self.builds}
        self.result = assemble_result(ls, rules, inputs, params, sol, self.mode, extra | {"session": session})
        self.log.append(session | {"total_s": time.perf_counter() - t0})
        return self.result

    def solve(self) -> SizingResult:
        """Solve with the values set so far (the first solve of a new session)."""
        return self.update()

    def sweep(self, name: str, values: Iterable, restore: bool = True) -> pd.DataFrame:
        """Return one row per value of tweak ``name`` (capacities, costs, ratios, compliance).

        Each value is a re-solve of the same model; an infeasible value gives a row with
        ``status = "infeasible"``. The tweak's previous value is restored afterwards.
        """
        from greenscen.compare import result_row

        before = self.values.get(name)
        rows = []
        for v in values:
            try:
                res = self.update(**{name: v})
                row = result_row(res)
            except GreenscenError as exc:
                row = {"scenario": self.base.scenario.name, "status": "infeasible", "message": str(exc)}
            rows.append({name: v, **row, "solve_s": self.log[-1]["solve_s"] if self.log else None})
        if restore:
            self.values.pop(name, None)
            if before is not None:
                self.values[name] = before
        return pd.DataFrame(rows)
