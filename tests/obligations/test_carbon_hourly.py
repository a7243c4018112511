"""Hourly and monthly carbon accounting of a sized project, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.carbon_hourly import (
    carbon_accounts,
    hourly_emissions,
    monthly_emissions,
)


def _frame():
    # two steps in January (1 h), two in July (2 h): load 10 MW, import 4, 0, 6, 2 MW
    idx = pd.DatetimeIndex(["2027-01-01 00:00", "2027-01-01 01:00", "2027-07-01 00:00",
                            "2027-07-01 02:00"], name="time")  # fmt: skip
    return pd.DataFrame(
        {"duration_h": [1, 1, 2, 2], "load_mw": [10.0] * 4, "import_mw": [4.0, 0.0, 6.0, 2.0]},
        index=idx,
    )


def test_hourly_series_times_import_and_direct_at_its_own_factor():
    # factors 0.8, 0.9, 0.5, 0.7 t/MWh; import 4, 0, 12, 4 MWh -> 3.2 + 0 + 6.0 + 2.8 = 12.0 t
    # direct 6, 10, 8, 16 MWh at 0.05 (a biomass share, say) -> 2.0 t; total 14.0 t
    h = _frame()
    f = pd.Series([0.8, 0.9, 0.5, 0.7], index=h.index)
    e = hourly_emissions(h, f, direct_factor_t_per_mwh=0.05)
    assert e["grid_t"].sum() == pytest.approx(12.0)
    assert e["direct_mwh"].tolist() == [6.0, 10.0, 8.0, 16.0]
    assert e["emissions_t"].sum() == pytest.approx(14.0)


def test_monthly_factors_and_import_weighted_month_factor():
    # January factor 0.8, July 0.5 (others unused): Jan 4 MWh x 0.8 = 3.2 t; Jul 16 x 0.5 = 8.0 t
    # hourly series gives July (6.0 + 2.8) / 16 = 0.55 t/MWh effective
    h = _frame()
    monthly = [0.8, 0, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0]
    m = monthly_emissions(hourly_emissions(h, monthly))
    assert m.loc[1, "grid_t"] == pytest.approx(3.2)
    assert m.loc[7, "grid_t"] == pytest.approx(8.0)
    f = pd.Series([0.8, 0.9, 0.5, 0.7], index=h.index)
    m2 = monthly_emissions(hourly_emissions(h, f))
    assert m2.loc[7, "effective_grid_factor_t_per_mwh"] == pytest.approx(0.55)
    with pytest.raises(ScenarioError, match="12 values"):
        hourly_emissions(h, [0.5, 0.6])


def test_meng_dong_versus_meng_xi_location_and_market():
    # 2027 with lag 2 -> 2025 factors, held from 2023: 蒙东 东北 0.5122, 蒙西 华北 0.6361,
    # residual 0.6096. Import: Jan 4 MWh, Jul 16 MWh.
    h = _frame()
    east = carbon_accounts(h, "赤峰", 2027)
    west = carbon_accounts(h, "baotou", 2027)
    assert east.attrs["grid"] == "蒙东" and west.attrs["grid"] == "蒙西"
    assert east.loc[1, "location_t"] == pytest.approx(4 * 0.5122)
    assert west.loc[7, "location_t"] == pytest.approx(16 * 0.6361)
    assert east.loc[7, "market_t"] == pytest.approx(16 * 0.6096)
    assert west["market_t"].sum() == pytest.approx(east["market_t"].sum())
