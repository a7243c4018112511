"""Policy row families of the sizing LP: one function per rule of the registry, each written once.

Each function is registered against its :mod:`greenscen.rules.registry` entry (``@rows_for``)
and adds the rule's rows, named by the entry's ``lp_row``, when the rule is in force (its
limit is among the tunable ``values``). Symbols as in :mod:`greenscen.model.components`;
E_load = Σ w_t·Δt·L_t and E_A = Σ_k K_k Σ_t w_t·Δt·cf_k,t + E_b (MWh over the horizon; E_b the
biomass output, ``greenscen.model.biomass``: biomass is 新能源 in every rule).

Annual rows carry a slack of penalty 1 per MWh in elastic models, window rows ten times that
per MW and hour of the window (see ``components.SLACK_PENALTY``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from greenscen.model.components import LOCAL_SLACK_FACTOR, Formulation, self_consumption_mwh
from greenscen.rules.registry import REGISTRY, SizingRule

RowFamily = Callable[[Formulation, SizingRule], None]
RULE_ROWS: dict[str, RowFamily] = {}


def rows_for(*rules: str) -> Callable[[RowFamily], RowFamily]:
    """Register the decorated function as the row family of the registry rules ``rules``."""
    entries = [REGISTRY[r] for r in rules]

    def register(fn: RowFamily) -> RowFamily:
        for entry in entries:
            RULE_ROWS[entry.name] = fn
        return fn

    return register


def in_force(f: Formulation, rule: SizingRule) -> bool:
    """True when the rule's tunable limit is part of this model."""
    return rule.tunable in f.values


@rows_for("exchange_limit")
def define_exchange_limit(f: Formulation, rule: SizingRule) -> None:
    """imp_t <= C and exp_t <= C (exchange_limit, 四(一)): exchange within the connection capacity."""
    if f.params.grid is None or not f.params.policy.exchange_limit:
        return
    f.m.add_constraints("imp_le_conn", f.x["imp"] - f.x["conn"], "<=", 0.0)
    if f.has("exp"):
        f.m.add_constraints("exp_le_conn", f.x["exp"] - f.x["conn"], "<=", 0.0)


@rows_for("hydrogen_generation_cap", "load_driven_sizing")
def define_generation_cap(f: Formulation, rule: SizingRule) -> None:
    """E_A <= r·(E_load + E_v): hydrogen_generation_cap (三(一); r = 1.2 in the plan) and the
    optional 以荷定源 cap of load_driven_sizing (三(一); none by default), each its own row.
    E_v is the electrolyser's consumption when the LP sizes it (a decision, not data)."""
    if in_force(f, rule):  # with a variable load E_v: E_A − r·E_v <= r·E_load
        r = f.values[rule.tunable]
        lhs = f.available_mwh()
        if f.variable_load_mwh is not None:
            lhs = lhs - f.variable_load_mwh * r
        f.m.add_constraints(rule.lp_row, lhs, "<=", r * f.grid.load_mwh, slack=f.penalty())


@rows_for("export_ratio_cap")
def define_export_ratio_cap(f: Formulation, rule: SizingRule) -> None:
    """E_exp <= r·(E_exp + E_sc), i.e. (1 − r)·E_exp − r·(E_sc − E_load) <= r·E_load (三(一)).

    E_sc = E_load − E_imp + E_g is the self-consumption; r the cap of the year (40% to 2027,
    20% from 2028 in the plan).
    """
    if not (in_force(f, rule) and f.has("exp")):
        return
    r = f.values[rule.tunable]
    sc, load_mwh = self_consumption_mwh(f)
    f.m.add_constraints(rule.lp_row, f.x["E_exp"] * (1 - r) - sc * r, "<=", r * load_mwh,
                        slack=f.penalty())  # fmt: skip


@rows_for("self_consumption_min")
def define_self_consumption_min(f: Formulation, rule: SizingRule) -> None:
    """E_sc >= s·(E_load + E_v), i.e. (1 − s)·E_v − E_imp + E_g >= (s − 1)·E_load (三(一))."""
    if not (in_force(f, rule) and f.params.grid is not None):
        return
    sc, load_mwh = self_consumption_mwh(f)
    s = f.values[rule.tunable]
    if f.variable_load_mwh is not None:  # E_sc >= s·(E_load + E_v)
        sc = sc - f.variable_load_mwh * s
    f.m.add_constraints(rule.lp_row, sc, ">=", (s - 1.0) * load_mwh, slack=f.penalty())


@rows_for("peak_valley_limit")
def define_peak_valley_limit(f: Formulation, rule: SizingRule) -> None:
    """The exchange's peak-valley rate per window w (peak_valley_limit, 四(三)), P_t = imp_t − exp_t.

    Two columns per window, P_t <= Pmax_w and P_t >= Pmin_w for t in w, and by reading:

    - ``signed``: (max P − min P) <= λ·max P, i.e. (1 − λ)·Pmax_w − Pmin_w <= 0. For λ < 1
      this forbids export on a day with import (the rate would exceed 1) and makes every step
      import at least (1 − λ) of the window's peak exchange: storage must hold the swing.
    - ``connection``: (max P − min P) <= λ·C, i.e. Pmax_w − Pmin_w − λ·C <= 0: the swing
      relative to the connection capacity C, which export and import share.
    """
    if not (in_force(f, rule) and f.params.grid is not None):
        return
    w = f.grid.window
    nw = int(w.max()) + 1
    pmax = f.var("p_max", nw, -np.inf)
    pmin = f.var("p_min", nw, -np.inf)
    p = f.exchange()
    f.m.add_constraints("p_le_max", p - pmax[w], "<=", 0.0)
    f.m.add_constraints("p_ge_min", p - pmin[w], ">=", 0.0)
    slack = f.penalty(LOCAL_SLACK_FACTOR * np.bincount(w, f.grid.year_h, nw))
    lam = f.values[rule.tunable]
    if f.params.policy.peak_valley_reading == "connection":
        lhs = pmax - pmin - f.x["conn"][np.zeros(nw, dtype=int)] * lam
    else:
        lhs = pmax * (1.0 - lam) - pmin
    f.m.add_constraints(rule.lp_row, lhs, "<=", 0.0,
                        slack=slack, slack_ub=float(f.grid.load_mw.max(initial=0.0)))  # fmt: skip


@rows_for("renewable_utilisation_min")
def define_utilisation_min(f: Formulation, rule: SizingRule) -> None:
    """E_sc + E_exp >= u·E_A (renewable_utilisation_min, 四(三)): renewable energy delivered.

    Utilised is the renewable energy that reached the loads (E_sc = E_load − E_imp + E_g) or
    the grid (E_exp); storage round-trip losses are not utilisation, so charging and
    discharging at once cannot meet the floor (see README "Renewable utilisation"). As a row:
    u·E_A + E_imp − E_g − E_exp <= E_load.
    """
    if not in_force(f, rule):
        return
    sc, load_mwh = self_consumption_mwh(f)
    lhs = f.available_mwh() * f.values[rule.tunable]
    if not isinstance(sc, float):  # off-grid: E_sc = E_load, no variable part
        lhs = lhs - sc
    if f.has("E_exp"):
        lhs = lhs - f.x["E_exp"]
    f.m.add_constraints(rule.lp_row, lhs, "<=", load_mwh, slack=f.penalty())
