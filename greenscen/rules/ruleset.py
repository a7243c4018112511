"""Load a policy rule set and resolve the rules that apply to one project and year.

A rule set is a YAML file (``greenscen/rules/sets/<id>.yaml``, or a user's own file) in
which every quantitative rule carries its clause, the project kinds and modes it applies
to and its parameters, each either one value or a list of ``by_year`` blocks. Resolution
picks the rules for the project's kind, mode and year, applies the scenario's overrides
and returns a frozen :class:`ResolvedRules`; model and compliance code read only that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from greenscen.errors import ScenarioError

SETS_DIR = Path(__file__).parent / "sets"
KINDS = ("general", "hydrogen")
MODES = ("grid", "off_grid")
PARAM_TYPES = ("fraction", "ratio", "kv", "years", "window", "limit", "reading")
WINDOWS = ("D", "M", "Y")
# Readings of the peak-valley rate (四(三)), see README "Peak-valley readings".
PEAK_VALLEY_READINGS = ("auto", "signed", "connection")


@dataclass(frozen=True)
class RuleSet:
    """A parsed rule set: its id, title, valid year range and raw rule definitions."""

    id: str
    title: str
    years: tuple[int, int]
    rules: Mapping[str, Mapping[str, Any]]
    source: str


@dataclass(frozen=True)
class ResolvedRule:
    """One rule in force for a project: name, clause, summary and resolved parameters."""

    name: str
    clause: str
    summary: str
    params: Mapping[str, Any]
    overridden: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return 'name (clause): params' for messages."""
        ps = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name} ({self.clause})" + (f": {ps}" if ps else "")


@dataclass(frozen=True)
class ResolvedRules:
    """The rules in force for one project: a year, a kind, a mode and the rules themselves."""

    ruleset_id: str
    year: int
    kind: str
    mode: str
    rules: tuple[ResolvedRule, ...] = field(default_factory=tuple)

    def get(self, name: str) -> ResolvedRule | None:
        """Return the rule called ``name`` when it is in force, else None."""
        for r in self.rules:
            if r.name == name:
                return r
        return None

    def param(self, name: str, key: str, default: Any = None) -> Any:
        """Return parameter ``key`` of rule ``name``, or ``default`` when the rule is not in force."""
        r = self.get(name)
        if r is None:
            return default
        return r.params.get(key, default)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)

    def to_dict(self) -> dict:
        """Return a JSON-ready description (stored in summary.json with the results)."""
        return {
            "ruleset": self.ruleset_id,
            "year": self.year,
            "kind": self.kind,
            "mode": self.mode,
            "rules": {
                r.name: {"clause": r.clause, "params": dict(r.params), "overridden": list(r.overridden)}
                for r in self.rules
            },
        }


def available_rule_sets() -> list[str]:
    """Return the ids of the bundled rule sets."""
    return sorted(p.stem for p in SETS_DIR.glob("*.yaml"))


