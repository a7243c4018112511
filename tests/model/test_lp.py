"""The bulk-built LP (greenscen.model.lp) is the Pyomo model of build_model, leaner but equal.

Each case solves both formulations on the first week of a scenario and compares the optimum;
a wrong coefficient, a lost constraint or a wrong substitution changes it.
"""

from __future__ import annotations

import numpy as np
import pyomo.environ as pyo
import pytest
from pyomo.contrib.appsi.solvers import Highs

from greenscen.model.core import SizingModel, build_model
from greenscen.model.objective import SCALE
from greenscen.run import resolve
from greenscen.scenario.inputs import ModelInputs
from greenscen.scenario.load import load_scenario


def head_days(inputs: ModelInputs, days: int) -> ModelInputs:
    """Return the first ``days`` days of the inputs (hourly)."""
    n = 24 * days
    return ModelInputs(
        load_mw=inputs.load_mw.iloc[:n],
        cf=inputs.cf.iloc[:n],
        duration_h=inputs.duration_h.iloc[:n],
        energy_price_yuan_per_mwh=inputs.energy_price_yuan_per_mwh.iloc[:n],
        export_price_yuan_per_mwh=inputs.export_price_yuan_per_mwh.iloc[:n],
    )


CASES = {
    "default": (None, {}),
    "hydrogen_export_cap": ("scenarios/hydrogen_grid_2027.yaml", {}),
    "off_grid": ("scenarios/hydrogen_off_grid.yaml", {}),
    "peak_valley": ("scenarios/peak_valley_storage.yaml", {}),
    "grid_charging": (
        "scenarios/hydrogen_grid_2028.yaml",
        {"technologies": {"storage": {"allow_grid_charging": True}}},
    ),
    "h2_cap_and_min_hours": (
        "scenarios/hydrogen_grid_2028.yaml",
        {
            "technologies": {"storage": {"min_hours": 2}},
            "rules": {"overrides": {"self_consumption_min": {"min_share": 0.6}}},
        },
    ),
}


def _pyomo_objective(inputs, params) -> float:
    m = build_model(inputs, params)
    solver = Highs()
    res = solver.solve(m)
    assert str(res.termination_condition).endswith("optimal")
    return float(pyo.value(m.obj)) / SCALE


@pytest.mark.parametrize("case", sorted(CASES))
def test_bulk_lp_has_the_pyomo_optimum(case):
    path, overrides = CASES[case]
    ls = load_scenario(path, **overrides)
    _, inputs, params = resolve(ls)
    small = head_days(inputs, 7)
    sol = SizingModel(small, params).solve()
    assert sol.objective_yuan == pytest.approx(_pyomo_objective(small, params), rel=1e-6)
    # curtailment substituted out is still non-negative and within what is available
    avail = sum(small.cf[k].to_numpy() * sol.capacities[k] for k in small.cf.columns)
    assert np.all(sol.arrays["curtailed_mw"] <= avail + 1e-6)


def test_lean_lp_drops_rows_the_pyomo_model_has():
    ls = load_scenario(None)
    _, inputs, params = resolve(ls)
    small = head_days(inputs, 2)
    m = build_model(small, params)
    pyomo_rows = sum(len(c) for c in m.component_objects(pyo.Constraint, active=True))
    pyomo_cols = sum(len(v) for v in m.component_objects(pyo.Var))
    lp = SizingModel(small, params).lp
    # curt (48 columns) and curt_le_avail, balance (2 x 48 rows) are gone; a few aggregates added
    assert lp.A.shape[1] < pyomo_cols - 40
    assert lp.A.shape[0] < pyomo_rows - 40
