"""Load greenscen's bundled hourly profiles: site capacity factors and load shapes.

The bundled profiles are **synthetic assumptions** for a typical year (8760 hours of
2025, hour-beginning, China local time UTC+8), not measurements; ``DATA_CARD.md`` beside
this module says how they were made. A user's own CSV is read with
:func:`read_profile_csv`.

Examples
--------
>>> from greenscen.data import list_sites, site_capacity_factors, load_shape
>>> "ordos" in list_sites()
True
>>> cf = site_capacity_factors("ordos")
>>> len(cf), list(cf.columns)[:2]
(8760, ['pv', 'wind'])
>>> float(load_shape("aluminium").max())
1.0
"""

from __future__ import annotations

import copy
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from greenscen.data.user_csv import HOURS_PER_YEAR, TIME_COLUMN, read_profile_csv
from greenscen.errors import DataError

__all__ = [
    "list_sites",
    "list_load_shapes",
    "site_info",
    "load_shape_info",
    "site_capacity_factors",
    "load_shape",
    "read_profile_csv",
]

SITES_DIR = "sites"
LOADS_DIR = "loads"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def _data_file(folder: str, name: str):
    return resources.files("greenscen.data").joinpath(folder, name)


@cache
def _catalogue(folder: str, filename: str, key: str) -> dict[str, dict[str, Any]]:
    source = f"greenscen/data/{folder}/{filename}"
    try:
        document = yaml.safe_load(_data_file(folder, filename).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"cannot read the bundled catalogue: {exc}", source) from None
    entries = (document or {}).get(key) or []
    return {entry["id"]: entry for entry in entries}


def _sites() -> dict[str, dict[str, Any]]:
    return _catalogue(SITES_DIR, "sites.yaml", "sites")


def _shapes() -> dict[str, dict[str, Any]]:
    return _catalogue(LOADS_DIR, "loads.yaml", "shapes")


def _entry(table: dict[str, dict[str, Any]], item_id: str, what: str, source: str) -> dict:
    if item_id not in table:
        raise DataError(
            f"unknown {what} {item_id!r}; available: {', '.join(sorted(table)) or 'none'}",
            source,
        )
    return table[item_id]


def list_sites() -> list[str]:
    """Return the ids of the bundled sites, sorted (e.g. ``['baotou', 'ordos', ...]``)."""
    return sorted(_sites())


def list_load_shapes() -> list[str]:
    """Return the ids of the bundled load shapes, sorted."""
    return sorted(_shapes())


def site_info(site_id: str) -> dict[str, Any]:
    """Return the catalogue entry of a bundled site (a deep copy of ``sites.yaml``).

    Parameters
    ----------
    site_id : str
        One of :func:`list_sites`.

    Returns
    -------
    dict
        ``id``, ``name_en``, ``name_zh``, ``latitude`` and ``longitude`` (degrees),
        ``altitude_m``, ``timezone``, ``status`` (``"assumption"``), ``seed``, ``file``,
        and ``pv`` / ``wind`` sub-dicts with ``target_full_load_hours`` and
        ``achieved_full_load_hours`` (h/yr) and the plant assumptions.

    Raises
    ------
    greenscen.errors.DataError
        If ``site_id`` is unknown; the message lists the available ids.
    """
    entry = _entry(_sites(), site_id, "site", "greenscen/data/sites/sites.yaml")
    return copy.deepcopy(entry)


def load_shape_info(shape_id: str) -> dict[str, Any]:
    """Return the catalogue entry of a bundled load shape (a deep copy of ``loads.yaml``).

    Parameters
    ----------
    shape_id : str
        One of :func:`list_load_shapes`.

    Returns
    -------
    dict
        ``id``, ``name_en``, ``name_zh``, ``spec_category``, ``load_factor`` (mean / peak),
        ``daily_peak_valley_rate_max`` and ``daily_peak_valley_rate_mean`` (over days of
        (max - min) / max), ``status`` (``"assumption"``), ``seed``, ``file``, ``method``.

    Raises
    ------
    greenscen.errors.DataError
        If ``shape_id`` is unknown; the message lists the available ids.
    """
    entry = _entry(_shapes(), shape_id, "load shape", "greenscen/data/loads/loads.yaml")
    return copy.deepcopy(entry)


@cache
def _read_bundled(folder: str, filename: str) -> pd.DataFrame:
    source = f"greenscen/data/{folder}/{filename}"
    try:
        with _data_file(folder, filename).open("rb") as handle:
            table = pd.read_csv(handle, compression="gzip" if filename.endswith(".gz") else None)
        index = pd.DatetimeIndex(
            pd.to_datetime(table.pop(TIME_COLUMN), format=TIME_FORMAT), name=TIME_COLUMN
        )
    except (OSError, KeyError, ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read the bundled profile: {exc}", source) from None
    if len(index) != HOURS_PER_YEAR:
        raise DataError(f"expected {HOURS_PER_YEAR} rows; found {len(index)}", source)
    table.index = index
    table.index.freq = "h"
    return table.astype(float)


def site_capacity_factors(site_id: str) -> pd.DataFrame:
    """Return the hourly capacity factors of a bundled site for the typical year.

    Parameters
    ----------
    site_id : str
        One of :func:`list_sites`.

    Returns
    -------
    pandas.DataFrame
        Columns ``pv`` and ``wind`` (and any other technology in the file), per unit of
        installed capacity, in [0, 1]: ``pv`` is AC energy per MWp of DC nameplate,
        ``wind`` per MW of turbine rating. Each value is the mean of the hour that starts
        at its timestamp. The index is a DatetimeIndex named ``time`` of 8760 hourly
        naive timestamps of 2025 in China local time (UTC+8), ``freq="h"``. Summing a
        column gives the full-load hours (h/yr).

    Raises
    ------
    greenscen.errors.DataError
        If ``site_id`` is unknown; the message lists the available ids.

    A synthetic weather year of a site is ``<site_id>@wyNN`` (e.g. ``ordos@wy03``; see
    :func:`list_weather_years` and the data card): same columns, index and units.
    """
    site, at, year = site_id.partition("@")
    entry = _entry(_sites(), site, "site", "greenscen/data/sites/sites.yaml")
    if at:
        years = {y["id"]: y for y in (entry.get("weather_years") or {}).get("years", [])}
        entry = _entry(years, site_id, "weather year", "greenscen/data/sites/sites.yaml")
    return _read_bundled(SITES_DIR, entry["file"]).copy()


def list_weather_years(site_id: str) -> list[str]:
    """Return the ids of a bundled site's synthetic weather years (``ordos@wy01`` ...)."""
    entry = _entry(_sites(), site_id, "site", "greenscen/data/sites/sites.yaml")
    return [y["id"] for y in (entry.get("weather_years") or {}).get("years", [])]


def load_shape(shape_id: str) -> pd.Series:
    """Return a bundled hourly load shape in per unit of its own peak.

    Parameters
    ----------
    shape_id : str
        One of :func:`list_load_shapes`.

    Returns
    -------
    pandas.Series
        ``load_pu`` (dimensionless, max exactly 1.0, min > 0) on the same 8760-hour index
        as :func:`site_capacity_factors`. Multiply by the plant's peak demand (MW) to get
        MW; the mean is the load factor.

    Raises
    ------
    greenscen.errors.DataError
        If ``shape_id`` is unknown; the message lists the available ids.
    """
    entry = _entry(_shapes(), shape_id, "load shape", "greenscen/data/loads/loads.yaml")
    return _read_bundled(LOADS_DIR, entry["file"])["load_pu"].copy()
