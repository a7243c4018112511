"""The orchestrator: resolve a scenario, build, solve, check termination, verify compliance.

``run_scenario`` is the one entry point the CLI, notebooks and benchmarks share; it solves
through :class:`greenscen.session.SizingSession`, as the widgets and comparisons do.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from greenscen.base.params import SizingParams, sizing_params
from greenscen.errors import ComplianceError, InfeasibleError
from greenscen.model.core import Solution, hourly_frame
from greenscen.results.costs import cost_breakdown
from greenscen.results.result import CAPACITY_KEYS, SizingResult
from greenscen.rules import ResolvedRules, load_rule_set, resolve_rules
from greenscen.scenario.inputs import ModelInputs, build_inputs, check_export_price
from greenscen.scenario.load import LoadedScenario, load_sizing_scenario


def resolve_rules_of(ls: LoadedScenario) -> ResolvedRules:
    """Return the rules in force for a scenario's year, kind and mode, with its overrides."""
    sc = ls.scenario
    return resolve_rules(
        load_rule_set(sc.rules.set),
        sc.year,
        sc.project.kind,
        sc.project.mode,
        sc.rules.overrides,
        existing_hydrogen=sc.project.existing_hydrogen,
        source=ls.source,
    )


def resolve(ls: LoadedScenario) -> tuple[ResolvedRules, ModelInputs, SizingParams]:
    """Return the rules in force, the model inputs and the typed parameters of a scenario."""
    rules = resolve_rules_of(ls)
    inputs = build_inputs(ls)
    params = sizing_params(ls, rules, inputs)
    if params.grid is not None and params.grid.allow_export:
        check_export_price(inputs, params.grid.td_charge_yuan_per_mwh, ls.source)
    return rules, inputs, params


def design_facts(ls: LoadedScenario, capacities: dict[str, float], params: SizingParams):
    """Return the non-hourly facts the compliance check needs."""
    from greenscen.results.compliance import DesignFacts

    p = ls.scenario.project
    st = params.storage
    return DesignFacts(
        mode=p.mode,
        kind=p.kind,
        connection_mw=capacities.get("connection_mw", 0.0),
        storage_power_mw=capacities.get("storage_mw", 0.0),
        storage_energy_mwh=capacities.get("storage_mwh", 0.0),
        charge_efficiency=st.charge_efficiency if st else 1.0,
        discharge_efficiency=st.discharge_efficiency if st else 1.0,
        capacities_mw={t.name: capacities.get(t.name, 0.0) for t in params.renewables},
        connection_voltage_kv=p.connection_voltage_kv,
        security_assessment_done=p.security_assessment_done,
        preapproval_date=p.preapproval_date,
        load_construction_start_date=p.load_construction_start_date,
        source_approval_date=p.source_approval_date,
        source_request_date=p.source_request_date,
        load_investment_share=p.load_investment_share,
        internal_contract_years=p.internal_contract_years,
    )


