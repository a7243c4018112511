"""A study file: a base scenario and its variations, read, validated and expanded to variants.

A study is YAML in the style of a scenario::

    name: capex_and_self_consumption
    base: bundled:default            # or a scenario file, relative to this file
    solve_mode: fast                 # exact | fast (default fast)
    resolution_h: 4                  # optional: aggregate every variant's time series
    set:                             # the same change for every variant (like --set)
      technologies.storage.max_hours: 6
    grid:                            # every combination of these values
      technologies.pv.capex_yuan_per_kw: [2800, 3200]
      self_consumption_min: [0.3, 0.5]          # a tweak name stands for its path
    samples:                         # seeded random draws
      n: 50
      seed: 1
      parameters:
        technologies.wind.capex_yuan_per_kw: {uniform: [3500, 4500]}
        storage_energy_capex_yuan_per_kwh: {normal: [400, 50]}        # mean, sd
        pv_capex_yuan_per_kw: {triangular: [2600, 3200, 3400]}      # low, mode, high
        year: {choice: [2027, 2028]}
    variants:                        # named policy variants (each crossed with the rest)
      cap_30: {rules.overrides.export_ratio_cap.max_ratio: 0.3}

A parameter is a scenario key path written as for ``greenscen run --set`` (``a.b.c``) or the
name of a tweak (``greenscen.tweaks.TWEAKS``: ``pv_capex_yuan_per_kw``,
``self_consumption_min`` ...). The variants are the product of the named variants (or the
base alone), the grid points and the samples, in that order, numbered ``v0000``, ``v0001`` ...

Every problem of the file is reported at once, one line each (field, expected, found), as a
:class:`~greenscen.errors.ScenarioError` naming the file (exit 2 on the command line).
A parameter value that the scenario schema refuses (a negative capex drawn from a normal
distribution, say) is no study error: that variant becomes a row with status ``invalid``.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from greenscen.errors import ScenarioError
from greenscen.scenario.load import (
    LoadedScenario,
    deep_merge,
    read_yaml_mapping,
    scenario_from_dict,
)
from greenscen.tweaks import TWEAKS, variant

STUDY_KEYS = ("name", "description", "base", "solve_mode", "resolution_h", "set", "grid",
              "samples", "variants", "weather_years")  # fmt: skip
DISTRIBUTIONS = {"uniform": 2, "normal": 2, "triangular": 3, "choice": None}
SOLVE_MODES = ("exact", "fast")
MAX_VARIANTS = 100_000


@dataclass(frozen=True)
class Variant:
    """One variant of a study: its id, policy-variant name, inputs (path -> value), overrides."""

    id: str
    policy: str
    inputs: dict
    overrides: dict = field(default_factory=dict)

    def digest(self) -> str:
        """Return a short hash of the variant's overrides (checked when a study resumes)."""
        blob = json.dumps([self.policy, self.overrides], sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Study:
    """A validated study: the base scenario, the solve settings and every variant."""

    name: str
    source: str
    base: LoadedScenario
    solve_mode: str
    variants: tuple[Variant, ...]
    varied: tuple[str, ...]  # the parameter paths a variant may change (table columns)
    description: str = ""

    def digest(self) -> str:
        """Return a short hash of the whole study (base scenario and variants)."""
        blob = json.dumps(
            [self.base.digest(), self.solve_mode, [v.digest() for v in self.variants]]
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]


def parameter_path(name: str) -> tuple[str, ...]:
    """Return the scenario key path of a parameter: a tweak name or a dotted path."""
    if name in TWEAKS:
        return TWEAKS[name].path
    return tuple(k for k in str(name).split(".") if k)


def path_override(path: tuple[str, ...], value) -> dict:
    """Return the nested scenario mapping that sets ``path`` to ``value`` (as --set does)."""
    out = value
    for key in reversed(path):
        out = {key: out}
    return out


def column_name(name: str) -> str:
    """Return the table column of a parameter: its dotted scenario path."""
    return ".".join(parameter_path(name))


def _shown(v) -> str:
    return repr(v) if not isinstance(v, (dict, list)) else f"a {type(v).__name__}"


def _draws(spec, n: int, rng: np.random.Generator, where: str, problems: list) -> list | None:
    if not isinstance(spec, dict) or len(spec) != 1 or next(iter(spec)) not in DISTRIBUTIONS:
        problems.append(f"{where}: expected one of {{uniform: [low, high]}}, {{normal: [mean, sd]}}, "
                        f"{{triangular: [low, mode, high]}}, {{choice: [values]}}; found {_shown(spec)}")  # fmt: skip
        return None
    kind, args = next(iter(spec.items()))
    need = DISTRIBUTIONS[kind]
    if not isinstance(args, list) or not args or (need and len(args) != need):
        problems.append(
            f"{where}.{kind}: expected a list of {need or 'one or more'} value(s), found {_shown(args)}"
        )
        return None
    if kind == "choice":
        return [args[i] for i in rng.integers(0, len(args), n)]
    if not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in args):
        problems.append(f"{where}.{kind}: expected numbers, found {args!r}")
        return None
    if kind == "uniform":
        lo, hi = args
        if hi < lo:
            problems.append(f"{where}.uniform: expected low <= high, found {args!r}")
            return None
        x = rng.uniform(lo, hi, n)
    elif kind == "normal":
        mean, sd = args
        if sd < 0:
            problems.append(f"{where}.normal: expected sd >= 0, found {sd!r}")
            return None
        x = rng.normal(mean, sd, n)
    else:
        lo, mode, hi = args
        if not lo <= mode <= hi or lo == hi:
            problems.append(
                f"{where}.triangular: expected low <= mode <= high, low < high, found {args!r}"
            )
            return None
        x = rng.triangular(lo, mode, hi, n)
    return [round(float(v), 6) for v in x]


