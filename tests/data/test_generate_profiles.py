"""Tests of the synthetic-profile generator (greenscen.data.generate_profiles, .synthetic).

The slow test regenerates everything into a temporary folder and compares it with the
bundled files, so edited assumptions that were not regenerated are caught.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import greenscen.data as data
from greenscen.data import generate_profiles as gen
from greenscen.data.synthetic import loads, pv, sites, weather

DATA_DIR = Path(data.__file__).parent


def test_full_load_hours_by_hand():
    # Four hours at half output = 2 h at full output.
    assert gen.full_load_hours(pd.Series([0.5, 0.5, 0.5, 0.5])) == 2.0


def test_daily_peak_valley_rate_by_hand():
    index = pd.date_range("2025-01-01", periods=48, freq="h")
    load = pd.Series([1.0] * 12 + [0.5] * 12 + [0.8] * 24, index=index)
    rate = gen.daily_peak_valley_rate(load)
    # Day 1: (1.0 - 0.5) / 1.0 = 0.5; day 2 flat: 0.
    assert rate.tolist() == pytest.approx([0.5, 0.0])


def test_gaussian_ar1_has_unit_variance_and_the_asked_persistence():
    x = weather.gaussian_ar1(200_000, 0.97, np.random.default_rng(1))
    assert x.std() == pytest.approx(1.0, abs=0.05)
    assert np.corrcoef(x[1:], x[:-1])[0, 1] == pytest.approx(0.97, abs=0.005)
    assert np.corrcoef(x[24:], x[:-24])[0, 1] == pytest.approx(0.97**24, abs=0.05)
    same = weather.gaussian_ar1(100, 0.97, np.random.default_rng(1))
    np.testing.assert_array_equal(same, x[:100])
    with pytest.raises(ValueError):
        weather.gaussian_ar1(10, 1.0, np.random.default_rng(1))


def test_weibull_transform_gives_the_weibull_mean():
    z = np.random.default_rng(2).standard_normal(400_000)
    v = weather.weibull_from_gaussian(z, 8.0, 2.0)
    # Weibull mean c * Gamma(1 + 1/k) = 8 * 0.8862 = 7.090 m/s
    assert v.mean() == pytest.approx(8.0 * math.gamma(1.5), rel=0.01)
    assert (np.diff(v[np.argsort(z)]) >= 0).all()  # monotone: keeps the ordering of z


def test_remove_slow_anomaly_flattens_monthly_means():
    month = np.arange(8760) // 730
    before, after = [], []
    for seed in range(5):
        x = weather.gaussian_ar1(8760, 0.97, np.random.default_rng(seed))
        y = weather.remove_slow_anomaly(x, 720)
        before.append(pd.Series(x).groupby(month).mean().std())
        after.append(pd.Series(y).groupby(month).mean().std())
        assert y.std() == pytest.approx(1.0)
        assert np.corrcoef(y[1:], y[:-1])[0, 1] > 0.95  # hourly persistence survives
    assert np.mean(after) < 0.5 * np.mean(before)


def test_daily_clear_sky_index_is_clearer_in_winter():
    site = sites.site_spec("ordos")
    k = weather.daily_clear_sky_index(365 * 20, site, sites.CLOUD_MODEL, np.random.default_rng(4))
    doy = np.arange(365 * 20) % 365
    january, july = k[doy < 31].mean(), k[(doy >= 181) & (doy < 212)].mean()
    assert january == pytest.approx(site.clear_index_mean + 0.06, abs=0.03)
    assert january > july + 0.08
    assert 0.0 <= k.min() and k.max() <= 1.0


def test_pv_clear_sky_clips_at_the_inverter_and_is_zero_at_night():
    site, system = sites.site_spec("ordos"), sites.PV_SYSTEM
    index = sites.typical_year_index()
    clear = pd.Series(1.0, index=index)
    poa = pv.plane_of_array_irradiance(index, site, system, clear)
    weather_ = pv.PvWeather(poa, pd.Series(10.0, index=index), pd.Series(2.0, index=index))
    cf = pv.pv_capacity_factor(weather_, site, system)
    ac_limit = 1.0 / system.dc_ac_ratio * (1.0 - system.ac_loss_fraction)
    assert cf.max() == pytest.approx(ac_limit)  # clear spring noons hit the inverter limit
    assert (cf <= ac_limit + 1e-12).all()
    assert (cf[index.hour == 0] == 0).all()
    # A clear sky tilted at 37 deg in Ordos gets 2,300-2,900 kWh/m2 a year.
    assert 2300 < poa.sum() / 1000 < 2900


def test_pv_calibration_hits_any_reasonable_target():
    site, system = sites.site_spec("xilingol"), sites.PV_SYSTEM
    index = sites.typical_year_index()
    kc = weather.hourly_clear_sky_index(index, site, sites.CLOUD_MODEL, np.random.default_rng(5))
    poa = pv.plane_of_array_irradiance(index, site, system, kc)
    weather_ = pv.PvWeather(poa, pd.Series(5.0, index=index), pd.Series(3.0, index=index))
    cf, scale = pv.calibrate_pv(weather_, site, system, 1600.0)
    assert cf.sum() == pytest.approx(1600.0, abs=1e-6)
    assert 0.5 < scale < 1.5 and cf.max() <= 1.0


def test_working_days_know_the_2025_calendar():
    index = pd.DatetimeIndex(
        ["2025-03-03 10:00", "2025-03-01 10:00", "2025-01-28 10:00", "2025-01-26 10:00"]
    )
    # Monday; Saturday; Spring Festival holiday (Tuesday); make-up working Sunday.
    assert loads.working_days(index).tolist() == [True, False, False, True]


def test_normalise_to_peak_refuses_a_non_positive_load():
    index = pd.date_range("2025-01-01", periods=3, freq="h")
    assert loads.normalise_to_peak(np.array([1.0, 2.0, 4.0]), index).tolist() == [0.25, 0.5, 1.0]
    with pytest.raises(ValueError):
        loads.normalise_to_peak(np.array([0.0, 1.0, 2.0]), index)


@pytest.mark.slow
def test_regeneration_reproduces_the_bundled_files(tmp_path):
    summary = gen.generate(tmp_path)
    for entry in summary["sites"]:
        target = entry["pv"]["target_full_load_hours"]
        assert entry["pv"]["achieved_full_load_hours"] == pytest.approx(target, abs=1.0)
    for folder, catalogue, key in (
        ("sites", "sites.yaml", "sites"),
        ("loads", "loads.yaml", "shapes"),
    ):
        fresh = yaml.safe_load((tmp_path / folder / catalogue).read_text(encoding="utf-8"))
        bundled = yaml.safe_load((DATA_DIR / folder / catalogue).read_text(encoding="utf-8"))
        assert [e["id"] for e in fresh[key]] == [e["id"] for e in bundled[key]]
        for entry in fresh[key]:
            new = pd.read_csv(tmp_path / folder / entry["file"])
            old = pd.read_csv(DATA_DIR / folder / entry["file"])
            assert list(new.columns) == list(old.columns)
            assert (new["time"] == old["time"]).all()
            values = new.columns.drop("time")
            diff = (new[values] - old[values]).abs().max().max()
            assert diff <= 1e-3, (
                f"{folder}/{entry['file']} differs from a fresh generation by {diff}; "
                "run `python -m greenscen.data.generate_profiles`"
            )
    assert (tmp_path / "DATA_CARD.md").read_text(encoding="utf-8").startswith("# Data card")
