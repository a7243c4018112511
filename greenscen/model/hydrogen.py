"""The hydrogen chain of the sizing LP: electrolyser, hydrogen storage and demand, written once.

One family, :func:`define_hydrogen`, run after the grid's columns and before the balances
(``greenscen.model.lp``), so the hourly LP, typical days (fast mode), the elastic dispatch,
multi-year planning and the Pyomo view all take it. Symbols (units; LP block in brackets):

==============  ===================================================  ============
symbol          meaning                                              block
==============  ===================================================  ============
K_el            electrolyser capacity (MW of power drawn)            ``el_cap``
p_t             electrolyser power (MW)                              ``p_el``
h_t             hydrogen produced (kg/h)                             ``h2``
d_t             hydrogen delivered to the user / market (kg/h)       ``h2_d``
q^in, q^out     hydrogen into, out of storage (kg/h)                 ``h2_in``, ``h2_out``
S, s_t          storage capacity, level at the end of step t (kg)    ``h2s_cap``, ``h2_soc``
E_v             energy of the variable load over the horizon (MWh)   ``E_v``
==============  ===================================================  ============

Rows: p_t <= K_el; p_t >= m·K_el when the electrolyser may not stop (m the minimum stable
load share; an always-on LP, no binary); production h_t = 1000·p_t/e (e kWh/kg) or, with a
part-load curve, h_t <= a_k·p_t + b_k·K_el for each segment k (a concave curve: the LP takes
the lowest line, i.e. the curve); mass balance h_t = d_t + q^in_t − q^out_t; storage
s_t = s_{t−1} + Δt·(q^in_t − q^out_t) cyclic, 0 <= s_t <= S (linked over typical periods
as the battery, Kotzur et al. 2018); demand d_t >= floor_t (flat: the mean; band: min_share
of it; both times the delivery shape σ_t when one is given) with d_t <= ceiling, and Σ w_t·Δt·d_t = D per year, or a price per kg earned instead.

The variable load L^v_t = p_t + c·q^in_t/1000 (c kWh/kg compression) enters the supply and
green-supply rows, the import bound imp_t <= L_t + L^v_t and, as E_v, every annual rule row
(``Formulation.variable_load``): the electrolyser is the user's load in every rule.
"""

from __future__ import annotations

import numpy as np

from greenscen.model.components import LOCAL_SLACK_FACTOR, Formulation
from greenscen.model.linear import INF, LinExpr


def demand_mean_kg_h(h, year_h: np.ndarray) -> float:
    """Mean delivery of an annual demand, kg/h: D / Σ w_t·Δt (8760 h on a scenario's grids)."""
    return h.demand_kg_per_year / float(np.sum(year_h))


def demand_shape(grid) -> np.ndarray | float:
    """Relative delivery per step, year-weighted mean 1 (``grid.h2_shape``); 1.0 when flat.

    With it the mean delivery of step t is D·σ_t / Σ w_t·Δt and Σ w_t·Δt·σ_t = Σ w_t·Δt, so a
    flat delivery along the shape meets the annual demand D exactly.
    """
    if grid.h2_shape is None:
        return 1.0
    yh = grid.year_h
    return grid.h2_shape * (float(yh.sum()) / float(grid.h2_shape @ yh))


def define_hydrogen(f: Formulation) -> None:
    """Add the electrolyser, hydrogen storage and demand, and set the variable load (see module)."""
    h = f.params.hydrogen
    if h is None:
        return
    n, dt, yh, m = f.grid.n, f.grid.duration_h, f.grid.year_h, f.m
    fixed, lo, hi = h.capacity_mw, h.min_mw, h.max_mw
    cap = f.var("el_cap", 1, fixed if fixed is not None else lo, fixed if fixed is not None else hi,
                f.values["electrolyser_cost_yuan_per_mw_year"])  # fmt: skip
    p = f.var("p_el", n, 0.0, None, h.stack_yuan_per_mwh * yh)
    m.add_constraints("el_le_cap", p - cap, "<=", 0.0)
    if h.min_load_share > 0 and not h.may_stop:
        m.add_constraints("el_min_load", p - cap * h.min_load_share, ">=", 0.0)
    prod = f.var("h2", n)
    if h.segments is None:
        m.add_constraints("h2_production", prod - p * (1000.0 / h.kwh_per_kg), "==", 0.0)
    else:
        for k, (a, b) in enumerate(h.segments):
            m.add_constraints(f"h2_curve_{k}", prod - p * a - cap * b, "<=", 0.0)
    _demand(f, h)
    flow = f.x["h2_d"].expr()
    load = p.expr()
    if h.storage_cost_yuan_per_kg_year is not None:
        s_fixed = h.storage_kg
        f.var("h2s_cap", 1, s_fixed if s_fixed is not None else 0.0,
              s_fixed if s_fixed is not None else h.storage_max_kg,
              f.values["h2_storage_cost_yuan_per_kg_year"])  # fmt: skip
        q_in, q_out = f.var("h2_in", n), f.var("h2_out", n)
        flow = flow + q_in - q_out
        if h.compression_kwh_per_kg > 0:
            load = load + q_in * (h.compression_kwh_per_kg / 1000.0)
        _storage_level(f, q_in, q_out, dt)
    m.add_constraints("h2_balance", prod - flow, "==", 0.0)
    ev = f.var("E_v", 1, -INF, None, f.params.funds_yuan_per_mwh)  # funds on the load (五(四))
    m.add_constraints("E_v_def", ev - load.sum(yh), "==", 0.0)
    f.variable_load, f.variable_load_mwh = load, ev.expr()
    if f.has("imp") and not f.grid_charging:  # grid energy only reaches the loads
        m.add_constraints("imp_le_load", f.x["imp"] - load, "<=", f.grid.load_mw)


