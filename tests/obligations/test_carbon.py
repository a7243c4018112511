"""Grid emission factors and the reduction from green electricity (SPEC D)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.carbon import (
    carbon_columns,
    emission_factor,
    green_reduction_t,
    location_based_emissions_t,
    market_based_emissions_t,
)


def test_published_factors_and_y_minus_2():
    assert emission_factor("national", 2023).value_t_per_mwh == 0.5306
    f = emission_factor("residual", 2025, lag_years=2)
    assert (f.factor_year, f.value_t_per_mwh, f.status) == (2023, 0.6096, "published")
    assert emission_factor("regional", 2023, region="蒙西").value_t_per_mwh == 0.6361  # 华北
    assert emission_factor("regional", 2023, region="西南").value_t_per_mwh == 0.2472


def test_unpublished_year_is_held_and_flagged_or_missing():
    f = emission_factor("national", 2027, lag_years=2)  # wants 2025
    assert f.factor_year == 2023 and f.status.startswith("held from 2023")
    m = emission_factor("national", 2021, lag_years=2)  # wants 2019
    assert math.isnan(m.value_t_per_mwh) and m.status == "missing"
    with pytest.raises(ScenarioError, match="region"):
        emission_factor("regional", 2023, region="火星")


def test_location_market_and_reduction_by_hand():
    # 1,000 MWh, 300 MWh green, 2023 factors: location 1,000 x 0.5306 = 530.6 t
    # market (1,000 - 300) x 0.6096 = 426.72 t; reduction 300 x 0.6096 = 182.88 t
    nat, res = emission_factor("national", 2023), emission_factor("residual", 2023)
    assert location_based_emissions_t(1_000, nat) == pytest.approx(530.6)
    assert market_based_emissions_t(1_000, 300, res) == pytest.approx(426.72)
    assert green_reduction_t(300, res) == pytest.approx(182.88)
    led = pd.DataFrame(
        {"year": [2025], "consumption_mwh": [1_000.0], "fulfilled_total_mwh": [300.0]}
    )
    out = carbon_columns(led, lag_years=2)
    assert out.loc[0, "emissions_market_t"] == pytest.approx(426.72)
    assert out.loc[0, "factor_year"] == 2023
