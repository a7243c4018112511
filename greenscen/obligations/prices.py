"""Price paths of the compliance routes (yuan per MWh), with the status of every value.

Bundled defaults are in ``data/prices.yaml``: certificate prices of 2.56 yuan (2024 vintage) and
5.22 yuan (2025 vintage) as reported by the NEA (Oct 2025, published); the green power trading
premium and the incremental cost of direct connection are labelled assumptions. All values are
**incremental** over buying the same MWh as ordinary grid electricity, so a direct connection that
is cheaper than grid power has a negative cost. Years after the last value hold it, marked
``assumption`` (never silently); a scenario overrides any year.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.data import load_yaml

ROUTE_KEYS = {
    "certificates": "certificate_yuan_per_mwh",
    "trading": "trading_premium_yuan_per_mwh",
    "direct": "direct_connection_yuan_per_mwh",
}


def price_path(
    route: str, years: Sequence[int], override: float | Mapping[int, float] | None = None
) -> pd.DataFrame:
    """Return ``value`` (yuan/MWh), ``status`` and ``source`` per year for one route.

    Parameters
    ----------
    route : str
        ``certificates``, ``trading`` or ``direct``.
    years : sequence of int
        Years wanted.
    override : float or mapping, optional
        A number for every year, or ``{year: yuan/MWh}`` from the scenario (status ``scenario``);
        years not given fall back to the bundled values, then to the last earlier value held.
    """
    if route not in ROUTE_KEYS:
        raise ScenarioError(f"route: expected one of {', '.join(ROUTE_KEYS)}, found {route!r}")
    known: dict[int, tuple[float, str, str]] = {
        int(y): (float(v["value"]), v["status"], v["source"])
        for y, v in load_yaml("prices.yaml")[ROUTE_KEYS[route]].items()
    }
    if isinstance(override, (int, float)):
        known = {int(y): (float(override), "scenario", "scenario value (all years)") for y in years}
    elif override:
        known.update(
            {int(y): (float(v), "scenario", "scenario value") for y, v in override.items()}
        )
    rows = {}
    for y in years:
        if y in known:
            rows[y] = known[y]
            continue
        earlier = [k for k in known if k < y]
        base = max(earlier) if earlier else min(known)
        value, _, _ = known[base]
        rows[y] = (value, "assumption", f"held from {base} (not published)")
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["value", "status", "source"]
    ).rename_axis("year")


def price_table(
    years: Sequence[int], overrides: Mapping[str, float | Mapping[int, float] | None] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (prices by year with columns direct/trading/certificates, provenance in long form)."""
    overrides = overrides or {}
    values, prov = {}, []
    for route in ROUTE_KEYS:
        path = price_path(route, years, overrides.get(route))
        values[route] = path["value"]
        prov.append(path.reset_index().assign(route=route))
    return pd.DataFrame(values)[["direct", "trading", "certificates"]], pd.concat(
        prov, ignore_index=True
    )
