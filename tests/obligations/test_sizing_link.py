"""The obligations plan can take its direct-connection cost and volume from a sizing run."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenscen.obligations.run import run_obligations
from greenscen.obligations.scenario import load_obligations_scenario as load_obligations
from greenscen.obligations.sizing_link import direct_route_from_sizing
from greenscen.run import resolve, run_scenario
from greenscen.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sizing_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("link")
    path = tmp / "coarse.yaml"
    path.write_text("extends: bundled:default\nname: coarse\ntime: {resolution_h: 6}\n", encoding="utf-8")
    result = run_scenario(str(path))
    result.write(tmp / "out", charts=False)
    return path, result, tmp / "out"


def test_incremental_cost_matches_an_independent_recomputation(sizing_run):
    path, result, out = sizing_run
    link = direct_route_from_sizing(out)
    # second method: prices from the model inputs, not from re-reading the tariff
    _, inputs, params = resolve(load_scenario(str(path)))
    dt = inputs.duration_h
    load = inputs.total_load_mw
    grid_only = float((load * dt * (inputs.energy_price_yuan_per_mwh + params.grid.td_charge_yuan_per_mwh)).sum())
    grid_only += params.grid.connection_cost_yuan_per_mw_year * float(load.max())
    project = result.cost["total_annual_yuan"] - result.cost["funds_yuan"]
    green = result.energy["self_consumed_mwh"]
    assert link["green_mwh"] == pytest.approx(green, rel=1e-6)
    assert link["cost_yuan_per_mwh"] == pytest.approx((project - grid_only) / green, rel=1e-4)


def test_plan_uses_the_sizing_cost(sizing_run, tmp_path):
    _, _, out = sizing_run
    base = (REPO / "scenarios" / "obligations_im_aluminium.yaml").read_text(encoding="utf-8")
    scn_path = tmp_path / "linked.yaml"
    linked = base.replace("      cost_yuan_per_mwh: -20\n", f"      from_sizing: {out}\n")
    linked = linked.replace("      max_mwh: {2025: 0, 2027: 1200000, 2029: 2000000}\n", "")
    assert linked.count("from_sizing") == 1 and "max_mwh: {2025" not in linked
    scn_path.write_text(linked, encoding="utf-8")
    res = run_obligations(load_obligations(scn_path), base_dir=tmp_path)
    link = direct_route_from_sizing(out)
    direct = res.prices[res.prices["route"] == "direct"].set_index("year")["value"]
    assert direct.loc[2030] == pytest.approx(link["cost_yuan_per_mwh"], rel=1e-9)
    # the project delivers link["green_mwh"] a year: the plan never buys more direct energy
    led = res.ledger.set_index("year")
    direct_col = [c for c in led.columns if c.startswith("direct") and c.endswith("_mwh")][0]
    assert (led[direct_col] <= link["green_mwh"] * (1 + 1e-9)).all()
    # direct energy is cheaper than grid power here (negative incremental cost): the plan
    # takes all the project can give in every open year
    assert link["cost_yuan_per_mwh"] < 0
    assert led.loc[2027:2030, direct_col].to_numpy() == pytest.approx(link["green_mwh"], rel=1e-6)
