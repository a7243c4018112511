"""Emissions of grid electricity and the reduction from green electricity (SPEC D; seed 003).

Emissions = emission factor (kgCO2/kWh = tCO2/MWh) x electricity. Factors are bundled in
``data/emission_factors.yaml`` from the MEE/NBS announcements (national average 2021-2023,
national excluding market-traded non-fossil = *residual* 2021-2023, fossil-only 2023, seven
regional grids 2023). Enterprises account year Y with the factor of year Y-2 (published
practice; ``lag_years=2``). Location-based accounting uses the national (or regional) average;
market-based accounting counts bundled green electricity (direct connection, green power
trading, self-generation: 证电合一) at zero and applies the residual factor (national average
*excluding market-traded non-fossil electricity*) to the rest. Unbundled certificates (证电分离)
are not market-traded green power: by default they do not deduct market-based emissions and are
reported as a separate claim (``certificate_claim_t``); the rule
``market_based_counts_unbundled_certificates`` switches that reading.

Inner Mongolia has two grids (seed 000 is addressed to 内蒙古电力（集团） and 国网内蒙古东部电力):
蒙西 in the 华北 regional grid (0.6361 in 2023) and 蒙东 in the 东北 grid (0.5122). "内蒙古" alone
is refused for a regional factor; give 蒙西 / 蒙东 or a league or site (``im_grid_of``).

A factor for a year that is not published is the latest earlier one, returned with status
``held from YYYY (assumption)`` so that it is never mistaken for a published value; a year before
the first published factor gives NaN with status ``missing``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from greenscen.errors import ScenarioError
from greenscen.obligations.data import load_yaml

FACTOR_KINDS = ("national", "residual", "fossil", "regional")


@dataclass(frozen=True)
class EmissionFactor:
    """A grid emission factor in tCO2/MWh with the year it belongs to and its provenance."""

    value_t_per_mwh: float
    kind: str
    factor_year: int
    status: str
    source: str
    region: str | None = None


def emission_factor(
    kind: str, year: int, region: str | None = None, lag_years: int = 0, factors: dict | None = None
) -> EmissionFactor:
    """Return the factor of ``kind`` for accounting year ``year`` (using year - ``lag_years``).

    Parameters
    ----------
    kind : str
        ``national``, ``residual`` (market-based), ``fossil`` or ``regional``.
    year : int
        Accounting year.
    region : str, optional
        Grid region (华北, 东北, 华东, 华中, 西北, 南方, 西南) or a province mapped to one
        (蒙西 -> 华北, 蒙东 -> 东北, or a league such as 包头); required for ``regional``.
    lag_years : int
        2 to use the factor of year Y-2 (published practice for enterprises).
    """
    data = factors or load_yaml("emission_factors.yaml")
    if kind not in FACTOR_KINDS:
        raise ScenarioError(
            f"emission factor kind: expected one of {', '.join(FACTOR_KINDS)}, found {kind!r}"
        )
    if kind == "regional":
        if region == "内蒙古":
            raise ScenarioError(
                "emission factor region: expected 蒙西 (华北 grid) or 蒙东 (东北 grid) for Inner "
                "Mongolia, or a league/site such as 包头, 赤峰, ordos; found '内蒙古', which spans both"
            )
        sub = data.get("im_subregion", {})
        if region in sub:
            region = sub[region]["grid"]
        if region in data.get("province_region", {}):
            region = data["province_region"][region]["region"]
        if region not in data["regional"]:
            raise ScenarioError(
                f"emission factor region: expected one of {', '.join(data['regional'])}, found {region!r}"
            )
        table = data["regional"][region]
    else:
        table = data[kind]
    wanted = int(year) - int(lag_years)
    years = sorted(int(y) for y in table)
    if wanted in years:
        v = table[wanted]
        return EmissionFactor(float(v["value"]), kind, wanted, v["status"], v["source"], region)
    earlier = [y for y in years if y < wanted]
    if not earlier:
        # shown as missing, never filled backwards from a later year
        return EmissionFactor(
            math.nan, kind, wanted, "missing", f"no {kind} factor published for {wanted}", region
        )
    y0 = earlier[-1]
    v = table[y0]
    return EmissionFactor(
        float(v["value"]), kind, y0, f"held from {y0} (assumption)", v["source"], region
    )


def im_grid_of(place: str, factors: dict | None = None) -> str:
    """Return 蒙西 or 蒙东 for an Inner Mongolia league, city or bundled site name."""
    data = factors or load_yaml("emission_factors.yaml")
    if place in ("蒙西", "蒙东"):
        return place
    sub = data.get("im_subregion", {})
    if place not in sub:
        raise ScenarioError(
            f"Inner Mongolia grid of {place!r}: expected 蒙西, 蒙东 or one of {', '.join(sub)}"
        )
    return sub[place]["grid"]


def location_based_emissions_t(consumption_mwh: float, factor: EmissionFactor) -> float:
    """Return location-based emissions, tCO2 = consumption (MWh) x average factor (t/MWh)."""
    return consumption_mwh * factor.value_t_per_mwh


def market_based_emissions_t(
    consumption_mwh: float, green_mwh: float, residual: EmissionFactor
) -> float:
    """Return market-based emissions, tCO2 = (consumption - green) (MWh) x residual factor (t/MWh)."""
    return max(0.0, consumption_mwh - green_mwh) * residual.value_t_per_mwh  # NaN stays NaN


def green_reduction_t(green_mwh: float, residual: EmissionFactor) -> float:
    """Return the reduction from green electricity, tCO2 = green (MWh) x residual factor (t/MWh).

    It is the difference between market-based emissions without and with the green MWh.
    """
    return green_mwh * residual.value_t_per_mwh


def carbon_columns(
    ledger, region: str | None = None, lag_years: int = 2, count_certificates: bool = False
):
    """Return ``ledger`` with emission columns added per row (tCO2), location- and market-based.

    Market-based emissions deduct the bundled green MWh (``bundled_mwh`` where the ledger has it,
    else ``fulfilled_total_mwh``); unbundled certificates deduct only with ``count_certificates``
    and are otherwise reported as ``certificate_claim_t`` (MWh x residual factor). ``region``
    switches the location-based factor from national to the regional grid.
    """
    out = ledger.copy()
    loc, mkt, red, fy, st, fl, fr, claim = [], [], [], [], [], [], [], []
    for _, row in out.iterrows():
        y = int(row["year"])
        f_loc = emission_factor(
            "regional" if region else "national", y, region=region, lag_years=lag_years
        )
        f_res = emission_factor("residual", y, lag_years=lag_years)
        if "bundled_mwh" in row.index:
            bundled = float(row["bundled_mwh"])
            unbundled = float(row.get("unbundled_mwh", 0.0))
        else:
            bundled, unbundled = float(row.get("fulfilled_total_mwh", 0.0)), 0.0
        green = bundled + (unbundled if count_certificates else 0.0)
        claim.append(0.0 if count_certificates else unbundled * f_res.value_t_per_mwh)
        loc.append(location_based_emissions_t(row["consumption_mwh"], f_loc))
        mkt.append(market_based_emissions_t(row["consumption_mwh"], green, f_res))
        red.append(green_reduction_t(green, f_res))
        fy.append(f_res.factor_year)
        fl.append(f_loc.value_t_per_mwh)
        fr.append(f_res.value_t_per_mwh)
        st.append(f_res.status)
    out["emissions_location_t"] = loc
    out["emissions_market_t"] = mkt
    out["green_reduction_t"] = red
    out["certificate_claim_t"] = claim
    out["factor_location_t_per_mwh"] = fl
    out["factor_residual_t_per_mwh"] = fr
    out["factor_year"] = fy
    out["factor_status"] = st
    return out
