"""The Pyomo view of the one LP, solved through appsi-HiGHS, gives the hand-derived optima too,
re-solves after a change without a rebuild, and takes a user's own constraints."""

from __future__ import annotations

import pyomo.environ as pyo
import pytest

from greenscen.model.core import SizingModel
from greenscen.model.pyomo_backend import PyomoSizingModel
from greenscen.run import run_scenario
from tests.model.cases import day_index, make_inputs, make_params, square_pv

NO_PV_LIMIT = {"peak_valley_limit": {"enabled": False}}


def test_mutable_parameter_resolve_without_rebuild():
    # The self-consumption case of test_rules_binding: PV = 20 x floor MW (6 MW at 30%).
    # Raising the mutable floor to 35% re-solves the same Pyomo model: PV = 7 MW.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, year=2029, overrides=NO_PV_LIMIT)
    model = PyomoSizingModel(inputs, params)
    pyomo_model = model.model
    assert model.solve().capacities["pv"] == pytest.approx(6.0, rel=1e-6)
    model.set_param("self_consumption_min", 0.35)
    assert model.solve().capacities["pv"] == pytest.approx(7.0, rel=1e-6)
    assert model.model is pyomo_model
    model.fix_capacity("pv", 9.0)
    assert model.solve().capacities["pv"] == 9.0


def test_a_users_pyomo_constraint_changes_the_optimum_by_hand():
    # Flat 10 MW load, PV cf 1 for 12 h a day (240 MWh/day), 2029: self-consumption >= 30%.
    # Cost = 10,000·K (PV, yuan/MW/yr) + 100 yuan/MWh · (240 − 12·K) MWh + 1 yuan/MW · 10 MW
    #      = 8,800·K + 24,010: PV is dearer than the grid energy it saves, so K sits on the
    # floor, 12·K >= 72 MWh -> K = 6 MW, 76,810 yuan. A user's Pyomo constraint K >= 8 MW
    # moves it to 8 MW and 8,800·8 + 24,010 = 94,410 yuan.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, year=2029, overrides=NO_PV_LIMIT)
    pm = PyomoSizingModel(inputs, params)
    first = pm.solve()
    assert first.capacities["pv"] == pytest.approx(6.0, rel=1e-6)
    assert first.objective_yuan == pytest.approx(76_810.0, rel=1e-6)
    m = pm.model
    m.my_pv_floor = pyo.Constraint(expr=m.cap_pv[0] >= 8.0)
    sol = pm.solve()
    assert sol.capacities["pv"] == pytest.approx(8.0, rel=1e-6)
    assert sol.objective_yuan == pytest.approx(94_410.0, rel=1e-6)
    # the user's row survives a parameter change: at a 35% floor K >= 7 MW still gives 8 MW
    pm.set_param("self_consumption_min", 0.35)
    assert pm.solve().capacities["pv"] == pytest.approx(8.0, rel=1e-6)


def test_peak_valley_case_same_on_both_backends():
    # Hand optimum (see test_rules_binding): storage 10 - 14/1.7 MW, 12x that in MWh.
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, storage=True, overrides={"peak_valley_limit": {"limit": 0.3}})
    a = SizingModel(inputs, params).solve()
    p = PyomoSizingModel(inputs, params).solve()
    b = 14 / 1.7
    for sol in (a, p):
        assert sol.capacities["storage_mw"] == pytest.approx(10 - b, rel=1e-5)
    assert p.objective_yuan == pytest.approx(a.objective_yuan, rel=1e-7)


def test_run_scenario_pyomo_backend_matches_arrays(tmp_path):
    path = tmp_path / "coarse.yaml"
    path.write_text("extends: bundled:default\nname: coarse\ntime: {resolution_h: 6}\n", encoding="utf-8")
    arrays = run_scenario(str(path))
    pyomo = run_scenario(str(path), backend="pyomo")
    assert pyomo.compliant and arrays.compliant
    assert pyomo.objective_yuan == pytest.approx(arrays.objective_yuan, rel=1e-6)
    assert pyomo.extra["backend"] == "pyomo"
    assert "pyomo_build_s" in pyomo.timings


@pytest.mark.parametrize("backend", ["arrays", "pyomo"])
def test_grid_charging_full_scenario_stays_green_accounted(tmp_path, backend):
    # Regression: a year at 3-hour steps with grid charging once let simultaneous charge and
    # discharge relabel green energy as grid energy (grid charge above the step's import);
    # the independent check flagged green_charging and green_tracing. Both backends now
    # keep grid-origin charge within the import of the same step.
    path = tmp_path / "gc.yaml"
    path.write_text(
        "extends: bundled:default\nname: gc\ntime: {resolution_h: 3}\n"
        "technologies: {storage: {allow_grid_charging: true}}\n",
        encoding="utf-8",
    )
    result = run_scenario(str(path), backend=backend)
    h = result.hourly
    assert result.compliant
    assert (h["charge_grid_mw"] - h["import_mw"]).max() <= 1e-6
