"""The orchestrator of a planning horizon: resolve every year, size once, verify every year.

A scenario with a ``planning:`` block (``greenscen.scenario.planning``) is sized over its
years by :func:`run_plan`: the rules of each year are resolved from the rule set (the
export cap and the self-consumption floor by year come from its ``by_year`` data), the
users online by each year give that year's loads, one LP sizes the batches
(``greenscen.model.multiyear``), and the independent check
(``greenscen.results.compliance``) runs on each year's hourly dispatch.
:func:`evaluate_design` fixes every capacity (a design sized for one year, say) and reports
the years in which it breaks a rule, and by how much (the elastic LP per year).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from greenscen.errors import InfeasibleError, ScenarioError
from greenscen.model.multiyear import Plan, effective_cf, make_plan, solve_plan, year_inputs
from greenscen.rules import ResolvedRules, load_rule_set, resolve_rules
from greenscen.scenario.inputs import ModelInputs, build_inputs, check_export_price
from greenscen.scenario.load import LoadedScenario, load_sizing_scenario


@dataclass(frozen=True)
class PlanCase:
    """A resolved horizon: the scenario, every user's full-year inputs, rules by year, the plan."""

    loaded: LoadedScenario
    inputs: ModelInputs  # every user's load as if online all year (the typical year)
    online: dict
    rules: dict[int, ResolvedRules]
    plan: Plan


def resolve_plan(ls: LoadedScenario, typical_days: int | None = None) -> PlanCase:
    """Return the horizon of a scenario with a ``planning:`` block, every year resolved.

    ``typical_days``: write each year on that many typical days (fast mode), clustered once
    on every user's full-year load so that all years share the same days.
    """
    from greenscen.base.params import sizing_params

    sc = ls.scenario
    if sc.planning is None:
        raise ScenarioError("planning: expected a planning block {last_year: ...}, missing",
                            source=ls.source)  # fmt: skip
    years = sc.planning.years(sc.year)
    online = {u.name: u.online_from for u in sc.users}
    users = [u.model_copy(update={"online_from": None}) for u in sc.users]
    full = dataclasses.replace(ls, scenario=sc.model_copy(update={"users": users}))
    inputs = build_inputs(full)
    if inputs.horizon is not None and not inputs.horizon.typical_year:
        raise ScenarioError(f"planning: expected profiles of one typical year (each year of the "
                            f"horizon repeats it), found {inputs.horizon.describe()}",
                            source=ls.source)  # fmt: skip
    rs = load_rule_set(sc.rules.set)
    rules = {y: resolve_rules(rs, y, sc.project.kind, sc.project.mode, sc.rules.overrides,
                              existing_hydrogen=sc.project.existing_hydrogen, source=ls.source)
             for y in years}  # fmt: skip

    def params_of(year, inp):
        return sizing_params(ls, rules[year], inp)

    grid_of = None
    if typical_days:
        from greenscen.model.typical_days import cluster_days, typical_day_grid

        days = cluster_days(inputs, typical_days)

        def grid_of(inp, params):
            return typical_day_grid(inp, params, typical_days, days=days.copy())

    try:
        plan = make_plan(inputs, online, years, params_of, sc.finance.discount_rate, grid_of)
    except ValueError as exc:
        raise ScenarioError(f"users.online_from: {exc}", source=ls.source) from None
    g = plan.years[0].params.grid
    if g is not None and g.allow_export:
        check_export_price(inputs, g.td_charge_yuan_per_mwh, ls.source)
    return PlanCase(ls, inputs, online, rules, plan)


def _year_dispatch_inputs(case: PlanCase, year: int, sol, grid) -> ModelInputs:
    """Return the year's inputs with each technology's effective capacity factor (cohorts)."""
    inp = year_inputs(case.inputs, case.online, year)
    py = next(p for p in case.plan.years if p.year == year)
    cohorts = sol.extra.get("cohort_capacities", sol.capacities)
    cf = inp.cf.copy()
    for tech in cf.columns:
        cf[tech] = effective_cf(py.grid, grid, cohorts, tech)
    return dataclasses.replace(inp, cf=cf)


