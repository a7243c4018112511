"""Green-electricity shares of key energy users (SPEC B; seeds 000 and 004).

- The green certificate is the only proof of green consumption (000 二(一)); shares are
  certificate-accounted: every route below yields certificates for the MWh it delivers.
- **Bundled** routes (证电合一: direct connection, green power trading, self-generation) deliver
  energy and certificates together; **unbundled** (证电分离) certificates are bought separately
  (000 二(一)). Certificates that follow physically consumed energy go to the consumer and may not be
  sold on (000 二(二)).
- Sector minimum shares are data (``data/sector_targets.yaml``); a sector that must reach "the
  region's total weight" (000 三(五)) takes it from the weights table.
- Zero-carbon parks (000 (六)): 「以物理绿电消纳量为主实现不少于70%的绿电消费，通过绿电直连、绿电绿证交易等，
  最终实现园区清洁能源消费占比达到90%以上」: park-wide green >= 70% *mainly* physical (reading
  ``mainly_physical``: physical >= half of the green; or ``physical_70``: physical alone >= 70%),
  and *ultimately* >= 90% clean energy, certificates counting (绿证交易 is a named route); the 90%
  binds only from a year the scenario gives (``zero_carbon_park_clean_target_year``).
- Green power trading is bundled when energy and certificates are delivered in step; the share
  whose certificates are not (「绿证与物理消纳绿电不同步」, 000 二(一)) is unbundled.
- A shortfall is added to the next year's target (000 (十一)); a firm may make it up within 3
  months by buying certificates (004 第二十二条).
- Certificates are best bought monthly to keep the share steady (000 二(三)).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.carryover import CARRY_COLUMNS, TOLERANCE_MWH, carry_forward
from greenscen.obligations.data import load_yaml
from greenscen.obligations.weights import lookup_weight

BUNDLED_ROUTES = ("self_generated", "direct", "trading", "makeup_trading")
UNBUNDLED_ROUTES = ("certificates", "makeup_certificates")
ROUTES = (*BUNDLED_ROUTES, *UNBUNDLED_ROUTES)
MAKEUP_ROUTES = ("makeup_certificates", "makeup_trading")


@dataclass(frozen=True)
class Target:
    """A minimum green share (fraction of consumption) with its provenance."""

    share: float
    status: str
    source: str
    binding: bool = True
    reading: str = ""
    scope: str = "firm"


def sector_target(
    sector: str,
    region: str,
    year: int,
    weights: pd.DataFrame | None = None,
    targets: Mapping | None = None,
    scope: str = "firm",
) -> Target:
    """Return the minimum green share of ``sector`` in ``region`` and ``year`` from the data.

    Looks up explicit entries first; a sector listed under ``equal_to_total_weight`` takes the
    region's total weight of that year from ``weights``. Entries with ``scope: industry`` (a
    sector-wide share such as the aluminium 25% / 30% of 有色金属行业碳达峰实施方案) are returned only
    with ``scope="industry"``, never as a firm's target. ``binding`` is False for an aspiration
    (力争). Raises ScenarioError naming what exists.
    """
    data = targets if targets is not None else load_yaml("sector_targets.yaml")
    for t in data.get("targets", []):
        if t.get("scope", "firm") != scope:
            continue
        if t["sector"] == sector and t["region"] == region and int(t["year"]) == int(year):
            return Target(
                float(t["share"]), t["status"], t["source"], bool(t.get("binding", True)),
                t.get("reading", ""), t.get("scope", "firm"),
            )  # fmt: skip
    for t in data.get("equal_to_total_weight", []):
        if t["sector"] == sector and t["region"] == region and weights is not None:
            value, status, src = lookup_weight(weights, region, year, "total")
            if not math.isnan(value):
                st = status if t["status"] == "published" else t["status"]
                return Target(value, st, f"{t['source']}; total weight: {src}")
    known = sorted(
        {
            f"{t['sector']}/{t['region']}/{t['year']}"
            for t in data.get("targets", [])
            if t.get("scope", "firm") == scope
        }
    )
    raise ScenarioError(
        f"target of {sector} in {region} {year}: expected a published share or a value in the "
        f"scenario (target.by_year), found none; bundled: {', '.join(known)}"
    )


def assessment_status(sector: str, year: int, targets: Mapping | None = None) -> str:
    """Return ``assessed``, ``monitored`` or ``not listed`` for a sector's national status (004)."""
    data = targets if targets is not None else load_yaml("sector_targets.yaml")
    for a in data.get("national_assessment", []):
        if a["sector"] == sector and int(a["year"]) == int(year):
            return a["status"]
    return "not listed"


