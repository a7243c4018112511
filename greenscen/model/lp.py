"""The sizing LP as arrays: the Pyomo model of ``build_model``, built in bulk with numpy/scipy.

``build_model`` (Pyomo, element by element) is the readable, canonical formulation. Building
it and handing it to HiGHS through appsi costs longer than most solves, so the solver path
builds the same LP here directly as a sparse matrix, in a leaner but equivalent form:

- curtailment is substituted out: ``curt = avail − ch + dis + imp − exp − load`` and
  ``curt >= 0`` becomes ``supply[t]``; green charging (``ch − ch_g <= avail − curt``) becomes
  ``dis + imp − exp − ch_g <= load`` and implies ``curt <= avail``;
- ``imp <= load`` (no grid charging) is a column bound, not a row;
- annual energies (import, export, grid-charged net) are aggregate columns, so a change of a
  rule ratio touches one or two coefficients instead of 8760.

``build_lp(..., elastic=True)`` adds a nonnegative slack column, priced at ``SLACK_PENALTY``,
to every row that fixed capacities can make infeasible (supply per step, peak-valley rate per
window, the annual rule rows). That LP is always feasible and its slacks say where and by how
much a design misses; fast mode uses it to repair a sizing (``greenscen.model.fast``). A solution
with any positive slack is no dispatch: only one with every slack at zero is reported.

The same builder serves reduced time grids (typical periods): each step carries a weight (how
many hours of the year it stands for, per hour of its duration) and a period id; storage is
cyclic within each period and every annual energy is weighted. ``tests/model`` checks that the
two formulations give the same optimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

from greenscen.model.params import SizingParams
from greenscen.scenario.inputs import ModelInputs

SCALE = 1e-3  # the LP works in thousand yuan, keeping coefficients near 1
INF = np.inf
# Price of one MWh of slack, yuan: far above any marginal dispatch cost, so a slack is used
# only where no dispatch meets the row, yet small enough to keep the simplex well conditioned.
# A step's rows (supply, peak-valley per MW and hour of its window) cost ten times an annual
# rule's: where a design misses an annual budget (self-consumption, say) the elastic dispatch
# then shows it on that rule, not spread over the days where the shortfall surfaced.
SLACK_PENALTY = 1e5
LOCAL_SLACK_FACTOR = 10.0


@dataclass(frozen=True)
class TimeGrid:
    """Steps of a model: durations (h), weights (year hours per step hour), periods, windows."""

    load_mw: np.ndarray
    cf: dict[str, np.ndarray]
    duration_h: np.ndarray
    weight: np.ndarray
    period: np.ndarray  # storage is cyclic within each period (one period = the year)
    window: np.ndarray  # peak-valley window id per step
    energy_price: np.ndarray
    export_price: np.ndarray
    sequence: np.ndarray | None = None  # typical period of each day of the year (storage linking)

    @property
    def n(self) -> int:
        return len(self.duration_h)

    @property
    def year_h(self) -> np.ndarray:
        """Hours of the year each step stands for (Δt · weight)."""
        return self.duration_h * self.weight


def window_ids(index: pd.DatetimeIndex, window: str) -> np.ndarray:
    """Return an integer window id per step: calendar day (D), month (M) or one window (Y)."""
    if window == "D":
        key = index.normalize()
    elif window == "M":
        key = index.to_period("M")
    elif window == "Y":
        return np.zeros(len(index), dtype=int)
    else:
        raise ValueError(f"window must be D, M or Y, got {window!r}")
    return pd.factorize(key)[0]


def full_grid(inputs: ModelInputs, params: SizingParams) -> TimeGrid:
    """Return the time grid of the inputs as they are (weights 1, one cyclic period)."""
    n = len(inputs.index)
    return TimeGrid(
        load_mw=inputs.total_load_mw.to_numpy(dtype=float),
        cf={k: inputs.cf[k].to_numpy(dtype=float) for k in inputs.cf.columns},
        duration_h=inputs.duration_h.to_numpy(dtype=float),
        weight=np.ones(n),
        period=np.zeros(n, dtype=int),
        window=window_ids(inputs.index, params.policy.peak_valley_window),
        energy_price=inputs.energy_price_yuan_per_mwh.to_numpy(dtype=float),
        export_price=inputs.export_price_yuan_per_mwh.to_numpy(dtype=float),
    )


def default_values(params: SizingParams) -> dict[str, float]:
    """Return the tunable parameters' values as the scenario gives them (see ``TUNABLE``)."""
    v: dict[str, float] = {
        f"{t.name}_cost_yuan_per_mw_year": t.cost_yuan_per_mw_year for t in params.renewables
    }
    if params.storage:
        v["storage_power_cost_yuan_per_mw_year"] = params.storage.power_cost_yuan_per_mw_year
        v["storage_energy_cost_yuan_per_mwh_year"] = params.storage.energy_cost_yuan_per_mwh_year
    if params.grid:
        v["connection_cost_yuan_per_mw_year"] = params.grid.connection_cost_yuan_per_mw_year
        v["td_charge_yuan_per_mwh"] = params.grid.td_charge_yuan_per_mwh
        v["export_price_scale"] = 1.0
    p = params.policy
    for name, value in (
        ("hydrogen_max_ratio", p.hydrogen_max_ratio),
        ("available_max_ratio", p.available_max_ratio),
        ("export_max_ratio", p.export_max_ratio),
        ("self_consumption_min", p.self_consumption_min),
        ("peak_valley_limit", p.peak_valley_limit),
        ("utilisation_min", p.utilisation_min),
    ):
        if value is not None:
            v[name] = float(value)
    return v


