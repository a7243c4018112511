"""Synthetic weather years: 10 per site, annual totals as drawn, addressed as site@wyNN."""

from __future__ import annotations

import numpy as np
import pytest

from greenscen.data import list_sites, list_weather_years, site_capacity_factors, site_info
from greenscen.errors import DataError


@pytest.mark.parametrize("site", ["ordos", "baotou", "xilingol"])
def test_ten_years_with_the_drawn_annual_totals(site):
    years = list_weather_years(site)
    assert years == [f"{site}@wy{k:02d}" for k in range(1, 11)]
    info = site_info(site)
    # independent redraw of the documented rule: target x (1 + CV z), z ~ N(0,1) from
    # default_rng([seed, 99]); CV 3% PV, 6% wind (the assumption in the data card)
    z = np.random.default_rng([info["seed"], 99]).standard_normal((10, 2))
    pv_t = info["pv"]["target_full_load_hours"] * (1 + 0.03 * z[:, 0])
    wind_t = info["wind"]["target_full_load_hours"] * (1 + 0.06 * z[:, 1])
    typical = site_capacity_factors(site)
    for k, wy in enumerate(years):
        cf = site_capacity_factors(wy)
        assert cf.index.equals(typical.index) and list(cf.columns) == list(typical.columns)
        assert cf["pv"].sum() == pytest.approx(pv_t[k], abs=1.5)  # rounding of CSV and target
        assert cf["wind"].sum() == pytest.approx(wind_t[k], abs=1.5)
        assert 0 <= cf.min().min() and cf.max().max() <= 1
        # its own weather, not the typical year rescaled
        assert np.corrcoef(cf["wind"], typical["wind"])[0, 1] < 0.9


def test_unknown_weather_year_lists_the_available_ones():
    with pytest.raises(DataError, match="unknown weather year 'ordos@wy11'.*ordos@wy10"):
        site_capacity_factors("ordos@wy11")
    assert "ordos@wy01" not in list_sites()
