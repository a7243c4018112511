"""Orchestrator: resolve an obligations scenario, plan, keep the ledger, verify compliance.

``run_obligations(scenario)`` is a function of the scenario alone: it loads the weights, projects
the trajectories, solves the least-cost plan of the enterprise (if any), writes both the
enterprise and the obligated-entity ledgers and checks the plan independently through the ledger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from greenscen.errors import ComplianceError, ScenarioError
from greenscen.obligations.carbon import carbon_columns
from greenscen.obligations.carryover import TOLERANCE_MWH
from greenscen.obligations.data import rule_value
from greenscen.obligations.enterprise import (
    assessment_status,
    check_bundled_not_resold,
    check_zero_carbon_park,
    enterprise_ledger,
    monthly_certificate_schedule,
    target_path,
)
from greenscen.obligations.ledger import (
    CLASS2_KINDS,
    EntityYear,
    Volumes,
    allocate_guaranteed,
    combined_class_assessment,
    entity_ledger,
    obligated_consumption_mwh,
    share_losses,
)
from greenscen.obligations.plan import PlanProblem, PlanResult, single_route_costs, solve_plan
from greenscen.obligations.prices import price_table
from greenscen.obligations.scenario import (
    EnterpriseSpec,
    EntitySpec,
    ObligationScenario,
    year_values,
)
from greenscen.obligations.trajectories import consistency_problems, project_many, project_pair
from greenscen.obligations.weights import load_weights, lookup_weight


@dataclass(frozen=True)
class ObligationResults:
    """Everything a run produces; ``ledger`` has one row per entity and year."""

    scenario: ObligationScenario
    weights: pd.DataFrame
    trajectories: pd.DataFrame
    ledger: pd.DataFrame
    plan: PlanResult | None = None
    plan_problem: PlanProblem | None = None
    single_route_costs: dict = field(default_factory=dict)
    prices: pd.DataFrame | None = None
    monthly_certificates: pd.DataFrame | None = None
    notes: tuple[str, ...] = ()
    rating_table: pd.DataFrame | None = None
    rating_summary: dict | None = None
    quarterly: pd.DataFrame | None = None
    class2_combined: pd.DataFrame | None = None

    @property
    def shortfall_remains(self) -> bool:
        """True when a shortfall is left uncured or carried past the last year of its entity."""
        if self.ledger.empty:
            return False
        uncured = self.ledger.filter(like="uncured_").fillna(0.0).to_numpy().sum() > TOLERANCE_MWH
        last = self.ledger.sort_values("year").groupby("entity").tail(1)
        beyond = last.filter(like="carried_out_").fillna(0.0).to_numpy().sum() > TOLERANCE_MWH
        return bool(uncured or beyond)


def _plan_final_years(scn: ObligationScenario) -> tuple[int, ...]:
    return tuple(int(y) for y in rule_value("plan_final_years", scn.rules))


def _enterprise(scn: ObligationScenario, ent: EnterpriseSpec, weights: pd.DataFrame):
    years = list(range(ent.first_year, ent.last_year + 1))
    final_years = _plan_final_years(scn)
    rule = ent.carry_over_rule or rule_value("carry_over_rule_enterprise", scn.rules)
    try:
        cons = pd.Series(year_values(ent.consumption_mwh, years, before_first=None), index=years)
    except ScenarioError as exc:
        raise ScenarioError([f"enterprise.consumption_mwh: {p}" for p in exc.problems]) from None
    target = target_path(
        ent.sector,
        ent.province,
        years,
        ent.target.by_year,
        ent.target.extend,
        ent.target.target,
        ent.target.target_year,
        weights,
    )
    basis, ne_eq, ng_eq = _energy_basis(scn, ent, years)
    assessment = _assessment(scn, ent, years)
    if str(rule_value("plan_unassessed_years", scn.rules)) == "skip":
        # 004 第五条: a monitored or transition year is reported, not assessed; no purchase
        # is planned for it (the target stays in the ledger and its shortfall is reported)
        unassessed = [a != "assessed" for a in assessment]
        plan_share = target["share"].where(~pd.Series(unassessed, index=target.index), 0.0)
    else:
        plan_share = target["share"]
    routes = ent.routes
    prices, prov = price_table(
        years,
        {
            "direct": routes.direct.cost_yuan_per_mwh,
            "trading": routes.trading.premium_yuan_per_mwh,
            "certificates": routes.certificates.price_yuan_per_mwh,
        },
    )
    self_gen = year_values(ent.self_generated_mwh, years)
    closed = sorted(ent.closed_years)
    open_years = [y for y in years if y not in ent.closed_years]
    purchases = pd.DataFrame(
        0.0,
        index=years,
        columns=["self_generated", "direct", "trading", "certificates", "makeup_certificates"],
    )
    purchases["self_generated"] = self_gen
    purchases["makeup_trading"] = 0.0
    for y, c in ent.closed_years.items():
        purchases.loc[
            y, ["direct", "trading", "certificates", "makeup_certificates", "makeup_trading"]
        ] = [
            c.direct_mwh,
            c.trading_mwh,
            c.certificates_mwh,
            c.makeup_certificates_mwh,
            c.makeup_trading_mwh,
        ]
    unsync = routes.trading.unsynchronised_share
    sold = year_values(ent.bundled_certificates_sold_mwh, years)
    resold = [
        f"enterprise.bundled_certificates_sold_mwh {y}: {p}"
        for y, v in zip(years, sold, strict=True)
        for p in check_bundled_not_resold(float("nan"), v)
    ]
    if resold:
        raise ScenarioError(resold)
    carried = ent.carried_in_mwh
    if closed:
        pre = enterprise_ledger(
            ent.name,
            ent.sector,
            ent.province,
            cons.loc[closed],
            target.loc[closed],
            purchases.loc[closed],
            prices,
            rule,
            final_years,
            carried,
            unsync,
            [ne_eq[years.index(y)] for y in closed],
            [ng_eq[years.index(y)] for y in closed],
        )
        carried = float(pre["carried_out_total_mwh"].iloc[-1])
    plan = problem = None
    single = {}
    park_green = float(rule_value("zero_carbon_park_green_min_share", scn.rules))
    park_reading = str(rule_value("zero_carbon_park_reading", scn.rules))
    park_q = float(rule_value("zero_carbon_park_physical_share_of_green", scn.rules))
    park_clean = float(rule_value("zero_carbon_park_clean_min_share", scn.rules))
    park_clean_year = rule_value("zero_carbon_park_clean_target_year", scn.rules)
    park_clean_year = None if park_clean_year is None else int(park_clean_year)
    o_cons = year_values(ent.park_other_consumption_mwh, years)
    o_bund = year_values(ent.park_other_bundled_mwh, years)
    o_cert = year_values(ent.park_other_certificates_mwh, years)
    other_clean = year_values(ent.other_clean_mwh, years)
    if open_years:
        ix = [years.index(y) for y in open_years]
        bundled_min = ent.bundled_min_share_of_green
        if bundled_min is None:
            bundled_min = float(rule_value("bundled_main_route_min_share", scn.rules))
        park = park_green if ent.zero_carbon_park else 0.0
        trading_max = year_values(routes.trading.max_mwh, years, default=math.inf)
        cert_max = year_values(routes.certificates.max_mwh, years, default=math.inf)
        problem = PlanProblem(
            years=tuple(open_years),
            consumption_mwh=tuple(cons.loc[open_years]),
            target_share=tuple(plan_share.loc[open_years]),
            direct_cost_yuan_per_mwh=tuple(prices["direct"].loc[open_years]),
            trading_premium_yuan_per_mwh=tuple(prices["trading"].loc[open_years]),
            certificate_price_yuan_per_mwh=tuple(prices["certificates"].loc[open_years]),
            direct_max_mwh=tuple(year_values(routes.direct.max_mwh, years)[i] for i in ix),
            trading_max_mwh=tuple(trading_max[i] for i in ix),
            certificates_max_mwh=tuple(cert_max[i] for i in ix),
            self_generated_mwh=tuple(self_gen[i] for i in ix),
            carried_in_mwh=carried,
            bundled_min_share_of_green=bundled_min,
            bundled_min_share_of_consumption=park,
            trading_unsynchronised_share=unsync,
            park_reading=park_reading,
            park_physical_share_of_green=park_q,
            park_other_consumption_mwh=tuple(o_cons[i] for i in ix),
            park_other_bundled_mwh=tuple(o_bund[i] for i in ix),
            park_other_certificates_mwh=tuple(o_cert[i] for i in ix),
            park_clean_min_share=park_clean if ent.zero_carbon_park else 0.0,
            park_clean_from_year=park_clean_year,
            other_clean_mwh=tuple(other_clean[i] for i in ix),
            allow_carry=ent.allow_planned_carry,
            carry_rule=rule,
            plan_final_years=final_years,
            carry_penalty_yuan_per_mwh=ent.carry_penalty_yuan_per_mwh,
            non_electric_mwh_eq=tuple(ne_eq[i] for i in ix),
            non_electric_green_mwh_eq=tuple(ng_eq[i] for i in ix),
        )
        plan = solve_plan(problem)
        single = single_route_costs(problem)
        for col in ("direct", "trading", "certificates"):
            purchases.loc[open_years, col] = plan.purchases[col].to_numpy()
    ledger = enterprise_ledger(
        ent.name,
        ent.sector,
        ent.province,
        cons,
        target,
        purchases,
        prices,
        rule,
        final_years,
        ent.carried_in_mwh,
        unsync,
        ne_eq,
        ng_eq,
    )
    ledger["share_basis"] = basis
    ledger["planned"] = [y in open_years for y in years]
    # clean share: all green (certificates count, 000 (六) names 绿证交易) plus other clean energy
    ledger["clean_share"] = (
        ledger["fulfilled_total_mwh"] + other_clean
    ) / ledger["consumption_mwh"]
    notes = []
    if ent.zero_carbon_park:
        park_cons = ledger["consumption_mwh"].to_numpy() + o_cons
        park_b = ledger["bundled_mwh"].to_numpy() + o_bund
        park_u = ledger["unbundled_mwh"].to_numpy() + o_cert
        ledger["park_consumption_mwh"] = park_cons
        ledger["park_green_share"] = (park_b + park_u) / park_cons
        ledger["park_physical_share_of_green"] = park_b / (park_b + park_u)
        ledger["park_clean_share"] = (park_b + park_u + other_clean) / park_cons
        for i, y in enumerate(years):
            binding = park_clean_year is not None and y >= park_clean_year
            for p in check_zero_carbon_park(
                park_cons[i], park_b[i], other_clean[i], park_green, park_clean, park_u[i],
                park_reading, park_q, clean_binding=binding,
            ):  # fmt: skip
                notes.append(f"{y}: {p}")
            if not binding and ledger["park_clean_share"].iloc[i] < park_clean - 1e-9:
                notes.append(
                    f"{y}: zero-carbon park: clean share {ledger['park_clean_share'].iloc[i]:.1%} "
                    f"on the way to the final {park_clean:.0%} (最终; binding from no year given)"
                )
    ledger["assessment"] = assessment
    ledger["shortfall_assessed"] = ~ledger["compliant"] & (ledger["assessment"] == "assessed")
    for y, a, ok in zip(years, assessment, ledger["compliant"], strict=True):
        if a != "assessed" and not ok:
            notes.append(
                f"{y}: {ent.sector} is {a} in {y} (004 第五条 / comment 2): its shortfall is "
                "reported, not assessed"
            )
    planned = ledger[ledger["planned"]]
    if str(rule_value("plan_unassessed_years", scn.rules)) == "skip":
        planned = planned[planned["assessment"] == "assessed"]
    if plan is not None and not planned["compliant"].all() and not ent.allow_planned_carry:
        bad = planned.loc[~planned["compliant"], "year"].tolist()
        raise ComplianceError(
            f"the plan leaves a shortfall in {bad} when checked in the ledger",
            [f"requirement {y}" for y in bad],
        )
    profile = ent.monthly_consumption_profile or [1.0] * 12
    monthly = pd.DataFrame(
        {
            y: monthly_certificate_schedule(float(purchases.loc[y, "certificates"]), profile)
            for y in open_years
        }
    )
    return ledger, plan, problem, single, prov, monthly, notes


def _energy_basis(scn: ObligationScenario, ent: EnterpriseSpec, years: list[int]):
    """Return per year the share basis and the non-electric energy and its renewable part (MWh-eq).

    004 第四条: the share is of total energy (electric and non-electric). Under the ``energy``
    basis (from ``enterprise_share_basis_from_year``) tce are converted with
    ``electricity_tce_per_mwh``: MWh-eq = tce / factor; under ``electricity`` both are 0.
    """
    mode = str(rule_value("enterprise_share_basis", scn.rules))
    if mode not in ("energy", "electricity"):
        raise ScenarioError(
            f"rules.enterprise_share_basis: expected energy or electricity, found {mode!r}"
        )
    start = int(rule_value("enterprise_share_basis_from_year", scn.rules))
    factor = float(rule_value("electricity_tce_per_mwh", scn.rules))
    if factor <= 0:
        raise ScenarioError(
            f"rules.electricity_tce_per_mwh: expected a factor > 0 tce/MWh, found {factor!r}"
        )
    ne = year_values(ent.non_electric_energy_tce, years)
    ng = year_values(ent.non_electric_renewable_tce, years)
    bad = [y for y, a, b in zip(years, ne, ng, strict=True) if b > a + 1e-9]
    if bad:
        raise ScenarioError(
            f"enterprise.non_electric_renewable_tce: expected at most non_electric_energy_tce, "
            f"found more in {bad}"
        )
    basis = ["energy" if mode == "energy" and y >= start else "electricity" for y in years]
    ne_eq = [a / factor if b == "energy" else 0.0 for a, b in zip(ne, basis, strict=True)]
    ng_eq = [a / factor if b == "energy" else 0.0 for a, b in zip(ng, basis, strict=True)]
    return basis, ne_eq, ng_eq


def _assessment(scn: ObligationScenario, ent: EnterpriseSpec, years: list[int]) -> list[str]:
    """Return per year ``assessed``, ``monitored``, ``transition`` or ``not listed`` (004 第五条).

    The national status of the sector (sector_targets.yaml) where listed; a year up to the
    enterprise's ``transition_until`` is ``transition``. A year not listed nationally is
    ``assessed``: the firm has a target that a regional notice (e.g. 1020号 (十一)) assesses.
    """
    out = []
    for y in years:
        if ent.transition_until is not None and y <= ent.transition_until:
            out.append("transition")
            continue
        st = assessment_status(ent.sector, y)
        out.append("assessed" if st == "not listed" else st)
    return out


def _entity_weights(scn, ent: EntitySpec, ys, weights) -> tuple[float, float, str, str]:
    if ys.weights is not None:
        return ys.weights.total, ys.weights.non_hydro, "scenario", ys.weights.source
    vals, stats, srcs = [], [], []
    pair = None
    for kind in ("total", "non_hydro"):
        v, st, src = lookup_weight(weights, ent.province, ys.year, kind)
        if math.isnan(v) and ent.weights_method:
            if pair is None:
                pair = project_pair(
                    weights, ent.province, ent.weights_method, horizon=max(ys.year, 2035)
                )
            hit = pair[(pair["kind"] == kind) & (pair["year"] == ys.year)].iloc[-1]
            v = float(hit["value"])
            st, src = "projected", f"projected by {ent.weights_method}"
            if hit["flag"]:
                src += f"; {hit['flag']}"
        if math.isnan(v):
            raise ScenarioError(
                f"entities.{ent.name}.years.{ys.year}.weights: expected a published {kind} weight of "
                f"{ent.province} {ys.year} or weights_method / weights in the scenario, found it missing"
            )
        vals.append(v)
        stats.append(st)
        srcs.append(src)
    status = stats[0] if stats[0] == stats[1] else f"{stats[0]}/{stats[1]}"
    return vals[0], vals[1], status, srcs[0]


def _allocations(
    scn: ObligationScenario, weights: pd.DataFrame
) -> dict[tuple[str, str, int], Volumes]:
    out = {}
    for a in scn.allocation:
        takers = {}
        for ent in scn.entities:
            for ys in ent.years:
                if (
                    ent.province == a.province
                    and ys.year == a.year
                    and ys.guaranteed == "allocated"
                ):
                    takers[ent.name] = ys.consumption_mwh
        wt = None
        for ent in scn.entities:
            for ys in ent.years:
                if ent.province == a.province and ys.year == a.year and ys.weights is not None:
                    wt = ys.weights.total
        if wt is None:
            wt, _, _ = lookup_weight(weights, a.province, a.year, "total")
        alloc = allocate_guaranteed(
            Volumes(a.guaranteed.hydro_mwh, a.guaranteed.non_hydro_mwh),
            wt,
            a.priority_consumption_mwh,
            takers,
        )
        for name in takers:
            out[(name, a.province, a.year)] = alloc[name]
        prio = [alloc[k] for k in a.priority_consumption_mwh]
        prio_sum = Volumes(sum(v.hydro_mwh for v in prio), sum(v.non_hydro_mwh for v in prio))
        for ent in scn.entities:
            for ys in ent.years:
                if ent.province == a.province and ys.year == a.year and ys.guaranteed == "priority":
                    out[(ent.name, a.province, a.year)] = prio_sum
    return out


def _entities(scn: ObligationScenario, weights: pd.DataFrame) -> pd.DataFrame | None:
    if not scn.entities:
        return None
    final_years = _plan_final_years(scn)
    alloc = _allocations(scn, weights)
    frames, problems, per_entity = [], [], []
    for ent in scn.entities:
        if ent.kind == "captive_plant" and ent.off_grid and any(
            ys.guaranteed in ("allocated", "priority") for ys in ent.years
        ):
            problems.append(
                f"entities.{ent.name}: a captive plant not connected to the public grid takes no "
                "guaranteed-purchase allocation (002 五(四): 不含未与公用电网联网的拥有自备电厂的企业)"
            )
            continue
        eys = []
        for ys in ent.years:
            try:
                wt, wn, st, src = _entity_weights(scn, ent, ys, weights)
            except ScenarioError as exc:
                problems.extend(exc.problems)
                continue
            if ys.guaranteed in ("allocated", "priority"):
                key = (ent.name, ent.province, ys.year)
                if key not in alloc:
                    problems.append(
                        f"entities.{ent.name}.years.{ys.year}.guaranteed: '{ys.guaranteed}' needs an allocation entry for {ent.province} {ys.year}"
                    )
                    continue
                guaranteed = alloc[key]
            else:
                guaranteed = Volumes(ys.guaranteed.hydro_mwh, ys.guaranteed.non_hydro_mwh)

            def vol(v):
                return Volumes(v.hydro_mwh, v.non_hydro_mwh)

            eys.append(
                EntityYear(
                    ent.name, ent.kind, ent.province, ys.year, ys.consumption_mwh, wt, wn,
                    ys.exempt_agricultural_mwh, ys.exempt_heating_mwh, guaranteed, vol(ys.market),
                    vol(ys.self_generated), vol(ys.excess_bought), vol(ys.certificates_bought),
                    vol(ys.excess_sold), vol(ys.certificates_sold), vol(ys.makeup_certificates), st, src,
                )
            )  # fmt: skip
        if not eys:
            continue
        per_entity.append((ent, eys))
    if problems:
        raise ScenarioError(problems)
    per_entity = _with_shared_losses(scn, per_entity)
    for ent, eys in per_entity:
        # 004 第二十二条's carry-over is written for provinces; entities follow 002 七(二)
        rule = ent.carry_over_rule or rule_value("carry_over_rule_entities", scn.rules)
        try:
            frames.append(entity_ledger(eys, rule, final_years, ent.carried_in))
        except ScenarioError as exc:
            problems.extend(f"entities.{ent.name}: {p}" for p in exc.problems)
    if problems:
        raise ScenarioError(problems)
    out = pd.concat(frames, ignore_index=True)
    # 002 二(二): 超额完成的消纳责任权重折算的能源消费量不计入能耗考核 - the excess over the total
    # weight, converted to tce (electricity_tce_per_mwh, an assumption: 002 names no factor)
    factor = float(rule_value("electricity_tce_per_mwh", scn.rules))
    on = bool(rule_value("excess_not_in_energy_assessment", scn.rules))
    out["excess_energy_not_assessed_tce"] = out["excess_total_mwh"] * factor if on else 0.0
    return out


def _with_shared_losses(scn: ObligationScenario, per_entity):
    """Return the entity-years with their shares of grid losses and plant own use (002 三(二))."""
    if not scn.losses:
        return per_entity
    from dataclasses import replace

    keys = {}
    for _ent, eys in per_entity:
        for ey in eys:
            keys.setdefault((ey.province, ey.year), {})[ey.entity] = obligated_consumption_mwh(
                ey.consumption_mwh, ey.exempt_agricultural_mwh, ey.exempt_heating_mwh
            )
    shares, problems = {}, []
    for i, lo in enumerate(scn.losses):
        takers = keys.get((lo.province, lo.year))
        if not takers:
            problems.append(
                f"losses[{i}]: expected obligated entities in {lo.province} {lo.year}, found none"
            )
            continue
        for name, mwh in share_losses(lo.grid_losses_mwh + lo.plant_own_use_mwh, takers).items():
            shares[(name, lo.province, lo.year)] = shares.get((name, lo.province, lo.year), 0.0) + mwh
    if problems:
        raise ScenarioError(problems)
    return [
        (ent, [replace(ey, shared_losses_mwh=shares.get((ey.entity, ey.province, ey.year), 0.0))
               for ey in eys])
        for ent, eys in per_entity
    ]  # fmt: skip


def _with_sizing_link(scn: ObligationScenario, base_dir) -> ObligationScenario:
    """Return ``scn`` with the direct route's cost and volume filled from a sizing run."""
    from greenscen.obligations.sizing_link import direct_route_from_sizing

    direct = scn.enterprise.routes.direct
    folder = Path(direct.from_sizing)
    if not folder.is_absolute() and base_dir is not None:
        folder = Path(base_dir) / folder
    link = direct_route_from_sizing(folder)
    update = {}
    if direct.cost_yuan_per_mwh is None:
        update["cost_yuan_per_mwh"] = link["cost_yuan_per_mwh"]
    if direct.max_mwh == 0.0:
        update["max_mwh"] = link["green_mwh"]
    routes = scn.enterprise.routes.model_copy(update={"direct": direct.model_copy(update=update)})
    enterprise = scn.enterprise.model_copy(update={"routes": routes})
    return scn.model_copy(update={"enterprise": enterprise})


