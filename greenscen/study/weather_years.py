"""Weather years: size a design on one year, check it, fixed, on the site's other weather years.

The bundled sites have 10 synthetic weather years each (``site.name: ordos@wy03``; see the
data card: annual full-load hours with an assumed spread, CV 3% PV, 6% wind). A design sized
on the typical year is compliant in the typical year by construction; in a poorer or sunnier
year with the same capacities the annual ratios move, and a rule may break.

:func:`check_design_across_years` fixes every capacity (wind, PV, storage power and energy,
connection) at the sized design, re-solves the dispatch of each weather year with every rule
in force and, where no dispatch meets the rules, the elastic LP (rules relaxed with priced
slack) says which rules give way and by how much (the ordinary diagnosis of an infeasible
scenario). Sizing one design that complies in every year at once is not built here (the
planning horizon's regimes, greenscen.planning, size one design over a sequence of years).
"""

from __future__ import annotations

import time

import pandas as pd

from greenscen.errors import GreenscenError, InfeasibleError


def design_overrides(capacities: dict[str, float]) -> dict:
    """Return the scenario overrides that fix a design (capacities in MW, storage energy MWh)."""
    tech: dict = {}
    if "wind_mw" in capacities:
        tech["wind"] = {"capacity_mw": float(capacities["wind_mw"])}
    if "pv_mw" in capacities:
        tech["pv"] = {"capacity_mw": float(capacities["pv_mw"])}
    if "storage_mw" in capacities or "storage_mwh" in capacities:
        tech["storage"] = {"power_mw": float(capacities.get("storage_mw", 0.0)),
                           "energy_mwh": float(capacities.get("storage_mwh", 0.0))}  # fmt: skip
    out: dict = {"technologies": tech} if tech else {}
    if capacities.get("connection_mw") is not None:
        out["project"] = {"connection_mw": float(capacities["connection_mw"])}
    return out


def check_design_across_years(scenario=None, years: list[str] | None = None,
                              resolution_h: int | None = None,
                              design: dict[str, float] | None = None,
                              include_base: bool = True) -> pd.DataFrame:  # fmt: skip
    """Return one row per weather year: the fixed design's compliance there, and what breaks.

    Parameters
    ----------
    scenario : path, bundled name or LoadedScenario (default the bundled default)
    years : weather-year site names (default every year of the scenario's bundled site)
    resolution_h : time step in hours (default the scenario's)
    design : capacities (``wind_mw``, ``pv_mw``, ``storage_mw``, ``storage_mwh``,
        ``connection_mw``); default: sized on the scenario's own (typical) year

    Returns
    -------
    DataFrame: ``weather_year``, ``pv_full_load_h``, ``wind_full_load_h``, ``status``
    (``compliant``, ``breaks`` or an error status), ``compliant``, ``breaks`` (the elastic
    diagnosis, one line per rule that gives way, "; "-joined), the solved year's ratios,
    ``value:``/``limit:``/``margin:`` of each rule, ``total_annual_yuan`` and ``solve_s``.
    The first row is the sizing year itself (``weather_year`` = the scenario's site) unless
    ``include_base`` is False.
    """
    from greenscen.compare import result_row
    from greenscen.data import list_weather_years, site_capacity_factors
    from greenscen.session import SizingSession, error_status
    from greenscen.tweaks import variant

    base = variant(scenario, resolution_h=resolution_h)
    site = base.scenario.site.name
    if site is None:
        raise GreenscenError("weather years need a bundled site (site.name), not site.csv files")
    if design is None:
        design = SizingSession(base).solve().capacities
    years = [*([site] if include_base else []),
             *(years if years is not None else list_weather_years(site.partition("@")[0]))]  # fmt: skip
    fixed = design_overrides(design)
    rows = []
    for wy in years:
        cf = site_capacity_factors(wy)
        row = {"weather_year": wy, "pv_full_load_h": float(cf["pv"].sum()),
               "wind_full_load_h": float(cf["wind"].sum())}  # fmt: skip
        t0 = time.perf_counter()
        try:
            ls = variant(base, {**fixed, "site": {"name": wy}})
            res = SizingSession(ls, diagnose=True).solve()
            r = result_row(res)
            r.pop("status", None)
            row |= {"status": "compliant" if res.compliant else "breaks", "breaks": r.get("failed_rules", "")}
            row |= {k: v for k, v in r.items() if k not in ("scenario", "failed_rules")}
        except InfeasibleError as exc:
            row |= {"status": "breaks", "compliant": False, "breaks": "; ".join(exc.diagnosis)}
        except GreenscenError as exc:
            row |= {"status": error_status(exc), "compliant": False, "breaks": str(exc).splitlines()[0]}
        row["solve_s"] = time.perf_counter() - t0
        rows.append(row)
    return pd.DataFrame(rows)
