"""Independent compliance checks: every rule's value computed from the hourly dispatch alone.

Nothing here reads an optimisation model. :func:`compliance_table` recomputes each rule in force
(SPEC A, clauses cited per row) and the model's physics from the hourly dispatch table (see
:mod:`greenscen.results.metrics`) and a few :class:`DesignFacts`, so that a wrong constraint in
the model shows up as a failed row here. :func:`check_compliance` raises on any failed row.

Tolerances (see :func:`tolerances`), from the argument ``tol`` (default 1e-6):

- powers: ``power_mw = tol · max(1 MW, peak load, peak available)`` per step;
- horizon energies: ``energy_mwh = power_mw · Σ Δt`` (a residue of ``power_mw`` in every step);
- storage energy: ``soc_mwh = tol · max(1 MWh, storage energy, scale · max Δt)``;
- ratios of energies: ``ratio = max(tol, energy_mwh / E_load)`` (dimensionless);
- peak-valley: ``(max − min) − λ·max ≤ 2 · power_mw`` per window (max and min may each
  carry one power residue).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from greenscen.errors import ComplianceError, DataError, ScenarioError
from greenscen.results import metrics as mt
from greenscen.results.checks_base import (
    COLUMNS,
    REQUIRED,
    DesignFacts,
    _at,
    _cap,
    _Ctx,
    _floor,
    _le,
    _ratio,
    _row,
    tolerances,
)
from greenscen.results.physics import PHYSICS_CHECKS
from greenscen.results.tracing import trace_green, tracing_summary, user_loads
from greenscen.rules.registry import REGISTRY
from greenscen.rules.ruleset import ResolvedRule, ResolvedRules

# --- rules in force ------------------------------------------------------------------------


def _limit(r: ResolvedRule):
    """Return the rule's limit parameter, named by the registry (None when not set)."""
    return r.params.get(REGISTRY[r.name].param)



def _load_driven_sizing(c: _Ctx, r: ResolvedRule) -> dict:
    value = _ratio(c.e["available_mwh"], c.e["load_mwh"])
    cap = _limit(r)
    if cap is None:
        return _row(r.name, r.clause, value, None, "MWh/MWh", None,
                    note="informational: E_A / E_load; no numeric cap set (以荷定源)")  # fmt: skip
    return _cap(r.name, r.clause, value, cap, "MWh/MWh", c.tol.ratio, "E_A / E_load")


def _hydrogen_generation_cap(c: _Ctx, r: ResolvedRule) -> dict:
    value = _ratio(c.e["available_mwh"], c.e["load_mwh"])
    cap = float(_limit(r))
    note = f"E_A {c.e['available_mwh']:.6g} MWh / E_load {c.e['load_mwh']:.6g} MWh"
    return _cap(r.name, r.clause, value, cap, "MWh/MWh", c.tol.ratio, note)


def _export_ban(c: _Ctx, r: ResolvedRule) -> dict:
    exp = c.col("export_mw")
    cap = float(r.params.get("max_export_mwh", 0.0))
    ok = _le(c.e["export_mwh"], cap, c.tol.energy_mwh)
    if cap == 0.0:  # exp[t] = 0: also every step, so one export hour cannot hide in the tolerance
        ok = ok and _le(float(exp.max()), 0.0, c.tol.power_mw)
    note = f"largest step export {float(exp.max()):.6g} MW{_at(exp)}"
    return _row(r.name, r.clause, c.e["export_mwh"], cap, "MWh", ok, "cap", note)


def _export_ratio_cap(c: _Ctx, r: ResolvedRule) -> dict:
    value = mt.export_ratio(c.hourly)
    cap = float(_limit(r))
    note = f"E_exp {c.e['export_mwh']:.6g} MWh, E_sc {c.e['self_consumed_mwh']:.6g} MWh ({c.rules.year})"
    return _cap(r.name, r.clause, value, cap, "share", c.tol.ratio, note)


def _self_consumption_min(c: _Ctx, r: ResolvedRule) -> dict:
    value = mt.self_consumption_share(c.hourly)
    floor = float(_limit(r))
    note = f"E_sc {c.e['self_consumed_mwh']:.6g} MWh / E_load {c.e['load_mwh']:.6g} MWh ({c.rules.year})"
    return _floor(r.name, r.clause, value, floor, "share", c.tol.ratio, note)


