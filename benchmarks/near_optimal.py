"""Benchmark and note numbers: near-optimal ranges of the default scenario (full year, hourly) and
the weather-year compliance of its least-cost design.

1. Near-optimal ranges at ε = 1% and 5%, exact (hourly LP) and fast (typical-day LP): the
   optimum's solve time and the time of the 20 warm re-solves (min and max of 5 capacities x 2 ε).
2. The exact least-cost design, fixed, re-dispatched hour by hour on each of the 10 synthetic
   weather years of its site (ordos@wy01..10): compliant or which rules break, by how much.

Usage::

    python benchmarks/near_optimal.py            # everything (about 20-40 min on a shared 2-core machine)
    python benchmarks/near_optimal.py --resolution 24   # a quick look

Writes ``benchmarks/results/near_optimal.md`` and the CSVs next to it.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

OUT = Path(__file__).parent / "results"


def ranges(mode: str, resolution_h: int | None) -> tuple[pd.DataFrame, float, float, dict]:
    """Return the ranges table, the optimum's solve time (s), the ranges' time (s), the design."""
    from greenscen.session import SizingSession
    from greenscen.study.near_optimal import near_optimal_ranges

    t0 = time.perf_counter()
    s = SizingSession(None, solve_mode=mode, resolution_h=resolution_h)
    res = s.solve()
    t1 = time.perf_counter()
    r = near_optimal_ranges(s, (0.01, 0.05))
    return r, t1 - t0, time.perf_counter() - t1, dict(res.capacities)


def ranges_md(r: pd.DataFrame, mode: str, t_opt: float, t_ranges: float) -> str:
    """Return the Markdown table of one mode's ranges."""
    lines = [f"### {mode} mode: optimum {r['optimal_cost_yuan'].iloc[0] / 1e6:,.2f} million yuan/yr "
             f"(solve {t_opt:.0f} s); 20 warm re-solves {t_ranges:.0f} s",
             "", "| capacity | optimum | ε = 1%: min – max | ε = 5%: min – max |", "|---|---|---|---|"]  # fmt: skip
    for cap, d in r.groupby("capacity", sort=False):
        d = d.set_index("slack")
        unit = d["unit"].iloc[0]
        lines.append(f"| {cap} ({unit}) | {d['optimum'].iloc[0]:,.0f} | {d.loc[0.01, 'min']:,.0f} – "
                     f"{d.loc[0.01, 'max']:,.0f} | {d.loc[0.05, 'min']:,.0f} – {d.loc[0.05, 'max']:,.0f} |")  # fmt: skip
    return "\n".join(lines)


def years_md(d: pd.DataFrame) -> str:
    """Return the Markdown table of the fixed design on each weather year."""
    lines = ["| weather year | PV full-load h | wind full-load h | status | what breaks (elastic diagnosis) | solve s |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    for _, r in d.iterrows():
        brk = r.get("breaks")
        brk = "" if not isinstance(brk, str) else brk.replace("|", "/")
        lines.append(f"| {r['weather_year']} | {r['pv_full_load_h']:,.0f} | {r['wind_full_load_h']:,.0f} | "
                     f"{r['status']} | {brk} | {r['solve_s']:.0f} |")  # fmt: skip
    n_ok = int((d["status"] == "compliant").sum())
    lines.append("")
    lines.append(f"Compliant in {n_ok} of {len(d)} weather years.")
    return "\n".join(lines)


def write_note(sections: list[str]) -> Path:
    path = OUT / "near_optimal.md"
    head = ["# Near-optimal ranges and weather-year compliance of the default scenario", "",
            f"Measured {time.strftime('%Y-%m-%d %H:%M')} on the shared 2-core machine "
            "(several sessions running; times are wall clock). "
            "Script: `benchmarks/near_optimal.py`.", ""]  # fmt: skip
    path.write_text("\n".join(head + sections) + "\n", encoding="utf-8")
    return path


def main(argv=None) -> int:
    from greenscen.study.weather_years import check_design_across_years

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--resolution", type=int, default=None, help="time step in hours (default hourly)")
    args = p.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    sections = []
    design = None
    for mode in ("exact", "fast"):
        r, t_opt, t_ranges, caps = ranges(mode, args.resolution)
        r.to_csv(OUT / f"near_optimal_{mode}.csv", index=False)
        sections += [ranges_md(r, mode, t_opt, t_ranges), ""]
        design = design or caps
    d = check_design_across_years(None, design=design, resolution_h=args.resolution, include_base=False)
    d.to_csv(OUT / "weather_years_default.csv", index=False)
    sections += ["## The exact least-cost design, fixed, on the 10 weather years", "", years_md(d)]
    print(f"wrote {write_note(sections)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
