"""An infeasible scenario is explained: which rule gives way, where and by how much."""

from __future__ import annotations

from greenscen.model.diagnose import diagnose
from tests.model.cases import day_index, make_inputs, make_params, square_pv


def test_flat_exchange_without_storage_blames_self_consumption():
    # Flat 10 MW load, PV by day, no storage, peak-valley limit 'load' = 0 (flat exchange):
    # import must be 10 MW at night, so 10 MW all day, and PV serves nothing: E_sc = 0.
    # The cheapest relaxation is the annual floor: 30% x 240 MWh = 72 MWh short (relaxing the
    # flat-exchange rule instead would cost 6 MW of minimum exchange on the day, priced higher).
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs)
    lines = diagnose(inputs, params)
    assert len(lines) == 1
    assert lines[0].startswith("self_consumption_min (三(一)): self-consumption short of the floor by 72 MWh (30.0%")


def test_off_grid_without_storage_names_the_unserved_hours():
    # Off-grid, PV only, no storage: the 12 night hours of a flat 10 MW load go unserved:
    # 12 steps, 120 MWh = 50% of the 240 MWh load, 10 MW at most (first at 00:00).
    idx = day_index()
    inputs = make_inputs(10.0, square_pv(idx), idx)
    _, params = make_params(inputs, mode="off_grid")
    lines = diagnose(inputs, params)
    assert any(
        line.startswith("load: 12 step(s) cannot be served at all - 120 MWh (50.0% of the annual load), up to 10.0 MW at 2027-06-01 00:00")
        for line in lines
    ), lines
