"""Ledger of an obligated entity under the provincial weights (SPEC C; seeds 002 and 004).

An obligated entity (承担消纳责任的市场主体, 002 三(三)) is a grid company (by its sales), a
retailer or market-buying user (by its supply, sales or consumption) or a firm with a captive
plant (by its consumption). Per year:

- obligated consumption = consumption - agricultural - separately metered heating (002 三(二));
  the obligated base adds the entity's share of the province's grid losses and plant own use
  (002 三(二): 「各承担消纳责任的市场主体共同承担四川省内网损和厂用电量对应的消纳量」), shared pro rata to
  obligated consumption (:func:`share_losses`);
- obligation = total weight x obligated consumption, and non-hydro weight x obligated consumption
  (004 第十条);
- fulfilment by route (002 五): allocated guaranteed-purchase energy and market purchases (main
  route, 五(一), 五(三)1), self-generated renewables (五(三)2), bought excess volume and bought
  certificates (supplementary, 五(二), 1 certificate = 1 MWh); sold excess volume and sold
  certificates no longer count for the seller (五(三)3);
- certificates bought within the 3-month make-up window count for the assessed year (004
  第二十二条); a shortfall left after it is, by default, NOT carried: 002 七(二) writes for
  entities 「督促未完成消纳责任权重的市场主体限期整改，依法依规予以处理」 (rectify within a deadline,
  dealt with by law), and 004 第二十二条's carry-over (except in a plan's final year) is written
  for provinces. A scenario may apply it to an entity as a reading (``carry_over_rule``).

Hydro volumes count for the total weight only; non-hydro volumes for both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.carryover import CARRY_COLUMNS, TOLERANCE_MWH, carry_forward

ENTITY_KINDS = ("grid_company", "retailer", "market_user", "captive_plant")
ROUTES_IN = ("guaranteed", "market", "self_generated", "excess_bought", "certificates_bought")
ROUTES_OUT = ("excess_sold", "certificates_sold")


@dataclass(frozen=True)
class Volumes:
    """Renewable energy split into hydro and non-hydro, MWh."""

    hydro_mwh: float = 0.0
    non_hydro_mwh: float = 0.0

    @property
    def total_mwh(self) -> float:
        """Hydro plus non-hydro, MWh."""
        return self.hydro_mwh + self.non_hydro_mwh

    def scaled(self, factor: float) -> Volumes:
        """Return the same mix times ``factor``."""
        return Volumes(self.hydro_mwh * factor, self.non_hydro_mwh * factor)


@dataclass(frozen=True)
class EntityYear:
    """One obligated entity in one year: consumption, weights and volumes by route (MWh)."""

    entity: str
    kind: str
    province: str
    year: int
    consumption_mwh: float
    weight_total: float
    weight_non_hydro: float
    exempt_agricultural_mwh: float = 0.0
    exempt_heating_mwh: float = 0.0
    guaranteed: Volumes = field(default_factory=Volumes)
    market: Volumes = field(default_factory=Volumes)
    self_generated: Volumes = field(default_factory=Volumes)
    excess_bought: Volumes = field(default_factory=Volumes)
    certificates_bought: Volumes = field(default_factory=Volumes)
    excess_sold: Volumes = field(default_factory=Volumes)
    certificates_sold: Volumes = field(default_factory=Volumes)
    makeup_certificates: Volumes = field(default_factory=Volumes)
    weight_status: str = "published"
    weight_source: str = ""
    # this entity's share of the province's grid losses and plant own use, MWh (002 三(二):
    # 各承担消纳责任的市场主体共同承担四川省内网损和厂用电量对应的消纳量); added to its obligated base
    shared_losses_mwh: float = 0.0


def obligated_consumption_mwh(
    consumption_mwh: float, agricultural_mwh: float = 0.0, heating_mwh: float = 0.0
) -> float:
    """Return consumption less the exempt agricultural and heating volumes, MWh (002 三(二))."""
    exempt = agricultural_mwh + heating_mwh
    if exempt > consumption_mwh + TOLERANCE_MWH:
        raise ScenarioError(
            f"exempt volumes: expected at most the consumption ({consumption_mwh:g} MWh), found {exempt:g} MWh"
        )
    return consumption_mwh - exempt


def counted_volumes(ey: EntityYear, with_makeup: bool = True) -> Volumes:
    """Return the volume that counts for the entity: routes in, less routes sold (002 五(三))."""
    hydro = sum(getattr(ey, r).hydro_mwh for r in ROUTES_IN) - sum(
        getattr(ey, r).hydro_mwh for r in ROUTES_OUT
    )
    nonh = sum(getattr(ey, r).non_hydro_mwh for r in ROUTES_IN) - sum(
        getattr(ey, r).non_hydro_mwh for r in ROUTES_OUT
    )
    if with_makeup:
        hydro += ey.makeup_certificates.hydro_mwh
        nonh += ey.makeup_certificates.non_hydro_mwh
    return Volumes(hydro, nonh)


def check_entity_year(ey: EntityYear) -> list[str]:
    """Return the problems of one entity-year (empty when it is consistent).

    Checks: known kind; weights within 0-1 and non-hydro <= total; no negative volume; exempt
    volumes within consumption; an excess volume sold is at most the excess over the obligation
    before the sale, so that volumes attributable to exempt consumption (excluded from the
    obligated base) are never traded (002 五(三)3).
    """
    where = f"{ey.entity} {ey.year}"
    problems = []
    if ey.kind not in ENTITY_KINDS:
        problems.append(
            f"{where} kind: expected one of {', '.join(ENTITY_KINDS)}, found {ey.kind!r}"
        )
    for name in ("weight_total", "weight_non_hydro"):
        v = getattr(ey, name)
        if not 0.0 <= v <= 1.0:
            problems.append(f"{where} {name}: expected a fraction between 0 and 1, found {v!r}")
    if ey.weight_non_hydro > ey.weight_total:
        problems.append(
            f"{where} weights: expected non-hydro <= total, found {ey.weight_non_hydro:g} > {ey.weight_total:g}"
        )
    for r in (*ROUTES_IN, *ROUTES_OUT, "makeup_certificates"):
        v = getattr(ey, r)
        if v.hydro_mwh < 0 or v.non_hydro_mwh < 0:
            problems.append(
                f"{where} {r}: expected volumes >= 0 MWh (sales go under *_sold), found {v}"
            )
    try:
        base = obligated_consumption_mwh(
            ey.consumption_mwh, ey.exempt_agricultural_mwh, ey.exempt_heating_mwh
        )
    except ScenarioError as exc:
        problems.extend(f"{where} {p}" for p in exc.problems)
        return problems
    if ey.shared_losses_mwh < 0:
        problems.append(f"{where} shared_losses_mwh: expected >= 0 MWh, found {ey.shared_losses_mwh:g}")
    base += ey.shared_losses_mwh
    before_sale = counted_volumes(ey, with_makeup=False).total_mwh + ey.excess_sold.total_mwh
    sellable = max(0.0, before_sale - ey.weight_total * base)
    if ey.excess_sold.total_mwh > sellable + TOLERANCE_MWH:
        problems.append(
            f"{where} excess_sold: expected at most the excess over the total obligation "
            f"({sellable:,.1f} MWh), found {ey.excess_sold.total_mwh:,.1f} MWh; volumes of exempt "
            "consumption cannot be traded (002 五(三)3)"
        )
    return problems


def year_rows(ey: EntityYear) -> dict:
    """Return the ledger columns of one entity-year that do not depend on carry-over (MWh)."""
    own = obligated_consumption_mwh(
        ey.consumption_mwh, ey.exempt_agricultural_mwh, ey.exempt_heating_mwh
    )
    base = own + ey.shared_losses_mwh
    row = {
        "entity": ey.entity,
        "kind": ey.kind,
        "province": ey.province,
        "year": ey.year,
        "consumption_mwh": ey.consumption_mwh,
        "exempt_mwh": ey.exempt_agricultural_mwh + ey.exempt_heating_mwh,
        "own_obligated_consumption_mwh": own,
        "shared_losses_mwh": ey.shared_losses_mwh,
        "obligated_consumption_mwh": base,
        "weight_total": ey.weight_total,
        "weight_non_hydro": ey.weight_non_hydro,
        "weight_status": ey.weight_status,
        "weight_source": ey.weight_source,
        "obligation_total_mwh": ey.weight_total * base,
        "obligation_non_hydro_mwh": ey.weight_non_hydro * base,
    }
    for r in (*ROUTES_IN, "makeup_certificates"):
        row[f"{r}_mwh"] = getattr(ey, r).total_mwh
    for r in ROUTES_OUT:
        row[f"{r}_mwh"] = 0.0 - getattr(ey, r).total_mwh + 0.0  # sales shown negative, never -0.0
    counted = counted_volumes(ey)
    # physical volumes (bought or self-generated energy) vs certificates, for carbon accounting
    unbundled = (
        ey.certificates_bought.total_mwh + ey.makeup_certificates.total_mwh
        - ey.certificates_sold.total_mwh
    )
    row["bundled_mwh"] = counted.total_mwh - unbundled
    row["unbundled_mwh"] = unbundled
    row["fulfilled_total_mwh"] = counted.total_mwh
    row["fulfilled_non_hydro_mwh"] = counted.non_hydro_mwh
    before = counted_volumes(ey, with_makeup=False)
    row["fulfilled_before_makeup_total_mwh"] = before.total_mwh
    row["fulfilled_before_makeup_non_hydro_mwh"] = before.non_hydro_mwh
    return row


def entity_ledger(
    entity_years: Sequence[EntityYear],
    rule: str,
    plan_final_years: Sequence[int],
    carried_in: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Return the ledger of one entity over consecutive years, one row per year.

    Parameters
    ----------
    entity_years : sequence of EntityYear
        The same entity, consecutive years.
    rule : str
        Carry-over rule (``next_year_except_plan_final`` by default for weights, 004 第二十二条).
    plan_final_years : sequence of int
        Final years of five-year plans.
    carried_in : mapping, optional
        Shortfall carried into the first year: ``{"total": MWh, "non_hydro": MWh}``.

    Returns
    -------
    DataFrame
        Obligation, fulfilment by route (sales negative), and for each weight (``total``,
        ``non_hydro``): carried in, required, shortfall, excess, carried out, uncured; plus
        ``compliant`` (no shortfall after the make-up window in either weight).
    """
    eys = sorted(entity_years, key=lambda e: e.year)
    problems = [p for ey in eys for p in check_entity_year(ey)]
    if len({ey.entity for ey in eys}) > 1:
        problems.append(
            f"entity_ledger: expected one entity, found {sorted({e.entity for e in eys})}"
        )
    if problems:
        raise ScenarioError(problems)
    df = pd.DataFrame([year_rows(ey) for ey in eys]).set_index("year")
    carried_in = carried_in or {}
    for kind in ("total", "non_hydro"):
        cf = carry_forward(
            list(df.index),
            df[f"obligation_{kind}_mwh"].to_list(),
            df[f"fulfilled_{kind}_mwh"].to_list(),
            rule,
            plan_final_years,
            carried_in.get(kind, 0.0),
        )
        for col in CARRY_COLUMNS:
            df[f"{col[:-4]}_{kind}_mwh"] = cf[col]
        df[f"shortfall_before_makeup_{kind}_mwh"] = (
            df[f"required_{kind}_mwh"] - df[f"fulfilled_before_makeup_{kind}_mwh"]
        ).clip(lower=0.0)
    df["compliant"] = (df["shortfall_total_mwh"] <= TOLERANCE_MWH) & (
        df["shortfall_non_hydro_mwh"] <= TOLERANCE_MWH
    )
    df["plan_final_year"] = [int(y) in set(plan_final_years) for y in df.index]
    df["carry_over_rule"] = rule
    return df.reset_index()


