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
        return json.loads(self.scenario.model_dump_json())

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


def _read_yaml(path: Path) -> dict:
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
    data = _read_yaml(path)
    ref = data.pop("extends", None)
    if ref is None:
        return data, (str(path),)
    if not isinstance(ref, str):
        raise ScenarioError(f"extends: expected a file name, found {ref!r}", source=str(path))
    base_path = _resolve_ref(ref, path.parent)
    base, chain = read_scenario_dict(base_path, (*_seen, path))
    return deep_merge(base, data), (*chain, str(path))


def _loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("float", "int", "str", "bool", "dict[str,TouPeriod]", "function-after[_tou_covers_day(), Tariff]"):
            continue
        else:
            out += ("." if out else "") + str(part)
    return out or "scenario"


def _format(err: dict[str, Any]) -> list[str]:
    loc = _loc(tuple(str(x) if not isinstance(x, int) else x for x in err["loc"]))
    kind = err["type"]
    found = err.get("input")
    if kind == "extra_forbidden":
        return [f"{loc}: unknown key (not part of the scenario schema; check its spelling)"]
    if kind == "missing":
        return [f"{loc}: required, missing"]
    if kind == "value_error":
        msg = str(err["msg"]).removeprefix("Value error, ")
        return [f"{loc}: {m}" for m in msg.split("\n") if m]
    msg = err["msg"]
    msg = msg[0].lower() + msg[1:]
    shown = repr(found) if not isinstance(found, dict) else "a mapping"
    return [f"{loc}: {msg.replace('input should be', 'expected')}, found {shown}"]


def validate_scenario_dict(data: dict, source: str) -> Scenario:
    """Return the validated :class:`Scenario` or raise one ScenarioError listing every problem."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems: list[str] = []
        for err in exc.errors():
            for p in _format(err):
                if p not in problems:
                    problems.append(p)
        raise ScenarioError(problems, source=source) from None


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