def assemble_result(
    ls: LoadedScenario,
    rules: ResolvedRules,
    inputs: ModelInputs,
    params: SizingParams,
    sol: Solution,
    mode: str,
    extra: dict | None = None,
) -> SizingResult:
    """Return the SizingResult of a solution: hourly table, tracing, costs, compliance."""
    from greenscen.results import metrics
    from greenscen.results.compliance import compliance_table
    from greenscen.results.hydrogen import hydrogen_checks, hydrogen_summary
    from greenscen.results.tracing import trace_green, tracing_summary

    t0 = time.perf_counter()
    hourly = hourly_frame(inputs, sol, params.hydrogen.user if params.hydrogen else None)
    green = trace_green(hourly)
    hourly = pd.concat([hourly, green], axis=1)
    per_cert = rules.param("green_tracing", "mwh_per_certificate", 1.0)
    tracing = tracing_summary(hourly, mwh_per_certificate=per_cert)
    facts = design_facts(ls, sol.capacities, params)
    compliance = compliance_table(hourly, rules, facts)
    energies = metrics.annual_energies(hourly)
    scale = inputs.annual_scale  # horizon totals x scale = per year (greenscen.base.horizon)
    energy = {
        k: float(energies[k]) * scale
        for k in (
            "load_mwh",
            "available_mwh",
            "curtailed_mwh",
            "self_consumed_mwh",
            "import_mwh",
            "export_mwh",
            "charge_mwh",
            "discharge_mwh",
        )
    }
    for key, value in energies.items():
        if key.startswith("available_mwh:"):
            energy[key] = float(value) * scale
    cost = cost_breakdown(
        hourly,
        sol.capacities,
        params,
        inputs.energy_price_yuan_per_mwh,
        inputs.export_price_yuan_per_mwh,
        annual_scale=scale,
    )
    extra = dict(extra or {})
    if params.hydrogen is not None:  # greenscen.results.hydrogen: from the hourly table only
        extra["hydrogen"] = hydrogen_summary(hourly, sol.capacities, cost, params.hydrogen, scale)
        rows = hydrogen_checks(hourly, sol.capacities, params.hydrogen, rules, scale,
                               demand_shape=inputs.h2_shape_values)
        compliance = pd.concat([compliance, pd.DataFrame(rows, columns=list(compliance.columns))],
                               ignore_index=True)  # fmt: skip
        compliance["ok"] = compliance["ok"].astype(object)
    if inputs.horizon is not None:
        extra["horizon"] = horizon_summary(inputs.horizon, hourly, energy, scale)
    caps = {CAPACITY_KEYS.get(k, k): v for k, v in sol.capacities.items()}
    for key in ("wind_mw", "pv_mw"):
        caps.setdefault(key, 0.0)
    timings = dict(sol.timings, verify_s=time.perf_counter() - t0)
    return SizingResult(
        loaded=ls,
        rules=rules,
        mode=mode,
        capacities=caps,
        hourly=hourly,
        energy=energy,
        cost=cost,
        compliance=compliance,
        tracing=tracing,
        timings=timings,
        objective_yuan=sol.objective_yuan,
        extra=extra,
    )


def horizon_summary(horizon, hourly: pd.DataFrame, energy: dict[str, float], scale: float) -> dict:
    """Return the ``summary.json`` ``horizon`` block: dates, days, scale, totals, calendar years.

    ``energy_horizon`` holds the horizon totals (MWh) behind the per-year ``energy``; over
    several calendar years ``by_calendar_year`` gives each year's days and headline ratios,
    computed from the hourly table (the annual rules are held on the horizon's totals).
    """
    from greenscen.results import metrics

    out = horizon.to_dict()
    out["energy_horizon"] = {k: round(v / scale, 6) for k, v in energy.items()}
    years = sorted(set(hourly.index.year))
    if len(years) > 1:
        out["by_calendar_year"] = {
            str(y): {"days": float(part["duration_h"].sum() / 24), **metrics.headline_ratios(part)}
            for y, part in hourly.groupby(hourly.index.year)
        }
    return out


def run_scenario(
    scenario: str | Path | LoadedScenario | None = None,
    solve_mode: str = "exact",
    check: bool = True,
    highs_options: dict | None = None,
    backend: str = "arrays",
    diagnose: bool = True,
    *,
    mode: str | None = None,
    progress=None,
) -> SizingResult:
    """Size the project of a scenario and verify every rule on its hourly dispatch.

    Parameters
    ----------
    scenario : path, "bundled:<name>", LoadedScenario or None (the bundled default)
    solve_mode : {"exact", "fast"}
        ``exact`` solves the full-resolution LP; ``fast`` sizes on aggregated periods and then
        verifies (and repairs) on the full hourly dispatch (see ``greenscen.model.fast``).
        ``mode`` is accepted as an older name of this argument.
    check : bool
        Raise :class:`ComplianceError` when the independent check finds a broken rule.
    backend : {"arrays", "pyomo"}
        Exact mode only: solve the LP in a persistent HiGHS instance (default) or the same LP
        compiled to Pyomo, through Pyomo's appsi HiGHS interface (same optimum).
    diagnose : bool
        When the scenario is infeasible, solve the elastic LP to say which rules would have
        to give way, where and by how much (costs about one more solve).
    progress : callable, optional
        ``progress(stage, event)`` around build, solve and verify (``greenscen.progress``).
    """
    from greenscen.progress import no_progress
    from greenscen.session import SizingSession

    ls = scenario if isinstance(scenario, LoadedScenario) else load_sizing_scenario(scenario)
    session = SizingSession(ls, solve_mode=mode or solve_mode, highs_options=highs_options,
                            backend=backend, diagnose=diagnose,
                            progress=progress or no_progress)  # fmt: skip
    result = session.solve()
    result.extra.pop("session", None)
    if check and not result.compliant:
        failed = result.compliance[result.compliance["ok"].apply(lambda v: v is False)]
        lines = [f"{r.rule} ({r.clause}): value {r.value} vs limit {r.limit}" for r in failed.itertuples()]
        raise ComplianceError(
            "the solved dispatch breaks rules when checked independently:\n  " + "\n  ".join(lines),
            failed=list(failed["rule"]),
        )
    return result


