"""Physics checks of a dispatch (clause "model physics"): balance, storage, green charging.

Computed from the hourly table only, like the rule checks in :mod:`greenscen.results.compliance`.
"""

from __future__ import annotations

import pandas as pd

from greenscen.results import metrics as mt
from greenscen.results.checks_base import NONNEGATIVE, PHYSICS, _at, _cap, _Ctx, _row


def _energy_balance(c: _Ctx) -> dict:
    res = (
        c.col("available_mw") - c.col("curtailed_mw") - c.col("charge_mw") + c.col("discharge_mw")
        + c.col("import_mw") - c.col("export_mw") - c.col("load_mw")
    ).abs()  # fmt: skip
    note = f"available − curtailed − charge + discharge + import − export − load{_at(res)}"
    return _cap("energy_balance", PHYSICS, float(res.max()), 0.0, "MW", c.tol.power_mw, note)


def _available_output(c: _Ctx) -> dict:
    h, res, notes = c.hourly, [], []
    techs = [k.split(":", 1)[1] for k in h.columns if k.startswith("available_mw:")]
    if techs:
        total = sum(c.col(f"available_mw:{k}") for k in techs)
        res.append((total - c.col("available_mw")).abs().max())
        notes.append("available = Σ available per technology")
    for k, cap in c.facts.capacities_mw.items():
        if f"cf:{k}" in h.columns and f"available_mw:{k}" in h.columns:
            res.append((c.col(f"available_mw:{k}") - cap * c.col(f"cf:{k}")).abs().max())
            notes.append(f"available:{k} = {cap:g} MW · cf:{k}")
    if not res:
        note = "not evaluated: no per-technology columns"
        return _row("available_output", PHYSICS, None, 0.0, "MW", None, note=note)
    return _cap(
        "available_output", PHYSICS, float(max(res)), 0.0, "MW", c.tol.power_mw, "; ".join(notes)
    )


def _storage_limits(c: _Ctx) -> dict:
    f, pw, soc = c.facts, c.tol.power_mw, c.tol.soc_mwh
    bounds = {  # name: (violation series, its tolerance); violation > tolerance fails
        "charge > storage power": (c.col("charge_mw") - f.storage_power_mw, pw),
        "discharge > storage power": (c.col("discharge_mw") - f.storage_power_mw, pw),
        "soc > storage energy": (c.col("soc_mwh") - f.storage_energy_mwh, soc),
        "curtailed > available": (c.col("curtailed_mw") - c.col("available_mw"), pw),
    }
    for k in c.hourly.columns:
        if k in NONNEGATIVE or k.startswith(("available_mw:", "load_mw:")):
            bounds[f"{k} < 0"] = (-c.col(k), soc if k.endswith("_mwh") else pw)
    for part, whole in (("charge_grid_mw", "charge_mw"), ("discharge_grid_mw", "discharge_mw"),
                        ("soc_grid_mwh", "soc_mwh")):  # fmt: skip
        if part in c.hourly.columns:
            t = soc if part.endswith("mwh") else pw
            bounds[f"{part} > {whole}"] = (c.col(part) - c.col(whole), t)
    worst = {name: float(v.max()) for name, (v, _) in bounds.items()}
    broken = [f"{n} by {worst[n]:.6g}" for n, (_, t) in bounds.items() if worst[n] > t]
    value = max(0.0, *worst.values())
    note = "; ".join(broken) if broken else "all bounds hold"
    return _row("storage_limits", PHYSICS, value, 0.0, "MW or MWh", not broken, "cap", note)


def _storage_loops(c: _Ctx) -> dict:
    """Storage charging and discharging in the same step (四(三) reading: losses are not use).

    Value: Σ min(charge, discharge)·Δt (MWh) of the renewable-origin parts (charge less
    charge_grid, discharge less discharge_grid), the renewable energy passed through the
    storage within a step; tolerance: the energy tolerance. greenscen's dispatch never does it (see
    ``model.core.unwind_storage_loops``), so a loop here means the dispatch was altered or
    written by another model.
    """
    ren_ch = c.col("charge_mw") - c.col("charge_grid_mw")
    ren_dis = c.col("discharge_mw") - c.col("discharge_grid_mw")
    overlap = pd.concat([ren_ch, ren_dis], axis=1).min(axis=1)
    loops = overlap > c.tol.power_mw
    mwh = float((overlap.clip(lower=0.0) * c.col("duration_h")).sum())
    note = f"{int(loops.sum())} step(s) charging and discharging renewable energy at once{_at(overlap)}"
    return _cap("storage_loops", PHYSICS, mwh, 0.0, "MWh", c.tol.energy_mwh, note)


def _storage_continuity(c: _Ctx) -> dict:
    f, dt = c.facts, c.col("duration_h")
    worst: dict[str, pd.Series] = {}
    for soc_k, ch_k, dis_k in (("soc_mwh", "charge_mw", "discharge_mw"),
                               ("soc_grid_mwh", "charge_grid_mw", "discharge_grid_mw")):  # fmt: skip
        if soc_k not in c.hourly.columns:
            continue
        s = c.col(soc_k)
        prev = s.shift(1)
        prev.iloc[0] = s.iloc[-1]  # cyclic: the state before the first step is the last step's
        delta = (f.charge_efficiency * c.col(ch_k) - c.col(dis_k) / f.discharge_efficiency) * dt
        worst[soc_k] = (s - prev - delta).abs()
    res = pd.concat(worst.values(), axis=1).max(axis=1)
    note = f"soc[t] = soc[t−1] + (η_c·charge − discharge/η_d)·Δt, cyclic{_at(res)}"
    if "soc_grid_mwh" in worst:
        note += "; also for the grid-origin part"
    return _cap("storage_continuity", PHYSICS, float(res.max()), 0.0, "MWh", c.tol.soc_mwh, note)


def _green_charging(c: _Ctx) -> dict:
    ch_grid, dis_grid = c.col("charge_grid_mw"), c.col("discharge_grid_mw")
    checks = {
        "renewable charge > available − curtailed": (c.col("charge_mw") - ch_grid)
        - (c.col("available_mw") - c.col("curtailed_mw")),
        "grid energy to load > load": c.col("import_mw") - ch_grid + dis_grid - c.col("load_mw"),
        "grid charge > import": ch_grid - c.col("import_mw"),
    }
    worst = {k: float(v.max()) for k, v in checks.items()}
    broken = [f"{k} by {v:.6g} MW" for k, v in worst.items() if v > c.tol.power_mw]
    value = max(0.0, *worst.values())
    grid = any(k in c.hourly.columns for k in mt.GRID_CHARGE_COLUMNS)
    note = "grid charging tracked" if grid else "charge ≤ available − curtailed; import ≤ load"
    note = "; ".join(broken) if broken else note
    return _row("green_charging", PHYSICS, value, 0.0, "MW", not broken, "cap", note)


PHYSICS_CHECKS = (
    _energy_balance,
    _available_output,
    _storage_limits,
    _storage_continuity,
    _storage_loops,
    _green_charging,
)
