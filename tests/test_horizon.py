"""Any whole-day horizon: a day, a month, several years, each scaled to a year and stated.

The hand case: one day whose operating cost counts 365 times against the PV annuity; the
second method: a horizon repeated twice gives the same per-year optimum as the horizon once.
The CLI runs (a one-month study, a two-year 15-minute meter profile headed 时间) are in
``tests/test_cli_horizon.py``.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenscen.base.horizon import Horizon, horizon_of, is_calendar_year
from greenscen.errors import ScenarioError
from greenscen.model.core import SizingModel, hourly_frame
from greenscen.results.costs import cost_breakdown
from greenscen.run import resolve, run_scenario
from greenscen.scenario.inputs import typical_positions
from greenscen.scenario.load import load_scenario
from tests.model.cases import day_index, make_inputs, make_params, square_pv

sys.path.insert(0, str(Path(__file__).parent))
from horizon_cases import meter_load, meter_scenario, write_meter_csv  # noqa: E402

NO_PEAK_VALLEY = {"peak_valley_limit": {"enabled": False}}


def dated(inputs):
    """Return ``inputs`` as a study on their own dates (a horizon of their steps)."""
    return dataclasses.replace(inputs, horizon=horizon_of(inputs.index, 1.0, typical_year=False))


@pytest.mark.parametrize(
    ("pv_cost", "scaled", "pv_mw", "cost_yuan"),
    [
        # One day, load 10 MW, PV cf 1 from 06:00 to 18:00, import 100 yuan/MWh, connection
        # 1 yuan/MW/yr, no storage, 2027 general rules (no export, self-consumption >= 30%,
        # utilisation >= 90%; peak-valley off). The day stands for a year: scale 8760/24 = 365.
        # A MW of PV up to 10 MW saves 12 MWh of import a day = 365 x 12 x 100 = 438,000
        # yuan/yr. At 10,000 yuan/MW/yr: K = 10 MW (beyond, curtailed); cost = 10 x 10,000
        # + 365 x 100 x (12 h x 10 MW night) + 1 x 10 MW connection = 100,000 + 4,380,000 + 10.
        (10_000.0, True, 10.0, 4_480_010.0),
        # At 500,000 yuan/MW/yr PV costs more than it saves: K at the self-consumption floor,
        # 12 h x K >= 30% x 240 MWh -> K = 6 MW; cost = 3,000,000 + 365 x 100 x (120 + 12 x 4)
        # + 10 = 3,000,000 + 6,132,000 + 10.
        (500_000.0, True, 6.0, 9_132_010.0),
        # The same day unscaled (inputs built by hand, scale 1): PV saves only 1,200 yuan per MW,
        # so K = 6 MW at the floor and the cost is 60,000 + 100 x 168 + 10 = 76,810: what the
        # first case would give if the day were not scaled to a year.
        (10_000.0, False, 6.0, 76_810.0),
    ],
)
def test_one_day_square_wave_is_annualised_by_hand(pv_cost, scaled, pv_mw, cost_yuan):
    idx = day_index(24)
    inputs = make_inputs(10.0, square_pv(idx), idx, price=100.0)
    if scaled:
        inputs = dated(inputs)
        assert inputs.annual_scale == 365.0
    _, params = make_params(inputs, pv_cost=pv_cost, overrides=NO_PEAK_VALLEY)
    sol = SizingModel(inputs, params).solve()
    assert sol.capacities["pv"] == pytest.approx(pv_mw, abs=1e-6)
    assert sol.objective_yuan == pytest.approx(cost_yuan, rel=1e-7)
    # the independent cost breakdown from the hourly table agrees, part by part
    hourly = hourly_frame(inputs, sol)
    cost = cost_breakdown(hourly, sol.capacities, params, inputs.energy_price_yuan_per_mwh,
                          inputs.export_price_yuan_per_mwh, annual_scale=inputs.annual_scale)  # fmt: skip
    assert cost["total_annual_yuan"] == pytest.approx(cost_yuan, rel=1e-7)
    scale = 365.0 if scaled else 1.0
    assert cost["grid_energy_yuan"] == pytest.approx(scale * 100.0 * (120 + 12 * (10 - pv_mw)), rel=1e-7)
    assert cost["pv_yuan"] == pytest.approx(pv_cost * pv_mw, rel=1e-7)


def test_a_horizon_repeated_twice_gives_the_same_annual_optimum():
    # Second method: two identical weeks are the same study as one week (each a sample of the
    # year): same capacities, same annual cost; only the scale halves (52.14 -> 26.07).
    _, inputs, params = resolve(load_scenario(None, rules={"overrides": NO_PEAK_VALLEY}))
    week = slice(24 * 180, 24 * 187)
    idx1 = pd.date_range("2027-06-28", periods=168, freq="h", name="time")
    idx2 = pd.date_range("2027-06-28", periods=336, freq="h", name="time")

    def take(times, reps):
        def cut(obj):
            part = obj.iloc[week]
            out = pd.concat([part] * reps)
            out.index = times
            return out

        load = cut(inputs.load_mw)
        return dataclasses.replace(
            inputs, load_mw=load, cf=cut(inputs.cf), duration_h=cut(inputs.duration_h),
            energy_price_yuan_per_mwh=cut(inputs.energy_price_yuan_per_mwh),
            export_price_yuan_per_mwh=cut(inputs.export_price_yuan_per_mwh),
            horizon=horizon_of(times, 1.0, typical_year=False),
        )  # fmt: skip

    one, two = take(idx1, 1), take(idx2, 2)
    assert one.annual_scale == pytest.approx(8760 / 168) and two.annual_scale == pytest.approx(8760 / 336)
    a, b = SizingModel(one, params).solve(), SizingModel(two, params).solve()
    assert b.objective_yuan == pytest.approx(a.objective_yuan, rel=1e-6)
    for k, v in a.capacities.items():
        assert b.capacities[k] == pytest.approx(v, rel=1e-4, abs=1e-3), k


def test_horizon_statement_and_calendar_years():
    # 2027-01-01 .. 2028-12-31: 365 + 366 = 731 days = 17,544 h; scale 8760/17544 = 0.49932
    idx = pd.date_range("2027-01-01", periods=17544, freq="h")
    h = horizon_of(idx, 1.0, typical_year=False)
    assert h == Horizon(pd.Timestamp("2027-01-01"), pd.Timestamp("2029-01-01"), 17544.0, False)
    assert h.days == 731 and h.calendar_years == [2027, 2028]
    assert h.annual_scale == pytest.approx(0.499316, abs=1e-6)
    d = h.to_dict()
    assert (d["start"], d["end"], d["days"]) == ("2027-01-01 00:00", "2028-12-31 23:00", 731)
    assert is_calendar_year(pd.date_range("2027-01-01", periods=8760, freq="h"))
    assert not is_calendar_year(pd.date_range("2027-02-01", periods=8760, freq="h"))


def test_bundled_profiles_map_onto_dates_by_month_day_hour():
    idx = pd.DatetimeIndex(["2028-01-01 00:00", "2028-02-28 05:00", "2028-02-29 05:00",
                            "2028-03-01 00:00", "2029-12-31 23:00"])  # fmt: skip
    # hours of 2025 (non-leap): 0; 58 days x 24 + 5 = 1397; 29 Feb -> 28 Feb = 1397;
    # 1 March = 59 x 24 = 1416; 31 Dec 23:00 = 8759
    assert typical_positions(idx).tolist() == [0, 1397, 1397, 1416, 8759]


def write_month(tmp_path: Path, start="2027-03-01", days=31, step_min=60) -> Path:
    csv = write_meter_csv(tmp_path / "month.csv", meter_load(start, days, step_min))
    return meter_scenario(tmp_path, csv, "month")


@pytest.mark.filterwarnings("ignore:.*15-minute data averaged")
def test_a_month_study_is_scaled_to_a_year_and_its_energy_stated(tmp_path):
    # March 2027: 31 days = 744 h; scale 8760/744 = 11.7742
    with pytest.warns(UserWarning, match="15-minute data averaged to 744 hourly values"):
        path = write_month(tmp_path, step_min=15)
        _, inputs, _ = resolve(load_scenario(path))
    assert len(inputs.index) == 744 and inputs.index[0] == pd.Timestamp("2027-03-01")
    assert inputs.annual_scale == pytest.approx(8760 / 744)
    result = run_scenario(path, solve_mode="exact")
    h = result.summary()["horizon"]
    assert (h["start"], h["end"], h["days"], h["typical_year"]) == (
        "2027-03-01 00:00", "2027-03-31 23:00", 31, False)  # fmt: skip
    # energy per year = March's total x 11.7742; the horizon total beside it
    march_load = float((result.hourly["load_mw"] * result.hourly["duration_h"]).sum())
    assert h["energy_horizon"]["load_mwh"] == pytest.approx(march_load)
    assert result.energy["load_mwh"] == pytest.approx(march_load * 8760 / 744)
    # the cost's grid part is March's import bill x the scale; the objective agrees with it
    h_ = result.hourly
    march_bill = float((h_["import_mw"] * h_["duration_h"] * inputs.energy_price_yuan_per_mwh).sum())
    assert march_bill > 0
    assert result.cost["grid_energy_yuan"] == pytest.approx(march_bill * 8760 / 744, rel=1e-9)
    funds = result.cost["funds_yuan"]
    assert result.objective_yuan == pytest.approx(result.cost["total_annual_yuan"] - funds, rel=1e-6)
    assert result.compliant


def test_fast_mode_sizes_a_month(tmp_path):
    path = write_month(tmp_path)
    exact = run_scenario(path, solve_mode="exact")
    fast = run_scenario(path, solve_mode="fast")
    assert fast.compliant and fast.summary()["horizon"]["days"] == 31
    # fast sizes on typical days and re-dispatches the month: within 2% of the exact cost
    assert fast.cost["total_annual_yuan"] == pytest.approx(exact.cost["total_annual_yuan"], rel=0.02)


def test_profiles_of_different_dates_are_refused_naming_both(tmp_path):
    write_meter_csv(tmp_path / "a.csv", meter_load("2027-03-01", 31, 60))
    write_meter_csv(tmp_path / "b.csv", meter_load("2027-03-01", 30, 60))
    path = tmp_path / "two.yaml"
    path.write_text(
        "extends: bundled:default\nname: two\nusers:\n"
        "  - {name: a, category: data_centre, load: {csv: a.csv, column: 负荷_mw}}\n"
        "  - {name: b, category: data_centre, load: {csv: b.csv, column: 负荷_mw}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        resolve(load_scenario(path))
    assert str(err.value).endswith(
        "users[1].load.csv (b.csv): expected the same dates as users[0].load.csv (a.csv), "
        "2027-03-01 00:00 to 2027-03-31 23:00 (31 days); found 2027-03-01 00:00 to "
        "2027-03-30 23:00 (30 days) (give every profile file the same whole days)"
    )


def test_by_calendar_year_ratios_are_each_years_own(tmp_path):
    # A two-year horizon at 1-day steps would not size; instead the table of a known dispatch:
    # 2027 exports 0 and self-consumes 100 MWh; 2028 exports 50 and self-consumes 50 MWh.
    from greenscen.run import horizon_summary

    idx = pd.DatetimeIndex(["2027-06-01", "2028-06-01"], name="time")
    hourly = pd.DataFrame({"duration_h": [24.0, 24.0], "load_mw": [100 / 24, 100 / 24],
                           "import_mw": [0.0, 50 / 24], "export_mw": [0.0, 50 / 24],
                           "available_mw": [100 / 24, 100 / 24], "curtailed_mw": [0.0, 0.0],
                           "charge_mw": 0.0, "discharge_mw": 0.0}, index=idx)  # fmt: skip
    h = horizon_of(idx, hourly["duration_h"], typical_year=False)
    out = horizon_summary(h, hourly, {"load_mwh": 200.0 * h.annual_scale}, h.annual_scale)
    years = out["by_calendar_year"]
    # export ratio E_exp / (E_exp + E_sc): 2027 0 / 100 = 0; 2028 50 / (50 + 50) = 0.5;
    # over the horizon 50 / 150 = 1/3 (what the LP row holds)
    assert years["2027"]["export_ratio"] == pytest.approx(0.0)
    assert years["2028"]["export_ratio"] == pytest.approx(0.5)
    assert years["2027"]["days"] == 1.0 and np.isclose(out["energy_horizon"]["load_mwh"], 200.0)
