"""greenscen: size green-power direct-connection projects (绿电直连) and compare
renewable-consumption policy scenarios under China's rules.

The public entry points are re-exported here lazily so that ``import greenscen``
stays cheap (Pyomo and matplotlib load on first use).
"""

from __future__ import annotations

__version__ = "0.1.0"

from greenscen.errors import (  # noqa: F401
    ComplianceError,
    DataError,
    GreenscenError,
    InfeasibleError,
    ScenarioError,
)

_LAZY = {
    "load_scenario": ("greenscen.scenario", "load_scenario"),
    "run_scenario": ("greenscen.run", "run_scenario"),
    "SizingResult": ("greenscen.results.result", "SizingResult"),
    "load_result": ("greenscen.results.result", "load_result"),
    "SizingSession": ("greenscen.session", "SizingSession"),
    "compare_scenarios": ("greenscen.compare", "compare_scenarios"),
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'greenscen' has no attribute {name!r}")