def _exchange_limit(c: _Ctx, r: ResolvedRule) -> dict:
    p = mt.exchange_power_mw(c.hourly).abs()
    limit = c.facts.connection_mw + float(r.params.get("tolerance_mw", 0.0))
    imp, exp, pw = c.col("import_mw"), c.col("export_mw"), c.tol.power_mw
    both = int(((imp > pw) & (exp > pw)).sum())
    note = f"{both} step(s) with both import and export{_at(p)}"
    return _cap(r.name, r.clause, float(p.max()), limit, "MW", pw, note)


def _off_grid_isolation(c: _Ctx) -> dict:
    flows = pd.concat([c.col("import_mw").abs(), c.col("export_mw").abs()], axis=1).max(axis=1)
    note = "off-grid (离网型): no electrical connection, import = export = 0 in every step"
    return _cap("exchange_limit", "一", float(flows.max()), 0.0, "MW", c.tol.power_mw, note)


def _peak_valley_limit(c: _Ctx, r: ResolvedRule) -> dict:
    window = r.params.get("window", "D")
    limit = r.params.get(REGISTRY[r.name].param, "load")
    if limit == "load":
        lam = mt.load_peak_valley_limit(c.hourly["load_mw"].astype(float), window)
        how = f"limit = the load's own largest rate per window {window}"
    else:
        lam, how = float(limit), f"limit set to {limit}, window {window}"
    p = mt.exchange_power_mw(c.hourly)
    ext = mt.window_extremes(p, window)
    atol = 2.0 * c.tol.power_mw
    if r.params.get("reading", "signed") == "connection":  # (max P − min P) / C
        conn = c.facts.connection_mw
        excess = (ext["max_mw"] - ext["min_mw"]) - lam * conn
        rates = (ext["max_mw"] - ext["min_mw"]) / conn if conn > 0 else excess * 0.0
        how += f"; reading connection: (max P − min P) / C, C = {conn:.6g} MW"
    else:  # signed: (max P − min P) / max P
        excess = (ext["max_mw"] - ext["min_mw"]) - lam * ext["max_mw"]
        rates = mt.peak_valley_rate(p, window, zero_tol_mw=atol)
        how += "; reading signed: (max P − min P) / max P"
    bad = int((excess > atol).sum())
    worst = excess.idxmax() if bad else rates.idxmax()
    note = (
        f"{how}; worst window {worst.date()}: rate {rates[worst]:.6g} (max {ext.at[worst, 'max_mw']:.6g} MW, "
        f"min {ext.at[worst, 'min_mw']:.6g} MW); {bad} of {len(ext)} window(s) with "
        "max − min above the limit"
    )
    return _row(r.name, r.clause, float(rates.max()), lam, "rate", bad == 0, "cap", note)


def _renewable_utilisation_min(c: _Ctx, r: ResolvedRule) -> dict:
    value = mt.renewable_utilisation(c.hourly)
    floor = float(_limit(r))
    if math.isnan(value):
        return _row(r.name, r.clause, value, floor, "share", None, note="no renewable output")
    losses = mt.storage_losses_mwh(c.hourly)
    note = (f"(E_sc + E_exp) / E_A; E_curt {c.e['curtailed_mwh']:.6g} MWh and storage losses "
            f"{losses:.6g} MWh of E_A {c.e['available_mwh']:.6g} MWh not utilised")
    return _floor(r.name, r.clause, value, floor, "share", c.tol.ratio, note)


def _connection_voltage(c: _Ctx, r: ResolvedRule) -> dict:
    v, cap = c.facts.connection_voltage_kv, float(r.params["max_kv"])
    if v is None:
        return _row(r.name, r.clause, None, cap, "kV", None, note="not evaluated: no voltage given")
    needs = v >= float(r.params["assessment_from_kv"])
    ok = v <= cap and (not needs or c.facts.security_assessment_done)
    note = "special security assessment "
    note += ("done" if c.facts.security_assessment_done else "MISSING") if needs else "not needed"
    return _row(r.name, r.clause, v, cap, "kV", ok, "cap", note)


def _expiry(start: date, years: float) -> date:
    if float(years).is_integer():
        try:
            return start.replace(year=start.year + int(years))
        except ValueError:  # 29 February in a non-leap year
            return start.replace(year=start.year + int(years), day=28)
    return start + timedelta(days=float(years) * 365.25)


