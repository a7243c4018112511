"""The hydrogen chain of the sizing LP on tiny cases whose optimum is worked out by hand.

Common case: one day, PV with cf = 1 from 06:00 to 17:59 (12 sun hours), hydrogen demand
flat at 200 kg/h (4,800 kg/day), electrolyser 50 kWh/kg (20 kg/MWh) unless a curve is given.
Yearly costs (yuan): PV 10,000 per MW, electrolyser 1,000 per MW, hydrogen storage 1 per kg,
battery 1,000 per MW + 100 per MWh (efficiency 1).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from greenscen.base.hydrogen import HydrogenParams
from greenscen.model.core import SizingModel, hourly_frame
from greenscen.results.hydrogen import hydrogen_checks, hydrogen_summary
from tests.model.cases import day_index, make_inputs, make_params, square_pv

D_KG_H = 200.0


def h2_params(**kw) -> HydrogenParams:
    base = dict(
        user="u1", cost_yuan_per_mw_year=1000.0, stack_yuan_per_mwh=0.0, stack_yuan_per_mw_year=0.0,
        capacity_mw=None, min_mw=0.0, max_mw=None, kwh_per_kg=50.0, segments=None,
        min_load_share=0.0, may_stop=True, storage_cost_yuan_per_kg_year=1.0,
        compression_kwh_per_kg=0.0, storage_kg=None, storage_max_kg=None,
        demand_kg_per_year=D_KG_H * 24,  # the one-day grid stands for its own 24 h
        demand_profile="flat", demand_min_share=1.0,
        demand_max_share=1.0, price_yuan_per_kg=None, max_kg_per_year=None,
    )  # fmt: skip
    return HydrogenParams(**(base | kw))


def solve(h2: HydrogenParams, mode="off_grid", storage=False, overrides=None, pv_cost=10_000.0,
          year=2027, **kw):  # fmt: skip
    idx = day_index()
    inputs = make_inputs(0.0, square_pv(idx), idx, **kw)
    rules, params = make_params(inputs, kind="hydrogen", mode=mode, storage=storage, year=year,
                                overrides=overrides, pv_cost=pv_cost)  # fmt: skip
    params = dataclasses.replace(params, hydrogen=h2)
    sol = SizingModel(inputs, params).solve()
    return sol, hourly_frame(inputs, sol, "u1"), rules


def test_square_pv_flat_demand_sizes_from_arithmetic():
    # Off-grid, no battery: the electrolyser can only run in the 12 sun hours, so it makes the
    # day's 4,800 kg in 12 h: 400 kg/h = 20 MW at 20 kg/MWh; PV 20 MW; storage holds the 12
    # night hours' 200 kg/h = 2,400 kg. Cost 20·10,000 + 20·1,000 + 2,400·1 = 222,400 yuan.
    sol, h, _ = solve(h2_params())
    c = sol.capacities
    assert c["electrolyser_mw"] == pytest.approx(20.0, rel=1e-6)
    assert c["pv"] == pytest.approx(20.0, rel=1e-6)
    assert c["h2_storage_kg"] == pytest.approx(2400.0, rel=1e-6)
    assert sol.objective_yuan == pytest.approx(222_400.0, rel=1e-6)
    assert h["h2_delivered_kg_h"].to_numpy() == pytest.approx(np.full(24, D_KG_H))
    assert h["load_mw:u1"].sum() == pytest.approx(240.0)  # 4,800 kg x 50 kWh/kg
    assert all(r["ok"] for r in hydrogen_checks(h, sol.capacities, h2_params()))


def test_min_stable_load_binds_and_night_runs_on_battery():
    # Minimum stable load 50%, may not stop: at night p >= 0.5·K from the battery. Producing
    # 4,800 kg/day with day power K and night power 0.5·K: 12·20·K + 12·20·0.5·K = 360·K ->
    # K = 13.33 MW. Night energy 12 h x 6.667 MW = 80 MWh: battery 6.667 MW / 80 MWh; PV
    # 13.33 + 80/12 = 20 MW. Storage: day surplus (266.7 − 200) x 12 h = 800 kg.
    # A smaller K would save 1,000 + 240 kg x 1 per MW but need 12 MWh + 1 MW more battery
    # (2,200 yuan), a larger K more battery and storage: 13.33 MW is the optimum.
    sol, h, _ = solve(h2_params(min_load_share=0.5, may_stop=False), storage=True)
    c = sol.capacities
    assert c["electrolyser_mw"] == pytest.approx(40 / 3, rel=1e-6)
    assert c["storage_mwh"] == pytest.approx(80.0, rel=1e-6)
    assert c["storage_mw"] == pytest.approx(20 / 3, rel=1e-6)
    assert c["pv"] == pytest.approx(20.0, rel=1e-6)
    assert c["h2_storage_kg"] == pytest.approx(800.0, rel=1e-6)
    night = h.index.hour < 6
    assert h["electrolyser_mw"][night].to_numpy() == pytest.approx(np.full(night.sum(), 20 / 3))


def test_part_load_curve_changes_the_optimum():
    # Curve 45 kWh/kg at half load, 50 at full (may stop: hull through 0): segments
    # h <= 22.22·p and h <= 17.78·p + 2.222·K. In the 12 sun hours 400 kg/h are needed:
    # p >= 18 MW and K >= (400 − 17.78·18)/2.222 = 36 MW. Cost 10,000·p + 1,000·K with
    # K = 180 − 8p is 2,000·p + 180,000: least at p = 18. So PV 18 MW and a 36 MW electrolyser
    # at half load (45 kWh/kg), against PV 20 / 20 MW without the curve.
    hp = h2_params(segments=((1000 / 45 / 0.5 * 0.5, 0.0),
                             ((20 - 500 / 45) / 0.5, 500 / 45 - (20 - 500 / 45))))  # fmt: skip
    sol, h, _ = solve(hp)
    assert sol.capacities["pv"] == pytest.approx(18.0, rel=1e-6)
    assert sol.capacities["electrolyser_mw"] == pytest.approx(36.0, rel=1e-6)
    s = hydrogen_summary(h, sol.capacities, {}, hp, annual_scale=1.0)
    assert s["kwh_per_kg"] == pytest.approx(45.0, rel=1e-6)
    assert all(r["ok"] for r in hydrogen_checks(h, sol.capacities, hp))


def test_generation_cap_binds_with_the_electrolyser_as_load():
    # Grid-connected, a 10 MW electrolyser (fixed) making its 4,800 kg/day at any hour
    # (annual demand): it runs flat, 240 MWh/day. PV (cost 1) earns 50 yuan/MWh exported, so
    # PV grows until E_A = 1.2 x 240 = 288 MWh: PV 24 MW (12 sun hours). Only the 1.2x rule
    # limits it (the other rules of the year are off).
    off = {r: {"enabled": False} for r in ("export_ratio_cap", "self_consumption_min",
                                          "peak_valley_limit", "renewable_utilisation_min")}  # fmt: skip
    hp = h2_params(capacity_mw=10.0, demand_profile="annual", storage_cost_yuan_per_kg_year=None)
    sol, h, rules = solve(hp, mode="grid", overrides=off, pv_cost=1.0, export_price=50.0, price=100.0)
    assert sol.capacities["pv"] == pytest.approx(24.0, rel=1e-6)
    e_load = float(h["electrolyser_mw"].sum())
    assert e_load == pytest.approx(240.0, rel=1e-6)
    assert float(h["available_mw"].sum()) == pytest.approx(1.2 * e_load, rel=1e-6)
    row = [r for r in hydrogen_checks(h, sol.capacities, hp, rules) if r["rule"].startswith("hydrogen_gen")][0]
    assert row["ok"] and row["value"] == pytest.approx(1.2, rel=1e-6)


def _rows(h, sol, hp, rules=None):
    return {r["rule"]: r for r in hydrogen_checks(h, sol.capacities, hp, rules)}


def test_checks_catch_corrupted_dispatches():
    sol, h, _ = solve(h2_params())
    hp = h2_params()
    bad = h.copy()
    bad.loc[bad.index[3], "h2_storage_kg"] += 50.0  # storage level that no flow explains
    assert _rows(bad, sol, hp)["h2_mass_balance"]["ok"] is False
    bad = h.copy()  # 30 kg/h in and out of storage at once: compression burnt for nothing
    bad.loc[bad.index[20], ["h2_to_storage_kg_h", "h2_from_storage_kg_h"]] += 30.0
    assert _rows(bad, sol, hp)["h2_storage_loops"]["value"] == pytest.approx(30.0)
    assert _rows(bad, sol, hp)["h2_storage_loops"]["ok"] is False
    assert _rows(h, sol, hp)["h2_storage_loops"]["ok"] is True
    bad = h.copy()
    bad.loc[bad.index[10], "electrolyser_mw"] += 1.0  # power drawn without its hydrogen
    rows = _rows(bad, sol, hp)
    assert rows["h2_production"]["ok"] is False and rows["electrolyser_load"]["ok"] is False


def test_generation_check_catches_an_understated_electrolyser():
    off = {r: {"enabled": False} for r in ("export_ratio_cap", "self_consumption_min",
                                          "peak_valley_limit", "renewable_utilisation_min")}  # fmt: skip
    hp = h2_params(capacity_mw=10.0, demand_profile="annual", storage_cost_yuan_per_kg_year=None)
    sol, h, rules = solve(hp, mode="grid", overrides=off, pv_cost=1.0, export_price=50.0, price=100.0)
    bad = h.copy()
    bad["available_mw"] *= 1.05  # 5% more renewable output than the 1.2x rule allows
    row = _rows(bad, sol, hp, rules)["hydrogen_generation_cap:electrolyser"]
    assert row["ok"] is False and row["value"] == pytest.approx(1.26, rel=1e-6)


EXPORT_OFF = {r: {"enabled": False} for r in ("hydrogen_generation_cap", "self_consumption_min",
                                             "renewable_utilisation_min")}  # fmt: skip


@pytest.mark.parametrize(("year", "cap", "pv_mw"), [(2027, 0.4, 50 / 3), (2028, 0.2, 12.5)])
def test_export_cap_binds_with_the_peak_valley_limit_in_force(year, cap, pv_mw):
    # Grid-connected, flat 200 kg/h without storage: the electrolyser runs 10 MW all day
    # (240 MWh). PV (cost 1) earns 50 yuan/MWh exported. Night import 10 MW x 12 h, so
    # E_sc = 240 − 120 = 120 MWh; the day exports 12·(P − 10). Export cap r:
    # E_exp <= r·(E_exp + E_sc) -> E_exp <= 120·r/(1 − r): 80 MWh in 2027 (r = 0.4) -> P =
    # 16.67 MW; 30 MWh in 2028 (r = 0.2) -> P = 12.5 MW. Peak-valley (connection reading,
    # λ = 0.8): the swing +10 − (−(P − 10)) = P must stay within 0.8·C, so C = P / 0.8
    # (C costs 1 per MW): the limit binds too.
    over = EXPORT_OFF | {"peak_valley_limit": {"limit": 0.8, "reading": "connection"}}
    hp = h2_params(storage_cost_yuan_per_kg_year=None)
    sol, h, rules = solve(hp, mode="grid", overrides=over, pv_cost=1.0, export_price=50.0,
                          price=100.0, year=year)  # fmt: skip
    assert rules.param("export_ratio_cap", "max_ratio") == pytest.approx(cap)
    assert sol.capacities["pv"] == pytest.approx(pv_mw, rel=1e-6)
    assert sol.capacities["connection_mw"] == pytest.approx(pv_mw / 0.8, rel=1e-6)
    e_exp, e_imp = float(h["export_mw"].sum()), float(h["import_mw"].sum())
    e_sc = float(h["load_mw"].sum()) - e_imp
    assert e_exp / (e_exp + e_sc) == pytest.approx(cap, rel=1e-6)
    p = (h["import_mw"] - h["export_mw"]).to_numpy()
    assert p.max() - p.min() == pytest.approx(0.8 * sol.capacities["connection_mw"], rel=1e-6)


def test_signed_reading_forbids_the_export_the_cap_would_allow():
    # Same case, 2028, signed reading: (max P − min P) <= 0.8·max P forbids export on a day with
    # import (and min P >= 0.2·max P): PV covers the 10 MW electrolyser by day only, no export.
    over = EXPORT_OFF | {"peak_valley_limit": {"limit": 0.8, "reading": "signed"}}
    hp = h2_params(storage_cost_yuan_per_kg_year=None)
    sol, h, _ = solve(hp, mode="grid", overrides=over, pv_cost=1.0, export_price=50.0, price=100.0,
                      year=2028)  # fmt: skip
    assert float(h["export_mw"].sum()) == pytest.approx(0.0, abs=1e-6)
