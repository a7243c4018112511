"""Hydrogen results from the hourly dispatch: output, utilisation, LCOH, and independent checks.

Everything here reads the hourly table's columns (``electrolyser_mw``, ``compression_mw``,
``h2_produced_kg_h``, ``h2_delivered_kg_h``, ``h2_to_storage_kg_h``, ``h2_from_storage_kg_h``,
``h2_storage_kg``, ``load_mw:<user>``, ``available_mw``) and the scenario's hydrogen data
(:class:`~greenscen.base.hydrogen.HydrogenParams`), never the LP: the checks recompute each
relation from the dispatch as a reviewer would.

LCOH (yuan/kg) = (electrolyser + stacks + hydrogen storage + the electrolyser's share of the
project's electricity cost) / kg delivered. The electricity cost (renewables, battery,
connection, grid energy and charges, funds, less export revenue) is allocated by energy: the
electrolyser and compression take E_v / E_load of it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.results.checks_base import PHYSICS, _cap, _row

ELECTRICITY_PARTS = ("wind_yuan", "pv_yuan", "storage_yuan", "connection_yuan", "grid_energy_yuan",
                     "td_charge_yuan", "export_revenue_yuan", "funds_yuan")  # fmt: skip


def _col(hourly: pd.DataFrame, name: str) -> np.ndarray:
    return hourly[name].to_numpy(dtype=float) if name in hourly else np.zeros(len(hourly))


def hydrogen_cost_parts(hourly: pd.DataFrame, capacities: dict, hp, annual_scale: float = 1.0) -> dict:
    """Return the hydrogen chain's yearly cost parts (yuan); empty without a hydrogen chain."""
    if hp is None:
        return {}
    year_h = hourly["duration_h"].to_numpy(dtype=float) * annual_scale
    parts = {
        "electrolyser_yuan": hp.cost_yuan_per_mw_year * capacities.get("electrolyser_mw", 0.0),
        "stack_yuan": hp.stack_yuan_per_mwh * float(_col(hourly, "electrolyser_mw") @ year_h),
        "h2_storage_yuan": (hp.storage_cost_yuan_per_kg_year or 0.0) * capacities.get("h2_storage_kg", 0.0),
    }
    if hp.price_yuan_per_kg is not None:
        parts["h2_revenue_yuan"] = -hp.price_yuan_per_kg * float(_col(hourly, "h2_delivered_kg_h") @ year_h)
    return parts


def hydrogen_summary(hourly: pd.DataFrame, capacities: dict, cost: dict, hp, annual_scale: float = 1.0) -> dict:
    """Return output (t/yr), full-load hours, utilisation, storage cycles and LCOH with its parts."""
    year_h = hourly["duration_h"].to_numpy(dtype=float) * annual_scale
    p = _col(hourly, "electrolyser_mw")
    v = p + _col(hourly, "compression_mw")
    produced_kg = float(_col(hourly, "h2_produced_kg_h") @ year_h)
    delivered_kg = float(_col(hourly, "h2_delivered_kg_h") @ year_h)
    cap = capacities.get("electrolyser_mw", 0.0)
    el_mwh = float(p @ year_h)
    flh = el_mwh / cap if cap > 0 else 0.0
    s_cap = capacities.get("h2_storage_kg", 0.0)
    out_kg = float(_col(hourly, "h2_from_storage_kg_h") @ year_h)
    load_mwh = float(hourly["load_mw"].to_numpy(dtype=float) @ year_h)
    share = float(v @ year_h) / load_mwh if load_mwh > 0 else 0.0
    kg = delivered_kg if delivered_kg > 0 else float("nan")
    electricity = share * sum(cost.get(k, 0.0) for k in ELECTRICITY_PARTS)
    parts = {
        "electricity": electricity / kg,
        "electrolyser": cost.get("electrolyser_yuan", 0.0) / kg,
        "stacks": cost.get("stack_yuan", 0.0) / kg,
        "h2_storage": cost.get("h2_storage_yuan", 0.0) / kg,
    }
    return {
        "produced_t_per_year": produced_kg / 1000.0,
        "delivered_t_per_year": delivered_kg / 1000.0,
        "electrolyser_mw": cap,
        "h2_storage_kg": s_cap,
        "electrolyser_mwh_per_year": el_mwh,
        "compression_mwh_per_year": float(v @ year_h) - el_mwh,
        "full_load_hours": flh,
        "utilisation": flh / 8760.0,
        "kwh_per_kg": 1000.0 * el_mwh / produced_kg if produced_kg > 0 else float("nan"),
        "storage_cycles_per_year": out_kg / s_cap if s_cap > 0 else 0.0,
        "electricity_share_of_load": share,
        "lcoh_yuan_per_kg": sum(parts.values()),
        "lcoh_parts_yuan_per_kg": parts,
    }