def load_rule_set(name_or_path: str | Path) -> RuleSet:
    """Return the rule set with bundled id ``name_or_path`` or read from that YAML path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SETS_DIR / f"{name_or_path}.yaml"
        if not path.exists():
            raise ScenarioError(
                f"rules.set: expected one of {available_rule_sets()} or a YAML path, "
                f"found {str(name_or_path)!r}"
            )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"cannot read rule set: {exc}", source=str(path)) from None
    problems = _check_rule_set(raw)
    if problems:
        raise ScenarioError(problems, source=str(path))
    return RuleSet(
        id=raw["id"],
        title=raw.get("title_en", raw["id"]),
        years=(int(raw["years"][0]), int(raw["years"][1])),
        rules=raw["rules"],
        source=str(path),
    )


def _check_rule_set(raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return ["expected a mapping at the top level"]
    problems = []
    for key in ("id", "years", "rules"):
        if key not in raw:
            problems.append(f"{key}: required, missing")
    if problems:
        return problems
    for name, rule in raw["rules"].items():
        if "clause" not in rule:
            problems.append(f"rules.{name}.clause: every rule needs its clause")
        for k in rule.get("kinds", []):
            if k not in KINDS:
                problems.append(f"rules.{name}.kinds: expected {KINDS}, found {k!r}")
        for m in rule.get("modes", []) + rule.get("optional_modes", []):
            if m not in MODES:
                problems.append(f"rules.{name}.modes: expected {MODES}, found {m!r}")
        for pname, p in (rule.get("params") or {}).items():
            if p.get("type") not in PARAM_TYPES:
                problems.append(f"rules.{name}.params.{pname}.type: expected one of {PARAM_TYPES}")
            if ("value" in p) == ("by_year" in p):
                problems.append(f"rules.{name}.params.{pname}: give exactly one of value, by_year")
    return problems


def _value_for_year(rule: str, pname: str, spec: Mapping[str, Any], year: int, rs: RuleSet) -> Any:
    if "value" in spec:
        return spec["value"]
    for block in spec["by_year"]:
        first, last = block["years"]
        if first <= year <= last:
            return block["value"]
    raise ScenarioError(
        f"year: rule {rule}.{pname} of rule set {rs.id} has no value for {year}", source=rs.source
    )


def check_param_value(rule: str, pname: str, ptype: str, value: Any) -> str | None:
    """Return a problem message when ``value`` is not valid for a parameter of type ``ptype``."""
    where = f"rules.overrides.{rule}.{pname}"
    if ptype == "window":
        if value not in WINDOWS:
            return f"{where}: expected one of {list(WINDOWS)}, found {value!r}"
        return None
    if ptype == "reading":
        if value not in PEAK_VALLEY_READINGS:
            return f"{where}: expected one of {list(PEAK_VALLEY_READINGS)}, found {value!r}"
        return None
    if ptype == "limit" and value == "load":
        return None
    if value is None and ptype == "ratio":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{where}: expected a number, found {value!r}"
    if ptype == "fraction" and not 0 <= value <= 1:
        return f"{where}: expected a fraction between 0 and 1, found {value}"
    if ptype in ("ratio", "limit") and value < 0:
        return f"{where}: expected a number >= 0, found {value}"
    if ptype == "limit" and value > 1:
        return (
            f"{where}: expected a peak-valley rate between 0 and 1 (or 'load'), found {value}; "
            "to let a project import and export on the same day under a limit <= 1, use "
            "reading: connection (the swing relative to the connection capacity)"
        )
    if ptype in ("kv", "years") and value <= 0:
        return f"{where}: expected a number > 0, found {value}"
    return None


def resolve_rules(
    rs: RuleSet,
    year: int,
    kind: str,
    mode: str,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    existing_hydrogen: bool = False,
    source: str | None = None,
) -> ResolvedRules:
    """Return the rules of ``rs`` in force for a project of ``kind`` and ``mode`` in ``year``.

    Parameters
    ----------
    rs : RuleSet
    year : int
        The assessment year; must lie in the rule set's year range.
    kind : {"general", "hydrogen"}
    mode : {"grid", "off_grid"}
    overrides : mapping, optional
        ``{rule: {param: value, "enabled": bool}}``. ``enabled: false`` switches a rule off;
        ``enabled: true`` switches on a rule in one of its ``optional_modes``. Overriding a
        rule whose kinds exclude the project's kind is an error.
    existing_hydrogen : bool
        A built hydrogen project absorbing other loads may not export (二(二)): the export
        ban applies to it instead of the export-ratio cap.
    """
    overrides = dict(overrides or {})
    problems: list[str] = []
    lo, hi = rs.years
    if not lo <= year <= hi:
        raise ScenarioError(
            f"year: expected a year within the rule set {rs.id}'s range {lo}-{hi}, found {year}",
            source=source,
        )
    for name in overrides:
        if name not in rs.rules:
            problems.append(
                f"rules.overrides.{name}: unknown rule; expected one of {sorted(rs.rules)}"
            )
    resolved = []
    for name, rule in rs.rules.items():
        ov = dict(overrides.get(name) or {})
        kinds, modes = rule.get("kinds", list(KINDS)), rule.get("modes", list(MODES))
        optional = rule.get("optional_modes", [])
        if existing_hydrogen and kind == "hydrogen":
            if name == "export_ban" and mode == "grid":
                kinds = kinds + ["hydrogen"]
            if name == "export_ratio_cap":
                kinds = [k for k in kinds if k != "hydrogen"]
        if kind not in kinds:
            if ov:
                problems.append(
                    f"rules.overrides.{name}: this rule applies to {'/'.join(kinds) or 'no'} "
                    f"projects; this project's kind is {kind}"
                )
            continue
        enabled = ov.pop("enabled", None)
        if enabled is not None and not isinstance(enabled, bool):
            problems.append(f"rules.overrides.{name}.enabled: expected true or false, found {enabled!r}")
            continue
        in_mode = mode in modes or (mode in optional and enabled is True)
        if not in_mode:
            if ov or enabled:
                problems.append(
                    f"rules.overrides.{name}: this rule applies to {'/'.join(modes)} projects"
                    + (f" (optionally {'/'.join(optional)})" if optional else "")
                    + f"; this project's mode is {mode}"
                )
            continue
        if enabled is False:
            continue
        params = {}
        specs = rule.get("params") or {}
        for pname, spec in specs.items():
            params[pname] = _value_for_year(name, pname, spec, year, rs)
        for pname, value in ov.items():
            if pname not in specs:
                problems.append(
                    f"rules.overrides.{name}.{pname}: unknown parameter; expected one of "
                    f"{sorted(specs) + ['enabled']}"
                )
                continue
            msg = check_param_value(name, pname, specs[pname]["type"], value)
            if msg:
                problems.append(msg)
                continue
            params[pname] = value
        resolved.append(
            ResolvedRule(
                name=name,
                clause=str(rule["clause"]),
                summary=rule.get("summary_en", ""),
                params=MappingProxyType(params),
                overridden=tuple(sorted(ov)),
            )
        )
    if problems:
        raise ScenarioError(problems, source=source)
    resolved = _resolve_auto_reading(resolved)
    return ResolvedRules(ruleset_id=rs.id, year=year, kind=kind, mode=mode, rules=tuple(resolved))


def _resolve_auto_reading(resolved: list[ResolvedRule]) -> list[ResolvedRule]:
    """Replace the peak-valley reading ``auto`` by the one it stands for (README "Peak-valley
    readings"): ``signed`` where the project may not export (the export ban in force),
    ``connection`` where it may, so that the export-ratio cap (三(一)) can bind."""
    names = {r.name for r in resolved}
    out = []
    for r in resolved:
        if r.name == "peak_valley_limit" and r.params.get("reading", "auto") == "auto":
            reading = "signed" if "export_ban" in names else "connection"
            r = ResolvedRule(r.name, r.clause, r.summary,
                             MappingProxyType(dict(r.params, reading=reading)), r.overridden)  # fmt: skip
        out.append(r)
    return out