def _demand(f: Formulation, h) -> None:
    """d_t (kg/h): the annual demand flat or within its band, or sold at a price (see module)."""
    n, yh, m = f.grid.n, f.grid.year_h, f.m
    per_kg = h.kwh_per_kg / 1000.0  # slack priced as the MWh the missing kg would take
    if h.demand_kg_per_year is None:  # a market: revenue per kg, optional annual ceiling
        d = f.var("h2_d", n, 0.0, None, -h.price_yuan_per_kg * yh)
        if h.max_kg_per_year is not None:
            m.add_constraints("h2_max", d.sum(yh), "<=", h.max_kg_per_year)
        return
    mean = demand_mean_kg_h(h, yh) * demand_shape(f.grid)
    if h.demand_profile == "flat":
        floor, ceiling = mean, mean
    elif h.demand_profile == "band":
        floor, ceiling = h.demand_min_share * mean, h.demand_max_share * mean
    else:
        floor, ceiling = 0.0, None
    d = f.var("h2_d", n, 0.0, ceiling)
    if np.any(np.asarray(floor) > 0):
        m.add_constraints("h2_demand", d.expr(), ">=", floor,
                          slack=f.penalty(LOCAL_SLACK_FACTOR * yh * per_kg), slack_ub=floor)  # fmt: skip
    if h.demand_profile != "flat":
        m.add_constraints("h2_annual", d.sum(yh), ">=", h.demand_kg_per_year,
                          slack=f.penalty(per_kg))  # fmt: skip
        m.add_constraints("h2_annual_max", d.sum(yh), "<=", h.demand_kg_per_year)


def _storage_level(f: Formulation, q_in, q_out, dt) -> None:
    """s_t = s_{t−1} + Δt·(q^in_t − q^out_t) (kg), cyclic per period, 0 <= s_t <= S.

    On linked typical periods s_t is relative to its period's start and the absolute level is
    carried day by day through the year (as ``components.define_linked_storage``).
    """
    m, x, n = f.m, f.x, f.grid.n
    prev = f.grid.previous_step()
    t = np.arange(n)
    soc = f.var("h2_soc", n, -INF if f.grid.sequence is not None else 0.0)
    wrap = ~(prev >= t) if f.grid.sequence is not None else np.ones(n, dtype=bool)
    prev_soc = LinExpr(n, t[wrap], soc.idx[prev[wrap]], -np.ones(int(wrap.sum())))
    m.add_constraints("h2_soc_balance", soc + prev_soc - q_in * dt + q_out * dt, "==", 0.0)
    if f.grid.sequence is None:
        m.add_constraints("h2_soc_le_cap", soc - x["h2s_cap"], "<=", 0.0)
        return
    period = f.grid.period
    first = prev >= t
    npd = int(period.max()) + 1
    smax = f.var("h2_rel_max", npd, 0.0)
    smin = f.var("h2_rel_min", npd, -INF, 0.0)
    m.add_constraints("h2_soc_le_max", soc - smax[period], "<=", 0.0)
    m.add_constraints("h2_soc_ge_min", soc - smin[period], ">=", 0.0)
    seq = np.asarray(f.grid.sequence)
    nd = len(seq)
    day = f.var("h2_day", nd, 0.0)
    last = prev[first]
    d = np.arange(nd)
    m.add_constraints("h2_day_link", day[(d + 1) % nd] - day - soc[last[seq]], "==", 0.0)
    m.add_constraints("h2_day_le_cap", day + smax[seq] - x["h2s_cap"], "<=", 0.0)
    m.add_constraints("h2_day_ge_0", day + smin[seq], ">=", 0.0)