@dataclass
class LinearProgram:
    """min c·x s.t. row_lb <= A x <= row_ub, col_lb <= x <= col_ub; ``cols`` names the blocks."""

    c: np.ndarray
    col_lb: np.ndarray
    col_ub: np.ndarray
    A: sp.csc_matrix
    row_lb: np.ndarray
    row_ub: np.ndarray
    cols: dict[str, slice] = field(default_factory=dict)
    rows: dict[str, slice] = field(default_factory=dict)


class _Builder:
    """Collects column blocks and row blocks (as COO triplets) and assembles a LinearProgram."""

    def __init__(self, elastic: bool = False):
        self.elastic = elastic
        self.ncol = 0
        self.cols: dict[str, slice] = {}
        self.c, self.lb, self.ub = [], [], []
        self.nrow = 0
        self.rows: dict[str, slice] = {}
        self.ri, self.ci, self.v, self.rlb, self.rub = [], [], [], [], []

    def col(self, name: str, size: int, lb=0.0, ub=INF, cost=0.0) -> np.ndarray:
        self.cols[name] = slice(self.ncol, self.ncol + size)
        self.c.append(np.broadcast_to(np.asarray(cost, float), (size,)))
        self.lb.append(np.broadcast_to(np.asarray(lb, float), (size,)))
        self.ub.append(np.broadcast_to(np.asarray(INF if ub is None else ub, float), (size,)))
        idx = np.arange(self.ncol, self.ncol + size)
        self.ncol += size
        return idx

    def row(self, name: str, size: int, terms, lb=-INF, ub=INF, slack=None, slack_ub=INF) -> None:
        """Add ``size`` rows; ``terms`` is a list of (row offsets, column indices, coefficients).

        ``slack`` (elastic LPs only) is the penalty per unit of a slack column that relaxes each
        row towards feasibility: it adds to the row if the row has a lower bound, else subtracts.
        A finite ``slack_ub`` (large enough for a feasible point) lets dual simplex flip the slack
        between its bounds, several times faster than with free slacks (measured).
        """
        if self.elastic and slack is not None:
            sign = 1.0 if np.any(np.isfinite(np.asarray(lb, float))) else -1.0
            cost = SCALE * SLACK_PENALTY * np.asarray(slack)
            s = self.col(f"slack:{name}", size, 0.0, slack_ub, cost)
            terms = [*terms, (np.arange(size), s, sign)]
        self.rows[name] = slice(self.nrow, self.nrow + size)
        for r, c, v in terms:
            r, c = np.broadcast_arrays(np.asarray(r), np.asarray(c))
            self.ri.append(self.nrow + r.ravel())
            self.ci.append(c.ravel())
            self.v.append(np.broadcast_to(np.asarray(v, float), r.shape).ravel())
        self.rlb.append(np.broadcast_to(np.asarray(lb, float), (size,)))
        self.rub.append(np.broadcast_to(np.asarray(ub, float), (size,)))
        self.nrow += size

    def build(self) -> LinearProgram:
        A = sp.coo_matrix(
            (np.concatenate(self.v), (np.concatenate(self.ri), np.concatenate(self.ci))),
            shape=(self.nrow, self.ncol),
        ).tocsc()
        A.sort_indices()
        cat = np.concatenate
        return LinearProgram(
            cat(self.c).copy(), cat(self.lb).copy(), cat(self.ub).copy(), A,
            cat(self.rlb).copy(), cat(self.rub).copy(), self.cols, self.rows,
        )  # fmt: skip


