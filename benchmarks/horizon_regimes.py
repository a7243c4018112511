"""Solve time of a planning horizon against its number of regimes (exact mode, 4-hour steps).

Usage: python benchmarks/horizon_regimes.py [repeats]  -> prints a Markdown table.
The hydrogen 2027 project over horizons of 1, 2, 4 and 9 years (1, 2, 3 and 3 regimes), and
the two-batch multi-user project over 2026-2035 (3 regimes); the median of ``repeats`` solves.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from greenscen.model.multiyear import solve_plan
from greenscen.planning import resolve_plan
from greenscen.scenario.load import load_sizing_scenario

REPO = Path(__file__).resolve().parents[1]
H2 = REPO / "scenarios" / "planning" / "hydrogen_2027_horizon.yaml"
MU = REPO / "scenarios" / "planning" / "multiuser_two_batches_2026_2035.yaml"
CASES = [("hydrogen 2027-2027", H2, 2027), ("hydrogen 2027-2028", H2, 2028),
         ("hydrogen 2027-2030", H2, 2030), ("hydrogen 2027-2035", H2, 2035),
         ("two-batch multi-user 2026-2035", MU, 2035)]  # fmt: skip


def main(repeats: int = 2) -> None:
    print("| case | years | regimes | rows | columns | build s | solve s (median) | EAC yuan/yr |")
    print("|---|---|---|---|---|---|---|---|")
    for name, path, last in CASES:
        ls = load_sizing_scenario(path, planning={"last_year": last})
        case = resolve_plan(ls)
        runs = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            ps = solve_plan(case.plan)
            runs.append((ps.timings["solve_s"], ps.timings["lp_build_s"], time.perf_counter() - t0))
        t = ps.timings
        print(f"| {name} | {len(case.plan.years)} | {t['regimes']} | {t['rows']:,} | {t['columns']:,} | "
              f"{statistics.median(r[1] for r in runs):.3f} | {statistics.median(r[0] for r in runs):.1f} | "
              f"{ps.objective_yuan:,.0f} |", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2)
