"""Each rule of SPEC part A binds in a tiny case whose optimum is worked out by hand.

Common set-up unless stated: one day of 24 hourly steps, PV with cf = 1 from 06:00 to
17:59 and 0 otherwise, storage efficiency 1, E_load = Σ load·Δt.
"""

from __future__ import annotations

import numpy as np
import pytest

from greenscen.errors import InfeasibleError
from greenscen.model.core import SizingModel, hourly_frame
from greenscen.results import metrics
from tests.model.cases import day_index, make_inputs, make_params, square_pv

NO_PV_LIMIT = {"peak_valley_limit": {"enabled": False}}


def solve(inputs, params):
    sol = SizingModel(inputs, params).solve()
    return sol, hourly_frame(inputs, sol)


@pytest.mark.parametrize("year, floor", [(2029, 0.30), (2030, 0.35)])
def test_self_consumption_floor_binds_and_rises_in_2030(day, year, floor):
    # Flat load 10 MW -> E_load = 240 MWh. PV costs 10,000/MW, far more than the 12 MWh x
    # 100 yuan = 1,200 yuan a MW saves, so PV is built only to meet the floor:
    # E_sc = 12 h x C >= floor x 240  ->  C = 20 x floor: 6 MW (2029), 7 MW (2030).
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(inputs, year=year, overrides=NO_PV_LIMIT)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(20 * floor, rel=1e-6)
    assert metrics.self_consumption_share(hourly) == pytest.approx(floor, rel=1e-6)


def test_self_consumption_floor_off_builds_no_pv(day):
    # Same case with the floor switched off: PV does not pay, so none is built.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(inputs, overrides={**NO_PV_LIMIT, "self_consumption_min": {"enabled": False}})
    sol, _ = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize("year, cap", [(2027, 0.40), (2028, 0.20)])
def test_hydrogen_export_ratio_cap_tightens_in_2028(day, year, cap):
    # Hydrogen project, flat load 10 MW, no storage, export paid 500 yuan/MWh: every MW of PV
    # earns 12 MWh x 500 = 6,000 > 1,000 cost, so PV grows until the export cap binds.
    # With C > 10: E_sc = 12 x 10 = 120, E_exp = 12 (C - 10);
    # E_exp / (E_exp + E_sc) = (C - 10) / C <= r  ->  C = 10 / (1 - r): 16.667 (2027), 12.5 (2028).
    # (1.2x rule: 12 C <= 288 -> C <= 24, not binding.)
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx, export_price=500.0)
    _, params = make_params(inputs, year=year, kind="hydrogen", pv_cost=1_000.0, overrides=NO_PV_LIMIT)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(10 / (1 - cap), rel=1e-6)
    assert metrics.export_ratio(hourly) == pytest.approx(cap, rel=1e-6)


@pytest.mark.parametrize("year, cap", [(2027, 0.40), (2028, 0.20)])
def test_export_cap_binds_with_the_peak_valley_limit_in_force(day, year, cap):
    # The case above with the peak-valley limit in force at λ = 0.5, reading auto -> connection
    # (the project may export): per day P = 10 MW at night and 10 − C_pv by day, so the swing
    # is C_pv and it must stay within 0.5 x the connection capacity: conn >= 2·C_pv.
    # A MW of PV still earns 12 x 500 − 1,000 − 2 x 1 (connection) > 0, so the export cap
    # binds as without the limit: C_pv = 10 / (1 − r) and conn = 2·C_pv.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx, export_price=500.0)
    rules, params = make_params(inputs, year=year, kind="hydrogen", pv_cost=1_000.0,
                                overrides={"peak_valley_limit": {"limit": 0.5}})  # fmt: skip
    assert rules.param("peak_valley_limit", "reading") == "connection"
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(10 / (1 - cap), rel=1e-6)
    assert sol.capacities["connection_mw"] == pytest.approx(2 * 10 / (1 - cap), rel=1e-6)
    assert metrics.export_ratio(hourly) == pytest.approx(cap, rel=1e-6)