def check_provinces(scn: ObligationScenario, weights: pd.DataFrame, source: str | None = None) -> None:
    """Raise one ScenarioError naming every ``province`` field that names no known province."""
    known = sorted(set(weights["province"]))
    fields = [(f"weights.provinces[{i}]", p) for i, p in enumerate(scn.weights.provinces)]
    fields += [(f"entities[{i}].province", e.province) for i, e in enumerate(scn.entities)]
    fields += [(f"allocation[{i}].province", a.province) for i, a in enumerate(scn.allocation)]
    if scn.enterprise is not None:
        fields.append(("enterprise.province", scn.enterprise.province))
    problems = [
        f"{where}: expected a province of the weights table ({', '.join(known)}), found "
        f"unknown {name!r}"
        for where, name in fields
        if name not in known
    ]
    if problems:
        raise ScenarioError(problems, source=source)


def run_obligations(
    scn: ObligationScenario, base_dir: str | Path | None = None, source: str | None = None
) -> ObligationResults:
    """Return the results of an obligations scenario (weights, trajectories, plan, ledger)."""
    user_csv = scn.weights.user_csv
    if user_csv and base_dir is not None and not Path(user_csv).is_absolute():
        user_csv = str(Path(base_dir) / user_csv)
    weights = load_weights(user_csv)
    check_provinces(scn, weights, source)
    specs = [s.model_dump() for s in scn.weights.trajectories]
    trajectories = project_many(weights, scn.weights.provinces, specs, horizon=scn.weights.horizon)
    frames, plan, problem, single, prices, monthly, notes = [], None, None, {}, None, None, []
    if scn.enterprise is not None and scn.enterprise.routes.direct.from_sizing:
        scn = _with_sizing_link(scn, base_dir)
    certs = bool(rule_value("market_based_counts_unbundled_certificates", scn.rules))
    if scn.enterprise is not None:
        led, plan, problem, single, prices, monthly, notes = _enterprise(
            scn, scn.enterprise, weights
        )
        frames.append(carbon_columns(led, scn.carbon.region, scn.carbon.lag_years, certs))
    ent = _entities(scn, weights)
    if ent is not None:
        frames.append(carbon_columns(ent, scn.carbon.region, scn.carbon.lag_years, certs))
    ledger = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    rating_table, rating_summary = _rating(scn, ledger)
    quarterly = _quarterly(scn, ledger, base_dir)
    # 004 第十条 total >= non-hydro: contradictions in the table, and projections raised to it
    provs = set(scn.weights.provinces) | {e.province for e in scn.entities}
    if scn.enterprise is not None:
        provs.add(scn.enterprise.province)
    checked = consistency_problems(weights[weights["province"].isin(provs)], trajectories)
    notes = [*notes, *(f"weights consistency: {p}" for p in checked)]
    class2 = combined_class_assessment(ent) if ent is not None else None
    if class2 is not None and not ledger.empty:
        ledger = _assessed_compliance(scn, ledger, class2)
    return ObligationResults(
        scn, weights, trajectories, ledger, plan, problem, single, prices, monthly, tuple(notes),
        rating_table, rating_summary, quarterly, class2,
    )  # fmt: skip