def _hydrogen_milestones(c: _Ctx, r: ResolvedRule) -> dict:
    """六(二) 「预审意见有效期为两年，通过预审并在预审意见有效期内依法依规开工，且完成计划投资45%以上的
    负荷侧项目，由盟市能源主管部门……申请项目电源建设规模」: the load side starts construction
    within the pre-approval's validity, and has completed the investment share when the source
    scale is requested (which follows the start). Holds when both are shown; fails when either
    is contradicted; not evaluated (None) while a fact is missing."""
    f, years = c.facts, r.params["preapproval_validity_years"]
    floor = float(r.params["min_load_investment_share"])
    share_ok = start_ok = None
    order_ok, notes = [], []
    if f.load_investment_share is not None:
        share_ok = f.load_investment_share >= floor
    else:
        notes.append("investment share not given")
    if f.preapproval_date is not None and f.load_construction_start_date is not None:
        end = _expiry(f.preapproval_date, years)
        start_ok = f.preapproval_date <= f.load_construction_start_date <= end
        notes.append(f"load construction start {f.load_construction_start_date}; "
                     f"pre-approval valid to {end}")
    else:
        notes.append("pre-approval or construction start date not given")
    if f.source_request_date is not None:
        for label, d in (("pre-approval", f.preapproval_date),
                         ("construction start", f.load_construction_start_date)):
            if d is not None:
                order_ok.append(f.source_request_date >= d)
                if f.source_request_date < d:
                    notes.append(f"source requested {f.source_request_date}, before the {label}")
    parts = [p for p in (share_ok, start_ok, *order_ok) if p is not None]
    if not all(parts):
        ok = False
    else:
        ok = True if (share_ok and start_ok) else None
    note = "; ".join(notes)
    return _row(r.name, r.clause, f.load_investment_share, floor, "share", ok, "floor", note)


def _general_sources_after_load_start(c: _Ctx, r: ResolvedRule) -> dict:
    """六(二) 「多用户绿电直连项目新增负荷开工（已有实质性投资且纳入统计）后，盟市能源主管部门方可核准
    （备案）对应规模的配套新能源项目」: value = days from the load's construction start to the
    renewables' approval, at least the rule's ``min_days_after_load_start``."""
    f, floor = c.facts, float(r.params["min_days_after_load_start"])
    if f.load_construction_start_date is None or f.source_approval_date is None:
        return _row(r.name, r.clause, None, floor, "days", None,
                    note="not evaluated: load construction start or renewables approval date not given")
    days = float((f.source_approval_date - f.load_construction_start_date).days)
    note = (f"renewables approved {f.source_approval_date}, load construction started "
            f"{f.load_construction_start_date}")
    return _floor(r.name, r.clause, days, floor, "days", 0.0, note)


def _internal_contract_term(c: _Ctx, r: ResolvedRule) -> dict:
    v, floor = c.facts.internal_contract_years, float(r.params["min_years"])
    if v is None:
        return _row(
            r.name, r.clause, None, floor, "years", None, note="not evaluated: no term given"
        )
    return _floor(r.name, r.clause, v, floor, "years", 0.0, "internal purchase agreements")


def _green_tracing(c: _Ctx, r: ResolvedRule) -> dict:
    green = trace_green(c.hourly)
    loads = user_loads(c.hourly)
    sc = mt.self_consumption_mw(c.hourly)
    checks = {
        "Σ green − sc": float((green.sum(axis=1) - sc).abs().max()),
        "green < 0": float((-green).to_numpy().max()),
        "green > user load": float((green.to_numpy() - loads.to_numpy()).max()),
        "Σ user loads − load": float((loads.sum(axis=1) - c.hourly["load_mw"]).abs().max()),
    }
    value = max(0.0, *checks.values())
    per_cert = float(r.params.get("mwh_per_certificate", 1.0))
    summary = tracing_summary(c.hourly, per_cert)
    worst = max(checks, key=checks.get)
    note = (
        f"traced {summary['green_mwh'].sum():.6g} MWh, {int(summary['certificates'].sum())} "
        f"certificate(s) of {per_cert:g} MWh; largest residue: {worst}"
    )
    return _cap(r.name, r.clause, value, 0.0, "MW", c.tol.power_mw, note)


