"""The orchestrator: resolve a scenario, build, solve, check termination, verify compliance.

``run_scenario`` is the one entry point the CLI, notebooks, widgets and benchmarks share.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd

from greenscen.errors import ComplianceError, InfeasibleError
from greenscen.model.core import SizingModel, Solution, hourly_frame
from greenscen.model.params import SizingParams, sizing_params
from greenscen.results.costs import cost_breakdown
from greenscen.results.result import CAPACITY_KEYS, SizingResult
from greenscen.rules import ResolvedRules, load_rule_set, resolve_rules
from greenscen.scenario.inputs import ModelInputs, build_inputs, check_export_price
from greenscen.scenario.load import LoadedScenario, load_scenario


def resolve(ls: LoadedScenario) -> tuple[ResolvedRules, ModelInputs, SizingParams]:
    """Return the rules in force, the model inputs and the typed parameters of a scenario."""
    sc = ls.scenario
    rs = load_rule_set(sc.rules.set)
    rules = resolve_rules(
        rs,
        sc.year,
        sc.project.kind,
        sc.project.mode,
        sc.rules.overrides,
        existing_hydrogen=sc.project.existing_hydrogen,
        source=ls.source,
    )
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
        source_request_date=p.source_request_date or (date(ls.scenario.year, 1, 1) if p.preapproval_date else None),
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
    from greenscen.results.tracing import trace_green, tracing_summary

    t0 = time.perf_counter()
    hourly = hourly_frame(inputs, sol)
    green = trace_green(hourly)
    hourly = pd.concat([hourly, green], axis=1)
    per_cert = rules.param("green_tracing", "mwh_per_certificate", 1.0)
    tracing = tracing_summary(hourly, mwh_per_certificate=per_cert)
    facts = design_facts(ls, sol.capacities, params)
    compliance = compliance_table(hourly, rules, facts)
    energies = metrics.annual_energies(hourly)
    energy = {
        k: float(energies[k])
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
            energy[key] = float(value)
    cost = cost_breakdown(
        hourly,
        sol.capacities,
        params,
        inputs.energy_price_yuan_per_mwh,
        inputs.export_price_yuan_per_mwh,
    )
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
        extra=dict(extra or {}),
    )


def _solve(inputs, params, rules, mode, highs_options, backend):
    """Return (Solution, extra) of the chosen mode and backend."""
    if mode == "fast":
        from greenscen.model.fast import solve_fast

        sol, extra = solve_fast(inputs, params, rules)
    elif mode == "exact":
        if backend not in ("arrays", "pyomo"):
            raise ValueError(f"backend must be 'arrays' or 'pyomo', got {backend!r}")
        if backend == "pyomo":
            from greenscen.model.pyomo_backend import PyomoSizingModel as model_class
        else:
            model_class = SizingModel
        model = model_class(inputs, params, [r.describe() for r in rules.rules], highs_options)
        sol = model.solve()
        extra = {"backend": backend}
    else:
        raise ValueError(f"mode must be 'exact' or 'fast', got {mode!r}")
    return sol, extra


def run_scenario(
    scenario: str | Path | LoadedScenario | None = None,
    mode: str = "exact",
    check: bool = True,
    highs_options: dict | None = None,
    backend: str = "arrays",
    diagnose: bool = True,
) -> SizingResult:
    """Size the project of a scenario and verify every rule on its hourly dispatch.

    Parameters
    ----------
    scenario : path, "bundled:<name>", LoadedScenario or None (the bundled default)
    mode : {"exact", "fast"}
        ``exact`` solves the full-resolution LP; ``fast`` sizes on aggregated periods and then
        verifies (and repairs) on the full hourly dispatch (see ``greenscen.model.fast``).
    check : bool
        Raise :class:`ComplianceError` when the independent check finds a broken rule.
    backend : {"arrays", "pyomo"}
        Exact mode only: solve the LP built in bulk as arrays (default, fast to build) or the
        canonical Pyomo model through Pyomo's appsi HiGHS interface (same optimum).
    diagnose : bool
        When the scenario is infeasible, solve the elastic LP to say which rules would have
        to give way, where and by how much (costs about one more solve).
    """
    ls = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    rules, inputs, params = resolve(ls)
    try:
        sol, extra = _solve(inputs, params, rules, mode, highs_options, backend)
    except InfeasibleError as exc:
        if not diagnose:
            raise
        from greenscen.model.diagnose import diagnose as explain

        raise InfeasibleError(exc.base_message, exc.rules_in_play, explain(inputs, params)) from None
    result = assemble_result(ls, rules, inputs, params, sol, mode, extra)
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
    mode: str,
    charts: bool,
    backend: str = "arrays",
    lang: str = "en",
) -> int:
    """`greenscen run`: 0 solved and compliant, 1 infeasible or non-compliant, 2 bad input."""
    from greenscen.errors import InfeasibleError, ScenarioError

    if scenario is not None and is_obligations_file(scenario):
        raise ScenarioError(
            f"{scenario} is an obligations scenario; run it with `greenscen obligations {scenario}`"
        )
    ls = load_scenario(scenario)
    try:
        result = run_scenario(ls, mode=mode, check=False, backend=backend)
    except InfeasibleError as exc:
        print(f"greenscen: {ls.scenario.name}: infeasible. {exc}", file=sys.stderr)
        return 1
    result.write(out, overwrite=overwrite, charts=charts, lang=lang)
    caps = ", ".join(f"{k} {v:,.1f}" for k, v in result.capacities.items())
    t = result.timings
    print(f"{result.name}: {caps}")
    print(
        f"cost {result.cost['total_annual_yuan'] / 1e6:,.2f} million yuan/yr "
        f"({result.cost['cost_per_mwh_load_yuan']:,.1f} yuan/MWh of load); "
        f"build {t.get('build_s', 0):.2f} s, solve {t.get('solve_s', 0):.2f} s"
    )
    print(result.compliance[["rule", "value", "limit", "ok", "clause"]].to_string(index=False))
    print(f"wrote {Path(out).resolve()}")
    if not result.compliant:
        bad = [r for r, ok in zip(result.compliance["rule"], result.compliance["ok"], strict=True) if ok is False]
        print(f"greenscen: NON-COMPLIANT: {', '.join(bad)}", file=sys.stderr)
        return 1
    return 0


OBLIGATION_KEYS = {"enterprise", "entities", "weights", "carbon"}


def is_obligations_file(path: str | Path) -> bool:
    """Return True when a YAML file is an obligations scenario (top-level keys tell)."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the sizing loader reports the problem
    return isinstance(data, dict) and bool(OBLIGATION_KEYS & set(data)) and "project" not in data


def cli_validate(scenario: str) -> int:
    """`greenscen validate`: check a scenario and its data files without solving."""
    if is_obligations_file(scenario):
        from greenscen.obligations.scenario import load_scenario as load_obligations

        scn = load_obligations(scenario)
        print(f"{scenario}: valid obligations scenario {getattr(scn, 'name', '')}")
        return 0
    ls = load_scenario(scenario)
    rules, inputs, _ = resolve(ls)
    print(
        f"{ls.source}: valid. {ls.scenario.name}: {ls.scenario.project.kind}/{ls.scenario.project.mode}, "
        f"{ls.scenario.year}, {len(ls.scenario.users)} users, {len(inputs.index)} steps, "
        f"{inputs.load_mwh:,.0f} MWh load; rules in force: {', '.join(rules.names)}"
    )
    return 0
