"""Compare policy scenarios side by side: solve several, return one tidy row per scenario.

A scenario is a file, a ``bundled:<name>``, a :class:`LoadedScenario` or an in-memory
variant ``(base, {overrides})``::

    table = compare_scenarios({
        "2027 (cap 40%)": "scenarios/hydrogen_grid_2027.yaml",
        "2028 (cap 20%)": "scenarios/hydrogen_grid_2028.yaml",
        "2028, cap 30%": ("scenarios/hydrogen_grid_2028.yaml",
                          {"rules": {"overrides": {"export_ratio_cap": {"max_ratio": 0.3}}}}),
    }, resolution_h=4)

The table's columns: capacities (``wind_mw`` ... ``connection_mw``), costs (``cost_*_yuan``,
``total_annual_yuan``, ``cost_per_mwh_load_yuan``), ratios (``export_ratio`` ...), compliance
(``compliant``, ``failed_rules``, and per rule ``value:<rule>``, ``limit:<rule>``,
``margin:<rule>`` as a share of the limit), and ``status`` (``solved`` / ``infeasible``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from greenscen.errors import GreenscenError
from greenscen.results.result import CAPACITY_KEYS, SizingResult
from greenscen.rules.registry import RULES
from greenscen.scenario.load import LoadedScenario
from greenscen.session import error_status
from greenscen.tweaks import variant

# Rules whose value/limit/margin go into the table: every rule of the registry the LP
# enforces (the validations and physics checks stay in the result's compliance table).
POLICY_RULES = tuple(r.name for r in RULES if r.lp_row or r.scope == "structure")
CAPACITY_COLUMNS = tuple(dict.fromkeys(CAPACITY_KEYS.values()))
RATIO_COLUMNS = ("export_ratio", "self_consumption_share", "generation_to_load_ratio", "renewable_utilisation")
__all__ = ["compare_scenarios", "comparison_table", "result_row", "solve_scenarios", "variant"]


def _as_loaded(spec, resolution_h: int | None) -> LoadedScenario:
    if isinstance(spec, tuple):
        base, over = spec
        return variant(base, over, resolution_h=resolution_h)
    return variant(spec, None, resolution_h=resolution_h)


def _labelled(scenarios) -> dict[str, object]:
    if isinstance(scenarios, Mapping):
        return {str(k): v for k, v in scenarios.items()}
    out: dict[str, object] = {}
    for spec in scenarios:
        base = spec[0] if isinstance(spec, tuple) else spec
        key = base.scenario.name if isinstance(base, LoadedScenario) else Path(str(base).split(":")[-1]).stem
        while key in out:
            key += "'"
        out[key] = spec
    return out


def solve_scenarios(scenarios: Mapping | Iterable, solve_mode: str = "exact",
                    resolution_h: int | None = None, progress=None,
                    *, mode: str | None = None) -> dict[str, SizingResult | GreenscenError]:
    """Return each scenario's result by label; a scenario that cannot be solved maps to its error.

    ``progress(label, index, total)``, when given, is called before each scenario is solved.
    """
    from greenscen.session import SizingSession

    out: dict[str, SizingResult | GreenscenError] = {}
    labelled = _labelled(scenarios)
    for i, (label, spec) in enumerate(labelled.items()):
        if progress is not None:
            progress(label, i, len(labelled))
        t0 = time.perf_counter()
        try:
            ls = _as_loaded(spec, resolution_h)
            res = SizingSession(ls, solve_mode=mode or solve_mode, diagnose=True).solve()
            res.extra.pop("session", None)
            res.extra.setdefault("compare", {})["wall_s"] = time.perf_counter() - t0
            out[label] = res
        except GreenscenError as exc:
            out[label] = exc
    return out


def result_row(result: SizingResult) -> dict:
    """Return one tidy row of a result: identity, capacities, costs, ratios and compliance."""
    sc = result.loaded.scenario
    row: dict = {
        "scenario": result.name,
        "year": sc.year,
        "kind": sc.project.kind,
        "mode": sc.project.mode,
        "resolution_h": sc.time.resolution_h,
        "status": "solved",
    }
    for key in CAPACITY_COLUMNS:
        row[key] = float(result.capacities.get(key, 0.0))
    for key, value in result.cost.items():
        if key in ("total_annual_yuan", "cost_per_mwh_load_yuan"):
            row[key] = value
        else:
            row[f"cost_{key}"] = value
    row.update(result.ratios())
    row["load_mwh"] = result.energy["load_mwh"]
    row["export_mwh"] = result.energy["export_mwh"]
    h2 = result.extra.get("hydrogen")
    if h2:  # a sized electrolyser: output, use and levelised cost (results.hydrogen)
        for key in ("delivered_t_per_year", "full_load_hours", "lcoh_yuan_per_kg"):
            row[key] = float(h2[key])
    row["compliant"] = result.compliant
    comp = result.compliance.set_index("rule")
    failed = [r for r, ok in comp["ok"].items() if ok is False]
    row["failed_rules"] = ", ".join(failed)
    for rule in POLICY_RULES:
        if rule in comp.index:
            r = comp.loc[rule]
            row[f"value:{rule}"] = _float(r["value"])
            row[f"limit:{rule}"] = _float(r["limit"])
            row[f"margin:{rule}"] = _float(r.get("margin_share"))
    row["solve_s"] = float(result.timings.get("solve_s", float("nan")))
    return row


def _float(v) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def comparison_table(results: Mapping[str, SizingResult | Exception]) -> pd.DataFrame:
    """Return the tidy comparison table (index: scenario label) of solved results and errors."""
    rows = []
    for label, res in results.items():
        if isinstance(res, SizingResult):
            rows.append({"label": label, **result_row(res)})
        else:
            rows.append({"label": label, "status": error_status(res),
                         "message": str(res).splitlines()[0]})  # fmt: skip
    return pd.DataFrame(rows).set_index("label")


def compare_scenarios(scenarios: Mapping | Iterable, solve_mode: str = "exact",
                      resolution_h: int | None = None, progress=None,
                      *, mode: str | None = None) -> pd.DataFrame:
    """Solve every scenario and return the comparison table, one row per scenario.

    Parameters
    ----------
    scenarios : mapping label -> scenario, or a list of scenarios
        Each a path, ``"bundled:<name>"``, LoadedScenario or ``(base, overrides)``.
    solve_mode : {"exact", "fast"} (``mode`` is an older name)
    resolution_h : int, optional
        Aggregate every scenario to this step (hours) - for quick comparisons in a notebook.
    progress : callable, optional
        ``progress(label, index, total)`` before each scenario.
    """
    results = solve_scenarios(scenarios, mode or solve_mode, resolution_h, progress)
    return comparison_table(results)