def allocate_guaranteed(
    guaranteed: Volumes,
    weight_total: float,
    priority_consumption_mwh: Mapping[str, float],
    market_consumption_mwh: Mapping[str, float],
) -> dict[str, Volumes]:
    """Return the guaranteed-purchase renewables allocated to each user class and entity (MWh).

    Order of 002 五(四): first the consumption of residential, agricultural, important public and
    non-market users, up to their total-weight obligation; the remainder to the market entities
    in proportion to their purchases or consumption (free of charge at first). Captive plants not
    connected to the public grid and independent grids take no share: leave them out of
    ``market_consumption_mwh``.

    Each allocated MWh carries the pool's hydro/non-hydro mix (a reading: the clause does not
    split the pool by type). Anything left when there are no market entities is returned under
    ``"unallocated"``.

    Parameters
    ----------
    guaranteed : Volumes
        Guaranteed-purchase renewables of the grid company (全额保障性收购), MWh.
    weight_total : float
        Total weight of the province (fraction).
    priority_consumption_mwh : mapping
        Consumption of the priority classes, e.g. ``{"residential": ..., "agricultural": ...}``, MWh.
    market_consumption_mwh : mapping
        Purchases or consumption of each market entity, MWh.
    """
    pool = guaranteed.total_mwh
    if pool <= 0:
        return {k: Volumes() for k in [*priority_consumption_mwh, *market_consumption_mwh]}
    prio_total = sum(priority_consumption_mwh.values())
    prio_given = min(pool, weight_total * prio_total)
    out: dict[str, Volumes] = {}
    for name, mwh in priority_consumption_mwh.items():
        share = mwh / prio_total if prio_total > 0 else 0.0
        out[name] = guaranteed.scaled(prio_given * share / pool)
    rest = pool - prio_given
    market_total = sum(market_consumption_mwh.values())
    for name, mwh in market_consumption_mwh.items():
        share = mwh / market_total if market_total > 0 else 0.0
        out[name] = guaranteed.scaled(rest * share / pool)
    if market_total <= 0 and rest > TOLERANCE_MWH:
        out["unallocated"] = guaranteed.scaled(rest / pool)
    return out


