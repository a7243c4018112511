"""Technology and balance families of the sizing LP: renewables, storage, grid, supply.

Each function adds one family of variables or rows to a :class:`Formulation` and carries its
equations in its docstring. Symbols (units; the LP column block in brackets):

==============  ================================================  ==================
symbol          meaning                                           block
==============  ================================================  ==================
K_k             installed capacity of renewable k (MW, PV MWp)    ``cap:<k>``
cf_k,t          capacity factor of k in step t (0-1)              grid data
A_t             renewable output Σ_k cf_k,t·K_k + b_t (MW)        (expression)
P_s, E_s        storage power (MW) and energy (MWh) capacity      ``sto_p``, ``sto_e``
ch_t, dis_t     storage charge, discharge (MW)                    ``ch``, ``dis``
soc_t           state of charge at the end of step t (MWh)        ``soc``
ch^g, dis^g     grid-origin parts of charge, discharge (MW)       ``ch_g``, ``dis_g``
soc^g_t         grid-origin part of the state of charge (MWh)     ``soc_g``
C               connection capacity 接网容量 (MW)                 ``conn``
imp_t, exp_t    import from, export to the public grid (MW)       ``imp``, ``exp``
E_imp, E_exp    horizon energies Σ w_t·Δt·imp_t, ... (MWh)        ``E_imp``, ``E_exp``
E_g             grid-origin energy kept: Σ w_t·Δt (ch^g − dis^g)  ``E_g``
L_t             total load (MW); Δt step hours; w_t year weight   grid data
==============  ================================================  ==================

Curtailment is substituted out: curt_t = A_t − ch_t + dis_t + imp_t − exp_t − L_t, and
curt_t >= 0 is the supply row. Costs are in thousand yuan (``SCALE``) to keep coefficients
near 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from greenscen.base.params import SizingParams
from greenscen.model.linear import INF, LinearModel, LinExpr, Var
from greenscen.model.timegrid import TimeGrid

SCALE = 1e-3  # the LP works in thousand yuan, keeping coefficients near 1
# Price of one MWh of slack, yuan: far above any marginal dispatch cost, so a slack is used
# only where no dispatch meets the row, yet small enough to keep the simplex well conditioned.
# A step's rows (supply, peak-valley per MW and hour of its window) cost ten times an annual
# rule's: where a design misses an annual budget (self-consumption, say) the elastic dispatch
# then shows it on that rule, not spread over the days where the shortfall surfaced.
SLACK_PENALTY = 1e5
LOCAL_SLACK_FACTOR = 10.0


@dataclass
class Formulation:
    """A sizing LP being written: parameters, time grid, tunable values and variables by block."""

    params: SizingParams
    grid: TimeGrid
    values: dict[str, float]
    m: LinearModel
    x: dict[str, Var] = field(default_factory=dict)
    # L^v_t (MW): the loads the LP decides (the electrolyser, greenscen.model.hydrogen), one row
    # per step, and their horizon energy E_v (MWh, a 1-row expression); None without one
    variable_load: LinExpr | None = None
    variable_load_mwh: LinExpr | None = None

    def var(self, name: str, size: int, lb=0.0, ub=INF, cost=0.0) -> Var:
        """Add and remember a variable block (``cost`` in yuan per unit, scaled here)."""
        v = self.m.add_variables(name, size, lb, ub, SCALE * np.asarray(cost, float))
        self.x[name] = v
        return v

    def has(self, name: str) -> bool:
        return name in self.x

    def penalty(self, per_unit=1.0):
        """Return the slack cost of a row per unit of slack (objective units)."""
        return SCALE * SLACK_PENALTY * np.asarray(per_unit, float)

    @property
    def grid_charging(self) -> bool:
        st = self.params.storage
        return bool(st and st.allow_grid_charging)

    @property
    def linked_storage(self) -> bool:
        """True on typical periods whose storage is linked through the year's day sequence."""
        return self.grid.sequence is not None and not self.grid_charging

    def available(self) -> LinExpr:
        """A_t = Σ_k cf_k,t·K_k (+ b_t, biomass output) (MW), one row per step."""
        a = sum((self.x[f"cap:{k}"] * self.grid.cf[k] for k in self.renewables()),
                LinExpr.zero(self.grid.n))  # fmt: skip
        return a + self.x["bio"] if self.has("bio") else a  # greenscen.model.biomass

    def available_mwh(self) -> LinExpr:
        """E_A = Σ_k K_k·Σ_t w_t·Δt·cf_k,t (+ E_b, biomass) (MWh over the horizon), one row."""
        yh = self.grid.year_h
        e = sum((self.x[f"cap:{k}"] * float(self.grid.cf[k] @ yh) for k in self.renewables()),
                LinExpr.zero(1))  # fmt: skip
        return e + self.x["E_bio"] if self.has("E_bio") else e

    def renewables(self) -> list[str]:
        return [t.name for t in self.params.renewables]

    def minus_variable_load(self, lhs):
        """Return ``lhs − L^v_t``: a row ``lhs >= L_t`` then reads ``lhs >= L_t + L^v_t``."""
        return lhs if self.variable_load is None else lhs - self.variable_load

    def exchange(self) -> LinExpr:
        """P_t = imp_t − exp_t (MW), the signed exchange with the public grid."""
        return self.x["imp"] - self.x["exp"] if self.has("exp") else self.x["imp"].expr()


