"""Scenario schema and loading: extends, every problem in one message, bundled default."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.cli import default_scenario_path
from greenscen.obligations.scenario import deep_merge, load_obligations_scenario, year_values

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((REPO / "scenarios").glob("obligations_*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.name for p in SCENARIOS])
def test_shipped_scenarios_load(path):
    scn = load_obligations_scenario(path)
    assert scn.name == path.stem


def test_packaged_default_is_the_repo_scenario():
    assert default_scenario_path().read_text(encoding="utf-8") == (
        REPO / "scenarios" / "obligations_im_aluminium.yaml"
    ).read_text(encoding="utf-8")


def test_extends_merges_and_empty_mapping_clears():
    park = load_obligations_scenario(REPO / "scenarios" / "obligations_im_aluminium_park.yaml")
    assert park.enterprise.zero_carbon_park is True
    assert park.enterprise.closed_years == {}
    assert park.enterprise.sector == "electrolytic_aluminium"  # inherited
    assert park.enterprise.routes.direct.max_mwh == {2025: 0, 2027: 3_000_000, 2029: 4_800_000}
    assert park.enterprise.routes.direct.cost_yuan_per_mwh == -20  # inherited


def test_all_problems_reported_with_file_and_fields(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        """
name: bad
colour: green
enterprise:
  name: x
  sector: electrolytic_aluminium
  province: 内蒙古
  first_year: 2025
  last_year: 2030
  consumption_mwh: lots
  carry_over_rule: sometimes
  bundled_min_share_of_green: 1.5
entities:
  - name: y
    kind: bank
    province: 四川
    years: []
""",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as exc:
        load_obligations_scenario(bad)
    msg = str(exc.value)
    assert str(bad) in msg
    assert "colour: unknown key" in msg
    assert "enterprise.consumption_mwh" in msg and "'lots'" in msg
    assert (
        "enterprise.carry_over_rule" in msg
        and "next_year_except_plan_final" in msg
        and "'sometimes'" in msg
    )
    assert "enterprise.bundled_min_share_of_green" in msg and "1.5" in msg
    assert "entities[0].kind" in msg and "'bank'" in msg
    assert "entities[0].years: expected at least 1 item(s), found 0" in msg
    assert len(exc.value.problems) >= 6


def test_unreadable_and_not_yaml(tmp_path):
    with pytest.raises(ScenarioError, match="scenario file not found: .*nope.yaml"):
        load_obligations_scenario(tmp_path / "nope.yaml")
    p = tmp_path / "x.yaml"
    p.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not valid YAML"):
        load_obligations_scenario(p)
    p.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="expected a mapping"):
        load_obligations_scenario(p)


def test_extends_cycle(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="cycle"):
        load_obligations_scenario(tmp_path / "a.yaml")


def test_unknown_rule_name(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("name: r\nrules: {makeup_window_weeks: 12}\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="makeup_window_weeks"):
        load_obligations_scenario(p)


def test_year_values_step_path():
    years = [2025, 2026, 2027, 2028, 2029]
    assert year_values({2025: 0, 2027: 10, 2029: 20}, years) == [0, 0, 10, 10, 20]
    assert year_values(5, years) == [5.0] * 5
    assert year_values({2027: 1}, years) == [0, 0, 1, 1, 1]
    with pytest.raises(ScenarioError, match="expected a value for 2025"):
        year_values({2027: 1}, years, before_first=None)


def test_deep_merge():
    assert deep_merge({"a": {"b": 1, "c": 2}, "l": [1]}, {"a": {"b": 3}, "l": [2]}) == {
        "a": {"b": 3, "c": 2},
        "l": [2],
    }
    assert deep_merge({"a": {"b": 1}}, {"a": {}}) == {"a": {}}
