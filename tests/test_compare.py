"""compare_scenarios: one tidy row per scenario, files and in-memory variants, errors as rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenscen.compare import compare_scenarios, variant

SCENARIOS = Path(__file__).parents[1] / "scenarios"
NO_RENEWABLES = {"technologies": {"wind": {"max_mw": 0}, "pv": {"max_mw": 0}}}


@pytest.fixture(scope="module")
def table():
    h2027 = SCENARIOS / "hydrogen_grid_2027.yaml"
    return compare_scenarios(
        {
            "2027": h2027,
            "2028": SCENARIOS / "hydrogen_grid_2028.yaml",
            "2027 as 2028": (h2027, {"year": 2028}),
            "no renewables": ("bundled:default", NO_RENEWABLES),
        },
        resolution_h=12,
    )


def test_one_row_per_scenario_with_capacities_costs_ratios_compliance(table):
    assert list(table.index) == ["2027", "2028", "2027 as 2028", "no renewables"]
    for col in ("wind_mw", "pv_mw", "storage_mwh", "connection_mw", "total_annual_yuan",
                "cost_per_mwh_load_yuan", "export_ratio", "self_consumption_share", "compliant",
                "limit:export_ratio_cap", "margin:export_ratio_cap"):
        assert col in table.columns, col
    assert table.loc["2027", "resolution_h"] == 12


def test_export_cap_follows_the_year(table):
    # 三(一): <= 40 % to the end of 2027, <= 20 % from 2028
    assert table.loc["2027", "limit:export_ratio_cap"] == pytest.approx(0.40)
    assert table.loc["2028", "limit:export_ratio_cap"] == pytest.approx(0.20)
    assert table.loc["2028", "export_ratio"] <= 0.20 + 1e-6
    # tightening a binding cap cannot make the project cheaper
    assert table.loc["2028", "total_annual_yuan"] >= table.loc["2027", "total_annual_yuan"] - 1.0


def test_in_memory_variant_equals_the_file_it_mimics(table):
    a, b = table.loc["2028"], table.loc["2027 as 2028"]
    assert a["total_annual_yuan"] == pytest.approx(b["total_annual_yuan"], rel=1e-6)
    assert a["scenario"] == "hydrogen_grid_2028" and b["scenario"] == "hydrogen_grid_2027"


def test_unsolvable_scenario_is_a_row_not_an_exception(table):
    row = table.loc["no renewables"]
    assert row["status"] == "infeasible" and row["message"]


def test_variant_renames_and_aggregates():
    ls = variant("bundled:default", {"year": 2030}, name="default_2030", resolution_h=6)
    assert ls.scenario.name == "default_2030" and ls.scenario.year == 2030
    assert ls.scenario.time.resolution_h == 6
    again = variant(ls, {"year": 2031})
    assert again.scenario.year == 2031 and again.scenario.name == "default_2030"


def test_a_sized_electrolyser_reports_its_hydrogen_and_cost_per_kg():
    # the ammonia project delivers its 30,000 t/yr demand exactly (h2_annual + h2_annual_max);
    # its LCOH is the hydrogen costs over the kg delivered, so it is the report's figure
    from greenscen.run import run_scenario
    from greenscen.scenario import load_scenario

    path = SCENARIOS / "hydrogen_ammonia_2028.yaml"
    row = compare_scenarios({"2028": path}, resolution_h=12).loc["2028"]
    assert row["delivered_t_per_year"] == pytest.approx(30_000.0, rel=1e-6)
    h2 = run_scenario(load_scenario(path, time={"resolution_h": 12})).extra["hydrogen"]
    assert row["lcoh_yuan_per_kg"] == pytest.approx(h2["lcoh_yuan_per_kg"], rel=1e-9)
    assert 0 < row["full_load_hours"] <= 8760
    assert "lcoh_yuan_per_kg" not in compare_scenarios({"g": "bundled:default"}, resolution_h=12).columns