def build_lp(
    params: SizingParams,
    grid: TimeGrid,
    values: dict[str, float] | None = None,
    elastic: bool = False,
) -> LinearProgram:
    """Return the sizing LP on ``grid`` with tunable ``values`` (defaults from ``params``).

    ``elastic`` adds the penalised slack columns ``slack:<row>`` (see the module docstring).
    """
    v = default_values(params) | (values or {})
    b = _Builder(elastic)
    n, t = grid.n, np.arange(grid.n)
    dt, yh, load = grid.duration_h, grid.year_h, grid.load_mw
    load_mwh = float(load @ yh)
    techs = params.renewables
    cap = {}
    for tp in techs:
        fixed = tp.capacity_mw
        lb, ub = (fixed, fixed) if fixed is not None else (tp.min_mw, tp.max_mw)
        cap[tp.name] = int(
            b.col(f"cap:{tp.name}", 1, lb, ub, SCALE * v[f"{tp.name}_cost_yuan_per_mw_year"])[0]
        )
    st, g, pol = params.storage, params.grid, params.policy
    grid_ch = bool(st and st.allow_grid_charging)
    if st:
        fp, fe = st.power_mw, st.energy_mwh
        p = int(b.col("sto_p", 1, fp or 0.0, fp if fp is not None else st.max_power_mw,
                      SCALE * v["storage_power_cost_yuan_per_mw_year"])[0])  # fmt: skip
        e = int(
            b.col("sto_e", 1, fe or 0.0, fe, SCALE * v["storage_energy_cost_yuan_per_mwh_year"])[0]
        )
        linked = grid.sequence is not None and not grid_ch
        ch, dis, soc = b.col("ch", n), b.col("dis", n), b.col("soc", n, -INF if linked else 0.0)
        if grid_ch:
            chg, disg, socg = b.col("ch_g", n), b.col("dis_g", n), b.col("soc_g", n)
    imp_ub = None if grid_ch else load
    if g:
        conn = int(b.col("conn", 1, g.connection_mw or 0.0,
                         g.connection_mw if g.connection_mw is not None else g.connection_max_mw,
                         SCALE * v["connection_cost_yuan_per_mw_year"])[0])  # fmt: skip
        imp = b.col(
            "imp", n, 0.0, imp_ub, SCALE * (grid.energy_price + v["td_charge_yuan_per_mwh"]) * yh
        )
        e_imp = int(b.col("E_imp", 1, -INF)[0])
        export = g.allow_export
        if export:
            exp_ = b.col(
                "exp", n, 0.0, None, -SCALE * v["export_price_scale"] * grid.export_price * yh
            )
            e_exp = int(b.col("E_exp", 1, -INF)[0])
    else:
        export = False
    if grid_ch:
        e_g = int(b.col("E_g", 1, -INF)[0])

    # supply[t]: avail − ch + dis + imp − exp >= load  (curtailment >= 0)
    terms = [(t[:, None], np.array([cap[k] for k in cap])[None, :],
              np.column_stack([grid.cf[k] for k in cap]) if cap else np.zeros((n, 0)))]  # fmt: skip
    green = []
    if st:
        terms += [(t, ch, -1.0), (t, dis, 1.0)]
        green += [(t, dis, 1.0)]
    if g:
        terms.append((t, imp, 1.0))
        green.append((t, imp, 1.0))
    if export:
        terms.append((t, exp_, -1.0))
        green.append((t, exp_, -1.0))
    b.row("supply", n, terms, lb=load, slack=LOCAL_SLACK_FACTOR * yh, slack_ub=load)
    # green[t]: dis + imp − exp − ch_g <= load (green charging, which implies curt <= avail)
    if grid_ch:
        green.append((t, chg, -1.0))
    if st or export:
        b.row("green", n, green, ub=load)
    if st:
        b.row("ch_le_p", n, [(t, ch, 1.0), (t, p, -1.0)], ub=0.0)
        b.row("dis_le_p", n, [(t, dis, 1.0), (t, p, -1.0)], ub=0.0)
        prev = _previous_step(grid.period)
        ec, ed = st.charge_efficiency, st.discharge_efficiency
        if linked:
            _linked_storage(b, grid, prev, soc, ch, dis, e, ec, ed)
        else:
            b.row("soc_le_e", n, [(t, soc, 1.0), (t, e, -1.0)], ub=0.0)
            b.row("soc_balance", n, [(t, soc, 1.0), (t, soc[prev], -1.0), (t, ch, -ec * dt), (t, dis, dt / ed)],
                  lb=0.0, ub=0.0)  # fmt: skip
        if st.max_hours is not None:
            b.row("sto_max_hours", 1, [(0, e, 1.0), (0, p, -st.max_hours)], ub=0.0)
        if st.min_hours > 0:
            b.row("sto_min_hours", 1, [(0, e, 1.0), (0, p, -st.min_hours)], lb=0.0)
        if grid_ch:
            b.row("ch_g_le", n, [(t, chg, 1.0), (t, ch, -1.0)], ub=0.0)
            b.row("dis_g_le", n, [(t, disg, 1.0), (t, dis, -1.0)], ub=0.0)
            b.row("soc_g_le", n, [(t, socg, 1.0), (t, soc, -1.0)], ub=0.0)
            b.row("soc_g_balance", n, [(t, socg, 1.0), (t, socg[prev], -1.0), (t, chg, -ec * dt),
                                       (t, disg, dt / ed)], lb=0.0, ub=0.0)  # fmt: skip
            if g:  # grey supply to the loads <= load
                b.row("grey_le_load", n, [(t, imp, 1.0), (t, chg, -1.0), (t, disg, 1.0)], ub=load)
                # grid-origin charge comes from this step's import (``grid_charge_le_import``)
                b.row("ch_g_le_imp", n, [(t, chg, 1.0), (t, imp, -1.0)], ub=0.0)
            b.row("E_g_def", 1, [(0, e_g, 1.0), (0, chg, -yh), (0, disg, yh)], lb=0.0, ub=0.0)
    if g:
        if pol.exchange_limit:
            b.row("imp_le_conn", n, [(t, imp, 1.0), (t, conn, -1.0)], ub=0.0)
            if export:
                b.row("exp_le_conn", n, [(t, exp_, 1.0), (t, conn, -1.0)], ub=0.0)
        b.row("E_imp_def", 1, [(0, e_imp, 1.0), (0, imp, -yh)], lb=0.0, ub=0.0)
        if export:
            b.row("E_exp_def", 1, [(0, e_exp, 1.0), (0, exp_, -yh)], lb=0.0, ub=0.0)
    cf_mwh = {k: float(grid.cf[k] @ yh) for k in cap}
    ck = list(cap.values())
    if "hydrogen_max_ratio" in v:
        b.row("h2_cap", 1, [(0, ck, list(cf_mwh.values()))],
              ub=v["hydrogen_max_ratio"] * load_mwh, slack=1.0)  # fmt: skip
    if "available_max_ratio" in v:
        b.row("avail_cap", 1, [(0, ck, list(cf_mwh.values()))],
              ub=v["available_max_ratio"] * load_mwh, slack=1.0)  # fmt: skip
    # self-consumption E_sc = load_mwh − E_imp + E_g
    sc_terms = ([(0, e_imp, -1.0)] if g else []) + ([(0, e_g, 1.0)] if grid_ch else [])
    if export and "export_max_ratio" in v:  # (1 − r)·E_exp <= r·E_sc
        r = v["export_max_ratio"]
        b.row(
            "export_ratio",
            1,
            [(0, e_exp, 1 - r)] + [(i, j, -r * c) for i, j, c in sc_terms],
            ub=r * load_mwh,
            slack=1.0,
        )
    if g and "self_consumption_min" in v:  # E_sc >= s·E_load
        b.row("self_consumption", 1, sc_terms, lb=(v["self_consumption_min"] - 1.0) * load_mwh,
              slack=1.0)  # fmt: skip
    if g and "peak_valley_limit" in v:
        w = grid.window
        nw = int(w.max()) + 1
        pmax, pmin = b.col("p_max", nw, -INF), b.col("p_min", nw, -INF)
        pt = [(t, imp, 1.0)] + ([(t, exp_, -1.0)] if export else [])
        b.row("p_le_max", n, pt + [(t, pmax[w], -1.0)], ub=0.0)
        b.row("p_ge_min", n, pt + [(t, pmin[w], -1.0)], lb=0.0)
        iw = np.arange(nw)
        b.row("pv_rate", nw, [(iw, pmax, 1.0 - v["peak_valley_limit"]), (iw, pmin, -1.0)], ub=0.0,
              slack=LOCAL_SLACK_FACTOR * np.bincount(w, yh, nw),
              slack_ub=float(load.max(initial=0.0)))  # fmt: skip
    if "utilisation_min" in v:  # Σ curt·Δt <= (1 − u)·E_A, curtailment substituted
        u = v["utilisation_min"]
        terms = [(0, ck, [u * c for c in cf_mwh.values()])]
        if st:
            terms += [(0, ch, -yh), (0, dis, yh)]
        if g:
            terms.append((0, e_imp, 1.0))
        if export:
            terms.append((0, e_exp, -1.0))
        b.row("utilisation", 1, terms, ub=load_mwh, slack=1.0)
    return b.build()


