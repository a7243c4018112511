"""Scenario schema and loading (YAML with ``extends:``)."""

from greenscen.scenario.load import (  # noqa: F401
    DEFAULT_SCENARIO,
    LoadedScenario,
    bundled_scenarios,
    deep_merge,
    load_scenario,
    load_sizing_scenario,
    scenario_from_dict,
)
from greenscen.scenario.schema import USER_CATEGORIES, Scenario  # noqa: F401