def test_signed_peak_valley_reading_forbids_export(day):
    # Same with reading signed and λ = 0.6: (max P − min P) <= 0.6·max P with max P = 10
    # (night) asks min P = 10 − C_pv >= 4 by day: C_pv = 6 MW, no export, the export cap
    # cannot bind. (E_sc = 12 x 6 = 72 MWh = the 30% floor of 240 exactly; at λ = 0.5 no
    # design would meet both.)
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx, export_price=500.0)
    _, params = make_params(inputs, kind="hydrogen", pv_cost=1_000.0,
                            overrides={"peak_valley_limit": {"limit": 0.6, "reading": "signed"}})
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(6.0, rel=1e-6)
    assert hourly["export_mw"].max() == pytest.approx(0.0, abs=1e-9)


def test_hydrogen_generation_cap_binds(day):
    # As above with the export cap lifted to 90%: now the 1.2x rule binds:
    # E_A = 12 x C <= 1.2 x 240 = 288  ->  C = 24 MW.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx, export_price=500.0)
    _, params = make_params(
        inputs,
        kind="hydrogen",
        pv_cost=1_000.0,
        overrides={**NO_PV_LIMIT, "export_ratio_cap": {"max_ratio": 0.9}},
    )
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(24.0, rel=1e-6)
    assert metrics.generation_to_load_ratio(hourly) == pytest.approx(1.2, rel=1e-6)


def test_general_project_never_exports(day):
    # The same profitable export price on a general project: the export ban (三(一)) leaves
    # PV only the load to serve, so C = 10 MW (covering the 12 sun hours) and export = 0.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx, export_price=500.0)
    _, params = make_params(inputs, pv_cost=1_000.0, overrides=NO_PV_LIMIT)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(10.0, rel=1e-6)
    assert hourly["export_mw"].abs().max() == 0.0


def test_utilisation_floor_binds(day):
    # Load 10 MW except 5 MW from 12:00 to 17:59. Cheap PV (100/MW) saves 6 h x 100 yuan per MW
    # up to 10 MW, but above 5 MW it is curtailed from 12:00 to 17:59:
    # curtailed = 6 (C - 5), E_A = 12 C; 1 - 6 (C - 5) / (12 C) >= 0.9  ->  4.8 C <= 30  ->  C = 6.25.
    idx = day_index()
    load = np.where((idx.hour >= 12) & (idx.hour < 18), 5.0, 10.0)
    inputs = make_inputs(load, square_pv(idx), idx)
    _, params = make_params(inputs, pv_cost=100.0, overrides=NO_PV_LIMIT)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(6.25, rel=1e-6)
    assert metrics.renewable_utilisation(hourly) == pytest.approx(0.9, rel=1e-6)


def test_utilisation_floor_is_not_met_by_burning_energy_in_storage():
    # The case above plus storage with η_c = η_d = 0.9, almost free power (0.001/MW) and
    # prohibitive energy (1e6/MWh, so nothing is shifted between hours). Charging and
    # discharging at P MW in the same hour burns P·(1 − 0.81) MWh with the state of charge
    # unchanged. Read as "absorbed" (E_A − E_curt, greenscen 0.1) that counts as utilised, and
    # the cheap PV would grow to 10 MW with the 6 h x 5 MW surplus burnt in a ~26 MW loop.
    # Read as delivered (E_sc + E_exp) / E_A, the loop earns nothing: the honest optimum is the
    # one without storage, C = 6.25 MW, no storage, utilisation 0.9 and no loop in the dispatch.
    idx = day_index()
    load = np.where((idx.hour >= 12) & (idx.hour < 18), 5.0, 10.0)
    inputs = make_inputs(load, square_pv(idx), idx)
    _, params = make_params(inputs, pv_cost=100.0, storage=True, efficiency=0.9,
                            storage_power_cost=0.001, storage_energy_cost=1e6,
                            overrides=NO_PV_LIMIT)  # fmt: skip
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(6.25, rel=1e-6)
    assert metrics.renewable_utilisation(hourly) == pytest.approx(0.9, rel=1e-6)
    assert np.minimum(hourly["charge_mw"], hourly["discharge_mw"]).max() <= 1e-9