def hydrogen_checks(hourly: pd.DataFrame, capacities: dict, hp, rules=None, annual_scale: float = 1.0,
                    tol: float = 1e-6, demand_shape=None) -> list[dict]:  # fmt: skip
    """Return the hydrogen rows of the compliance table, each recomputed from ``hourly``.

    - ``h2_mass_balance``: produced_t = delivered_t + (s_t − s_{t−1})/Δt (kg/h, cyclic);
    - ``h2_storage_loops``: Σ min(q^in_t, q^out_t)·Δt (kg) <= tolerance: storing and drawing
      hydrogen in one step only burns compression energy, which would count as load;
    - ``h2_production``: produced_t equals the consumption curve at the electrolyser's power,
      1000·p_t/e or min_k(a_k·p_t + b_k·K_el) (kg/h): no power drawn without its hydrogen;
    - ``electrolyser_limits``: m·K_el <= p_t <= K_el (MW; the minimum only if it may not stop);
    - ``electrolyser_load``: the hydrogen user's load is p_t + c·q^in_t/1000 (MW);
    - ``h2_demand``: Σ delivered·Δt per year >= the annual demand, and per step >= its floor
      (flat: the mean, band: min_share of it, each times ``demand_shape`` scaled to a mean of
      1 over the year when the demand has a shape: the scenario's shape on ``hourly``'s steps);
    - ``hydrogen_generation_cap``: E_A / (fixed loads + electrolyser + compression) <= r, with
      the electrolyser's own columns (三(一)), when the rule is in force.
    """
    if hp is None:
        return []
    dt = hourly["duration_h"].to_numpy(dtype=float)
    prod, deliv = _col(hourly, "h2_produced_kg_h"), _col(hourly, "h2_delivered_kg_h")
    q_in, q_out = _col(hourly, "h2_to_storage_kg_h"), _col(hourly, "h2_from_storage_kg_h")
    soc = _col(hourly, "h2_storage_kg")
    p, comp = _col(hourly, "electrolyser_mw"), _col(hourly, "compression_mw")
    cap = capacities.get("electrolyser_mw", 0.0)
    kg_tol = tol * max(1.0, float(prod.max(initial=0.0)))
    mw_tol = tol * max(1.0, cap)
    rows = []
    ds = (soc - np.roll(soc, 1)) / dt
    miss = np.abs(prod - deliv - ds)
    rows.append(_cap("h2_mass_balance", PHYSICS, float(miss.max(initial=0.0)), 0.0, "kg/h", kg_tol,
                     "produced = delivered + Δstorage/Δt in every step (cyclic year)"))
    flow = np.abs(q_in - q_out - ds)
    rows.append(_cap("h2_storage_flows", PHYSICS, float(flow.max(initial=0.0)), 0.0, "kg/h", kg_tol,
                     "Δstorage/Δt = to storage − from storage"))
    loop = float(np.minimum(q_in, q_out) @ dt)
    rows.append(_cap("h2_storage_loops", PHYSICS, loop, 0.0, "kg", kg_tol * float(dt.sum()),
                     "hydrogen into and out of storage in the same step (burns compression energy)"))
    if hp.segments is None:
        curve = 1000.0 * p / hp.kwh_per_kg
    else:
        curve = np.min([a * p + b * cap for a, b in hp.segments], axis=0)
    gap = np.abs(prod - curve)
    rows.append(_cap("h2_production", PHYSICS, float(gap.max(initial=0.0)), 0.0, "kg/h", kg_tol,
                     "produced = consumption curve at the electrolyser's power"))
    floor = 0.0 if hp.may_stop else hp.min_load_share * cap
    over = max(float((p - cap).max(initial=0.0)), float((floor - p).max(initial=0.0)))
    rows.append(_cap("electrolyser_limits", PHYSICS, max(over, 0.0), 0.0, "MW", mw_tol,
                     f"{floor:.6g} MW <= electrolyser power <= {cap:.6g} MW"))
    col = f"load_mw:{hp.user}"
    user = _col(hourly, col) if col in hourly else hourly["load_mw"].to_numpy(dtype=float)
    others = sum((_col(hourly, c) for c in hourly.columns if c.startswith("load_mw:") and c != col),
                 np.zeros(len(hourly)))  # fmt: skip
    want = p + hp.compression_kwh_per_kg * q_in / 1000.0
    load_gap = max(float(np.abs(user - want).max(initial=0.0)), float(np.abs(comp - (want - p)).max(initial=0.0)))
    rows.append(_cap("electrolyser_load", PHYSICS, load_gap, 0.0, "MW", mw_tol,
                     f"{col} = electrolyser + compression"))
    year_h = dt * annual_scale
    if hp.demand_kg_per_year is not None:
        got = float(deliv @ year_h)
        ok = got >= hp.demand_kg_per_year * (1 - tol)
        share = {"flat": 1.0, "band": hp.demand_min_share}.get(hp.demand_profile, 0.0)
        step_floor = share * hp.demand_kg_per_year / float(year_h.sum())
        if demand_shape is None:
            floors, what = step_floor, f"every step >= {step_floor:.6g} kg/h"
        else:
            sigma = np.asarray(demand_shape, dtype=float)
            floors = step_floor * sigma * float(year_h.sum()) / float(sigma @ year_h)
            what = f"every step >= {share:.6g} x the shaped mean ({floors.min():.6g}-{floors.max():.6g} kg/h)"
        ok = ok and bool((deliv >= floors - kg_tol).all())
        rows.append(_row("h2_demand", PHYSICS, got / 1000.0, hp.demand_kg_per_year / 1000.0, "t/yr", ok,
                         "floor", f"delivered per year; {what}"))
    rule = rules.get("hydrogen_generation_cap") if rules is not None else None
    if rule is not None:
        r = float(rule.params.get("max_ratio"))
        avail = float(hourly["available_mw"].to_numpy(dtype=float) @ dt)
        load = float((others + p + comp) @ dt)
        rows.append(_cap("hydrogen_generation_cap:electrolyser", rule.clause, avail / load if load else float("nan"), r,
                         "MWh/MWh", tol, "E_A / (fixed loads + electrolyser + compression)"))
    return rows


