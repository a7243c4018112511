"""Metrics from the hourly dispatch against hand-computed numbers (SPEC A)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from greenscen.errors import DataError
from greenscen.results import metrics as mt


def three_steps(duration_h) -> pd.DataFrame:
    """Three steps that balance: available − curt − charge + discharge + import − export = load.

    s0: 30 − 5 − 10 + 0 + 0 − 5 = 10;  s1: 15 + 5 = 20;  s2: 0 + 8 + 22 = 30.
    """
    idx = pd.date_range("2026-03-01", periods=3, freq="2h", name="time")
    return pd.DataFrame(
        {
            "duration_h": duration_h,
            "load_mw": [10.0, 20.0, 30.0],
            "load_mw:a": [4.0, 5.0, 6.0],
            "load_mw:b": [6.0, 15.0, 24.0],
            "available_mw": [30.0, 15.0, 0.0],
            "available_mw:wind": [10.0, 5.0, 0.0],
            "available_mw:pv": [20.0, 10.0, 0.0],
            "curtailed_mw": [5.0, 0.0, 0.0],
            "charge_mw": [10.0, 0.0, 0.0],
            "discharge_mw": [0.0, 0.0, 8.0],
            "import_mw": [0.0, 5.0, 22.0],
            "export_mw": [5.0, 0.0, 0.0],
        },
        index=idx,
    )


def test_energy_mwh_sums_power_times_duration():
    # 1·1 + 2·1 + 3·2 = 9 MWh
    assert mt.energy_mwh(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 1.0, 2.0])) == 9.0
    assert mt.energy_mwh(pd.Series([1.0, 2.0, 3.0]), 2.0) == 12.0


def test_self_consumption_is_load_minus_import_and_keeps_index():
    h = three_steps(1.0)
    sc = mt.self_consumption_mw(h)
    # load − import: 10 − 0, 20 − 5, 30 − 22
    assert sc.tolist() == [10.0, 15.0, 8.0]
    assert sc.index.equals(h.index)


def test_self_consumption_removes_grid_origin_storage_energy():
    h = pd.DataFrame(
        {
            "load_mw": [10.0, 20.0],
            "import_mw": [4.0, 25.0],
            "charge_grid_mw": [0.0, 5.0],
            "discharge_grid_mw": [1.0, 0.0],
        }
    )
    # 10 − 4 + 0 − 1 = 5;  20 − 25 + 5 − 0 = 0 (the 5 MW imported into storage is not load)
    assert mt.self_consumption_mw(h).tolist() == [5.0, 0.0]


@pytest.mark.parametrize("dt", [1.0, 2.0])
def test_annual_energies_scale_with_step_duration(dt):
    e = mt.annual_energies(three_steps(dt))
    # at 1 h: load 10+20+30 = 60, available 45, curtailed 5, sc 10+15+8 = 33, import 27,
    # export 5, charge 10, discharge 8, wind 15, pv 30, a 15, b 45; at 2 h all doubled
    expected = {
        "load_mwh": 60, "available_mwh": 45, "curtailed_mwh": 5, "self_consumed_mwh": 33,
        "import_mwh": 27, "export_mwh": 5, "charge_mwh": 10, "discharge_mwh": 8,
        "charge_grid_mwh": 0, "discharge_grid_mwh": 0, "duration_h": 3,
        "available_mwh:wind": 15, "available_mwh:pv": 30, "load_mwh:a": 15, "load_mwh:b": 45,
    }  # fmt: skip
    assert e == pytest.approx({k: v * dt for k, v in expected.items()})


def test_mixed_step_durations():
    # durations 1, 2, 1 h: load 10 + 40 + 30 = 80 MWh, export 5 MWh, sc 10 + 30 + 8 = 48 MWh
    e = mt.annual_energies(three_steps([1.0, 2.0, 1.0]))
    assert (e["load_mwh"], e["export_mwh"], e["self_consumed_mwh"]) == (80.0, 5.0, 48.0)
    assert mt.export_ratio(three_steps([1.0, 2.0, 1.0])) == pytest.approx(5 / 53)


@pytest.mark.parametrize("dt", [1.0, 2.0])
def test_ratios_do_not_depend_on_a_uniform_step_duration(dt):
    h = three_steps(dt)
    assert mt.export_ratio(h) == pytest.approx(5 / 38)  # 5 / (5 + 33)
    assert mt.self_consumption_share(h) == pytest.approx(0.55)  # 33 / 60
    assert mt.generation_to_load_ratio(h) == pytest.approx(0.75)  # 45 / 60
    # delivered (E_sc + E_exp) / E_A = (33 + 5) / 45: 5 MWh curtailed, 2 MWh lost in storage
    assert mt.renewable_utilisation(h) == pytest.approx(38 / 45)


def test_ratios_with_nothing_to_divide():
    h = three_steps(1.0)
    for col in h.columns:
        if col != "duration_h":
            h[col] = 0.0
    assert mt.export_ratio(h) == 0.0
    assert math.isnan(mt.self_consumption_share(h))
    assert math.isnan(mt.generation_to_load_ratio(h))
    assert math.isnan(mt.renewable_utilisation(h))


def test_exchange_power_is_import_minus_export():
    assert mt.exchange_power_mw(three_steps(1.0)).tolist() == [-5.0, 5.0, 22.0]


def test_missing_column_names_it():
    with pytest.raises(DataError, match="export_mw"):
        mt.exchange_power_mw(three_steps(1.0).drop(columns="export_mw"))


def test_peak_valley_rate_per_day_with_zero_and_export_cases():
    idx = pd.date_range("2026-01-01", periods=15, freq="8h")
    p = pd.Series(
        [10, 5, 8]  # (10 − 5) / 10 = 0.5
        + [0, 0, 0]  # no exchange: 0
        + [-5, 0, -1e-4]  # export only: max 0 <= tol, min −5 < −tol: inf
        + [10, -5, 0]  # import and export: (10 + 5) / 10 = 1.5 > 1
        + [5e-4, -5e-4, 0],  # within ±1e-3 of zero: no exchange, 0
        index=idx,
        dtype=float,
    )
    r = mt.peak_valley_rate(p, "D")
    assert list(r.index) == list(pd.date_range("2026-01-01", periods=5, freq="D"))
    assert r.tolist() == [0.5, 0.0, np.inf, 1.5, 0.0]
    # a tighter zero tolerance turns the last day into a real (tiny-peak) day: (5e-4 + 5e-4) / 5e-4
    assert mt.peak_valley_rate(p, "D", zero_tol_mw=1e-6).iloc[-1] == pytest.approx(2.0)


def test_peak_valley_rate_monthly_and_whole_horizon():
    idx = pd.DatetimeIndex(["2026-01-05", "2026-01-20", "2026-02-03", "2026-02-10"])
    p = pd.Series([10.0, 4.0, 8.0, 6.0], index=idx)
    # January (10 − 4) / 10 = 0.6, February (8 − 6) / 8 = 0.25
    m = mt.peak_valley_rate(p, "M")
    assert list(m.index) == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")]
    assert m.tolist() == pytest.approx([0.6, 0.25])
    # one step per day: every daily rate is 0
    assert mt.peak_valley_rate(p, "D").tolist() == [0.0] * 4
    # the whole horizon: (10 − 4) / 10
    assert mt.peak_valley_rate(p, "Y").tolist() == pytest.approx([0.6])


def test_peak_valley_rate_monthly_with_time_zone():
    idx = pd.date_range("2026-01-31 22:00", periods=4, freq="h", tz="Asia/Shanghai")
    p = pd.Series([10.0, 5.0, 4.0, 2.0], index=idx)
    # Jan 31: 22:00, 23:00 -> (10 − 5) / 10;  Feb 1: 00:00, 01:00 -> (4 − 2) / 4
    assert mt.peak_valley_rate(p, "M").tolist() == pytest.approx([0.5, 0.5])


def test_peak_valley_rate_rejects_unknown_window():
    with pytest.raises(ValueError, match="window"):
        mt.peak_valley_rate(pd.Series([1.0], index=pd.DatetimeIndex(["2026-01-01"])), "W")


def test_load_peak_valley_limit_is_the_largest_window_rate():
    idx = pd.DatetimeIndex(
        [
            "2026-01-01 00:00",
            "2026-01-01 08:00",
            "2026-01-01 16:00",
            "2026-01-02 00:00",
            "2026-01-02 12:00",
        ]
    )
    load = pd.Series([30.0, 40.0, 40.0, 20.0, 40.0], index=idx)
    # day 1 (40 − 30) / 40 = 0.25, day 2 (40 − 20) / 40 = 0.5
    assert mt.load_peak_valley_limit(load, "D") == pytest.approx(0.5)
    assert mt.load_peak_valley_limit(load, "M") == pytest.approx(0.5)
    assert mt.load_peak_valley_limit(load.iloc[:3], "D") == pytest.approx(0.25)