def target_path(
    sector: str,
    region: str,
    years: Sequence[int],
    by_year: Mapping[int, float] | None = None,
    extend: str = "hold_last",
    target: float | None = None,
    target_year: int | None = None,
    weights: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Return the minimum share per year with status and source, indexed by year.

    Scenario values (``by_year``) win and are marked ``scenario``; bundled values next; years
    with neither are filled by ``extend`` from the last known year and marked ``assumption``:
    ``hold_last`` or ``linear_to_target`` (to ``target`` in ``target_year``, then held).
    """
    by_year = {int(k): float(v) for k, v in (by_year or {}).items()}
    rows = {}
    for y in years:
        if y in by_year:
            rows[y] = (by_year[y], "scenario", "scenario value")
            continue
        try:
            t = sector_target(sector, region, y, weights)
            rows[y] = (t.share, t.status, t.source)
        except ScenarioError:
            rows[y] = None
    known = [y for y in years if rows[y] is not None]
    if not known:
        sector_target(sector, region, years[0], weights)  # raises with the list of what exists
    for y in years:
        if rows[y] is not None:
            continue
        prev = [k for k in known if k < y]
        if not prev:
            raise ScenarioError(
                f"target of {sector} in {region} {y}: expected a value for the first year, found none"
            )
        y0 = prev[-1]
        v0 = rows[y0][0]
        if extend == "hold_last":
            rows[y] = (v0, "assumption", f"held from {y0} (hold_last)")
        elif extend == "linear_to_target":
            if target is None or target_year is None:
                raise ScenarioError(
                    "target.extend linear_to_target: expected target and target_year, found none"
                )
            frac = min(1.0, (y - y0) / max(1, target_year - y0))
            rows[y] = (
                max(v0, v0 + frac * (target - v0)),
                "assumption",
                f"linear from {y0} to {target:.1%} in {target_year}",
            )
        else:
            raise ScenarioError(
                f"target.extend: expected hold_last or linear_to_target, found {extend!r}"
            )
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["share", "status", "source"]
    ).rename_axis("year")


def green_share(consumption_mwh: float, bundled_mwh: float, unbundled_mwh: float) -> float:
    """Return the certificate-accounted green share of consumption (fraction)."""
    return (bundled_mwh + unbundled_mwh) / consumption_mwh


PARK_READINGS = ("mainly_physical", "physical_70")


def check_zero_carbon_park(
    consumption_mwh: float,
    bundled_mwh: float,
    other_clean_mwh: float,
    bundled_min_share: float = 0.70,
    clean_min_share: float = 0.90,
    unbundled_mwh: float = 0.0,
    reading: str = "mainly_physical",
    physical_share_of_green: float = 0.5,
    clean_binding: bool = True,
) -> list[str]:
    """Return the zero-carbon-park rules a park-year breaks (000 (六)); empty when it complies.

    All quantities are PARK-wide (园区), MWh. 「以物理绿电消纳量为主实现不少于70%的绿电消费」:

    - ``mainly_physical`` (default): bundled + unbundled green >= ``bundled_min_share`` (70%) of
      consumption and bundled (physical) >= ``physical_share_of_green`` of that green;
    - ``physical_70``: bundled alone >= 70% of consumption (certificates count 0).

    「通过绿电直连、绿电绿证交易等，最终实现园区清洁能源消费占比达到90%以上」: all green incl. certificates
    plus other clean energy >= ``clean_min_share``; checked only when ``clean_binding`` (最终 names
    no year).
    """
    if reading not in PARK_READINGS:
        raise ScenarioError(
            f"zero_carbon_park_reading: expected one of {', '.join(PARK_READINGS)}, found {reading!r}"
        )
    problems = []
    green = bundled_mwh + unbundled_mwh
    if reading == "physical_70":
        if bundled_mwh < bundled_min_share * consumption_mwh - TOLERANCE_MWH:
            problems.append(
                f"zero-carbon park: expected physical green >= {bundled_min_share:.0%} of consumption, "
                f"found {bundled_mwh / consumption_mwh:.1%} (reading physical_70)"
            )
    else:
        if green < bundled_min_share * consumption_mwh - TOLERANCE_MWH:
            problems.append(
                f"zero-carbon park: expected green >= {bundled_min_share:.0%} of park consumption, "
                f"found {green / consumption_mwh:.1%}"
            )
        if bundled_mwh < physical_share_of_green * green - TOLERANCE_MWH:
            problems.append(
                f"zero-carbon park: expected physical green to be the main part "
                f"(>= {physical_share_of_green:.0%} of green, 以物理绿电消纳量为主), found "
                f"{bundled_mwh / green:.1%}"
            )
    clean = green + other_clean_mwh
    if clean_binding and clean < clean_min_share * consumption_mwh - TOLERANCE_MWH:
        problems.append(
            f"zero-carbon park: expected clean energy >= {clean_min_share:.0%} of park consumption, found {clean / consumption_mwh:.1%}"
        )
    return problems


def check_bundled_not_resold(bundled_mwh: float, bundled_certificates_sold_mwh: float) -> list[str]:
    """Return a problem when certificates of physically consumed energy are sold (000 二(二))."""
    if bundled_certificates_sold_mwh > TOLERANCE_MWH:
        consumed = "" if math.isnan(bundled_mwh) else f" ({bundled_mwh:,.0f} MWh consumed)"
        return [
            f"expected 0 MWh of certificates of bundled energy{consumed} sold on, "
            f"found {bundled_certificates_sold_mwh:,.0f} MWh sold (000 二(二): 该部分绿证有效期内不得与非实际消纳企业重复交易)"
        ]
    return []


def monthly_certificate_schedule(
    annual_mwh: float, monthly_consumption_mwh: Sequence[float]
) -> pd.Series:
    """Return monthly certificate purchases (MWh) proportional to monthly consumption (000 二(三)).

    Buying in step with consumption keeps the certificate-accounted share the same every month.
    """
    cons = np.asarray(monthly_consumption_mwh, dtype=float)
    if len(cons) != 12 or (cons < 0).any() or cons.sum() <= 0:
        raise ScenarioError(
            "monthly consumption: expected 12 non-negative values with a positive sum"
        )
    return pd.Series(annual_mwh * cons / cons.sum(), index=pd.RangeIndex(1, 13, name="month"))


def enterprise_ledger(
    entity: str,
    sector: str,
    province: str,
    consumption_mwh: pd.Series,
    target: pd.DataFrame,
    purchases: pd.DataFrame,
    prices: pd.DataFrame,
    rule: str,
    plan_final_years: Sequence[int] = (),
    carried_in_mwh: float = 0.0,
    trading_unsynchronised_share: float = 0.0,
    non_electric_mwh_eq: Sequence[float] | None = None,
    non_electric_green_mwh_eq: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Return the year-by-year ledger of a firm's green share, one row per year.

    Parameters
    ----------
    entity, sector, province : str
        Names written into the ledger.
    consumption_mwh : Series
        Electricity consumption by year, MWh.
    target : DataFrame
        From :func:`target_path`: ``share``, ``status``, ``source`` by year.
    purchases : DataFrame
        MWh by year in columns of :data:`ROUTES` (missing columns count as 0).
    prices : DataFrame
        Incremental cost by year, yuan/MWh, columns ``direct``, ``trading``, ``certificates``;
        make-up certificates are priced as certificates of the same year (004 第八条).
    rule : str
        Carry-over rule (default for firms ``next_year``, 000 (十一)).
    plan_final_years : sequence of int
        Used by the rule ``next_year_except_plan_final``.
    carried_in_mwh : float
        Shortfall carried into the first year, MWh.
    trading_unsynchronised_share : float
        Share of green power trading whose certificates are not delivered in step with the energy
        (「绿证与物理消纳绿电不同步」, 000 二(一)): counted as unbundled. Make-up trading (004 第二十二条:
        「又はその他の市場化された取引方式」) counts like trading.
    non_electric_mwh_eq, non_electric_green_mwh_eq : sequence of float, optional
        Per year, the firm's non-electric energy and its renewable part in MWh-equivalent (004
        第四条 energy basis; 0 in a year on the electricity basis). The obligation becomes
        share x (consumption + non-electric) - renewable non-electric (>= 0), and
        ``green_share`` is (green + renewable non-electric) / (consumption + non-electric);
        ``green_share_electricity`` is always green / consumption.

    Returns
    -------
    DataFrame
        Target share and MWh, carried in, required, green MWh by route, bundled and unbundled,
        green share, shortfall, carried out, uncured, cost by route (yuan), ``compliant``.
    """
    years = list(consumption_mwh.index.astype(int))
    p = purchases.reindex(index=years, columns=list(ROUTES)).fillna(0.0)
    if (p < -TOLERANCE_MWH).any().any():
        raise ScenarioError("purchases: expected volumes >= 0 MWh, found a negative value")
    df = pd.DataFrame(index=pd.Index(years, name="year"))
    df["entity"] = entity
    df["kind"] = "enterprise"
    df["sector"] = sector
    df["province"] = province
    df["consumption_mwh"] = consumption_mwh.reindex(years).to_numpy(float)
    df["target_share"] = target["share"].reindex(years).to_numpy(float)
    df["target_status"] = target["status"].reindex(years).to_numpy(str)
    df["target_source"] = target["source"].reindex(years).to_numpy(str)
    zeros = [0.0] * len(years)
    ne = np.asarray(non_electric_mwh_eq if non_electric_mwh_eq is not None else zeros, float)
    ng = np.asarray(
        non_electric_green_mwh_eq if non_electric_green_mwh_eq is not None else zeros, float
    )
    df["non_electric_mwh_eq"] = ne
    df["non_electric_green_mwh_eq"] = ng
    df["obligation_total_mwh"] = (df["target_share"] * (df["consumption_mwh"] + ne) - ng).clip(
        lower=0.0
    )
    for r in ROUTES:
        df[f"{r}_mwh"] = p[r].to_numpy(float)
    u = float(trading_unsynchronised_share)
    trade = (p["trading"] + p["makeup_trading"]).to_numpy(float)
    df["bundled_mwh"] = (p["self_generated"] + p["direct"]).to_numpy(float) + (1 - u) * trade
    df["unbundled_mwh"] = p[list(UNBUNDLED_ROUTES)].sum(axis=1).to_numpy(float) + u * trade
    df["fulfilled_total_mwh"] = df["bundled_mwh"] + df["unbundled_mwh"]
    df["green_share_electricity"] = df["fulfilled_total_mwh"] / df["consumption_mwh"]
    df["green_share"] = (df["fulfilled_total_mwh"] + ng) / (df["consumption_mwh"] + ne)
    cf = carry_forward(
        years,
        df["obligation_total_mwh"],
        df["fulfilled_total_mwh"],
        rule,
        plan_final_years,
        carried_in_mwh,
    )
    for col in CARRY_COLUMNS:
        df[f"{col[:-4]}_total_mwh"] = cf[col].to_numpy(float)
    df["shortfall_before_makeup_total_mwh"] = (
        df["required_total_mwh"]
        - (df["fulfilled_total_mwh"] - df["makeup_certificates_mwh"] - df["makeup_trading_mwh"])
    ).clip(lower=0.0)
    pr = prices.reindex(years)
    price_of = {
        "direct": "direct",
        "trading": "trading",
        "certificates": "certificates",
        "makeup_certificates": "certificates",
        "makeup_trading": "trading",
    }
    for r, col in price_of.items():
        df[f"cost_{r}_yuan"] = df[f"{r}_mwh"] * pr[col].to_numpy(float)
    df["cost_total_yuan"] = df[[f"cost_{r}_yuan" for r in price_of]].sum(axis=1)
    df["certificates_total_mwh"] = df["certificates_mwh"] + df["makeup_certificates_mwh"]
    df["compliant"] = df["shortfall_total_mwh"] <= TOLERANCE_MWH
    df["plan_final_year"] = [y in set(plan_final_years) for y in years]
    df["carry_over_rule"] = rule
    return df.reset_index()
