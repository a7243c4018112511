"""Hydrogen projects: capacities, LCOH and solve times, exact against fast mode.

Usage: python benchmarks/hydrogen.py [--resolution H] [--out FILE.md]
Every bundled scenario with a ``hydrogen:`` block (flexible electrolyser), solved through
``run_scenario`` as the CLI does (exact: the LP, its warm start and the storage-burn repair;
fast: typical days, full-year dispatch and repair). One run each, exact and fast alternating
in order from one scenario to the next (the machine is noisy; read the times as +-20%).
Writes a Markdown table (default ``benchmarks/results/hydrogen.md``).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml

from greenscen.run import run_scenario
from greenscen.scenario.load import load_sizing_scenario

REPO = Path(__file__).resolve().parents[1]
SCENARIOS = [p for p in sorted((REPO / "scenarios").glob("hydrogen*.yaml"))
             if "hydrogen" in (yaml.safe_load(p.read_text(encoding="utf-8")) or {})]  # fmt: skip
KEYS = ("wind_mw", "pv_mw", "storage_mw", "storage_mwh", "connection_mw", "electrolyser_mw", "h2_storage_kg")


def one(path: Path, mode: str, resolution: int) -> dict:
    ls = load_sizing_scenario(path, time={"resolution_h": resolution})
    t0 = time.perf_counter()
    res = run_scenario(ls, solve_mode=mode, check=False)
    wall = time.perf_counter() - t0
    h2 = res.extra.get("hydrogen", {})
    return {"wall_s": wall, "cost": res.cost["total_annual_yuan"], "compliant": bool(res.compliant),
            "capacities": {k: float(res.capacities.get(k, 0.0)) for k in KEYS},
            "lcoh": h2.get("lcoh_yuan_per_kg"), "t_per_yr": h2.get("delivered_t_per_year"),
            "export_ratio": res.ratios().get("export_ratio")}  # fmt: skip


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--resolution", type=int, default=1)
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results" / "hydrogen.md")
    a = ap.parse_args(argv)
    rows = []
    for i, path in enumerate(SCENARIOS):
        order = ("exact", "fast") if i % 2 == 0 else ("fast", "exact")
        r = {m: one(path, m, a.resolution) for m in order}
        rows.append((path.stem, r))
        print(path.stem, json.dumps(r, default=float), flush=True)
    lines = [f"# Hydrogen projects, exact against fast mode ({time.strftime('%Y-%m-%d %H:%M')}, "
             f"{a.resolution}-hour steps, full year, one run each)", "",
             "| scenario | mode | wall s | cost M yuan/yr | error | wind MW | PV MW | battery MW/MWh | "
             "connection MW | electrolyser MW | H2 storage kg | LCOH yuan/kg | export | compliant |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for name, r in rows:
        for m in ("exact", "fast"):
            x, c = r[m], r[m]["capacities"]
            err = "" if m == "exact" else f"{x['cost'] / r['exact']['cost'] - 1:+.2%}"
            lines.append(
                f"| {name} | {m} | {x['wall_s']:.1f} | {x['cost'] / 1e6:,.2f} | {err} | {c['wind_mw']:,.1f} | "
                f"{c['pv_mw']:,.1f} | {c['storage_mw']:,.1f}/{c['storage_mwh']:,.0f} | {c['connection_mw']:,.1f} | "
                f"{c['electrolyser_mw']:,.1f} | {c['h2_storage_kg']:,.0f} | {x['lcoh']:.2f} | "
                f"{(x['export_ratio'] or 0):.1%} | {x['compliant']} |")  # fmt: skip
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