def _assessed_compliance(
    scn: ObligationScenario, ledger: pd.DataFrame, class2: pd.DataFrame
) -> pd.DataFrame:
    """Add ``compliant_assessed``: own compliance, or the class-2 combined one (002 三(三)2)."""
    mode = str(rule_value("class2_assessment", scn.rules))
    if mode not in ("combined", "each"):
        raise ScenarioError(f"rules.class2_assessment: expected combined or each, found {mode!r}")
    out = ledger.copy()
    out["compliant_assessed"] = out["compliant"]
    if mode == "combined" and not class2.empty:
        ok = class2.set_index(["province", "year"])["compliant_combined"]
        is2 = out["kind"].isin(CLASS2_KINDS)
        keys = list(zip(out.loc[is2, "province"], out.loc[is2, "year"], strict=True))
        out.loc[is2, "compliant_assessed"] = [bool(ok.get(k, False)) for k in keys]
    out["class2_assessment"] = [mode if k in CLASS2_KINDS else "" for k in out["kind"]]
    return out


def _rating(scn: ObligationScenario, ledger: pd.DataFrame):
    """Return the carbon-finance score table and summary when the scenario asks for one."""
    spec = scn.carbon_rating
    if spec is None:
        return None, None
    from greenscen.obligations.carbon_rating import metrics_from_ledger, rate_firm

    computed = metrics_from_ledger(ledger, spec.year) if scn.enterprise is not None else {}
    override = {"tree": spec.tree, "grades": spec.grades}
    if spec.qualifying_grades is not None:
        override["qualifying_grades"] = {"value": spec.qualifying_grades, "status": "scenario"}
    return rate_firm(
        spec.firm, computed, spec.loan_principal_yuan, spec.green_finance_admitted, override
    )


def _quarterly(scn: ObligationScenario, ledger: pd.DataFrame, base_dir) -> pd.DataFrame | None:
    """Return the quarterly monitoring view when the scenario asks for one."""
    spec = scn.monitoring
    if spec is None:
        return None
    from greenscen.obligations.carbon_hourly import read_sizing_hourly
    from greenscen.obligations.monitoring import quarterly_green_share

    folder = Path(spec.from_sizing)
    if not folder.is_absolute() and base_dir is not None:
        folder = Path(base_dir) / folder
    target = spec.target_share
    if target is None:
        led = ledger[ledger["kind"] == "enterprise"].set_index("year") if not ledger.empty else None
        if led is None or spec.year not in led.index:
            raise ScenarioError(
                f"monitoring.target_share: expected a value or an enterprise target for {spec.year}, found none"
            )
        target = float(led.loc[spec.year, "target_share"])
    return quarterly_green_share(
        read_sizing_hourly(folder), target, spec.trading_mwh, spec.certificates_mwh
    )
