"""Benchmark of the sizing modes: build, solve and verification times; fast-versus-exact errors.

Usage::

    python benchmarks/run.py              # all cases, median of 3 runs
    python benchmarks/run.py --quick      # coarse cases only, 1 run
    python benchmarks/run.py --runs 5 --cases default users10
    python benchmarks/run.py --options    # also compare HiGHS options on the default scenario
    python benchmarks/run.py --cases default --sequence-only   # only the re-solve sequence

Writes ``benchmarks/results/latest.json`` and ``benchmarks/results/latest.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

from greenscen.model.core import SizingModel
from greenscen.model.fast import FastSizingModel
from greenscen.run import assemble_result, resolve
from greenscen.scenario.load import load_scenario

OUT = Path(__file__).parent / "results"
SHAPES = [
    ("data_centre", "data_centre", 60),
    ("polysilicon", "polysilicon", 100),
    ("new_load", "two_shift_factory", 20),
    ("electrolytic_aluminium", "aluminium", 80),
]


def users(n: int) -> list[dict]:
    """Return ``n`` users cycling through bundled shapes; the total peak stays near 180 MW."""
    scale = 180.0 / sum(SHAPES[i % 4][2] for i in range(n))
    return [
        {"name": f"user{i + 1}", "category": SHAPES[i % 4][0],
         "load": {"shape": SHAPES[i % 4][1], "peak_mw": round(SHAPES[i % 4][2] * scale, 3)}}
        for i in range(n)
    ]  # fmt: skip


CASES = {
    "default": {},
    "users1": {"users": users(1)},
    "users10": {"users": users(10)},
    "default_2h": {"time": {"resolution_h": 2}},
    "default_4h": {"time": {"resolution_h": 4}},
    "users10_4h": {"users": users(10), "time": {"resolution_h": 4}},
}
QUICK = ["default_4h", "users10_4h"]


def _median(xs):
    return float(statistics.median(xs))


def bench_exact(ls, runs: int, options=None) -> dict:
    rules, inputs, params = resolve(ls)
    rows = []
    for _ in range(runs):
        sm = SizingModel(inputs, params, highs_options=options)
        sol = sm.solve()
        res = assemble_result(ls, rules, inputs, params, sol, "exact")
        rows.append(
            (sm.timings["build_s"], sol.timings["solve_s"], res.timings["verify_s"], sol, res)
        )
    sol, res = rows[-1][3], rows[-1][4]
    t = time.perf_counter()  # one re-solve after a parameter change (storage energy +20%)
    sm.set_param(
        "storage_energy_cost_yuan_per_mwh_year", 1.2 * params.storage.energy_cost_yuan_per_mwh_year
    )
    sm.solve()
    return {
        "build_s": _median(r[0] for r in rows), "solve_s": _median(r[1] for r in rows),
        "verify_s": _median(r[2] for r in rows), "resolve_s": time.perf_counter() - t,
        "objective_yuan": sol.objective_yuan, "capacities": res.capacities, "compliant": res.compliant,
        "steps": len(inputs.index),
    }  # fmt: skip


def bench_fast(ls, runs: int) -> dict:
    rules, inputs, params = resolve(ls)
    rows = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fm = FastSizingModel(inputs, params, [r.describe() for r in rules.rules])
        sol = fm.solve()
        extra = sol.extra
        res = assemble_result(ls, rules, inputs, params, sol, "fast", extra)
        total = time.perf_counter() - t0
        rows.append((fm.timings["build_s"], sol.timings["sizing_s"], sol.timings["dispatch_s"],
                     res.timings["verify_s"], total, sol, res, extra))  # fmt: skip
    resolves = []
    for factor in (1.2, 1.0, 0.8):
        t = time.perf_counter()
        fm.set_param(
            "storage_energy_cost_yuan_per_mwh_year",
            factor * params.storage.energy_cost_yuan_per_mwh_year,
        )
        fm.solve()
        resolves.append(time.perf_counter() - t)
    sol, res, extra = rows[-1][5], rows[-1][6], rows[-1][7]
    return {
        "build_s": _median(r[0] for r in rows), "sizing_s": _median(r[1] for r in rows),
        "dispatch_s": _median(r[2] for r in rows), "verify_s": _median(r[3] for r in rows),
        "total_s": _median(r[4] for r in rows), "resolve_s": _median(resolves),
        "objective_yuan": sol.objective_yuan, "capacities": res.capacities, "compliant": res.compliant,
        "periods": extra["fast"]["periods"], "repair_steps": extra["fast"]["repair_steps"],
    }  # fmt: skip


# Re-solves after one parameter change each, every one from the state the previous left
# (issue 5): two hard self-consumption floors, then a storage cost and a peak-valley limit.
SEQUENCE = [
    ("self_consumption_min", 0.85),
    ("self_consumption_min", 0.9),
    ("storage_energy_cost_yuan_per_mwh_year", 30000.0),
    ("peak_valley_limit", 0.1),
]


# Slider moves in the explorer (fast mode, full year hourly), each from the state the previous
# left, as a planner moves them (issue 11: a move must answer in <= 2 s).
SLIDER_MOVES = [
    ("storage_energy_capex_yuan_per_kwh", 200.0),
    ("storage_energy_capex_yuan_per_kwh", 250.0),
    ("self_consumption_min", 0.40),
    ("self_consumption_min", 0.45),
    ("utilisation_min", 0.92),
    ("peak_valley_limit", 0.2),
    ("wind_capex_yuan_per_kw", 3500.0),
    ("pv_capex_yuan_per_kw", 2500.0),
]


def bench_slider(runs: int) -> dict:
    """Time explorer-style updates of a fast SizingSession (full result each), median of runs."""
    from greenscen.session import SizingSession

    times: list[list[float]] = [[] for _ in SLIDER_MOVES]
    compliant = []
    for _ in range(runs):
        s = SizingSession(None, solve_mode="fast")
        s.solve()
        for i, (name, value) in enumerate(SLIDER_MOVES):
            t = time.perf_counter()
            res = s.update(**{name: value})
            times[i].append(time.perf_counter() - t)
            compliant.append(res.compliant)
    per_move = [_median(t) for t in times]
    return {"moves": [f"{n} = {v:g}" for n, v in SLIDER_MOVES], "seconds": per_move,
            "median_s": _median(per_move), "all_compliant": all(compliant)}  # fmt: skip


def slider_table(r: dict) -> str:
    rows = "".join(f"| {m} | {t:.2f} |\n" for m, t in zip(r["moves"], r["seconds"], strict=True))
    return ("| explorer slider move (fast mode, full year hourly, full result) | s |\n|---|---|\n"
            + rows + f"| **median** | **{r['median_s']:.2f}** (all compliant: {r['all_compliant']}) |\n")


def bench_sequence(runs: int) -> list[dict]:
    """Time fast re-solves along ``SEQUENCE`` (median of ``runs``); compare with exact."""
    ls = load_scenario(None)
    rules, inputs, params = resolve(ls)
    names = [r.describe() for r in rules.rules]
    times: list[list[float]] = [[] for _ in SEQUENCE]
    for _ in range(runs):
        fm = FastSizingModel(inputs, params, names)
        fm.solve()
        rows = []
        for i, (name, value) in enumerate(SEQUENCE):
            t = time.perf_counter()
            fm.set_param(name, value)
            sol = fm.solve()
            extra = sol.extra
            times[i].append(time.perf_counter() - t)
            res = assemble_result(ls, rules, inputs, params, sol, "fast", extra)
            rows.append({"change": f"{name} = {value:g}", "objective_yuan": sol.objective_yuan,
                         "compliant": res.compliant, "repair_steps": extra["fast"]["repair_steps"]})  # fmt: skip
    sm = SizingModel(inputs, params)
    sm.solve()
    for i, (name, value) in enumerate(SEQUENCE):
        sm.set_param(name, value)
        rows[i]["exact_objective_yuan"] = sm.solve().objective_yuan
        rows[i]["resolve_s"] = _median(times[i])
    return rows


def sequence_table(rows: list[dict]) -> str:
    head = (
        "| change (default scenario, from the previous state) | fast re-solve s | objective error "
        "| compliant (full year) | repair |\n|---|---|---|---|---|\n"
    )
    return head + "".join(
        f"| {r['change']} | {r['resolve_s']:.2f} | {r['objective_yuan'] / r['exact_objective_yuan'] - 1:+.3%} "
        f"| {r['compliant']} | {'; '.join(r['repair_steps']) or '-'} |\n"
        for r in rows
    )  # fmt: skip


def table(results: dict) -> str:
    head = (
        "| case | steps | exact build s | exact solve s | build share | fast total s (build/size/dispatch/verify) "
        "| fast re-solve s | objective error | max capacity diff | compliant e/f |\n"
        "|---|---|---|---|---|---|---|---|---|---|\n"
    )
    lines = []
    for name, r in results.items():
        e, f = r["exact"], r["fast"]
        share = e["build_s"] / (e["build_s"] + e["solve_s"])
        err = f["objective_yuan"] / e["objective_yuan"] - 1
        diff = max(
            abs(f["capacities"][k] - e["capacities"][k]) / max(e["capacities"][k], 1.0)
            for k in e["capacities"]
        )
        lines.append(
            f"| {name} | {e['steps']} | {e['build_s']:.3f} | {e['solve_s']:.1f} | {share:.2%} | {f['total_s']:.2f} "
            f"({f['build_s']:.2f}/{f['sizing_s']:.2f}/{f['dispatch_s']:.2f}/{f['verify_s']:.2f}) | {f['resolve_s']:.2f} "
            f"| {err:+.3%} | {diff:.1%} | {e['compliant']}/{f['compliant']} |"
        )
    return head + "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="coarse cases, one run")
    ap.add_argument("--cases", nargs="*", default=None, choices=sorted(CASES))
    ap.add_argument(
        "--options", action="store_true", help="compare HiGHS options (exact, default scenario)"
    )
    ap.add_argument("--sequence-only", action="store_true", help="only the re-solve sequence")
    ap.add_argument("--slider-only", action="store_true", help="only the explorer slider moves")
    a = ap.parse_args(argv)
    if a.sequence_only:
        print(sequence_table(bench_sequence(a.runs)))
        return 0
    if a.slider_only:
        print(slider_table(bench_slider(a.runs)))
        return 0
    runs = 1 if a.quick else a.runs
    names = a.cases or (QUICK if a.quick else list(CASES))
    results = {}
    for name in names:
        ls = load_scenario(None, **CASES[name])
        results[name] = {"exact": bench_exact(ls, runs), "fast": bench_fast(ls, runs)}
        print(name, json.dumps(results[name], default=str), flush=True)
    sequence = [] if a.quick else bench_sequence(runs)
    slider = None if a.quick else bench_slider(runs)
    options = {}
    if a.options:
        ls = load_scenario(None)
        for label, opts in {
            "ipm+crossover": {"solver": "ipm", "run_crossover": "on"},
            "ipm, no crossover": {"solver": "ipm", "run_crossover": "off"},
            "dual simplex": {"solver": "simplex", "simplex_strategy": 1},
            "parallel dual simplex": {"solver": "simplex", "simplex_strategy": 2},
            "pdlp": {"solver": "pdlp", "time_limit": 300.0},
        }.items():
            try:
                options[label] = bench_exact(ls, 1, opts)
            except Exception as exc:  # noqa: BLE001 - report the failure in the table
                options[label] = {"error": str(exc)}
            print(label, json.dumps(options[label], default=str), flush=True)
    OUT.mkdir(exist_ok=True)
    meta = {"python": sys.version.split()[0], "machine": platform.machine(), "runs": runs,
            "time": time.strftime("%Y-%m-%d %H:%M:%S")}  # fmt: skip
    (OUT / "latest.json").write_text(json.dumps({"meta": meta, "cases": results, "highs_options": options,
                                                 "resolve_sequence": sequence, "slider": slider},
                                                indent=1, default=str))  # fmt: skip
    md = f"# greenscen benchmark ({meta['time']}, median of {runs} run(s))\n\n" + table(results)
    if sequence:
        md += "\n" + sequence_table(sequence)
    if slider:
        md += "\n" + slider_table(slider)
    if options:
        md += "\n| HiGHS options (exact, default) | solve s | objective | compliant |\n|---|---|---|---|\n"
        for label, r in options.items():
            md += (f"| {label} | {r.get('solve_s', float('nan')):.1f} | {r.get('objective_yuan', float('nan')):,.0f} "
                   f"| {r.get('compliant', r.get('error'))} |\n")  # fmt: skip
    (OUT / "latest.md").write_text(md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
