"""Benchmark of `greenscen study`: 500 fast-mode variants of the default scenario, full year hourly.

Each variant is sized in fast mode (typical days) and dispatched and verified on the full
year hour by hour; the table's compliance comes from the independent check. Runs the study
with 2 and with 1 local worker processes (a Dask LocalCluster) and reports wall time,
throughput, per-variant times and each worker's peak memory.

Usage::

    python benchmarks/study.py                  # 500 variants on 2 workers, 100 on 1
    python benchmarks/study.py --n 40 --n1 20   # a quick look

Writes ``benchmarks/results/study.json`` and the study section of ``benchmarks/results/latest.md``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from greenscen.study.runner import run_study
from greenscen.study.spec import load_study

OUT = Path(__file__).parent / "results"
STUDY = """
name: bench_default_fast
base: bundled:default
solve_mode: fast
samples:
  n: {n}
  seed: 2026
  parameters:
    wind_capex_yuan_per_kw: {{uniform: [3500, 4500]}}
    pv_capex_yuan_per_kw: {{uniform: [2600, 3600]}}
    storage_energy_capex_yuan_per_kwh: {{uniform: [250, 550]}}
    self_consumption_min: {{uniform: [0.3, 0.6]}}
"""
BEGIN, END = "<!-- study benchmark -->", "<!-- /study benchmark -->"


def bench(n: int, workers: int) -> dict:
    """Run an ``n``-variant study on ``workers`` processes; return its timings."""
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "study.yaml"
        p.write_text(STUDY.format(n=n), encoding="utf-8")
        study = load_study(p)
        t0 = time.perf_counter()
        table = run_study(study, Path(tmp) / "out", workers=workers)
        wall = time.perf_counter() - t0
    solved = table[table["status"] == "solved"]
    per_worker = table.groupby("worker_pid")
    return {
        "variants": n,
        "workers": workers,
        "wall_s": wall,
        "variants_per_min": 60 * n / wall,
        "solved": int(len(solved)),
        "compliant": int(solved["compliant"].sum()),
        "statuses": table["status"].value_counts().to_dict(),
        "median_variant_wall_s": statistics.median(table["wall_s"]),
        "median_solve_s": statistics.median(solved["solve_s"]),
        "p90_variant_wall_s": float(table["wall_s"].quantile(0.9)),
        "builds": int(table["built"].sum()),
        "peak_rss_mb_per_worker": {
            str(k): round(float(g["worker_peak_rss_mb"].max()), 0) for k, g in per_worker
        },
        "variants_per_worker": {str(k): int(len(g)) for k, g in per_worker},
    }


def section(results: list[dict], when: str, note: str = "") -> str:
    """Return the markdown section of the study benchmark."""
    lines = [
        BEGIN,
        f"## greenscen study: fast-mode variants of the default scenario ({when})",
        "",
        "Full year hourly; each variant sized on typical days and dispatched and verified on the "
        "full-year hourly dispatch (fast mode), 4 parameters sampled (wind, PV, storage-energy "
        "capex, self-consumption floor); local Dask cluster of worker processes, 1 thread each. "
        + note,
        "",
        "| workers | variants | wall | variants/min | median s per variant (solve) | p90 s | "
        "solved / compliant | session builds | peak memory per worker |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        mem = ", ".join(f"{v:,.0f} MB" for v in r["peak_rss_mb_per_worker"].values())
        lines.append(
            f"| {r['workers']} | {r['variants']} | {r['wall_s'] / 60:.1f} min | "
            f"{r['variants_per_min']:.0f} | {r['median_variant_wall_s']:.2f} "
            f"({r['median_solve_s']:.2f}) | {r['p90_variant_wall_s']:.2f} | "
            f"{r['solved']} / {r['compliant']} | {r['builds']} | {mem} |"
        )
    return "\n".join(lines) + "\n" + END + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=500, help="variants on 2 workers")
    ap.add_argument("--n1", type=int, default=100, help="variants on 1 worker")
    ap.add_argument("--note", default="", help="a sentence on the machine's state during the run")
    a = ap.parse_args(argv)
    results = [bench(a.n, 2), bench(a.n1, 1)]
    for r in results:
        print(json.dumps(r), flush=True)
    when = time.strftime("%Y-%m-%d %H:%M")
    OUT.mkdir(exist_ok=True)
    (OUT / "study.json").write_text(json.dumps({"time": when, "runs": results}, indent=1))
    md_path = OUT / "latest.md"
    md = md_path.read_text(encoding="utf-8") if md_path.exists() else ""
    if BEGIN in md:
        md = md[: md.index(BEGIN)] + md[md.index(END) + len(END) + 1 :]
    md_path.write_text(md.rstrip("\n") + "\n\n" + section(results, when, a.note), encoding="utf-8")
    print(section(results, when, a.note))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