def test_exchange_limit_binds_with_fixed_connection(day):
    # Connection fixed at 8 MW under a flat 10 MW load: the grid gives at most 8 MW, so the
    # other 2 MW come from PV by day and storage by night. Expensive PV and storage are kept
    # to the minimum: storage 2 MW / 12 h x 2 MW = 24 MWh (efficiency 1), PV = 2 + 2 = 4 MW.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(
        inputs,
        storage=True,
        connection_mw=8.0,
        overrides={**NO_PV_LIMIT, "self_consumption_min": {"enabled": False}},
    )
    sol, hourly = solve(inputs, params)
    assert hourly["import_mw"].max() == pytest.approx(8.0, rel=1e-6)
    assert sol.capacities["pv"] == pytest.approx(4.0, rel=1e-6)
    assert sol.capacities["storage_mw"] == pytest.approx(2.0, rel=1e-6)
    assert sol.capacities["storage_mwh"] == pytest.approx(24.0, rel=1e-6)


def test_peak_valley_limit_forces_storage(day):
    # Flat load 10 MW, self-consumption >= 30% (E_sc >= 72 MWh), daily peak-valley rate of
    # P = import <= 0.3. Import a MW by day, b MW by night: E_sc = 240 - 12 (a + b) >= 72
    # -> a + b <= 14 (binding: PV is expensive, so C = 20 - a - b = 6 MW). Storage shifts
    # 10 - b MW to the night; it is smallest when b is largest subject to a >= (1 - 0.3) b:
    # b = 14 / 1.7 = 8.2353, storage power 10 - b = 1.7647 MW, energy 12 x that = 21.176 MWh.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(inputs, storage=True, overrides={"peak_valley_limit": {"limit": 0.3}})
    sol, hourly = solve(inputs, params)
    b = 14 / 1.7
    assert sol.capacities["pv"] == pytest.approx(6.0, rel=1e-6)
    assert sol.capacities["storage_mw"] == pytest.approx(10 - b, rel=1e-5)
    assert sol.capacities["storage_mwh"] == pytest.approx(12 * (10 - b), rel=1e-5)
    rate = metrics.peak_valley_rate(metrics.exchange_power_mw(hourly), "D").max()
    assert rate == pytest.approx(0.3, abs=1e-6)


def test_peak_valley_default_is_load_rate(day):
    # Default limit 'load': a flat load has daily rate 0, so the exchange must be flat:
    # a = b = 7 MW (a + b = 14 from the 30% floor), storage 3 MW and 36 MWh, PV 6 MW.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(inputs, storage=True)
    assert params.policy.peak_valley_limit == pytest.approx(0.0)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["storage_mw"] == pytest.approx(3.0, rel=1e-5)
    assert sol.capacities["storage_mwh"] == pytest.approx(36.0, rel=1e-5)
    assert hourly["import_mw"].to_numpy() == pytest.approx(np.full(24, 7.0), abs=1e-5)


def test_peak_valley_without_storage_is_infeasible_and_names_rules(day):
    # Without storage a flat exchange needs a = b, but then PV by day only displaces day
    # import: E_sc = 12 (10 - a) >= 72 -> a <= 4 while b = 10 at night: no solution.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    rules, params = make_params(inputs)
    model = SizingModel(inputs, params, [r.describe() for r in rules.rules])
    with pytest.raises(InfeasibleError) as err:
        model.solve()
    assert "peak_valley_limit" in str(err.value)
    assert "self_consumption_min" in str(err.value)


def test_same_answer_at_two_hour_steps():
    # The peak-valley case at 2-hour steps (12 steps of 2 h; the square wave falls on block
    # boundaries): capacities are resolution independent, so they equal the hourly answer.
    idx2 = day_index(steps=12, hours=2)
    inputs = make_inputs(10.0, square_pv(idx2), idx2, duration_h=2.0)
    _, params = make_params(inputs, storage=True, overrides={"peak_valley_limit": {"limit": 0.3}})
    sol, hourly = solve(inputs, params)
    b = 14 / 1.7
    assert sol.capacities["pv"] == pytest.approx(6.0, rel=1e-6)
    assert sol.capacities["storage_mwh"] == pytest.approx(12 * (10 - b), rel=1e-5)
    assert (hourly["load_mw"] * hourly["duration_h"]).sum() == pytest.approx(240.0)


