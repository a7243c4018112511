"""Direct-connection cost and volume for the obligations plan, taken from a sizing run.

The obligations plan prices direct connection as an *incremental* cost per green MWh over
buying the same energy from the grid. From a ``greenscen run`` output folder:

    incremental cost = (project cost − grid-only cost) / self-consumed green MWh

where project cost = ``total_annual_yuan − funds_yuan`` (funds are paid either way) and the
grid-only cost buys every MWh of load at the scenario's energy price + T&D charge and pays
the connection charge on the load's peak. The deliverable volume is the project's
self-consumed (traced, certificate-bearing) energy, 五(五).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.errors import DataError


def _step_price(tariff: dict, index: pd.DatetimeIndex, duration_h: np.ndarray) -> np.ndarray:
    """Return each step's energy price (yuan/MWh): the mean of its hours' time-of-use prices."""
    price = tariff["energy_price_yuan_per_mwh"]
    if not isinstance(price, dict):
        return np.full(len(index), float(price))
    by_hour = np.zeros(24)
    for period in price.values():
        by_hour[period["hours"]] = period["price"]
    hours = index.hour.to_numpy()
    return np.array([by_hour[(h + np.arange(int(d))) % 24].mean() for h, d in zip(hours, duration_h, strict=True)])


def direct_route_from_sizing(folder: str | Path) -> dict[str, float]:
    """Return ``cost_yuan_per_mwh`` (incremental, yuan/MWh) and ``green_mwh`` of a sizing run.

    Parameters
    ----------
    folder : path
        A ``greenscen run`` output folder holding ``summary.json`` and ``hourly.csv``.
    """
    folder = Path(folder)
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        hourly = pd.read_csv(folder / "hourly.csv", usecols=["time", "duration_h", "load_mw"])
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(
            f"enterprise.routes.direct.from_sizing: expected a greenscen run output folder with "
            f"summary.json and hourly.csv, found: {exc}",
            source=str(folder),
        ) from None
    tariff = summary["scenario"]["tariff"]
    index = pd.DatetimeIndex(pd.to_datetime(hourly["time"]))
    duration = hourly["duration_h"].to_numpy()
    energy = hourly["load_mw"].to_numpy() * duration
    price = _step_price(tariff, index, duration) + tariff["td_charge_yuan_per_mwh"]
    grid_only = float((energy * price).sum())
    grid_only += tariff["connection_charge_yuan_per_kw_month"] * 12 * 1000 * float(hourly["load_mw"].max())
    cost = summary["cost"]
    project = cost["total_annual_yuan"] - cost.get("funds_yuan", 0.0)
    green = float(summary["energy"]["self_consumed_mwh"])
    if green <= 0:
        raise DataError(
            "enterprise.routes.direct.from_sizing: the sizing run delivers no green energy",
            source=str(folder),
        )
    return {"cost_yuan_per_mwh": (project - grid_only) / green, "green_mwh": green}