def assemble_plan_result(case: PlanCase, ps, mode: str = "exact", extra: dict | None = None):
    """Return the PlanResult: per-year hourly dispatch, independent compliance, energy, cost."""
    from greenscen.model.core import hourly_frame
    from greenscen.results import metrics
    from greenscen.results.compliance import compliance_table
    from greenscen.results.costs import cost_breakdown
    from greenscen.results.hydrogen import hydrogen_checks
    from greenscen.results.tracing import trace_green
    from greenscen.results.years import PlanResult, YearResult, batch_generation_checks
    from greenscen.run import design_facts

    t0 = time.perf_counter()
    years = []
    for py in case.plan.years:
        i = ps.regime_of(py.year)
        sol, rg = ps.solutions[i], ps.regimes[i]
        inp = _year_dispatch_inputs(case, py.year, sol, rg.grid)
        hp = py.params.hydrogen
        hourly = hourly_frame(inp, sol, hp.user if hp else None)
        hourly = pd.concat([hourly, trace_green(hourly)], axis=1)
        facts = design_facts(case.loaded, sol.capacities, py.params)
        table = compliance_table(hourly, case.rules[py.year], facts)
        scale = inp.annual_scale
        if hp is not None:  # the hydrogen chain's own checks (greenscen.results.hydrogen)
            rows = hydrogen_checks(hourly, sol.capacities, hp, case.rules[py.year], scale,
                                   demand_shape=inp.h2_shape_values)
            table = pd.concat([table, pd.DataFrame(rows, columns=list(table.columns))], ignore_index=True)
            table["ok"] = table["ok"].astype(object)
        energy = {k: float(v) * scale for k, v in metrics.annual_energies(hourly).items()}
        cost = cost_breakdown(hourly, sol.capacities, py.params, inp.energy_price_yuan_per_mwh,
                              inp.export_price_yuan_per_mwh, annual_scale=scale)  # fmt: skip
        years.append(YearResult(py.year, i, dict(sol.capacities), hourly, table, energy, cost,
                                ps.slacks.get(str(py.year), {})))  # fmt: skip
    variable = {}
    hp = case.plan.years[-1].params.hydrogen
    if hp is not None:  # the electrolyser's energy in the last year, from its hourly dispatch
        last = years[-1].hourly
        year_h = last["duration_h"].to_numpy(dtype=float) * years[-1].energy.get("load_mwh", 1.0) / max(
            float((last["load_mw"] * last["duration_h"]).sum()), 1e-12)  # fmt: skip
        variable[hp.user] = float((last["electrolyser_mw"] + last["compression_mw"]).to_numpy() @ year_h)
    batches = batch_generation_checks(case.inputs, case.plan, ps.batch_capacities, case.rules, variable)
    timings = dict(ps.timings, verify_s=time.perf_counter() - t0)
    return PlanResult(loaded=case.loaded, mode=mode, years=years,
                      batch_capacities=ps.batch_capacities, batch_checks=batches,
                      objective_yuan=ps.objective_yuan,
                      present_value_yuan=ps.objective_yuan * case.plan.present_value_factor(),
                      discount_weights=case.plan.discount_weights(),
                      regimes=[list(rg.years) for rg in ps.regimes], timings=timings,
                      extra=dict(extra or {}))  # fmt: skip


def _check_regimes(case: PlanCase) -> None:
    from greenscen.model.multiyear import regimes

    n, cap = len(regimes(case.plan)), case.loaded.scenario.planning.max_regimes
    if n > cap:
        raise ScenarioError(f"planning.max_regimes: expected at most {cap} regimes (distinct "
                            f"years of rules, loads and batches), found {n}; raise max_regimes "
                            "or merge batches", source=case.loaded.source)  # fmt: skip


def _rules_in_play(case: PlanCase) -> list[str]:
    seen = {}
    for rules in case.rules.values():
        for r in rules.rules:
            seen.setdefault(r.name, r.describe())
    return list(seen.values())


