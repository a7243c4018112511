"""Read scenario YAML files: ``extends:`` chains, schema validation, one message for all problems.

``extends:`` names another scenario file, relative to the extending file, or a bundled one
as ``bundled:<name>`` (``greenscen/scenario/bundled/<name>.yaml``). Mappings merge key by
key (the extending file wins); lists and scalars are replaced whole.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from greenscen.errors import ScenarioError
from greenscen.scenario.schema import Scenario

BUNDLED_DIR = Path(__file__).parent / "bundled"
DEFAULT_SCENARIO = "bundled:default"


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from (for relative CSV paths and messages)."""

    scenario: Scenario
    source: str
    base_dir: Path
    chain: tuple[str, ...]

    def resolved_dict(self) -> dict:
        """Return every parameter of the scenario, defaults filled in (JSON-ready)."""
        data = json.loads(self.scenario.model_dump_json())
        if data.get("planning") is None:  # a single-year scenario reads (and hashes) as before
            data.pop("planning", None)
        return data

    def digest(self) -> str:
        """Return a short SHA-256 of the resolved scenario (stored beside the results)."""
        blob = json.dumps(self.resolved_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def bundled_scenarios() -> list[str]:
    """Return the names of the bundled scenarios (usable as ``bundled:<name>``)."""
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml"))


def _resolve_ref(ref: str, relative_to: Path | None) -> Path:
    if ref.startswith("bundled:"):
        name = ref.split(":", 1)[1]
        path = BUNDLED_DIR / f"{name}.yaml"
        if not path.exists():
            raise ScenarioError(f"extends: expected one of bundled:{bundled_scenarios()}, found {ref!r}")
        return path
    path = Path(ref)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return path


def read_yaml_mapping(path: Path) -> dict:
    """Return the top-level mapping of a YAML file; one ScenarioError naming the file otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"scenario file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"cannot read scenario file: {exc}", source=str(path)) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"not valid YAML{where}: {problem}", source=str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            f"expected a mapping of scenario keys at the top level, found {type(data).__name__}",
            source=str(path),
        )
    return data


def deep_merge(base: dict, over: dict) -> dict:
    """Return ``base`` updated by ``over``: mappings merge recursively, anything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def read_scenario_dict(path: Path, _seen: tuple[Path, ...] = ()) -> tuple[dict, tuple[str, ...]]:
    """Return the merged mapping of ``path`` and its ``extends:`` chain, and the chain of files."""
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(str(p) for p in (*_seen, path))
        raise ScenarioError(f"extends: the chain loops back on itself: {chain}", source=str(path))
    data = read_yaml_mapping(path)
    ref = data.pop("extends", None)
    if ref is None:
        return data, (str(path),)
    if not isinstance(ref, str):
        raise ScenarioError(f"extends: expected a file name, found {ref!r}", source=str(path))
    try:
        base_path = _resolve_ref(ref, path.parent)
    except ScenarioError as exc:
        raise ScenarioError(exc.problems, source=str(path)) from None
    if not base_path.is_file():
        raise ScenarioError(
            f"extends: expected an existing scenario file, found {ref!r} ({base_path} does not "
            "exist; a relative path is taken from this file's folder)",
            source=str(path),
        )
    base, chain = read_scenario_dict(base_path, (*_seen, path))
    return deep_merge(base, data), (*chain, str(path))


def _is_member(part) -> bool:
    """True for a loc part that names a union member or validator, not a key of the file."""
    return isinstance(part, str) and (part in ("float", "int", "str", "bool") or "[" in part
                                      or "(" in part)  # fmt: skip


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _is_member(part):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "scenario"


def _expected(err: dict[str, Any]) -> str:
    msg = str(err["msg"])
    msg = msg[0].lower() + msg[1:]
    return msg.replace("input should be ", "")


def _shown(found) -> str:
    return repr(found) if not isinstance(found, (dict, list)) else f"a {type(found).__name__}"


def _format(err: dict[str, Any]) -> list[str]:
    loc = _loc(err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        return [f"{loc}: unknown key (not part of the scenario schema; check its spelling)"]
    if kind == "missing":
        return [f"{loc}: required, missing"]
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        lines = [m for m in msg.split("\n") if m]
        if len(lines) == 1 and "found" not in lines[0] and "input" in err:
            lines[0] += f", found {_shown(err['input'])}"
        return [f"{loc}: {m}" for m in lines]
    if kind in ("too_short", "too_long"):
        ctx = err.get("ctx", {})
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        return [f"{loc}: expected {'at least' if kind == 'too_short' else 'at most'} {bound} "
                f"item(s), found {ctx.get('actual_length', '?')}"]  # fmt: skip
    return [f"{loc}: expected {_expected(err)}, found {_shown(err.get('input'))}"]


def validation_problems(exc: ValidationError) -> list[str]:
    """Return one line per problem of a pydantic error, in the file's own key paths.

    A value that may take several forms (a number or a mapping of periods, say) fails each
    form; where one form got further (the input is a mapping with a bad entry) only its
    problems are reported, and where none did they are reported as one line.
    """
    errors = exc.errors()
    shallow: dict[tuple, list[dict]] = {}
    kept = []
    for err in errors:
        loc = tuple(err["loc"])
        if loc and _is_member(loc[-1]) and err["type"] not in ("value_error", "missing"):
            shallow.setdefault(loc[:-1], []).append(err)
        else:
            kept.append(err)
    problems: list[str] = []
    for prefix, errs in shallow.items():
        deeper = any(tuple(e["loc"])[: len(prefix)] == prefix and len(e["loc"]) > len(prefix) + 1
                     for e in kept)  # fmt: skip
        if deeper:
            continue
        forms = " or ".join(dict.fromkeys(_expected(e).split(",")[0] for e in errs))
        problems.append(f"{_loc(prefix)}: expected {forms}, found {_shown(errs[0].get('input'))}")
    for err in kept:
        problems += _format(err)
    return list(dict.fromkeys(problems))


def validate_scenario_dict(data: dict, source: str) -> Scenario:
    """Return the validated :class:`Scenario` or raise one ScenarioError listing every problem."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc), source=source) from None


def load_sizing_scenario(path_or_name: str | Path | None = None, **overrides) -> LoadedScenario:
    """Return the validated scenario read from a YAML file (default: the bundled default).

    Parameters
    ----------
    path_or_name : path or "bundled:<name>", optional
    **overrides
        Top-level keys merged over the file's content (mappings merge recursively), for
        in-memory variants: ``load_sizing_scenario(path, year=2028)``.
    """
    ref = str(path_or_name) if path_or_name is not None else DEFAULT_SCENARIO
    path = _resolve_ref(ref, None)
    if not path.exists():
        raise ScenarioError(f"scenario file not found: {path}")
    data, chain = read_scenario_dict(path)
    if overrides:
        data = deep_merge(data, overrides)
    scenario = validate_scenario_dict(data, str(path))
    return LoadedScenario(scenario=scenario, source=str(path), base_dir=path.resolve().parent, chain=chain)


def scenario_from_dict(data: dict, base_dir: str | Path = ".", source: str = "<in-memory>") -> LoadedScenario:
    """Return a validated scenario from a mapping (``extends:`` resolved against ``base_dir``)."""
    data = dict(data)
    chain: tuple[str, ...] = (source,)
    ref = data.pop("extends", None)
    if ref is not None:
        base, chain = read_scenario_dict(_resolve_ref(ref, Path(base_dir)))
        data = deep_merge(base, data)
        chain = (*chain, source)
    scenario = validate_scenario_dict(data, source)
    return LoadedScenario(scenario=scenario, source=source, base_dir=Path(base_dir).resolve(), chain=chain)


# The public short name of the sizing loader (``greenscen.load_scenario``); obligations
# scenarios have their own, ``greenscen.obligations.load_obligations_scenario``.
load_scenario = load_sizing_scenario