def _mapping(data: dict, key: str, problems: list) -> dict:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"{key}: expected a mapping of parameter paths, found {_shown(value)}")
        return {}
    return value


def _check_path(base: LoadedScenario, name, value, where: str, problems: list) -> None:
    """Report a parameter whose path the scenario schema does not know (a value it refuses
    is left to the variant)."""
    if not isinstance(name, str) or not parameter_path(name):
        problems.append(f"{where}: expected a parameter path (a.b.c) or tweak name, found {name!r}")
        return
    try:
        scenario_from_dict(deep_merge(base.resolved_dict(), path_override(parameter_path(name), value)),
                           base.base_dir, base.source)  # fmt: skip
    except ScenarioError as exc:
        unknown = [p for p in exc.problems if "unknown key" in p or "expected a mapping" in p]
        if unknown:
            problems.append(f"{where}: not a scenario parameter ({unknown[0]})")


def _base(data: dict, path: Path, problems: list) -> LoadedScenario | None:
    ref = data.get("base", "bundled:default")
    if not isinstance(ref, str):
        problems.append(f"base: expected a scenario file or bundled:<name>, found {_shown(ref)}")
        return None
    if not ref.startswith("bundled:") and not Path(ref).is_absolute():
        ref = str(path.parent / ref)
    try:
        over = (
            {"time": {"resolution_h": data["resolution_h"]}} if data.get("resolution_h") else None
        )
        return variant(ref, over)
    except ScenarioError as exc:
        problems += [f"base: {p}" for p in exc.problems]
    return None


