"""Cost breakdown recomputed from capacities and the hourly dispatch (yuan per year).

Independent of the LP's objective expression, so the two can be compared: the LP minimises
everything here except the government funds on the load, which are a constant (五(四)).
"""

from __future__ import annotations

import pandas as pd

from greenscen.base.params import SizingParams
from greenscen.results.hydrogen import hydrogen_cost_parts


def cost_breakdown(
    hourly: pd.DataFrame,
    capacities: dict[str, float],
    params: SizingParams,
    energy_price_yuan_per_mwh: pd.Series,
    export_price_yuan_per_mwh: pd.Series,
    annual_scale: float = 1.0,
) -> dict[str, float]:
    """Return yearly cost parts (yuan) and ``total_annual_yuan`` and ``cost_per_mwh_load_yuan``.

    Capacity costs are per year already (annuity + fixed O&M); the energy parts are sums over
    the dispatch's horizon times ``annual_scale`` (8760 h / horizon hours,
    ``greenscen.base.horizon``), so a month's or two years' grid bill counts as a year's.

    Parameters
    ----------
    hourly : DataFrame
        The dispatch table (``duration_h``, ``load_mw``, ``import_mw``, ``export_mw``).
    capacities : dict
        MW per renewable technology, ``storage_mw``, ``storage_mwh``, ``connection_mw``.
    annual_scale : float
        Year hours per horizon hour (1 for a one-year dispatch).
    """
    dt = hourly["duration_h"]
    parts: dict[str, float] = {}
    for t in params.renewables:
        parts[f"{t.name}_yuan"] = t.cost_yuan_per_mw_year * capacities.get(t.name, 0.0)
    st = params.storage
    parts["storage_yuan"] = (
        st.power_cost_yuan_per_mw_year * capacities.get("storage_mw", 0.0)
        + st.energy_cost_yuan_per_mwh_year * capacities.get("storage_mwh", 0.0)
        if st
        else 0.0
    )
    g = params.grid
    year_h = dt * annual_scale  # hours of a year each step stands for
    imp_mwh = hourly["import_mw"] * year_h
    exp_mwh = hourly["export_mw"] * year_h
    parts["connection_yuan"] = (
        g.connection_cost_yuan_per_mw_year * capacities.get("connection_mw", 0.0) if g else 0.0
    )
    parts["grid_energy_yuan"] = float((imp_mwh * energy_price_yuan_per_mwh.to_numpy()).sum())
    parts["td_charge_yuan"] = float(imp_mwh.sum() * (g.td_charge_yuan_per_mwh if g else 0.0))
    parts["export_revenue_yuan"] = -float((exp_mwh * export_price_yuan_per_mwh.to_numpy()).sum())
    load_mwh = float((hourly["load_mw"] * year_h).sum())
    parts["funds_yuan"] = params.funds_yuan_per_mwh * load_mwh
    parts.update(hydrogen_cost_parts(hourly, capacities, params.hydrogen, annual_scale))
    total = sum(parts.values())
    parts = {k: float(v) for k, v in parts.items()}
    parts["total_annual_yuan"] = float(total)
    parts["cost_per_mwh_load_yuan"] = float(total / load_mwh) if load_mwh else float("nan")
    return parts