def run_plan(scenario: str | Path | LoadedScenario, highs_options: dict | None = None,
             diagnose: bool = True, solve_mode: str = "exact", backend: str = "arrays"):
    """Size the project of a ``planning:`` scenario over its horizon and verify every year.

    ``solve_mode`` "fast" sizes on typical days per year (:func:`run_plan_fast`). ``backend``
    "pyomo" solves the same horizon LP as a Pyomo model (exact mode). Raises
    :class:`InfeasibleError` (with the elastic diagnosis per year) when no design meets
    every year's rules.
    """
    ls = scenario if isinstance(scenario, LoadedScenario) else load_sizing_scenario(scenario)
    if solve_mode == "fast":
        if backend != "arrays":
            raise ScenarioError("--backend pyomo: fast mode over a horizon solves from the arrays; "
                                "use --mode exact with the Pyomo backend", source=ls.source)
        return run_plan_fast(ls, highs_options)
    case = resolve_plan(ls)
    _check_regimes(case)
    try:
        ps = solve_plan(case.plan, highs_options, rules_in_play=_rules_in_play(case),
                        backend=backend)
    except InfeasibleError as exc:
        if not diagnose:
            raise
        lines = diagnose_lines(solve_plan(case.plan, highs_options, elastic=True))
        raise InfeasibleError(f"{exc}\nwhat would have to give way, by year:\n  "
                              + "\n  ".join(lines)) from None  # fmt: skip
    return assemble_plan_result(case, ps)


FAST_TYPICAL_DAYS = 32  # as single-year fast mode (greenscen.model.fast.DEFAULT_PERIODS)
FAST_SLACK_TOL = 1e-4  # MW or MWh per year: a full-year slack above this sends to exact mode


def run_plan_fast(ls: LoadedScenario, highs_options: dict | None = None):
    """Fast mode over a horizon: size on typical days, verify every year's full dispatch.

    1. The horizon LP on ``FAST_TYPICAL_DAYS`` typical days per year (the same days every
       year) sizes the batches. 2. The horizon LP at full resolution with those capacities
       fixed, elastic, dispatches every regime's full year. 3. When a slack is positive (a
       rule missed on days no typical day showed) the exact horizon LP is solved instead
       (``timings["fast_fallback"]`` = 1). The result is always a full-year dispatch, checked
       independently year by year like an exact one.
    """
    from greenscen.model.fast import DISPATCH_HIGHS_OPTIONS

    t0 = time.perf_counter()
    typical = resolve_plan(ls, typical_days=FAST_TYPICAL_DAYS)
    case = resolve_plan(ls)
    sized = solve_plan(typical.plan, highs_options, rules_in_play=_rules_in_play(case))
    fixed = {f"b{b}/{blk}": v for b, caps in sized.batch_capacities.items() for blk, v in caps.items()}
    ps = solve_plan(case.plan, dict(DISPATCH_HIGHS_OPTIONS, **(highs_options or {})), fixed=fixed,
                    elastic=True)  # fmt: skip
    worst = max((v for rows in ps.slacks.values() for v in rows.values()), default=0.0)
    fallback = worst > FAST_SLACK_TOL
    if fallback:
        ps = solve_plan(case.plan, highs_options, rules_in_play=_rules_in_play(case))
    ps.timings = dict(ps.timings, size_s=sized.timings["solve_s"], fast_fallback=float(fallback),
                      fast_total_s=time.perf_counter() - t0, typical_days=FAST_TYPICAL_DAYS)  # fmt: skip
    return assemble_plan_result(case, ps, mode="fast")


def evaluate_design(scenario: str | Path | LoadedScenario, capacities: dict[str, float],
                    highs_options: dict | None = None, backend: str = "arrays"):
    """Return the PlanResult of a fixed design over the horizon (the elastic LP).

    ``capacities`` are the design's totals (``pv``, ``wind``, ``storage_mw``,
    ``storage_mwh``, ``connection_mw``), built in the first year. Each year's
    ``slacks`` say by how much the design misses each rule row in that year (MWh per year
    for annual rules), and the compliance table checks its dispatch independently.
    """
    from greenscen.model.core import capacity_block

    ls = scenario if isinstance(scenario, LoadedScenario) else load_sizing_scenario(scenario)
    case = resolve_plan(ls)
    first = case.plan.batches[0].name
    fixed = {}
    for b in case.plan.batches:
        for name in ("wind", "pv", "storage_mw", "storage_mwh", "connection_mw"):
            block = capacity_block(name)
            fixed[f"b{b.name}/{block}"] = float(capacities.get(name, 0.0)) if b.name == first else 0.0
    ps = solve_plan(case.plan, highs_options, fixed=fixed, elastic=True, backend=backend)
    return assemble_plan_result(case, ps, mode="fixed design", extra={"fixed_design": dict(capacities)})


def diagnose_lines(ps) -> list[str]:
    """Return one line per year and rule row whose slack is positive in an elastic solution."""
    from greenscen.model.diagnose import TOL_MW

    lines = []
    for year, rows in ps.slacks.items():
        for row, value in rows.items():
            if value > TOL_MW:
                lines.append(f"{year}: {row} short by {value:,.4g} (per year, the row's unit)")
    return lines or ["no row needs a slack"]


