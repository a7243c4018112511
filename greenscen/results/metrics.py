"""Rule values computed from the hourly dispatch alone (SPEC A), never from a model.

Every function takes the hourly dispatch table (or one of its columns) and returns a float or
a Series that keeps its index. The table has a DatetimeIndex named ``time`` (each row is the
step starting at that time), a ``duration_h`` column (hours of each step; 1, 2 or mixed) and
step-average powers in MW: ``load_mw``, ``load_mw:<user>``, ``available_mw``,
``available_mw:<tech>``, ``curtailed_mw``, ``charge_mw``, ``discharge_mw``, ``import_mw``,
``export_mw`` and, when storage may charge from the grid, ``charge_grid_mw`` and
``discharge_grid_mw`` (grid-origin parts; 0 when absent). Energies are MW x duration_h.

The "annual" energies are totals over the table's horizon: a year for a full-year run; for
another horizon ``greenscen.run`` multiplies them by the horizon's ``annual_scale``
(``greenscen.base.horizon``). Ratios of energies need no scaling.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.base.windows import (  # noqa: F401 (part of the metrics API)
    WINDOWS,
    load_peak_valley_limit,
    peak_valley_rate,
    window_extremes,
    window_labels,
)
from greenscen.errors import DataError

GRID_CHARGE_COLUMNS = ("charge_grid_mw", "discharge_grid_mw")


def require_columns(hourly: pd.DataFrame, *columns: str) -> None:
    """Raise :class:`~greenscen.errors.DataError` naming every column missing from ``hourly``."""
    missing = [c for c in columns if c not in hourly.columns]
    if missing:
        raise DataError(
            [f"hourly dispatch: expected column {c!r}, missing" for c in missing],
            source="hourly dispatch",
        )


def column_or_zero(hourly: pd.DataFrame, name: str) -> pd.Series:
    """Return column ``name`` of ``hourly`` as floats, or zeros on its index when absent."""
    if name in hourly.columns:
        return hourly[name].astype(float)
    return pd.Series(0.0, index=hourly.index, name=name)


def energy_mwh(power_mw: pd.Series | float, duration_h: pd.Series | float) -> float:
    """Return the energy in MWh of step-average powers over their step durations.

    Parameters
    ----------
    power_mw : Series or float
        Step-average power [MW].
    duration_h : Series or float
        Duration of each step [h], aligned with ``power_mw``.

    Returns
    -------
    float
        ``Σ_t power[t] · Δt[t]`` [MWh] (SPEC A, symbols: ``E = Σ P[t]Δt``).

    Examples
    --------
    >>> import pandas as pd
    >>> energy_mwh(pd.Series([1.0, 2.0, 3.0]), pd.Series([1.0, 1.0, 2.0]))
    9.0
    """
    return float(np.sum(np.asarray(power_mw * duration_h, dtype=float)))


def self_consumption_mw(hourly: pd.DataFrame) -> pd.Series:
    """Return the self-consumed renewable power per step, 自发自用 [MW] (clause 五(五)).

    ``sc[t] = load[t] − import[t] + charge_grid[t] − discharge_grid[t]``: the load not met by
    grid-origin energy, i.e. internal renewable generation (including renewable energy released
    from storage) minus export. The grid-charging columns default to 0; then
    ``sc = load − import`` (storage charged only from the project's renewables).

    Parameters
    ----------
    hourly : DataFrame
        Hourly dispatch with ``load_mw`` and ``import_mw`` [MW]; optionally ``charge_grid_mw``
        and ``discharge_grid_mw`` [MW].

    Returns
    -------
    Series
        ``self_consumption_mw`` [MW] on the dispatch's index.
    """
    require_columns(hourly, "load_mw", "import_mw")
    sc = (
        hourly["load_mw"].astype(float)
        - hourly["import_mw"].astype(float)
        + column_or_zero(hourly, "charge_grid_mw")
        - column_or_zero(hourly, "discharge_grid_mw")
    )
    return sc.rename("self_consumption_mw")


def exchange_power_mw(hourly: pd.DataFrame) -> pd.Series:
    """Return the exchange power with the public grid ``P = import − export`` [MW] (四(一)).

    Positive when the project draws from the grid, negative when it exports (上网).
    """
    require_columns(hourly, "import_mw", "export_mw")
    p = hourly["import_mw"].astype(float) - hourly["export_mw"].astype(float)
    return p.rename("exchange_mw")


def annual_energies(hourly: pd.DataFrame) -> dict[str, float]:
    """Return the horizon energies [MWh] of every flow in the dispatch (SPEC A, symbols).

    Parameters
    ----------
    hourly : DataFrame
        Hourly dispatch (see the module docstring) with ``duration_h`` [h].

    Returns
    -------
    dict
        ``load_mwh``, ``available_mwh``, ``curtailed_mwh``, ``self_consumed_mwh`` (E_sc, 五(五)),
        ``import_mwh``, ``export_mwh``, ``charge_mwh``, ``discharge_mwh``,
        ``charge_grid_mwh``, ``discharge_grid_mwh`` (0 without grid charging), ``duration_h``
        (the horizon's hours), one ``available_mwh:<tech>`` per ``available_mw:<tech>`` column
        and one ``load_mwh:<user>`` per ``load_mw:<user>`` column.
    """
    require_columns(
        hourly,
        "duration_h",
        "load_mw",
        "available_mw",
        "curtailed_mw",
        "charge_mw",
        "discharge_mw",
        "import_mw",
        "export_mw",
    )
    dt = hourly["duration_h"].astype(float)
    out = {
        "load_mwh": energy_mwh(hourly["load_mw"], dt),
        "available_mwh": energy_mwh(hourly["available_mw"], dt),
        "curtailed_mwh": energy_mwh(hourly["curtailed_mw"], dt),
        "self_consumed_mwh": energy_mwh(self_consumption_mw(hourly), dt),
        "import_mwh": energy_mwh(hourly["import_mw"], dt),
        "export_mwh": energy_mwh(hourly["export_mw"], dt),
        "charge_mwh": energy_mwh(hourly["charge_mw"], dt),
        "discharge_mwh": energy_mwh(hourly["discharge_mw"], dt),
        "charge_grid_mwh": energy_mwh(column_or_zero(hourly, "charge_grid_mw"), dt),
        "discharge_grid_mwh": energy_mwh(column_or_zero(hourly, "discharge_grid_mw"), dt),
        "duration_h": float(dt.sum()),
    }
    for col in hourly.columns:
        for prefix, key in (("available_mw:", "available_mwh:"), ("load_mw:", "load_mwh:")):
            if col.startswith(prefix):
                out[key + col[len(prefix) :]] = energy_mwh(hourly[col], dt)
    return out


def export_ratio(hourly: pd.DataFrame) -> float:
    """Return the export ratio ``E_exp / (E_exp + E_sc)`` (三(一), hydrogen-fuel projects).

    The share of the project's renewable energy fed into the public grid (上网电量占比).
    0 when both ``E_exp`` and ``E_sc`` are 0 (nothing generated, nothing exported).
    """
    e = annual_energies(hourly)
    den = e["export_mwh"] + e["self_consumed_mwh"]
    if den == 0.0:
        return 0.0
    return e["export_mwh"] / den


def self_consumption_share(hourly: pd.DataFrame) -> float:
    """Return the self-consumption share ``E_sc / E_load`` (三(一); E_sc per 五(五)).

    ``E_load`` counts the declared loads only, not storage charging or losses. NaN when
    ``E_load`` is 0.
    """
    e = annual_energies(hourly)
    if e["load_mwh"] == 0.0:
        return float("nan")
    return e["self_consumed_mwh"] / e["load_mwh"]


def generation_to_load_ratio(hourly: pd.DataFrame) -> float:
    """Return ``E_A / E_load``, available renewable energy per MWh of load (三(一), 1.2x rule).

    NaN when ``E_load`` is 0.
    """
    e = annual_energies(hourly)
    if e["load_mwh"] == 0.0:
        return float("nan")
    return e["available_mwh"] / e["load_mwh"]


def storage_losses_mwh(hourly: pd.DataFrame) -> float:
    """Return the storage round-trip losses of renewable origin [MWh]: E_A − E_curt − E_sc − E_exp.

    With the balance of every step this is Σ (charge − discharge)·Δt less the grid-origin part
    Σ (charge_grid − discharge_grid)·Δt.
    """
    e = annual_energies(hourly)
    return e["available_mwh"] - e["curtailed_mwh"] - e["self_consumed_mwh"] - e["export_mwh"]


def renewable_utilisation(hourly: pd.DataFrame) -> float:
    """Return the renewable utilisation ``(E_sc + E_exp) / E_A`` (四(三)), energy delivered.

    Utilised is the renewable energy that reached the loads (E_sc, 五(五)) or the public grid
    (E_exp). Storage round-trip losses count as not utilised, like curtailment: otherwise a
    dispatch could meet the floor by charging and discharging at once (``E_A − E_curt``
    would count the energy burnt in the battery). NaN when ``E_A`` is 0.
    """
    e = annual_energies(hourly)
    if e["available_mwh"] == 0.0:
        return float("nan")
    return (e["self_consumed_mwh"] + e["export_mwh"]) / e["available_mwh"]


def headline_ratios(hourly: pd.DataFrame) -> dict[str, float]:
    """Return the four headline ratios of a dispatch (dimensionless, scale-free).

    ``export_ratio``, ``self_consumption_share``, ``generation_to_load_ratio`` and
    ``renewable_utilisation``: ratios of energies, so the same for a horizon's totals and
    for their annual equivalents (``greenscen.base.horizon``).
    """
    return {
        "export_ratio": export_ratio(hourly),
        "self_consumption_share": self_consumption_share(hourly),
        "generation_to_load_ratio": generation_to_load_ratio(hourly),
        "renewable_utilisation": renewable_utilisation(hourly),
    }
