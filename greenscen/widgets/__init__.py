"""Jupyter widgets: a sizing explorer, a weights explorer and a scenario comparer.

The widgets are thin: the sizing explorer drives a :class:`greenscen.session.SizingSession` (one built model,
re-solved through its mutable parameters), the comparer calls :mod:`greenscen.compare`, the
weights explorer calls :mod:`greenscen.obligations`.
"""

from greenscen.session import SizingSession, model_factory  # noqa: F401 (re-exported)
from greenscen.tweaks import TWEAKS  # noqa: F401 (re-exported)

_LAZY = {
    "SizingExplorer": "greenscen.widgets.sizing",
    "ScenarioComparer": "greenscen.widgets.comparer",
    "WeightsExplorer": "greenscen.widgets.weights",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'greenscen.widgets' has no attribute {name!r}")
