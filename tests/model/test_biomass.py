"""The biomass plant (seed 001 一) binds in tiny cases whose optimum is worked out by hand.

Set-up unless stated: one day of 24 hourly steps, flat load 10 MW, no PV output (cf = 0),
grid price 600 yuan/MWh from 06:00 to 17:59 ("peak") and 150 yuan/MWh otherwise.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from greenscen.base.biomass import BiomassParams
from greenscen.errors import InfeasibleError
from greenscen.model.core import SizingModel, hourly_frame
from greenscen.model.lp import build_lp
from greenscen.model.timegrid import full_grid
from greenscen.results import metrics
from tests.model.cases import day_index, make_inputs, make_params, square_pv

NO_PEAK_VALLEY = {"peak_valley_limit": {"enabled": False}}


def biomass(**kw) -> BiomassParams:
    base = dict(cost_yuan_per_mw_year=1_000.0, energy_cost_yuan_per_mwh=200.0,
                fuel_cost_yuan_per_mwh_fuel=60.0, variable_om_yuan_per_mwh=0.0, efficiency=0.3,
                capacity_mw=None, min_mw=0.0, max_mw=None, min_load_share=0.3, availability=0.9,
                max_fuel_mwh_per_year=480.0, max_generation_mwh_per_year=None)  # fmt: skip
    return BiomassParams(**(base | kw))


def tou_case(**kw):
    idx = day_index()
    peak = (idx.hour >= 6) & (idx.hour < 18)
    inputs = make_inputs(10.0, np.zeros(24), idx, price=np.where(peak, 600.0, 150.0))
    _, params = make_params(inputs, overrides=NO_PEAK_VALLEY)
    return inputs, dataclasses.replace(params, biomass=biomass(**kw)), peak


def solve(inputs, params):
    sol = SizingModel(inputs, params).solve()
    return sol, hourly_frame(inputs, sol)


def test_min_load_and_fuel_limit_bind():
    # Biomass costs 60 / 0.3 = 200 yuan per MWh of electricity: cheaper than the grid at peak
    # (600), dearer off-peak (150). So it runs at its available 0.9·K at peak and at its
    # minimum 0.3·K off-peak, and K grows until the fuel limit binds:
    # E_b = 12·0.9·K + 12·0.3·K = 14.4·K <= 480 MWh fuel x 0.3 = 144 MWh  ->  K = 10 MW
    # (a MW more would save 12·0.9·400 = 4,320 at peak, lose 12·0.3·50 = 180 off-peak and
    # cost 1,000; past K = 10 the fuel limit cuts the peak output instead).
    # Peak output 9 MW, off-peak 3 MW; import 1 MW at peak, 7 MW off-peak.
    # Cost: 1,000·10 + 200·144 + 600·12·1 + 150·12·7 + connection 7 MW x 1 = 58,607 yuan.
    inputs, params, peak = tou_case()
    sol, hourly = solve(inputs, params)
    assert sol.capacities["biomass"] == pytest.approx(10.0, rel=1e-6)
    b = hourly["biomass_mw"].to_numpy()
    assert b[peak] == pytest.approx(np.full(12, 9.0), abs=1e-6)
    assert b[~peak] == pytest.approx(np.full(12, 3.0), abs=1e-6)
    assert float(b.sum()) / 0.3 == pytest.approx(480.0, rel=1e-6)  # fuel limit
    assert sol.objective_yuan == pytest.approx(58_607.0, rel=1e-6)
    # biomass is renewable output: self-consumption 144 / 240 = 0.6, utilisation 1
    assert metrics.self_consumption_share(hourly) == pytest.approx(0.6, rel=1e-6)
    assert metrics.renewable_utilisation(hourly) == pytest.approx(1.0, rel=1e-6)


def test_without_min_load_the_plant_runs_only_at_peak():
    # m = 0: off-peak output is 0, and the fuel limit 144 MWh at peak gives 12·0.9·K = 144,
    # K = 13.33 MW, but the load caps the peak output at 10 MW (no export): K = 10 / 0.9 =
    # 11.11 MW, E_b = 120 MWh and the fuel limit no longer binds (400 MWh of 480).
    inputs, params, peak = tou_case(min_load_share=0.0)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["biomass"] == pytest.approx(10 / 0.9, rel=1e-6)
    b = hourly["biomass_mw"].to_numpy()
    assert b[~peak] == pytest.approx(np.zeros(12), abs=1e-6)
    assert float(b.sum()) == pytest.approx(120.0, rel=1e-6)


def test_generation_limit_binds_like_the_fuel_limit():
    # The same limit given in MWh of electricity (144) instead of fuel: the same optimum.
    inputs, params, _ = tou_case(max_fuel_mwh_per_year=None, max_generation_mwh_per_year=144.0)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["biomass"] == pytest.approx(10.0, rel=1e-6)
    assert float(hourly["biomass_mw"].sum()) == pytest.approx(144.0, rel=1e-6)


def test_fixed_capacity_with_min_load_above_the_fuel_limit_is_infeasible():
    # K fixed at 20 MW: the minimum load alone makes 24 h x 0.3 x 20 = 144 MWh, i.e. burns
    # 144 / 0.3 = 480 MWh of fuel, so a fuel limit of 400 MWh cannot be met.
    inputs, params, _ = tou_case(capacity_mw=20.0, max_fuel_mwh_per_year=400.0)
    with pytest.raises(InfeasibleError):
        SizingModel(inputs, params).solve()


def test_min_load_curtailment_counts_against_utilisation():
    # Off-grid, flat 10 MW, PV (cf 1 by day, 100 yuan/MW) and biomass with m = 0.5, a = 1,
    # no fuel limit, fuel 200 yuan/MWh el. The night needs b = 10 MW, so K >= 10 and by day
    # biomass runs at least 5 MW: PV serves 10 − 5 = 5 MW by day without curtailment.
    # More PV (C > 5) would save 200 yuan per MWh of biomass it displaces... but biomass is at
    # its minimum, so extra PV is curtailed: C = 5 MW (PV cheap but useless above 5).
    # E_A = 12·5 + (12·10 + 12·5) = 240 MWh, nothing curtailed: utilisation 1.
    # With the minimum raised to 0.8 (b >= 8 by day) and PV fixed at 5 MW, 3 MW of the 13 MW
    # made by day are curtailed: utilisation (240) / (60 + 120 + 96) = 0.8696 < 0.9 → infeasible.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, mode="off_grid", pv_cost=100.0)
    bp = biomass(min_load_share=0.5, availability=1.0, max_fuel_mwh_per_year=None)
    params = dataclasses.replace(params, biomass=bp)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["biomass"] == pytest.approx(10.0, rel=1e-6)
    assert sol.capacities["pv"] == pytest.approx(5.0, rel=1e-6)
    assert metrics.renewable_utilisation(hourly) == pytest.approx(1.0, rel=1e-6)
    tight = dataclasses.replace(params, biomass=biomass(min_load_share=0.8, availability=1.0,
                                                        max_fuel_mwh_per_year=None),
                                renewables=(dataclasses.replace(params.renewables[0], capacity_mw=5.0),))
    with pytest.raises(InfeasibleError):
        SizingModel(inputs, tight).solve()


def test_biomass_counts_in_the_hydrogen_generation_cap():
    # Hydrogen project 2027, flat 10 MW, export paid 500 yuan/MWh, PV (cf 1 by day, 1,000/MW)
    # and a fixed 5 MW biomass plant with m = a = 0.9: b = 4.5 MW in every step, E_b = 108 MWh.
    # 1.2x rule (三(一), E_A = PV + biomass): 12·C + 108 <= 1.2·240 = 288  ->  C <= 15.
    # Each MW of PV earns 12 x 500 > 1,000, so PV grows to the first cap that binds. By day
    # 10 − 4.5 = 5.5 MW of load is open; E_exp = 12 (C − 5.5); by night 5.5 MW are imported,
    # E_sc = 240 − 66 = 174 MWh. 2027 export cap 40%: 0.6·E_exp <= 0.4·174  ->  E_exp <= 116
    # ->  C <= 15.17. Without biomass in E_A the 1.2x rule would allow C = 24; with it, C = 15.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx, export_price=500.0)
    _, params = make_params(inputs, kind="hydrogen", pv_cost=1_000.0,
                            overrides={**NO_PEAK_VALLEY, "self_consumption_min": {"enabled": False}})
    bp = biomass(capacity_mw=5.0, min_load_share=0.9, availability=0.9, max_fuel_mwh_per_year=None)
    params = dataclasses.replace(params, biomass=bp)
    sol, hourly = solve(inputs, params)
    assert sol.capacities["pv"] == pytest.approx(15.0, rel=1e-6)
    assert metrics.generation_to_load_ratio(hourly) == pytest.approx(1.2, rel=1e-6)


def test_lp_without_biomass_has_no_biomass_blocks():
    inputs, params, _ = tou_case()
    plain = dataclasses.replace(params, biomass=None)
    lp = build_lp(plain, full_grid(inputs, plain))
    assert not any("bio" in k for k in list(lp.cols) + list(lp.rows))
    lp = build_lp(params, full_grid(inputs, params))
    assert {"cap:biomass", "bio", "E_bio"} <= set(lp.cols)
    assert {"bio_le_avail", "bio_min_load", "E_bio_def", "bio_fuel_max"} <= set(lp.rows)
    assert lp.rows["bio_le_avail"].stop - lp.rows["bio_le_avail"].start == 24


def test_one_year_plan_with_biomass_matches_the_single_year_model():
    # second method: the horizon LP of one year is the single-year LP with one batch; before
    # the biomass capacity was linked to the batch columns it was free (and its cost dropped)
    # in a plan, so the plan undercut the single-year optimum by the biomass capacity cost.
    from greenscen.model.multiyear import make_plan, solve_plan

    inputs, params, _ = tou_case()
    single = SizingModel(inputs, params).solve()
    ps = solve_plan(make_plan(inputs, {}, [2027], lambda y, inp: params, 0.06))
    assert ps.objective_yuan == pytest.approx(single.objective_yuan, rel=1e-9)
    assert ps.batch_capacities["2027"]["cap:biomass"] == pytest.approx(10.0, rel=1e-6)
