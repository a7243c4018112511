"""Weights explorer and scenario comparer react to their controls."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenscen.widgets import ScenarioComparer, WeightsExplorer

SCENARIOS = Path(__file__).parents[2] / "scenarios"


def test_weights_explorer_follows_province_kind_and_horizon():
    ex = WeightsExplorer(province="内蒙古", horizon=2030)
    assert ex.trajectories["year"].max() == 2030
    png = ex.image.value
    ex.horizon.value = 2035
    assert ex.trajectories["year"].max() == 2035
    ex.province.value = "四川"
    assert set(ex.trajectories["province"]) == {"四川"}
    ex.kind.value = "non_hydro"
    assert set(ex.trajectories["kind"]) == {"non_hydro"}
    ex.methods.value = ("hold_last",)
    assert set(ex.trajectories.loc[ex.trajectories["status"] == "projected", "method"]) == {"hold_last"}
    assert ex.image.value != png


@pytest.mark.slow
def test_comparer_button_solves_the_selection():
    c = ScenarioComparer(SCENARIOS, selected=("hydrogen_grid_2027", "hydrogen_grid_2028"), resolution_h=24)
    c.button.click()  # solves in a worker thread: the kernel is not blocked
    c.wait()
    t = c.table
    assert list(t.index) == ["hydrogen_grid_2027", "hydrogen_grid_2028"]
    assert t.loc["hydrogen_grid_2027", "limit:export_ratio_cap"] == pytest.approx(0.4)
    assert t.loc["hydrogen_grid_2028", "limit:export_ratio_cap"] == pytest.approx(0.2)
    assert all(c.images[k].value for k in c.images)
    assert not c.button.disabled and "2/2 solved" in c.status.value
    assert c.bar.value == c.bar.max == 2  # per-scenario progress
    assert "%" in c.table_html.value and "e+0" not in c.table_html.value  # brief-ready numbers