def hydrogen_lines(h: dict, lang: str = "en") -> list[str]:
    """Return the printed summary of the hydrogen chain (en or zh)."""
    zh = lang == "zh"
    parts = ", ".join(f"{k} {v:.2f}" for k, v in h["lcoh_parts_yuan_per_kg"].items())
    if zh:
        return [f"氢气产量 {h['produced_t_per_year']:,.0f} t/年，电解槽 {h['electrolyser_mw']:,.1f} MW，"
                f"满负荷小时 {h['full_load_hours']:,.0f} h（利用率 {h['utilisation']:.1%}），"
                f"储氢 {h['h2_storage_kg']:,.0f} kg（{h['storage_cycles_per_year']:.1f} 次/年）",
                f"平准化制氢成本 {h['lcoh_yuan_per_kg']:.2f} 元/kg（{parts}）"]
    return [f"hydrogen {h['produced_t_per_year']:,.0f} t/yr, electrolyser {h['electrolyser_mw']:,.1f} MW, "
            f"{h['full_load_hours']:,.0f} full-load h ({h['utilisation']:.1%}), "
            f"storage {h['h2_storage_kg']:,.0f} kg ({h['storage_cycles_per_year']:.1f} cycles/yr)",
            f"LCOH {h['lcoh_yuan_per_kg']:.2f} yuan/kg ({parts})"]