def cli_run(
    scenario: str | None,
    out: str,
    overwrite: bool,
    solve_mode: str,
    charts: bool,
    backend: str = "arrays",
    lang: str = "en",
    quiet: bool = False,
    verbose: bool = False,
    overrides: dict | None = None,
    formats: tuple[str, ...] = ("png",),
    excel: bool = False,
    fix_design: str | None = None,
) -> int:
    """`greenscen run`: 0 solved and compliant, 1 infeasible or non-compliant, 2 bad input.

    On a terminal the stages show as they run (``quiet`` silences them); ``verbose`` adds
    HiGHS's own log. ``overrides`` (from ``--set``) merge over the scenario file's values.
    """
    from greenscen.io.output import check_output_dir, output_lock
    from greenscen.progress import TerminalProgress
    from greenscen.results.formatting import compliance_view, headline_view

    progress = TerminalProgress(enabled=False if quiet else None)
    progress("load", "start")
    ls = load_sizing_scenario(scenario, **(overrides or {}))
    if ls.scenario.planning is not None or fix_design:  # a horizon (greenscen.planning)
        from greenscen.planning import cli_run_plan

        return cli_run_plan(ls, out, overwrite, charts, lang, solve_mode, fix_design, quiet, backend)
    check_output_dir(out, overwrite)  # a destination that cannot take the results: before solving
    progress("load", "end")
    options = {"output_flag": True, "log_to_console": True} if verbose else None
    with output_lock(out):  # a second run writing the same folder meanwhile fails cleanly
        try:
            result = run_scenario(ls, solve_mode, check=False, highs_options=options,
                                  backend=backend, progress=progress)  # fmt: skip
        except InfeasibleError as exc:
            print(f"greenscen: {ls.scenario.name}: infeasible. {exc}", file=sys.stderr)
            return 1
        progress("write", "start")
        result.write(out, overwrite=overwrite, charts=charts, lang=lang, formats=formats,
                     excel=excel)  # fmt: skip
        progress("write", "end")
    t = result.timings
    print(f"{result.name} ({result.loaded.scenario.year}, {solve_mode} mode): "
          f"build {t.get('build_s', 0):.2f} s, solve {t.get('solve_s', 0):.1f} s")  # fmt: skip
    if "horizon" in result.extra:
        print(result.extra["horizon"]["statement"])
    print(headline_view(result.capacities, result.ratios(), result.cost, lang).to_string(index=False))
    if "hydrogen" in result.extra:
        from greenscen.results.hydrogen import hydrogen_lines

        print("\n".join(hydrogen_lines(result.extra["hydrogen"], lang)))
    if "h2_loops" in result.extra:  # greenscen.model.hydrogen.burn_fixes
        lp = result.extra["h2_loops"]
        print(f"hydrogen: {lp['steps_closed']:,} step(s) closed in {lp['rounds']} re-solve(s) so that no step "
              f"burns energy as load (hydrogen stored and drawn at once, power below the part-load "
              f"curve); cost at most {100 * lp['gap_to_bound']:.3f}% above the burn-free optimum")  # fmt: skip
    print()
    print(compliance_view(result.compliance, lang).to_string(index=False))
    print(f"wrote {Path(out).resolve()}")
    if not result.compliant:
        bad = [r for r, ok in zip(result.compliance["rule"], result.compliance["ok"], strict=True) if ok is False]
        print(f"greenscen: NON-COMPLIANT: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


def cli_validate(scenario: str) -> int:
    """`greenscen validate` of a sizing scenario: check it and its data files without solving."""
    ls = load_sizing_scenario(scenario)
    if ls.scenario.planning is not None:
        from greenscen.planning import cli_validate_plan

        return cli_validate_plan(ls)
    rules, inputs, _ = resolve(ls)
    print(
        f"{ls.source}: valid. {ls.scenario.name}: {ls.scenario.project.kind}/{ls.scenario.project.mode}, "
        f"{ls.scenario.year}, {len(ls.scenario.users)} users, {len(inputs.index)} steps, "
        f"{inputs.load_mwh:,.0f} MWh load; rules in force: {', '.join(rules.names)}"
    )
    print(inputs.horizon.describe())
    return 0
