"""Emissions of a project's electricity by the hour and by the month (seed 003, SPEC D).

Seed 003 「测算周期由年度提升至月度」 and 「未来我们可以根据发电结构和实时潮流分析来测算碳排放因子」: accounting
moves from annual to monthly, with factors from the generation mix. Here, from a sizing result's
hourly frame (``hourly.csv`` of ``greenscen run``):

- grid import per step ``imp[t] * dt`` (MWh) times the grid factor of that step ``f[t]``
  (tCO2/MWh): an hourly series, or 12 monthly values broadcast to their hours, or one number;
- direct-connection (self-consumed) energy ``(load[t] - imp[t]) * dt`` times its own factor
  ``f_direct`` (0 for wind and PV by default, a parameter for a mixed source);
- **location-based**: import at the regional average factor (蒙西 -> 华北, 蒙东 -> 东北, by site);
- **market-based**: import at the residual factor (the average excluding market-traded
  non-fossil power); the direct-connection energy is the firm's own green power at ``f_direct``.

Grid-charged storage energy (``charge_grid_mw`` / ``discharge_grid_mw`` columns) is grid energy: the
import already carries it, and the self-consumed green is load − import + grid charge − grid
discharge, as in the sizing model's definition (SPEC A).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.errors import DataError, ScenarioError
from greenscen.obligations.carbon import emission_factor, im_grid_of


def read_sizing_hourly(folder: str | Path) -> pd.DataFrame:
    """Return ``hourly.csv`` of a ``greenscen run`` folder indexed by time (MW, h)."""
    path = Path(folder) / "hourly.csv"
    try:
        df = pd.read_csv(path)
        df.index = pd.DatetimeIndex(pd.to_datetime(df.pop("time")), name="time")
        for col in ("duration_h", "load_mw", "import_mw"):
            if col not in df:
                raise KeyError(col)
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(
            f"hourly.csv: expected a greenscen run output with time, duration_h, load_mw, "
            f"import_mw columns, found: {exc}",
            source=str(path),
        ) from None
    return df


def step_energies_mwh(hourly: pd.DataFrame) -> pd.DataFrame:
    """Return per step ``load_mwh``, ``import_mwh`` and ``direct_mwh`` (self-consumed green)."""
    dt = hourly["duration_h"].to_numpy(float)
    load = hourly["load_mw"].to_numpy(float) * dt
    imp = hourly["import_mw"].to_numpy(float) * dt
    grid_ch = hourly.get("charge_grid_mw", pd.Series(0.0, index=hourly.index)).to_numpy(float) * dt
    grid_dis = (
        hourly.get("discharge_grid_mw", pd.Series(0.0, index=hourly.index)).to_numpy(float) * dt
    )
    direct = np.maximum(0.0, load - imp + grid_ch - grid_dis)
    return pd.DataFrame(
        {"load_mwh": load, "import_mwh": imp, "direct_mwh": direct}, index=hourly.index
    )


def factor_series(
    index: pd.DatetimeIndex, factor: float | Sequence[float] | pd.Series
) -> pd.Series:
    """Return a factor (tCO2/MWh) for every step: a number, 12 monthly values or a series.

    A series must cover every step of ``index`` (an hourly factor from the generation mix).
    """
    if isinstance(factor, pd.Series):
        out = factor.reindex(index)
        if out.isna().any():
            raise ScenarioError(
                f"hourly emission factor: expected a value for every step, found "
                f"{int(out.isna().sum())} steps without one (first {out.index[out.isna()][0]})"
            )
        return out.astype(float)
    if np.ndim(factor) == 0:
        return pd.Series(float(factor), index=index)
    vals = np.asarray(factor, dtype=float)
    if vals.shape != (12,):
        raise ScenarioError(
            f"monthly emission factor: expected 12 values (January-December), found {vals.size}"
        )
    return pd.Series(vals[index.month.to_numpy() - 1], index=index)


def hourly_emissions(
    hourly: pd.DataFrame,
    grid_factor: float | Sequence[float] | pd.Series,
    direct_factor_t_per_mwh: float = 0.0,
) -> pd.DataFrame:
    """Return per-step energies (MWh) and emissions (tCO2): import x grid factor + direct x own.

    Parameters
    ----------
    hourly : DataFrame
        A sizing result's hourly frame (``duration_h``, ``load_mw``, ``import_mw``, ...).
    grid_factor : float, 12 values or Series
        tCO2/MWh of grid electricity per step (hourly series), per month, or for the year.
    direct_factor_t_per_mwh : float
        Factor of the direct-connection energy (0 for wind and PV).
    """
    e = step_energies_mwh(hourly)
    f = factor_series(hourly.index, grid_factor)
    e["grid_factor_t_per_mwh"] = f.to_numpy()
    e["grid_t"] = e["import_mwh"] * e["grid_factor_t_per_mwh"]
    e["direct_t"] = e["direct_mwh"] * float(direct_factor_t_per_mwh)
    e["emissions_t"] = e["grid_t"] + e["direct_t"]
    return e


def monthly_emissions(per_step: pd.DataFrame) -> pd.DataFrame:
    """Return :func:`hourly_emissions` summed by calendar month, with the month's mean factor.

    The month's effective factor is grid tCO2 / import MWh (import-weighted, not a plain mean).
    """
    m = per_step.drop(columns="grid_factor_t_per_mwh").groupby(per_step.index.month).sum()
    m.index.name = "month"
    with np.errstate(invalid="ignore", divide="ignore"):
        m["effective_grid_factor_t_per_mwh"] = m["grid_t"] / m["import_mwh"]
    m["carbon_intensity_t_per_mwh_load"] = m["emissions_t"] / m["load_mwh"]
    return m


def site_factors(site: str, year: int, lag_years: int = 2) -> dict:
    """Return the location- and market-based annual factors for a site in Inner Mongolia.

    ``site`` is 蒙西 / 蒙东, a league (包头, 赤峰, ...) or a bundled site (ordos, baotou,
    xilingol); the location-based factor is its regional grid's, the market-based the national
    residual factor (the only residual factor published).
    """
    grid = im_grid_of(site)
    loc = emission_factor("regional", year, region=grid, lag_years=lag_years)
    res = emission_factor("residual", year, lag_years=lag_years)
    return {"grid": grid, "location": loc, "market": res}


def carbon_accounts(
    hourly: pd.DataFrame,
    site: str,
    year: int,
    lag_years: int = 2,
    monthly_location: Sequence[float] | None = None,
    hourly_location: pd.Series | None = None,
    direct_factor_t_per_mwh: float = 0.0,
) -> pd.DataFrame:
    """Return monthly location- and market-based emissions (tCO2) of a sized project.

    The location-based grid factor is, in order of preference, the given hourly series, the 12
    monthly values, or the site's regional annual factor; the market-based one is the residual
    annual factor. Columns ``location_t``, ``market_t``, energies in MWh, by month 1-12.
    """
    f = site_factors(site, year, lag_years)
    if hourly_location is not None:
        loc_factor = hourly_location
    elif monthly_location is not None:
        loc_factor = monthly_location
    else:
        loc_factor = f["location"].value_t_per_mwh
    loc = monthly_emissions(hourly_emissions(hourly, loc_factor, direct_factor_t_per_mwh))
    mkt = monthly_emissions(
        hourly_emissions(hourly, f["market"].value_t_per_mwh, direct_factor_t_per_mwh)
    )
    out = loc[["load_mwh", "import_mwh", "direct_mwh"]].copy()
    out["location_t"] = loc["emissions_t"]
    out["market_t"] = mkt["emissions_t"]
    out["location_factor_t_per_mwh"] = loc["effective_grid_factor_t_per_mwh"]
    out["market_factor_t_per_mwh"] = f["market"].value_t_per_mwh
    out.attrs["grid"] = f["grid"]
    out.attrs["location_source"] = (
        "hourly series" if hourly_location is not None
        else "monthly values" if monthly_location is not None
        else f"{f['location'].region} {f['location'].factor_year} ({f['location'].status})"
    )  # fmt: skip
    return out
