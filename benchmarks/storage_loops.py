"""Storage loops (charge and discharge in one step) under two readings of the utilisation rule.

Usage: python benchmarks/storage_loops.py [resolution_h] [names...]  -> prints a Markdown table.

For every bundled sizing scenario (``scenarios/*.yaml``) and a grid-charging variant of the
general project, at ``resolution_h``-hour steps (3 by default, as the issue's measurement),
the LP is solved twice:

- ``absorbed`` (greenscen 0.1): Σ w·Δt·curt <= (1 − u)·E_A, i.e. utilisation (E_A − E_curt)/E_A,
  under which energy burnt in the battery counts as used;
- ``delivered`` (today, 四(三)): E_sc + E_exp >= u·E_A.

Reported per run: the objective, the LP's own dispatch before any post-processing (steps with
min(charge, discharge) > 1e-6·peak, and Σ w·Δt·min(charge, discharge) in GWh per year, split
into the renewable-origin and grid-origin parts), the same after ``solution_from_lp`` (what
``hourly.csv`` shows), and the solve time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from greenscen.cli import is_obligations_file
from greenscen.model import rule_rows
from greenscen.model.core import solution_from_lp
from greenscen.model.lp import build_lp
from greenscen.model.solver import HighsLP
from greenscen.model.timegrid import full_grid
from greenscen.run import resolve
from greenscen.tweaks import variant

REPO = Path(__file__).resolve().parents[1]


def absorbed_utilisation_row(f, rule) -> None:
    """The 0.1 row: u·E_A − Σ w·Δt·ch + Σ w·Δt·dis + E_imp − E_exp − E_v <= E_load."""
    if not rule_rows.in_force(f, rule):
        return
    yh = f.grid.year_h
    lhs = f.available_mwh() * f.values[rule.tunable]
    if f.has("ch"):
        lhs = lhs - f.x["ch"].sum(yh) + f.x["dis"].sum(yh)
    if f.has("E_imp"):
        lhs = lhs + f.x["E_imp"]
    if f.has("E_exp"):
        lhs = lhs - f.x["E_exp"]
    if f.variable_load_mwh is not None:
        lhs = lhs - f.variable_load_mwh
    f.m.add_constraints(rule.lp_row, lhs, "<=", f.grid.load_mwh, slack=f.penalty())


def loops(ch, dis, ch_g, dis_g, yh, tol_mw):
    """Return (steps, GWh total, GWh renewable origin, GWh grid origin) of min(ch, dis)."""
    both = np.minimum(ch, dis)
    ren = np.maximum(np.minimum(ch - ch_g, dis - dis_g), 0.0)
    grid = np.minimum(ch_g, dis_g)
    return (int((both > tol_mw).sum()), float(both @ yh) / 1e3, float(ren @ yh) / 1e3,
            float(grid @ yh) / 1e3)  # fmt: skip


def cases(resolution_h: int, names: list[str]):
    paths = [p for p in sorted((REPO / "scenarios").glob("*.yaml")) if not is_obligations_file(p)]
    for p in paths:
        if not names or p.stem in names:
            yield p.stem, variant(p, resolution_h=resolution_h)
    name = "general_multiuser_grid+grid_charging"
    if not names or name in names:
        yield name, variant(REPO / "scenarios" / "general_multiuser_grid.yaml",
                            {"technologies": {"storage": {"allow_grid_charging": True}}},
                            resolution_h=resolution_h)  # fmt: skip


def run(ls, reading: str):
    _, inputs, params = resolve(ls)
    grid = full_grid(inputs, params)
    original = rule_rows.RULE_ROWS["renewable_utilisation_min"]
    if reading == "absorbed":
        rule_rows.RULE_ROWS["renewable_utilisation_min"] = absorbed_utilisation_row
    try:
        lp = build_lp(params, grid)
    finally:
        rule_rows.RULE_ROWS["renewable_utilisation_min"] = original
    highs = HighsLP(lp)
    t0 = time.perf_counter()
    x, obj, _ = highs.solve([])
    solve_s = time.perf_counter() - t0
    x = np.clip(x, lp.col_lb, lp.col_ub)
    zeros = np.zeros(grid.n)

    def get(name):
        return x[lp.cols[name]] if name in lp.cols else zeros

    tol = 1e-6 * max(1.0, float(grid.load_mw.max()))
    raw = loops(get("ch"), get("dis"), get("ch_g"), get("dis_g"), grid.year_h, tol)
    sol = solution_from_lp(lp, grid, x, obj, params.storage)
    a = sol.arrays
    shown = loops(a["charge_mw"], a["discharge_mw"], a.get("charge_grid_mw", zeros),
                  a.get("discharge_grid_mw", zeros), grid.year_h, tol)  # fmt: skip
    return sol.objective_yuan, raw, shown, solve_s


def main(resolution_h: int = 3, names: list[str] | None = None) -> None:
    print(f"Steps of {resolution_h} h. Loops: steps / GWh per year (renewable origin + grid origin).\n")
    print("| scenario | reading | cost M yuan/yr | LP loops: steps | GWh (ren + grid) | "
          "reported loops: steps | GWh | solve s |")
    print("|---|---|---|---|---|---|---|---|")
    for name, ls in cases(resolution_h, names or []):
        for reading in ("absorbed", "delivered"):
            try:
                obj, raw, shown, solve_s = run(ls, reading)
            except Exception as exc:  # noqa: BLE001 (a table row says what failed)
                print(f"| {name} | {reading} | {type(exc).__name__}: {str(exc).splitlines()[0][:60]} |")
                continue
            print(f"| {name} | {reading} | {obj / 1e6:,.3f} | {raw[0]:,} | {raw[1]:,.1f} "
                  f"({raw[2]:,.1f} + {raw[3]:,.1f}) | {shown[0]:,} | {shown[1]:,.1f} | {solve_s:.1f} |",
                  flush=True)  # fmt: skip


if __name__ == "__main__":
    args = sys.argv[1:]
    res = int(args[0]) if args and args[0].isdigit() else 3
    main(res, [a for a in args if not a.isdigit()])