def capacity_bounds(params: SizingParams) -> dict[str, tuple[float | None, float, float | None]]:
    """Return each capacity block's (fixed value or None, lower, upper bound) (MW, MWh).

    The LP column takes the fixed value as both bounds; freeing it (``fix_capacity(name,
    None)``) restores the lower and upper bound.
    """
    out: dict[str, tuple[float | None, float, float | None]] = {
        f"cap:{t.name}": (t.capacity_mw, t.min_mw or 0.0, t.max_mw) for t in params.renewables
    }
    st, g = params.storage, params.grid
    if st is not None:
        out["sto_p"] = (st.power_mw, 0.0, st.max_power_mw)
        out["sto_e"] = (st.energy_mwh, 0.0, None)
    if g is not None:
        out["conn"] = (g.connection_mw, 0.0, g.connection_max_mw)
    b = params.biomass
    if b is not None:
        out["cap:biomass"] = (b.capacity_mw, b.min_mw, b.max_mw)
    h = params.hydrogen
    if h is not None:
        out["el_cap"] = (h.capacity_mw, h.min_mw, h.max_mw)
        if h.storage_cost_yuan_per_kg_year is not None:
            out["h2s_cap"] = (h.storage_kg, 0.0, h.storage_max_kg)
    return out


def _capacity(f: Formulation, block: str, cost: float) -> None:
    fixed, lo, hi = capacity_bounds(f.params)[block]
    lb, ub = (fixed, fixed) if fixed is not None else (lo, hi)
    f.var(block, 1, lb, ub, cost)


def add_renewable_capacity(f: Formulation) -> None:
    """K_k (MW), min_mw <= K_k <= max_mw or fixed; cost: annuity + fixed O&M per MW and year."""
    for tp in f.params.renewables:
        _capacity(f, f"cap:{tp.name}", f.values[f"{tp.name}_cost_yuan_per_mw_year"])


def add_storage_variables(f: Formulation) -> None:
    """P_s (MW), E_s (MWh), ch_t, dis_t >= 0 (MW), soc_t (MWh), and grid-origin parts if allowed.

    On linked typical periods soc_t is relative to the start of its period (free in sign).
    """
    st, n = f.params.storage, f.grid.n
    if st is None:
        return
    _capacity(f, "sto_p", f.values["storage_power_cost_yuan_per_mw_year"])
    _capacity(f, "sto_e", f.values["storage_energy_cost_yuan_per_mwh_year"])
    f.var("ch", n)
    f.var("dis", n)
    f.var("soc", n, -INF if f.linked_storage else 0.0)
    if f.grid_charging:
        f.var("ch_g", n)
        f.var("dis_g", n)
        f.var("soc_g", n)


def add_grid_variables(f: Formulation) -> None:
    """C (MW), imp_t (MW), E_imp (MWh); exp_t, E_exp only where export is allowed.

    Without grid charging imp_t <= L_t is a column bound (grid energy only reaches the loads);
    with a variable load it is the row imp_t − L^v_t <= L_t (``greenscen.model.hydrogen``).
    Cost: C at the connection charge; imp_t at energy price + T&D charge; exp_t earns the
    export price (scaled by ``export_price_scale``). The export ban (三(一)) is the absent
    ``exp`` block.
    """
    g, n, yh = f.params.grid, f.grid.n, f.grid.year_h
    if g is None:
        if f.grid_charging:
            f.var("E_g", 1, -INF)
        return
    _capacity(f, "conn", f.values["connection_cost_yuan_per_mw_year"])
    imp_ub = None if f.grid_charging or f.params.hydrogen else f.grid.load_mw
    f.var("imp", n, 0.0, imp_ub, (f.grid.energy_price + f.values["td_charge_yuan_per_mwh"]) * yh)
    f.var("E_imp", 1, -INF)
    if g.allow_export:
        f.var("exp", n, 0.0, None, -f.values["export_price_scale"] * f.grid.export_price * yh)
        f.var("E_exp", 1, -INF)
    if f.grid_charging:
        f.var("E_g", 1, -INF)


