"""Tiny synthetic sizing cases whose optimum is worked out by hand in each test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.base.params import (
    GridParams,
    SizingParams,
    StorageParams,
    TechParams,
    policy_params,
)
from greenscen.rules import load_rule_set, resolve_rules
from greenscen.scenario.inputs import ModelInputs


def day_index(steps: int = 24, hours: int = 1) -> pd.DatetimeIndex:
    return pd.date_range("2027-06-01", periods=steps, freq=f"{hours}h", name="time")


def square_pv(index: pd.DatetimeIndex) -> np.ndarray:
    """cf = 1 from 06:00 to 17:59, 0 otherwise (12 sun hours a day)."""
    h = index.hour
    return ((h >= 6) & (h < 18)).astype(float)


def make_inputs(load, pv_cf, index, duration_h=1.0, price=100.0, export_price=0.0) -> ModelInputs:
    load = np.broadcast_to(np.asarray(load, dtype=float), (len(index),)).copy()
    return ModelInputs(
        load_mw=pd.DataFrame({"u1": load}, index=index),
        cf=pd.DataFrame({"pv": pv_cf}, index=index),
        duration_h=pd.Series(duration_h, index=index, name="duration_h"),
        energy_price_yuan_per_mwh=pd.Series(price, index=index),
        export_price_yuan_per_mwh=pd.Series(export_price, index=index),
    )


def make_params(
    inputs: ModelInputs,
    *,
    year: int = 2027,
    kind: str = "general",
    mode: str = "grid",
    overrides: dict | None = None,
    pv_cost: float = 10_000.0,
    storage: bool = False,
    storage_power_cost: float = 1_000.0,
    storage_energy_cost: float = 100.0,
    efficiency: float = 1.0,
    connection_mw: float | None = None,
    connection_cost: float = 1.0,
):
    rules = resolve_rules(load_rule_set("inner_mongolia_multiuser"), year, kind, mode, overrides)
    st = (
        StorageParams(
            power_cost_yuan_per_mw_year=storage_power_cost,
            energy_cost_yuan_per_mwh_year=storage_energy_cost,
            charge_efficiency=efficiency,
            discharge_efficiency=efficiency,
            power_mw=None,
            energy_mwh=None,
            max_power_mw=None,
            min_hours=0.0,
            max_hours=None,
            allow_grid_charging=False,
        )
        if storage
        else None
    )
    grid = (
        GridParams(
            connection_mw=connection_mw,
            connection_max_mw=None,
            connection_cost_yuan_per_mw_year=connection_cost,
            td_charge_yuan_per_mwh=0.0,
            allow_export=rules.get("export_ban") is None,
        )
        if mode == "grid"
        else None
    )
    params = SizingParams(
        mode=mode,
        renewables=(TechParams("pv", pv_cost, None, 0.0, None),),
        storage=st,
        grid=grid,
        policy=policy_params(rules, inputs),
        funds_yuan_per_mwh=0.0,
    )
    return rules, params