RULE_CHECKS: dict[str, Callable[[_Ctx, ResolvedRule], dict]] = {
    "load_driven_sizing": _load_driven_sizing,
    "hydrogen_generation_cap": _hydrogen_generation_cap,
    "export_ban": _export_ban,
    "export_ratio_cap": _export_ratio_cap,
    "self_consumption_min": _self_consumption_min,
    "exchange_limit": _exchange_limit,
    "peak_valley_limit": _peak_valley_limit,
    "renewable_utilisation_min": _renewable_utilisation_min,
    "connection_voltage": _connection_voltage,
    "hydrogen_milestones": _hydrogen_milestones,
    "general_sources_after_load_start": _general_sources_after_load_start,
    "internal_contract_term": _internal_contract_term,
    "green_tracing": _green_tracing,
}


# --- model physics -------------------------------------------------------------------------


def _check_inputs(hourly: pd.DataFrame, rules: ResolvedRules, facts: DesignFacts) -> None:
    problems = []
    if facts.mode != rules.mode:
        problems.append(
            f"facts.mode: expected {rules.mode!r} (the rules' mode), found {facts.mode!r}"
        )
    if facts.kind != rules.kind:
        problems.append(
            f"facts.kind: expected {rules.kind!r} (the rules' kind), found {facts.kind!r}"
        )
    if problems:
        raise ScenarioError(problems)
    mt.require_columns(hourly, *REQUIRED)
    if not isinstance(hourly.index, pd.DatetimeIndex) or len(hourly) == 0:
        raise DataError("hourly dispatch: expected a non-empty DatetimeIndex of step starts")
    if not hourly.index.is_monotonic_increasing:
        raise DataError("hourly dispatch: expected time steps in increasing order")
    if not (hourly["duration_h"] > 0).all():
        raise DataError("hourly dispatch.duration_h: expected every step's duration > 0 h")


def compliance_table(
    hourly: pd.DataFrame, rules: ResolvedRules, facts: DesignFacts, tol: float = 1e-6
) -> pd.DataFrame:
    """Return one row per rule in force and per physics check, computed from ``hourly`` alone.

    Parameters
    ----------
    hourly : DataFrame
        The hourly dispatch (module docstring of :mod:`greenscen.results.metrics`).
    rules : ResolvedRules
        The rules in force for the project's year, kind and mode.
    facts : DesignFacts
        Design and paperwork facts; its mode and kind must match ``rules``.
    tol : float
        Relative tolerance from which the absolute ones are scaled (:func:`tolerances`).

    Returns
    -------
    DataFrame
        Columns ``rule``, ``clause``, ``value``, ``limit``, ``unit``, ``ok`` (True, False, or
        None for "not evaluated: data not given"), ``margin`` (limit − value for caps,
        value − limit for floors, in the value's unit), ``margin_share`` (margin / |limit|,
        NaN when the limit is 0) and ``note``. Rules in force come first in rule-set order;
        an off-grid project adds an ``exchange_limit`` row (clause 一: import = export = 0);
        the physics rows (clause "model physics") ``energy_balance``, ``available_output``,
        ``storage_limits``, ``storage_continuity``, ``storage_loops`` and ``green_charging`` always appear.
    """
    _check_inputs(hourly, rules, facts)
    ctx = _Ctx(hourly, rules, facts, tolerances(hourly, facts, tol), mt.annual_energies(hourly))
    rows = []
    for r in rules.rules:
        check = RULE_CHECKS.get(r.name)
        if check is None:
            rows.append(_row(r.name, r.clause, None, None, "", None, note="no independent check"))
        else:
            rows.append(check(ctx, r))
    if facts.mode == "off_grid" and rules.get("exchange_limit") is None:
        rows.append(_off_grid_isolation(ctx))
    rows.extend(check(ctx) for check in PHYSICS_CHECKS)
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    table["ok"] = pd.Series([row["ok"] for row in rows], dtype=object)
    return table


def _failed(ok: object) -> bool:
    return ok is not None and not (isinstance(ok, float) and np.isnan(ok)) and not bool(ok)


def check_compliance(table: pd.DataFrame) -> None:
    """Raise :class:`~greenscen.errors.ComplianceError` listing every row whose ``ok`` is False.

    Rows with ``ok`` None (not evaluated) do not fail.
    """
    bad = table[[_failed(v) for v in table["ok"]]]
    if bad.empty:
        return
    lines = [
        f"  - {r.rule} ({r.clause}): value {r.value:.6g} {r.unit}, limit {r.limit:.6g} {r.unit}"
        + (f"; {r.note}" if r.note else "")
        for r in bad.itertuples()
    ]
    msg = f"the dispatch breaks {len(bad)} rule(s) beyond tolerance:\n" + "\n".join(lines)
    raise ComplianceError(msg, failed=list(bad["rule"]))