def define_supply(f: Formulation) -> None:
    """curt_t >= 0:  A_t − ch_t + dis_t + imp_t − exp_t >= L_t  (MW, every step).

    Elastic: a slack (unserved load, MW) priced per MWh of the year it stands for.
    """
    lhs = f.minus_variable_load(f.available())
    for name, sign in (("ch", -1.0), ("dis", 1.0), ("imp", 1.0), ("exp", -1.0)):
        if f.has(name):
            lhs = lhs + f.x[name] * sign
    yh = f.grid.year_h
    f.m.add_constraints("supply", lhs, ">=", f.grid.load_mw,
                        slack=f.penalty(LOCAL_SLACK_FACTOR * yh), slack_ub=f.grid.load_mw)  # fmt: skip


def define_green_supply(f: Formulation) -> None:
    """dis_t + imp_t − exp_t − ch^g_t <= L_t  (MW): storage charges from the project's renewables.

    Equivalent to ch_t − ch^g_t <= A_t − curt_t with curtailment substituted, which also
    implies curt_t <= A_t. Energy released from storage counts as green only when it was
    charged from the renewables (五(五)); without this row, charging and discharging at once
    could pass grid energy through storage.
    """
    if not (f.has("ch") or f.has("exp")):
        return
    lhs = 0.0 if f.variable_load is None else -f.variable_load
    for name, sign in (("dis", 1.0), ("imp", 1.0), ("exp", -1.0), ("ch_g", -1.0)):
        if f.has(name):
            lhs = lhs + f.x[name] * sign
    f.m.add_constraints("green", lhs, "<=", f.grid.load_mw)


def define_storage_operation(f: Formulation) -> None:
    """Storage limits and state of charge (cyclic within each period).

    ch_t <= P_s, dis_t <= P_s, soc_t = soc_{t−1} + η_c·ch_t·Δt − dis_t·Δt/η_d (cyclic within
    each grid period), and 0 <= soc_t <= E_s; on linked typical periods soc_t starts from 0 in
    each period and its bounds are those of :func:`define_linked_storage`. Optional duration bounds:
    E_s <= max_hours·P_s, E_s >= min_hours·P_s.
    """
    st = f.params.storage
    if st is None:
        return
    x, dt, prev = f.x, f.grid.duration_h, f.grid.previous_step()
    m, ec, ed = f.m, st.charge_efficiency, st.discharge_efficiency
    m.add_constraints("ch_le_p", x["ch"] - x["sto_p"], "<=", 0.0)
    m.add_constraints("dis_le_p", x["dis"] - x["sto_p"], "<=", 0.0)
    t = np.arange(f.grid.n)
    # on linked typical periods soc is relative to the period's start: no wrap-around term
    wrap = ~(prev >= t) if f.linked_storage else np.ones(f.grid.n, dtype=bool)
    prev_soc = LinExpr(f.grid.n, t[wrap], x["soc"].idx[prev[wrap]], -np.ones(int(wrap.sum())))
    m.add_constraints("soc_balance", x["soc"] + prev_soc - x["ch"] * (ec * dt)
                      + x["dis"] * (dt / ed), "==", 0.0)  # fmt: skip
    if f.linked_storage:
        define_linked_storage(f, prev)
    else:
        m.add_constraints("soc_le_e", x["soc"] - x["sto_e"], "<=", 0.0)
    if st.max_hours is not None:
        m.add_constraints("sto_max_hours", x["sto_e"] - x["sto_p"] * st.max_hours, "<=", 0.0)
    if st.min_hours > 0:
        m.add_constraints("sto_min_hours", x["sto_e"] - x["sto_p"] * st.min_hours, ">=", 0.0)


