"""The horizon LP (greenscen.model.multiyear) on tiny cases whose optimum is worked by hand.

Every case is one 24-hour day standing for a year (ModelInputs built by hand: annual_scale
1), PV with cf = 1 from 06:00 to 17:59, a constant load; so E_cf = 12 MWh per MW and year.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import numpy as np
import pytest

from greenscen.model.core import SizingModel, hourly_frame
from greenscen.model.lp import build_lp
from greenscen.model.multiyear import make_plan, solve_plan
from greenscen.model.timegrid import full_grid
from greenscen.results.checks_base import DesignFacts
from greenscen.results.compliance import compliance_table
from tests.model.cases import day_index, make_inputs, make_params, square_pv

NO_PV_LIMIT = {"peak_valley_limit": {"enabled": False}}


def hydrogen_case(pv_cost=300.0):
    idx = day_index()
    inp = make_inputs(10.0, square_pv(idx), idx, price=200.0, export_price=100.0)

    def params_of(year, i):
        return make_params(i, year=year, kind="hydrogen", overrides=NO_PV_LIMIT, pv_cost=pv_cost)[1]

    return inp, params_of


def shares(sol, load_mwh):
    e = float(sol.arrays["export_mw"].sum())
    sc = load_mwh - float(sol.arrays["import_mw"].sum())
    return e / (e + sc), sc / load_mwh


def test_hydrogen_export_cap_held_at_20_percent_from_2028_and_40_before():
    # Load 10 MW all day (E_load 240 MWh), PV K MW by day: E_sc = 120 (daytime load), export
    # 12(K − 10). Utilisation >= 90%: 120 + E_exp >= 10.8 K. From 2028 E_exp <= 0.2/0.8·120 =
    # 30, so K <= 150 / 10.8 = 13.8889 (curtailing 16.67 MWh). Each MW between 12.5 and
    # 13.889 exports 12 MWh in 2026-27 only (weight 0.4 at rate 0): 0.4·12·100 = 480 > 300
    # yuan cost, so K = 13.8889. Then 2026-27 export 46.667 MWh, ratio 46.667/166.667 = 0.28.
    inp, params_of = hydrogen_case()
    plan = make_plan(inp, {}, range(2026, 2031), params_of, 0.0)
    ps = solve_plan(plan)
    assert ps.batch_capacities["2026"]["cap:pv"] == pytest.approx(150 / 10.8, rel=1e-7)
    by_year = {y: shares(ps.solutions[ps.regime_of(y)], 240.0)[0] for y in range(2026, 2031)}
    assert by_year[2026] == pytest.approx(0.28, abs=1e-7)
    assert by_year[2027] == pytest.approx(0.28, abs=1e-7)
    for y in (2028, 2029, 2030):
        assert by_year[y] == pytest.approx(0.20, abs=1e-7)
    # 2026-27, 2028-29 (30% floor), 2030 (35% floor): three regimes for five years
    assert [rg.years for rg in ps.regimes] == [(2026, 2027), (2028, 2029), (2030,)]


def test_single_year_2027_design_breaks_2028_by_hand_shortfall():
    # Sized for 2027 alone the export cap 0.4 binds without curtailment: 12(K − 10) = 80,
    # K = 16.667 (more PV would only be curtailed). Fixed over 2026-2030, in 2028 E_A = 200:
    # exporting x MWh costs an export-row slack 0.8x − 0.2·120 and a utilisation slack
    # 180 − 120 − x; their sum 36 − 0.2x falls to x = 60: export row short by 24 MWh,
    # utilisation met. 2026-27 need no slack.
    inp, params_of = hydrogen_case()
    one = make_plan(inp, {}, [2027], params_of, 0.0)
    k2027 = solve_plan(one).batch_capacities["2027"]["cap:pv"]
    assert k2027 == pytest.approx(10 + 80 / 12, rel=1e-7)
    plan = make_plan(inp, {}, range(2026, 2031), params_of, 0.0)
    fixed = {"b2026/cap:pv": k2027, "b2026/conn": 10.0}
    ps = solve_plan(plan, fixed=fixed, elastic=True)
    for y in (2026, 2027):
        assert max(ps.slacks[str(y)].values()) < 1e-6
    for y in (2028, 2029, 2030):
        assert ps.slacks[str(y)]["export_ratio"] == pytest.approx(24.0, abs=1e-6)
        assert ps.slacks[str(y)]["utilisation"] == pytest.approx(0.0, abs=1e-6)
    # and the independent check of that 2028 dispatch: export 60 of 180 MWh = 1/3 > 0.2
    sol = ps.solutions[ps.regime_of(2028)]
    rules, params = make_params(inp, year=2028, kind="hydrogen", overrides=NO_PV_LIMIT)
    table = compliance_table(hourly_frame(inp, sol), rules, facts(sol.capacities))
    row = table.set_index("rule").loc["export_ratio_cap"]
    assert row["value"] == pytest.approx(1 / 3, abs=1e-7) and row["ok"] is False


def facts(caps, kind="hydrogen"):
    return DesignFacts(mode="grid", kind=kind, connection_mw=caps.get("connection_mw", 0.0),
                       storage_power_mw=0.0, storage_energy_mwh=0.0, charge_efficiency=1.0,
                       discharge_efficiency=1.0, capacities_mw={"pv": caps.get("pv", 0.0)})


def test_self_consumption_floor_of_2030_changes_the_design():
    # General project, PV cf 0.5 by day (PV 10,000 yuan/MW > its savings 6·100): PV only as
    # the floor needs. E_sc = 6K of E_load 240: 30% needs K = 12 (2026-2029 alone), 35% in
    # 2030 K = 14, and one design for 2026-2030 carries the 2030 floor: K = 14.
    idx = day_index()
    inp = make_inputs(10.0, 0.5 * square_pv(idx), idx, price=100.0)

    def params_of(year, i):
        return make_params(i, year=year, overrides=NO_PV_LIMIT)[1]

    k29 = solve_plan(make_plan(inp, {}, range(2026, 2030), params_of, 0.05)).batch_capacities
    k30 = solve_plan(make_plan(inp, {}, range(2026, 2031), params_of, 0.05)).batch_capacities
    assert k29["2026"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)
    assert k30["2026"]["cap:pv"] == pytest.approx(14.0, rel=1e-7)


def two_batch_case(online_from=dt.date(2028, 1, 1)):
    idx = day_index()
    inp = make_inputs(10.0, square_pv(idx), idx, price=200.0, export_price=100.0)
    inp = inp.__class__(**{**inp.__dict__, "load_mw": inp.load_mw.assign(u2=5.0)})
    ov = NO_PV_LIMIT | {"export_ratio_cap": {"max_ratio": 0.9},
                        "renewable_utilisation_min": {"enabled": False}}

    def params_of(year, i):
        return make_params(i, year=year, kind="hydrogen", overrides=ov, pv_cost=300.0)[1]

    return make_plan(inp, {"u2": online_from}, range(2026, 2031), params_of, 0.0)


def test_two_batches_each_sized_by_its_own_load():
    # u1 10 MW from 2026, u2 5 MW from 2028 (year 3). PV pays (12·100 export > 300), so the
    # 1.2x cap binds: batch 2026 K = 1.2·240/12 = 24 MW, batch 2028 K = 1.2·120/12 = 12 MW.
    # Connection: 14 MW export in 2026-27 (24 − 10), 21 MW from 2028 (36 − 15): +7 MW.
    # Equivalent annual cost, weights 0.2 a year: PV 24·300 + 12·300·0.6 = 9,360; connection
    # 14·1 + 7·1·0.6 = 18.2; 2026-27 grid 0.4·(120·200 − 168·100) = 2,880; 2028-30
    # 0.6·(180·200 − 252·100) = 6,480. Total 18,738.2 yuan/yr.
    plan = two_batch_case()
    assert [b.name for b in plan.batches] == ["2026", "2028"]
    ps = solve_plan(plan)
    assert ps.batch_capacities["2026"]["cap:pv"] == pytest.approx(24.0, rel=1e-7)
    assert ps.batch_capacities["2028"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)
    assert ps.batch_capacities["2026"]["conn"] == pytest.approx(14.0, rel=1e-7)
    assert ps.batch_capacities["2028"]["conn"] == pytest.approx(7.0, rel=1e-7)
    assert ps.objective_yuan == pytest.approx(18_738.2, rel=1e-7)
    assert ps.solutions[ps.regime_of(2030)].capacities["pv"] == pytest.approx(36.0, rel=1e-7)


def test_pyomo_backend_solves_the_same_horizon_lp():
    # The two-batch case again, compiled to Pyomo and solved by appsi-HiGHS: the same
    # hand-worked optimum (18,738.2 yuan/yr, 24 + 12 MW PV) as the arrays give.
    ps = solve_plan(two_batch_case(), backend="pyomo")
    assert ps.backend == "pyomo"
    assert ps.objective_yuan == pytest.approx(18_738.2, rel=1e-7)
    assert ps.batch_capacities["2026"]["cap:pv"] == pytest.approx(24.0, rel=1e-7)
    assert ps.batch_capacities["2028"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)
    # and the fixed-design elastic form: batch 2026 at 18 MW, batch 2028 still held to 12 MW
    ps = solve_plan(two_batch_case(), fixed={"b2026/cap:pv": 18.0}, backend="pyomo")
    assert ps.batch_capacities["2028"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)
    with pytest.raises(ValueError, match="backend: expected"):
        solve_plan(two_batch_case(), backend="gurobi")


def test_per_batch_generation_cap_binds():
    # Batch 2026 approved at 18 MW (fixed). The 2028+ total cap allows 36 − 18 = 18 MW more,
    # but batch 2028's own cap (1.2·120/12) allows 12 (三(一), read per batch).
    plan = two_batch_case()
    ps = solve_plan(plan, fixed={"b2026/cap:pv": 18.0})
    assert ps.batch_capacities["2028"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)


def test_batch_online_mid_year_produces_from_its_date():
    # u2 online 1 July 2028; the one-day "year" is a June day, before July: in 2028 u2 has
    # no load and batch 2028's PV (its own column, cf 0 before the date) produces nothing;
    # from 2029 both. Batch 2028 is still sized for u2's full year: 12 MW.
    ps = solve_plan(two_batch_case(dt.date(2028, 7, 1)))
    sol28 = ps.solutions[ps.regime_of(2028)]
    assert float(sol28.arrays["import_mw"].sum()) == pytest.approx(120.0)  # u1's nights only
    assert float(sol28.arrays["export_mw"].sum()) == pytest.approx(12 * 14.0)  # 24 − 10 MW
    assert ps.batch_capacities["2028"]["cap:pv"] == pytest.approx(12.0, rel=1e-7)
    assert [rg.years for rg in ps.regimes] == [(2026, 2027), (2028,), (2029,), (2030,)]


def test_one_year_plan_matches_the_single_year_model():
    # second method: the horizon LP of one year is the single-year LP with one batch
    inp, params_of = hydrogen_case()
    params = params_of(2027, inp)
    single = SizingModel(inp, params).solve()
    ps = solve_plan(make_plan(inp, {}, [2027], params_of, 0.06))
    assert ps.objective_yuan == pytest.approx(single.objective_yuan, rel=1e-9)
    assert ps.batch_capacities["2027"]["cap:pv"] == pytest.approx(single.capacities["pv"], rel=1e-9)


def lp_digest(lp) -> str:
    h = hashlib.sha256()
    for a in (lp.c, lp.col_lb, lp.col_ub, lp.row_lb, lp.row_ub, lp.A.data, lp.A.indices, lp.A.indptr):
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(repr(sorted(lp.cols.items())).encode() + repr(sorted(lp.rows.items())).encode())
    return h.hexdigest()[:16]


def test_single_year_lp_is_bit_identical_to_before_the_horizon():
    # digest of the LP computed with main's code (a26ad1d) before this branch existed
    inp, params_of = hydrogen_case()
    params = params_of(2027, inp)
    assert lp_digest(build_lp(params, full_grid(inp, params))) == "79a498bf233dc02a"
    params = make_params(inp, year=2028, kind="hydrogen", storage=True, pv_cost=300.0)[1]
    assert lp_digest(build_lp(params, full_grid(inp, params))) == "de2bd76620b7eee4"