def load_study(path: str | Path) -> Study:
    """Return the validated study of a YAML file; one ScenarioError with every problem otherwise."""
    path = Path(path)
    data = read_yaml_mapping(path)
    src = str(path)
    problems: list[str] = []
    for key in data:
        if key not in STUDY_KEYS:
            problems.append(f"{key}: unknown key (expected some of {', '.join(STUDY_KEYS)})")
    mode = data.get("solve_mode", "fast")
    if mode not in SOLVE_MODES:
        problems.append(f"solve_mode: expected exact or fast, found {_shown(mode)}")
    res = data.get("resolution_h")
    if res is not None and (not isinstance(res, int) or isinstance(res, bool) or res < 1):
        problems.append(f"resolution_h: expected a whole number of hours >= 1, found {_shown(res)}")
        res = data["resolution_h"] = None
    if data.get("weather_years") is not None:
        problems.append("weather_years: not a study key in this version; to size on each weather year "
                        "vary site.name (e.g. grid: {site.name: [ordos@wy01, ordos@wy02]}); to check one "
                        "design on every year use greenscen.study.weather_years.check_design_across_years")  # fmt: skip
    base = _base(data, path, problems)
    common, grid = _mapping(data, "set", problems), _mapping(data, "grid", problems)
    named = _mapping(data, "variants", problems)
    samples = data.get("samples")
    if base is None:
        raise ScenarioError(problems, source=src)
    over: dict = {}
    for name, value in common.items():
        _check_path(base, name, value, f"set.{name}", problems)
        over = deep_merge(over, path_override(parameter_path(str(name)), value))
    axes: list[tuple[str, list]] = []
    for name, values in grid.items():
        if not isinstance(values, list) or not values:
            problems.append(
                f"grid.{name}: expected a list of one or more values, found {_shown(values)}"
            )
            continue
        _check_path(base, name, values[0], f"grid.{name}", problems)
        axes.append((str(name), values))
    draws: list[dict] = [{}]
    if samples is not None:
        draws = _samples(samples, base, problems)
    policies: list[tuple[str, dict]] = [("base", {})]
    if named:
        policies = []
        for label, changes in named.items():
            if not isinstance(changes, dict):
                problems.append(
                    f"variants.{label}: expected a mapping of parameter paths, found {_shown(changes)}"
                )
                continue
            po: dict = {}
            for name, value in changes.items():
                _check_path(base, name, value, f"variants.{label}.{name}", problems)
                po = deep_merge(po, path_override(parameter_path(str(name)), value))
            policies.append((str(label), po))
    n = len(policies) * int(np.prod([len(v) for _, v in axes] or [1])) * len(draws)
    if n > MAX_VARIANTS:
        problems.append(f"the study expands to {n:,} variants; expected at most {MAX_VARIANTS:,}")
    if problems:
        raise ScenarioError(problems, source=src)
    varied = tuple(
        dict.fromkeys([column_name(a) for a, _ in axes] + [column_name(k) for k in draws[0]])
    )
    out = []
    for label, po in policies:
        for point in itertools.product(*[v for _, v in axes]):
            for draw in draws:
                chosen = {a: v for (a, _), v in zip(axes, point, strict=True)} | draw
                o = deep_merge(over, po)
                for name, value in chosen.items():
                    o = deep_merge(o, path_override(parameter_path(name), value))
                inputs = {column_name(k): v for k, v in chosen.items()}
                out.append(Variant(f"v{len(out):04d}", label, inputs, o))
    return Study(name=str(data.get("name") or path.stem), source=src, base=base, solve_mode=mode,
                 variants=tuple(out), varied=varied, description=str(data.get("description") or ""))  # fmt: skip


def _samples(samples, base: LoadedScenario, problems: list) -> list[dict]:
    if not isinstance(samples, dict):
        problems.append(
            f"samples: expected a mapping with n, seed and parameters, found {_shown(samples)}"
        )
        return [{}]
    for key in samples:
        if key not in ("n", "seed", "parameters"):
            problems.append(f"samples.{key}: unknown key (expected n, seed, parameters)")
    n, seed, params = samples.get("n"), samples.get("seed"), samples.get("parameters")
    ok = True
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        problems.append(f"samples.n: expected a whole number >= 1, found {_shown(n)}")
        ok = False
    if not isinstance(seed, int) or isinstance(seed, bool):
        problems.append(
            f"samples.seed: expected a whole number (the draws are reproducible), found {_shown(seed)}"
        )
        ok = False
    if not isinstance(params, dict) or not params:
        problems.append(
            f"samples.parameters: expected a mapping of parameter -> distribution, found {_shown(params)}"
        )
        ok = False
    if not isinstance(params, dict) or not params:
        return [{}]
    rng = np.random.default_rng(seed if ok else 0)
    n = n if ok else 1
    columns = {}
    for name, spec in params.items():
        x = _draws(spec, n, rng, f"samples.parameters.{name}", problems)
        if x is not None:
            _check_path(base, name, x[0], f"samples.parameters.{name}", problems)
            columns[str(name)] = x
    return [{k: v[i] for k, v in columns.items()} for i in range(n)] if columns and ok else [{}]