# A step "loops" when both flows exceed this share of the largest flow (kg/h); it "burns" when
# its production is below the part-load curve by this share of the largest production. The
# independent check (results.hydrogen) allows 1e-6 of the largest production per hour.
LOOP_TOL = 1e-7
# Rounds of closing burning steps and re-solving (each round only closes more).
LOOP_ROUNDS = 8


def burn_fixes(lp, x: np.ndarray, closed: np.ndarray | None = None,
               closed_rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Return (columns to close, curve rows to make equalities) so that no step burns energy.

    Why: the hydrogen chain's energy is load, and the load counts in the rules (1.2×
    generation cap, export ratio, self-consumption), so an LP may burn energy to raise the load
    the rules are measured against. Two ways are open to it: storing and drawing the same kg in
    one step (compression, c kWh/kg on q^in; seen at 12-hour steps on ``hydrogen_ammonia_2028``:
    14,207 t/yr looped, 30,325 MWh of "load"), and, with a part-load curve, drawing power while
    producing below the curve (h_t < min_k a_k·p_t + b_k·K_el). No linear row forbids either
    (q^in·q^out = 0 and h = min_k(...) are not convex). So the solve (:meth:`HighsLP.solve`)
    closes, at each step where both q^in_t and q^out_t are positive, the smaller one (the net
    flow keeps its direction), and at each step below the curve makes the nearest segment's row
    an equality (p_t stays within that segment, where the line is the curve), and re-solves
    until no step burns: the optimum of the LP with those choices fixed, a heuristic of the MILP
    with a binary per step, not a proof of its optimum (the LP's own optimum bounds it from
    below; see ``loop_report``). Blocks of any prefix (planning regimes) are handled.

    With ``closed`` (the flow columns closed so far) and ``closed_rows`` (the curve rows made
    equalities so far) every step is closed, not only the burning ones: at each step where
    both flows are still open the smaller one (or, at a tie, the inflow) is closed, and at each
    step with no curve row made an equality yet the nearest segment's row becomes one (the
    segment the step runs on: it stays there). After that re-solve no step can loop or burn.
    The solve does this after ``LOOP_ROUNDS`` rounds that did not end the burning: the LP had
    moved it from step to step (fast mode's full-year dispatch of ``hydrogen_ammonia_2027``:
    257,648 kg/yr still looped after 8 rounds; with the flows closed, 10 steps still drew
    power below the curve after 7 more rounds).
    """
    cols, rows = [], []
    for key, s_in in lp.cols.items():
        if not key.endswith("h2_in") or key[:-2] + "out" not in lp.cols:
            continue
        s_out = lp.cols[key[:-2] + "out"]
        q_in, q_out = x[s_in], x[s_out]
        tol = LOOP_TOL * max(1.0, float(q_in.max(initial=0.0)), float(q_out.max(initial=0.0)))
        if closed is None:
            t = np.flatnonzero(np.minimum(q_in, q_out) > tol)
            cols.append(np.where(q_in[t] >= q_out[t], s_out.start + t, s_in.start + t))
            continue
        steps = np.arange(q_in.size)
        both_open = ~np.isin(s_in.start + steps, closed) & ~np.isin(s_out.start + steps, closed)
        t = np.flatnonzero(both_open)
        cols.append(np.where(q_in[t] > q_out[t], s_out.start + t, s_in.start + t))
    for key, s_h in lp.cols.items():
        if not key.endswith("h2") or key + "_curve_0" not in lp.rows:
            continue
        names = [k for k in lp.rows if k.startswith(key + "_curve_") and k[len(key) + 7:].isdigit()]
        gaps = np.array([lp.A[lp.rows[k]] @ x for k in names])  # <= 0; the max is the curve's
        tol = LOOP_TOL * max(1.0, float(x[s_h].max(initial=0.0)))
        nearest = gaps.argmax(axis=0)
        if closed is None:
            t = np.flatnonzero(gaps.max(axis=0) < -tol)
        else:
            steps = np.arange(gaps.shape[1])
            done = np.zeros(steps.size, dtype=bool)
            for k in names:
                done |= np.isin(lp.rows[k].start + steps, closed_rows if closed_rows is not None else [])
            t = np.flatnonzero(~done)
        rows.append(np.array([lp.rows[names[k]].start for k in nearest[t]], dtype=int) + t)
    join = lambda a: np.concatenate(a).astype(np.int32) if a else np.zeros(0, dtype=np.int32)  # noqa: E731
    return join(cols), join(rows)