def define_linked_storage(f: Formulation, prev: np.ndarray) -> None:
    """Storage over typical periods linked through the year (Kotzur et al. 2018, Appl. Energy 213).

    soc_t is relative to the start of its typical period p (soc = 0 before its first step,
    see :func:`define_storage_operation`). With S_d the absolute state at the start
    of day d of the year and σ(d) its typical period:  S_{d+1} = S_d + soc_{last(σ(d))}
    (cyclic over the year), and 0 <= S_d + min_p soc <= S_d + max_p soc <= E_s through each
    period's highest (``soc_rel_max``) and lowest (``soc_rel_min``) relative state.
    """
    x, m, period = f.x, f.m, f.grid.period
    first = prev >= np.arange(f.grid.n)  # the first step of each period wraps to its last
    npd = int(period.max()) + 1
    smax = f.var("soc_rel_max", npd, 0.0)
    smin = f.var("soc_rel_min", npd, -INF, 0.0)
    m.add_constraints("soc_le_max", x["soc"] - smax[period], "<=", 0.0)
    m.add_constraints("soc_ge_min", x["soc"] - smin[period], ">=", 0.0)
    seq = np.asarray(f.grid.sequence)
    nd = len(seq)
    day = f.var("soc_day", nd, 0.0)
    last = prev[first]  # the last step of period p, in period order
    d = np.arange(nd)
    m.add_constraints("soc_day_link", day[(d + 1) % nd] - day - x["soc"][last[seq]], "==", 0.0)
    m.add_constraints("soc_day_le_e", day + smax[seq] - x["sto_e"], "<=", 0.0)
    m.add_constraints("soc_day_ge_0", day + smin[seq], ">=", 0.0)


def define_grid_charging_accounts(f: Formulation) -> None:
    """The grid-origin storage account (grid charging allowed), never counted as green (五(五)).

    ch^g_t <= ch_t, dis^g_t <= dis_t, soc^g_t <= soc_t,
    soc^g_t = soc^g_{t−1} + η_c·ch^g_t·Δt − dis^g_t·Δt/η_d;
    grey supply to the loads imp_t − ch^g_t + dis^g_t <= L_t; grid-origin charge comes from
    the same step's import, ch^g_t <= imp_t; E_g = Σ w_t·Δt·(ch^g_t − dis^g_t).
    """
    if not f.grid_charging:
        return
    x, m, st = f.x, f.m, f.params.storage
    dt, prev, yh = f.grid.duration_h, f.grid.previous_step(), f.grid.year_h
    m.add_constraints("ch_g_le", x["ch_g"] - x["ch"], "<=", 0.0)
    m.add_constraints("dis_g_le", x["dis_g"] - x["dis"], "<=", 0.0)
    m.add_constraints("soc_g_le", x["soc_g"] - x["soc"], "<=", 0.0)
    m.add_constraints("soc_g_balance", x["soc_g"] - x["soc_g"][prev]
                      - x["ch_g"] * (st.charge_efficiency * dt)
                      + x["dis_g"] * (dt / st.discharge_efficiency), "==", 0.0)  # fmt: skip
    if f.has("imp"):
        m.add_constraints("grey_le_load", f.minus_variable_load(x["imp"] - x["ch_g"] + x["dis_g"]),
                          "<=", f.grid.load_mw)  # fmt: skip
        m.add_constraints("ch_g_le_imp", x["ch_g"] - x["imp"], "<=", 0.0)
    m.add_constraints("E_g_def", x["E_g"] - x["ch_g"].sum(yh) + x["dis_g"].sum(yh), "==", 0.0)


def define_annual_energies(f: Formulation) -> None:
    """E_imp = Σ_t w_t·Δt·imp_t and E_exp = Σ_t w_t·Δt·exp_t (MWh over the horizon).

    Aggregate columns keep the annual rule rows short: a change of a rule ratio then touches
    one or two coefficients instead of one per step.
    """
    x, yh = f.x, f.grid.year_h
    if f.has("imp"):
        f.m.add_constraints("E_imp_def", x["E_imp"] - x["imp"].sum(yh), "==", 0.0)
    if f.has("exp"):
        f.m.add_constraints("E_exp_def", x["E_exp"] - x["exp"].sum(yh), "==", 0.0)


def self_consumption_mwh(f: Formulation) -> tuple[LinExpr | float, float]:
    """Return (variable part, constant) of E_sc = E_load + E_v − E_imp + E_g (MWh, 五(五)).

    E_v is the variable load's energy (the electrolyser's, 0 without one).
    """
    expr = 0.0 if f.variable_load_mwh is None else f.variable_load_mwh
    if f.has("E_imp"):
        expr = expr - f.x["E_imp"]
    if f.has("E_g"):
        expr = expr + f.x["E_g"]
    return expr, f.grid.load_mwh


TECHNOLOGY_FAMILIES = (
    add_renewable_capacity,
    add_storage_variables,
    add_grid_variables,
    define_supply,
    define_green_supply,
    define_storage_operation,
    define_grid_charging_accounts,
)