DESIGN_KEYS = {"wind_mw": "wind", "pv_mw": "pv", "storage_mw": "storage_mw",
               "storage_mwh": "storage_mwh", "connection_mw": "connection_mw"}  # fmt: skip


def read_design(path: str | Path) -> dict[str, float]:
    """Return the capacities of a ``summary.json`` (a single-year run's) as a design to fix."""
    import json

    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError(f"--fix-design: file not found: {p}") from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"--fix-design: expected a greenscen summary.json, cannot read it: {exc}",
                            source=str(p)) from None  # fmt: skip
    caps = data.get("capacities") if isinstance(data, dict) else None
    if not isinstance(caps, dict) or not any(k in caps for k in DESIGN_KEYS):
        raise ScenarioError(f"capacities: expected a mapping with {sorted(DESIGN_KEYS)} (MW, MWh), "
                            f"found {caps!r}", source=str(p))  # fmt: skip
    bad = [k for k in DESIGN_KEYS if k in caps and not isinstance(caps[k], (int, float))]
    if bad:
        raise ScenarioError([f"capacities.{k}: expected a number, found {caps[k]!r}" for k in bad],
                            source=str(p))  # fmt: skip
    return {name: float(caps.get(key, 0.0)) for key, name in DESIGN_KEYS.items()}


def cli_run_plan(ls: LoadedScenario, out: str, overwrite: bool, charts: bool, lang: str,
                 solve_mode: str = "exact", fix_design: str | None = None, quiet: bool = False,
                 backend: str = "arrays") -> int:
    """`greenscen run` of a ``planning:`` scenario: 0 compliant in every year, 1 not, 2 bad input."""
    import sys

    from greenscen.io.output import check_output_dir

    check_output_dir(out, overwrite)
    design = read_design(fix_design) if fix_design else None
    try:
        result = (evaluate_design(ls, design, backend=backend) if design
                  else run_plan(ls, solve_mode=solve_mode, backend=backend))
    except InfeasibleError as exc:
        print(f"greenscen: {ls.scenario.name}: infeasible over the horizon. {exc}", file=sys.stderr)
        return 1
    result.write(out, overwrite=overwrite, charts=charts, lang=lang)
    t = result.timings
    print(f"{result.name} ({result.years[0].year}-{result.years[-1].year}, {len(result.regimes)} "
          f"regime(s), {result.mode}): build {t['lp_build_s']:.2f} s, solve {t['solve_s']:.1f} s")
    print(result.years_overview(lang).to_string(index=False))
    for check in (result.hourly_matching(), result.entities_check()):
        if not check["ok"]:
            print(f"note ({check['clause']}): {check['note']}")
    print(f"wrote {Path(out).resolve()}")
    if not result.compliant:
        bad = [str(y.year) for y in result.years if not y.compliant]
        print(f"greenscen: NON-COMPLIANT in {', '.join(bad) or 'a batch check'}", file=sys.stderr)
        return 1
    return 0


def cli_validate_plan(ls: LoadedScenario) -> int:
    """`greenscen validate` of a ``planning:`` scenario: every year resolved, regimes counted."""
    from greenscen.model.multiyear import regimes

    case = resolve_plan(ls)
    rgs = regimes(case.plan)
    sc = ls.scenario
    batches = "; ".join(f"{b.name}: {', '.join(b.users)}" for b in case.plan.batches)
    print(f"{ls.source}: valid. {sc.name}: {sc.project.kind}/{sc.project.mode}, "
          f"{case.plan.years[0].year}-{case.plan.years[-1].year}, {len(sc.users)} users in "
          f"{len(case.plan.batches)} batch(es) ({batches}); {len(rgs)} regime(s): "
          + ", ".join("-".join(str(y) for y in (rg.years[0], rg.years[-1])) if len(rg.years) > 1
                      else str(rg.years[0]) for rg in rgs))  # fmt: skip
    if len(rgs) > sc.planning.max_regimes:
        raise ScenarioError(f"planning.max_regimes: expected at most {sc.planning.max_regimes} "
                            f"regimes, found {len(rgs)}", source=ls.source)  # fmt: skip
    print(case.inputs.horizon.describe())
    return 0
