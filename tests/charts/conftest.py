"""Synthetic data for chart tests: an hourly dispatch of two weeks and a comparison table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def hourly():
    idx = pd.date_range("2027-07-05", periods=24 * 14, freq="h")
    h = np.arange(len(idx)) % 24
    pv = np.clip(np.sin((h - 6) / 12 * np.pi), 0, None)
    df = pd.DataFrame(index=idx)
    df["duration_h"] = 1.0
    df["load_mw"] = 100.0
    df["available_mw:wind"] = 40.0
    df["available_mw:pv"] = 150 * pv
    df["available_mw"] = df["available_mw:wind"] + df["available_mw:pv"]
    surplus = (df["available_mw"] - df["load_mw"]).clip(lower=0)
    deficit = (df["load_mw"] - df["available_mw"]).clip(lower=0)
    df["charge_mw"] = surplus * 0.6
    df["curtailed_mw"] = surplus * 0.2
    df["export_mw"] = surplus * 0.2
    df["discharge_mw"] = deficit * 0.5
    df["import_mw"] = deficit * 0.5
    return df


@pytest.fixture
def compliance():
    return pd.DataFrame({
        "rule": ["self_consumption_min", "peak_valley_limit", "export_ratio_cap"],
        "clause": ["三(一)", "四(三)", "三(一)"],
        "value": [0.8, 0.17, 0.45], "limit": [0.3, 0.17, 0.4],
        "ok": [True, True, False], "margin_share": [1.6, 0.0, -0.125],
    })  # fmt: skip


@pytest.fixture
def table():
    rows = []
    for i, name in enumerate(["2027 · cap 40%", "2028 · cap 20%"]):
        rows.append({
            "label": name, "status": "solved", "wind_mw": 370 - 100 * i, "pv_mw": 480, "storage_mw": 50 + 40 * i,
            "storage_mwh": 300 + 300 * i, "connection_mw": 180 - 40 * i, "cost_wind_yuan": 1.6e8,
            "cost_pv_yuan": 1.4e8, "cost_storage_yuan": 2e7, "cost_connection_yuan": 4e7,
            "cost_grid_energy_yuan": 8e7, "cost_td_charge_yuan": 4e7, "cost_funds_yuan": 4e7,
            "cost_export_revenue_yuan": -1.6e8 + 9e7 * i, "total_annual_yuan": 3.7e8,
            "cost_per_mwh_load_yuan": 262 + 12 * i, "export_ratio": 0.4 - 0.2 * i,
            "self_consumption_share": 0.7, "generation_to_load_ratio": 1.2, "renewable_utilisation": 0.97,
            "limit:export_ratio_cap": 0.4 - 0.2 * i, "limit:self_consumption_min": 0.3,
            "limit:hydrogen_generation_cap": 1.2, "limit:renewable_utilisation_min": 0.9,
        })  # fmt: skip
    rows.append({"label": "broken", "status": "infeasible"})
    return pd.DataFrame(rows).set_index("label")