def _previous_step(period: np.ndarray) -> np.ndarray:
    """Return the index of each step's predecessor, wrapping around within its period."""
    n = len(period)
    prev = np.arange(n) - 1
    starts = np.flatnonzero(np.r_[True, period[1:] != period[:-1]])
    ends = np.r_[starts[1:], n] - 1
    prev[starts] = ends
    return prev


def _linked_storage(
    b: _Builder, grid: TimeGrid, prev, soc, ch, dis, e: int, ec: float, ed: float
) -> None:
    """Storage over typical periods linked through the year (Kotzur et al. 2018, Appl. Energy 213).

    ``soc`` is the state of charge relative to the start of its typical period; ``S[d]`` the
    absolute state at the start of day ``d``, carried by the net change of its period. The
    bounds 0 <= S[d] + soc <= e are kept through each period's highest and lowest relative state.
    """
    n, t, dt = grid.n, np.arange(grid.n), grid.duration_h
    first = prev >= t  # the first step of each period wraps to its last
    keep = ~first
    b.row("soc_balance", n, [(t, soc, 1.0), (t[keep], soc[prev[keep]], -1.0), (t, ch, -ec * dt),
                             (t, dis, dt / ed)], lb=0.0, ub=0.0)  # fmt: skip
    npd = int(grid.period.max()) + 1
    smax, smin = b.col("soc_rel_max", npd, 0.0), b.col("soc_rel_min", npd, -INF, 0.0)
    b.row("soc_le_max", n, [(t, soc, 1.0), (t, smax[grid.period], -1.0)], ub=0.0)
    b.row("soc_ge_min", n, [(t, soc, 1.0), (t, smin[grid.period], -1.0)], lb=0.0)
    seq = np.asarray(grid.sequence)
    nd = len(seq)
    big_s = b.col("soc_day", nd, 0.0)
    last = prev[first]  # the last step of period p, in period order
    d = np.arange(nd)
    b.row("soc_day_link", nd, [(d, big_s[(d + 1) % nd], 1.0), (d, big_s, -1.0), (d, soc[last[seq]], -1.0)],
          lb=0.0, ub=0.0)  # fmt: skip
    b.row("soc_day_le_e", nd, [(d, big_s, 1.0), (d, smax[seq], 1.0), (d, e, -1.0)], ub=0.0)
    b.row("soc_day_ge_0", nd, [(d, big_s, 1.0), (d, smin[seq], 1.0)], lb=0.0)
