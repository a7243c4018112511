"""The rule registry is the one declaration of each rule; everything else derives from it."""

from __future__ import annotations

import math

import pytest

from greenscen.base.params import policy_params
from greenscen.model.lp import TUNABLE, default_values
from greenscen.model.rule_rows import RULE_ROWS
from greenscen.results.compliance import RULE_CHECKS
from greenscen.rules import load_rule_set, resolve_rules
from greenscen.rules.registry import ANNUAL_ROWS, REGISTRY, RULES, TUNABLE_RULES, rule_label
from greenscen.tweaks import TWEAKS
from tests.model.cases import day_index, make_inputs, square_pv

RULE_SET = load_rule_set("inner_mongolia_multiuser")


def test_registry_and_rule_set_name_the_same_rules():
    assert set(REGISTRY) == set(RULE_SET.rules)


def test_every_rule_has_an_evaluator_and_every_lp_rule_a_row_family():
    assert set(RULE_CHECKS) == set(REGISTRY)
    assert set(RULE_ROWS) == {r.name for r in RULES if r.lp_row}


@pytest.mark.parametrize("rule", [r for r in RULES if r.param], ids=lambda r: r.name)
def test_tunable_parameter_exists_in_the_rule_set_and_its_slider_is_within_bounds(rule):
    assert rule.param in RULE_SET.rules[rule.name]["params"]
    lo, hi, step = rule.slider
    assert rule.bounds[0] <= lo < hi <= (rule.bounds[1] if math.isfinite(rule.bounds[1]) else hi)
    assert step > 0


def test_derived_names_come_from_the_registry():
    assert set(TUNABLE_RULES) <= set(TUNABLE) and set(TUNABLE_RULES) <= set(TWEAKS)
    assert set(ANNUAL_ROWS) == {"avail_cap", "h2_cap", "export_ratio", "self_consumption", "utilisation"}
    # a tweak of a rule writes that rule's parameter in the scenario
    assert TWEAKS["export_max_ratio"].path == ("rules", "overrides", "export_ratio_cap", "max_ratio")


@pytest.mark.parametrize(("year", "kind", "expected"), [
    # 2027 general grid: the export ban instead of a cap, floor 30%, utilisation 90%,
    # peak-valley 'load' = the flat load's own rate 0
    (2027, "general", {"self_consumption_min": 0.30, "utilisation_min": 0.90, "peak_valley_limit": 0.0}),
    # 2030 hydrogen grid: 1.2x, cap 20% from 2028, floor 35% from 2030
    (2030, "hydrogen", {"hydrogen_max_ratio": 1.2, "export_max_ratio": 0.20, "self_consumption_min": 0.35,
                        "utilisation_min": 0.90, "peak_valley_limit": 0.0}),
])  # fmt: skip
def test_policy_params_take_the_rule_set_values_by_registry_name(year, kind, expected):
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    rules = resolve_rules(RULE_SET, year, kind, "grid")
    policy = policy_params(rules, inputs)
    assert dict(policy.limits) == pytest.approx(expected)
    assert policy.export_max_ratio == expected.get("export_max_ratio")


def test_default_values_hold_costs_and_limits_in_force():
    from tests.model.cases import make_params

    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, pv_cost=123.0)
    values = default_values(params)
    assert values["pv_cost_yuan_per_mw_year"] == 123.0
    assert values["self_consumption_min"] == pytest.approx(0.30)
    assert "export_max_ratio" not in values  # a general project: export banned, no cap row


def test_labels_carry_the_clause_from_the_rule_set():
    assert rule_label("self_consumption_min") == "Self-consumption floor (三(一))"
    assert rule_label("renewable_utilisation_min", "zh") == "新能源利用率下限 (四(三))"
    assert rule_label("energy_balance") == "energy_balance"  # a physics row is not a rule
