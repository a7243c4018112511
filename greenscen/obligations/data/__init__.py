"""Bundled obligation data: weights, sector targets, rules, price paths, emission factors.

Every value carries its source and a status (published / suspect / assumption); see README.md.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).parent


def data_path(name: str) -> Path:
    """Return the path of the bundled data file ``name``."""
    return DATA_DIR / name


@cache
def _load_yaml_cached(name: str) -> dict:
    with open(data_path(name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_yaml(name: str) -> dict:
    """Return a fresh copy of the bundled YAML file ``name`` (callers may mutate it)."""
    return copy.deepcopy(_load_yaml_cached(name))


def rule_value(name: str, overrides: dict | None = None):
    """Return the value of rule ``name`` from rules.yaml, or its override when given."""
    if overrides and name in overrides:
        return overrides[name]
    return load_yaml("rules.yaml")[name]["value"]