def test_off_grid_storage_carries_the_night():
    # Off-grid, flat 10 MW: PV by day covers the load and charges 120 MWh for the night.
    # Efficiency 0.9 each way: charge = 120 / 0.81 = 148.15 MWh over 12 h -> 12.346 MW;
    # PV = 10 + 12.346 = 22.346 MW; storage power = max(12.346, 10) = 12.346 MW, energy
    # = 120 / 0.9 = 133.33 MWh. Utilisation, energy delivered: 240 / (12 x 22.346) = 0.895
    # (the 28.15 MWh lost in storage are not utilised), so the floor is set to 0.85 here.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, mode="off_grid", storage=True, efficiency=0.9,
                            overrides={"renewable_utilisation_min": {"min_share": 0.85}})
    sol, hourly = solve(inputs, params)
    charge_mw = 120 / 0.81 / 12
    assert sol.capacities["pv"] == pytest.approx(10 + charge_mw, rel=1e-6)
    assert sol.capacities["storage_mwh"] == pytest.approx(120 / 0.9, rel=1e-6)
    assert hourly["import_mw"].abs().max() == 0.0
    assert metrics.renewable_utilisation(hourly) == pytest.approx(240 / (12 * (10 + charge_mw)))


def test_off_grid_storage_losses_count_against_the_utilisation_floor():
    # The case above under the plan's 90% floor: the best possible utilisation is the 0.895
    # of the smallest PV (any more PV is curtailed), so no design complies. Read as absorbed
    # energy (0.1) the same design scored 1.0.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, mode="off_grid", storage=True, efficiency=0.9)
    with pytest.raises(InfeasibleError):
        solve(inputs, params)


@pytest.fixture
def day():
    idx = day_index()
    return idx, square_pv(idx)


def test_fixed_design_is_evaluated_not_optimised(day):
    # Fixing PV at 8 MW (above the 6 MW the 30% floor needs) evaluates that design:
    # E_sc = 12 x 8 = 96 MWh -> share 0.4; import 240 - 96 = 144 MWh.
    idx, pv = day
    inputs = make_inputs(10.0, pv, idx)
    _, params = make_params(inputs, overrides=NO_PV_LIMIT)
    model = SizingModel(inputs, params)
    model.fix_capacity("pv", 8.0)
    sol = model.solve()
    hourly = hourly_frame(inputs, sol)
    assert sol.capacities["pv"] == 8.0
    assert metrics.self_consumption_share(hourly) == pytest.approx(0.4, rel=1e-6)
    assert (hourly["import_mw"] * hourly["duration_h"]).sum() == pytest.approx(144.0, rel=1e-6)
    model.fix_capacity("pv", None)  # freed again: back to the 6 MW optimum, no rebuild
    assert model.solve().capacities["pv"] == pytest.approx(6.0, rel=1e-6)


def test_grid_charged_storage_is_not_green():
    # No PV (priced out), storage may charge from the grid. Energy costs 100 yuan/MWh from
    # 00:00 to 11:59 and 300 after; storage and connection are almost free. Optimum: import
    # 20 MW in cheap hours, storing 10 MW x 12 h = 120 MWh for the expensive hours (eff. 1).
    # That energy came from the grid, so self-consumption and green tracing are 0, not 120.
    from dataclasses import replace

    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    price = np.where(idx.hour < 12, 100.0, 300.0)
    inputs = replace(inputs, energy_price_yuan_per_mwh=inputs.energy_price_yuan_per_mwh * 0 + price)
    _, params = make_params(
        inputs,
        pv_cost=1e9,
        storage=True,
        storage_power_cost=1.0,
        storage_energy_cost=1.0,
        overrides={**NO_PV_LIMIT, "self_consumption_min": {"enabled": False}},
    )
    params = replace(params, storage=replace(params.storage, allow_grid_charging=True))
    sol, hourly = solve(inputs, params)
    assert sol.capacities["storage_mwh"] == pytest.approx(120.0, rel=1e-6)
    assert hourly["discharge_grid_mw"].sum() == pytest.approx(120.0, rel=1e-6)
    assert metrics.self_consumption_share(hourly) == pytest.approx(0.0, abs=1e-9)