def share_losses(
    losses_mwh: float, obligated_consumption_mwh: Mapping[str, float]
) -> dict[str, float]:
    """Return each entity's share of the province's grid losses and plant own use (MWh).

    002 三(二) 「共同承担」 names no key; the share is pro rata to each entity's obligated
    consumption (consumption less exempt volumes), an assumption (rules.yaml losses_sharing_key).
    """
    total = sum(obligated_consumption_mwh.values())
    if losses_mwh < 0:
        raise ScenarioError(f"losses: expected MWh >= 0, found {losses_mwh:g}")
    if total <= 0:
        return {k: 0.0 for k in obligated_consumption_mwh}
    return {k: losses_mwh * v / total for k, v in obligated_consumption_mwh.items()}


CLASS2_KINDS = ("retailer", "market_user")


def combined_class_assessment(ledger: pd.DataFrame, kinds: Sequence[str] = CLASS2_KINDS) -> pd.DataFrame:
    """Return the class-2 entities of each province and year assessed together (002 三(三)2).

    002 三(三)2: 「其他市场主体……承担与其年供（售、用）电量相对应的消纳责任权重，其中 2021 年该类主体承担的
    消纳责任权重合并统计后：总量消纳责任权重最低为 74%，非水电消纳责任权重最低为 6%」 - the class's weights
    are met *after combining* its entities. Two readings: each entity meets its own weight (the
    per-entity ledger) or the class meets it combined (this table); a shortfall of one entity
    may be covered by another's excess here. Columns in MWh and fractions, one row per province
    and year; ``compliant_combined`` when neither combined weight is short.
    """
    sub = ledger[ledger["kind"].isin(list(kinds))]
    cols = ["obligated_consumption_mwh", "obligation_total_mwh", "obligation_non_hydro_mwh",
            "fulfilled_total_mwh", "fulfilled_non_hydro_mwh"]  # fmt: skip
    g = sub.groupby(["province", "year"])[cols].sum()
    g["entities"] = sub.groupby(["province", "year"])["entity"].nunique()
    for kind in ("total", "non_hydro"):
        g[f"share_{kind}"] = g[f"fulfilled_{kind}_mwh"] / g["obligated_consumption_mwh"]
        g[f"shortfall_{kind}_mwh"] = (g[f"obligation_{kind}_mwh"] - g[f"fulfilled_{kind}_mwh"]).clip(
            lower=0.0
        )
    g["compliant_combined"] = (g["shortfall_total_mwh"] <= TOLERANCE_MWH) & (
        g["shortfall_non_hydro_mwh"] <= TOLERANCE_MWH
    )
    return g.reset_index()
