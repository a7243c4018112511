"""The sizing LP over a planning horizon: commissioning batches, yearly rules, shared dispatches.

One design is sized for every year ``y`` of a horizon. Capacity is built per commissioning
batch ``b`` (the users coming online in one year, 三(一) 「按照负荷投产时序确定各批次装机规模」,
三(四) 「分批核准（备案）新能源」); in year ``y`` the capacity online is the sum of the batches
commissioned by then. Years whose rules, loads and capacities online are the same form one
*regime*, which gets one dispatch (the families of :mod:`greenscen.model.components` and
:mod:`greenscen.model.rule_rows`, written once, applied on the regime's grid with its columns
and rows namespaced ``y<first year>/``) weighted by its years' discount factors.

Symbols (units) beyond those of ``components``:

=============  =======================================================  =====================
symbol         meaning                                                  block
=============  =======================================================  =====================
K_b,j          capacity j (renewable k, storage P/E, connection C)      ``b<year>/<block>``
               built by batch b in its year y_b (MW, MWh)
K_r,j          capacity j online in regime r: Σ_{b online} K_b,j        ``y<first>/<block>``
d_y            discount factor (1 + i)^-(y − y_0), i the discount rate
w_y            d_y / Σ_y' d_y' (weights sum to 1)
W_r            Σ_{y ∈ r} w_y, the weight of regime r's dispatch costs
c_j            yearly cost of one unit of j: annuity + fixed O&M
               (yuan per MW and year, as in a single-year model)
=============  =======================================================  =====================

Objective (yuan per year, the *equivalent annual cost* of the plan; × Σ_y d_y it is the
present value at y_0)::

    min  Σ_b Σ_j c_j · K_b,j · Σ_{y ≥ y_b} w_y  +  Σ_r W_r · (operating cost of r's year)

A batch pays its annuity in each year of the horizon from its build year; the annuities of
its life after the horizon are its salvage (their present value is what the capacity is still
worth), so a one-year horizon is exactly today's single-year objective.

A batch online from a date inside its first year produces from that date: its renewables
enter that year's regime as their own column ``<tech>~<batch>`` whose capacity factor is
zero before the date (storage and connection count from the start of the year).

Per batch (more than one batch), the generation caps of 三(一) apply to the batch's own
capacity and its users' full-year load at the value of its commissioning year:
Σ_k K_b,k · Σ_t w_t·Δt·cf_k,t <= r · E_load,b (rows ``batch:<b>/<lp_row>``); in every year
the same rules apply to the total online (the regime's own rows).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from greenscen.base.params import SizingParams
from greenscen.model.components import (
    SCALE,
    Formulation,
    capacity_bounds,
    define_annual_energies,
)
from greenscen.model.linear import INF, LinearModel, LinearProgram, LinExpr, Var
from greenscen.model.lp import cost_tunables, default_values, families
from greenscen.model.rule_rows import RULE_ROWS
from greenscen.model.timegrid import TimeGrid
from greenscen.rules.registry import REGISTRY, RULES

# the generation caps of 三(一) that also hold per batch
BATCH_RULES = ("hydrogen_generation_cap", "load_driven_sizing")
CAPACITY_COST = {"sto_p": "storage_power_cost_yuan_per_mw_year",
                 "sto_e": "storage_energy_cost_yuan_per_mwh_year",
                 "conn": "connection_cost_yuan_per_mw_year",
                 "el_cap": "electrolyser_cost_yuan_per_mw_year",
                 "h2s_cap": "h2_storage_cost_yuan_per_kg_year"}  # fmt: skip


@dataclass(frozen=True)
class Batch:
    """Users commissioned together: name, build year, the day they come online, full-year load."""

    name: str
    year: int
    online_mask: np.ndarray | None  # on the grid of the build year; None = from 1 January
    load_mwh: float  # the users' load over a full year (MWh)
    users: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlanYear:
    """One year of the horizon: its rules (in ``params``) and its loads (in ``grid``)."""

    year: int
    params: SizingParams
    grid: TimeGrid


@dataclass(frozen=True)
class Plan:
    """A planning horizon: its years, batches and discount rate (a fraction)."""

    years: tuple[PlanYear, ...]
    batches: tuple[Batch, ...]
    discount_rate: float

    @property
    def first_year(self) -> int:
        return self.years[0].year

    def discount_weights(self) -> dict[int, float]:
        """Return w_y = d_y / Σ d (sums to 1); d_y = (1 + i)^-(y − y_0)."""
        d = {py.year: (1.0 + self.discount_rate) ** -(py.year - self.first_year) for py in self.years}
        total = sum(d.values())
        return {y: v / total for y, v in d.items()}

    def present_value_factor(self) -> float:
        """Return Σ_y d_y: the equivalent annual cost times this is the present value at y_0."""
        return sum((1.0 + self.discount_rate) ** -(py.year - self.first_year) for py in self.years)

    def online(self, year: int) -> list[Batch]:
        return [b for b in self.batches if b.year <= year]


@dataclass
class Regime:
    """Years sharing one dispatch: their rules, loads and capacities online are the same."""

    years: tuple[int, ...]
    weight: float
    params: SizingParams  # the regime's technologies: one per renewable and starting batch
    grid: TimeGrid
    links: dict[str, list[str]] = field(default_factory=dict)  # regime block -> batch blocks

    @property
    def prefix(self) -> str:
        return f"y{self.years[0]}/"


class _Namespace:
    """A view of a LinearModel that prefixes block names and scales costs by a regime's weight."""

    def __init__(self, m: LinearModel, prefix: str, weight: float):
        self.m, self.prefix, self.weight = m, prefix, weight

    @property
    def elastic(self) -> bool:
        return self.m.elastic

    def add_variables(self, name, size, lb=0.0, ub=INF, cost=0.0):
        return self.m.add_variables(self.prefix + name, size, lb, ub, np.asarray(cost, float) * self.weight)

    def add_constraints(self, name, lhs, sense, rhs, slack=None, slack_ub=INF):
        slack = None if slack is None else np.asarray(slack, float) * self.weight
        self.m.add_constraints(self.prefix + name, lhs, sense, rhs, slack=slack, slack_ub=slack_ub)


def capacity_blocks(params: SizingParams) -> list[str]:
    """Return the capacity column blocks of a design: ``cap:<k>``, ``sto_p``, ``sto_e``, ``conn``."""
    return list(capacity_bounds(params))


def _free(params: SizingParams, renewables) -> SizingParams:
    """Return ``params`` with every capacity free (bounds live on the batch columns)."""
    techs = tuple(dataclasses.replace(t, capacity_mw=None, min_mw=0.0, max_mw=None) for t in renewables)
    st = params.storage and dataclasses.replace(params.storage, power_mw=None, energy_mwh=None,
                                                max_power_mw=None)  # fmt: skip
    g = params.grid and dataclasses.replace(params.grid, connection_mw=None, connection_max_mw=None)
    h = params.hydrogen and dataclasses.replace(params.hydrogen, capacity_mw=None, min_mw=0.0, max_mw=None,
                                                storage_kg=None, storage_max_kg=None)  # fmt: skip
    bio = params.biomass and dataclasses.replace(params.biomass, capacity_mw=None, min_mw=0.0, max_mw=None)
    return dataclasses.replace(params, renewables=techs, storage=st, grid=g, hydrogen=h, biomass=bio)


def regimes(plan: Plan) -> list[Regime]:
    """Return the regimes of a plan, in year order, each with its weight W_r = Σ_{y∈r} w_y.

    Two years share a regime when their rules (limits, exchange limit, peak-valley window
    and reading, export allowed), loads (MW per step) and batches online (and starting
    within the year) are the same.
    """
    w = plan.discount_weights()
    out: dict[tuple, Regime] = {}
    for py in plan.years:
        starting = [b for b in plan.batches if b.year == py.year and b.online_mask is not None]
        full = [b.name for b in plan.online(py.year) if b.name not in {s.name for s in starting}]
        pol, g = py.params.policy, py.params.grid
        key = (tuple(sorted(pol.limits.items())), pol.exchange_limit, pol.peak_valley_window,
               pol.peak_valley_reading, g is not None and g.allow_export, py.grid.load_mw.tobytes(),
               tuple(full), tuple(b.name for b in starting))  # fmt: skip
        if key in out:
            rg = out[key]
            rg.years += (py.year,)
            rg.weight += w[py.year]
            continue
        techs, cf, links = [], dict(py.grid.cf), {}
        for t in py.params.renewables:
            techs.append(t)
            links[f"cap:{t.name}"] = [f"b{b}/cap:{t.name}" for b in full]
            for b in starting:  # renewables of a batch starting mid-year: zero before its day
                key_b = f"{t.name}~{b.name}"
                techs.append(dataclasses.replace(t, name=key_b))
                cf[key_b] = py.grid.cf[t.name] * b.online_mask
                links[f"cap:{key_b}"] = [f"b{b.name}/cap:{t.name}"]
        online = [b.name for b in plan.online(py.year)]
        for block in ("sto_p", "sto_e", "conn", "el_cap", "h2s_cap", "cap:biomass"):
            links[block] = [f"b{b}/{block}" for b in online]
        params = _free(py.params, techs)
        links = {k: v for k, v in links.items() if k in capacity_bounds(params)}
        out[key] = Regime((py.year,), w[py.year], params, dataclasses.replace(py.grid, cf=cf), links)
    return list(out.values())


@dataclass
class PlanLP:
    """The horizon LP with what reads it: regimes, batch capacity blocks and batch cost factors."""

    lp: LinearProgram
    regimes: list[Regime]
    batch_blocks: dict[str, list[str]]  # batch name -> its capacity blocks ``b<name>/<block>``


def build_plan_lp(plan: Plan, values: dict[str, float] | None = None, elastic: bool = False,
                  fixed: dict[str, float] | None = None) -> PlanLP:
    """Return the horizon LP (see the module docstring).

    ``values`` overrides the costs (``cost_tunables``) of every year; ``fixed`` fixes batch
    capacity columns, ``{"b2028/cap:pv": 120.0, ...}`` (a fixed design to evaluate).
    """
    m = LinearModel(elastic)
    base = plan.years[0].params
    costs = cost_tunables(base) | (values or {})
    w = plan.discount_weights()
    bounds = capacity_bounds(base)
    blocks = capacity_blocks(base)
    cols: dict[str, object] = {}
    batch_blocks = {}
    for b in plan.batches:
        life_w = sum(v for y, v in w.items() if y >= b.year)
        batch_blocks[b.name] = []
        for block in blocks:
            cost = costs[CAPACITY_COST.get(block, f"{block[4:]}_cost_yuan_per_mw_year")]
            name = f"b{b.name}/{block}"
            value = (fixed or {}).get(name)
            lb, ub = (value, value) if value is not None else (0.0, INF)
            cols[name] = m.add_variables(name, 1, lb, ub, SCALE * cost * life_w)
            batch_blocks[b.name].append(name)
    for block in blocks:  # the scenario's bounds (or fixed value) hold on the total built
        fix, lo, hi = bounds[block]
        lo, hi = (fix, fix) if fix is not None else (lo, INF if hi is None else hi)
        if fixed is None and (lo > 0 or hi < INF):
            total = sum((cols[f"b{b.name}/{block}"] for b in plan.batches[1:]),
                        cols[f"b{plan.batches[0].name}/{block}"].expr())  # fmt: skip
            if fix is not None:
                m.add_constraints(f"total/{block}", total, "==", fix)
            else:
                if lo > 0:
                    m.add_constraints(f"total_min/{block}", total, ">=", lo)
                if hi < INF:
                    m.add_constraints(f"total_max/{block}", total, "<=", hi)
    rgs = regimes(plan)
    for rg in rgs:
        ns = _Namespace(m, rg.prefix, rg.weight)
        vals = default_values(rg.params) | {k: v for k, v in costs.items() if k in cost_tunables(rg.params)}
        for k in cost_tunables(rg.params):  # capacity costs are paid by the batch columns
            if k.endswith("_year"):
                vals[k] = 0.0
        f = Formulation(rg.params, rg.grid, vals, ns)  # type: ignore[arg-type]
        for family in families():  # with the variable loads (greenscen.model.hydrogen)
            family(f)
        define_annual_energies(f)
        for rule in RULES:
            if rule.name in RULE_ROWS:
                RULE_ROWS[rule.name](f, rule)
        for block, batch_cols in rg.links.items():
            lhs = f.x[block].expr()
            for name in batch_cols:
                lhs = lhs - cols[name]
            m.add_constraints(f"{rg.prefix}online:{block}", lhs, "==", 0.0)
    if len(plan.batches) > 1:
        _batch_generation_caps(plan, m, cols, _variable_load_mwh(m, rgs[-1]))
    return PlanLP(m.to_lp(), rgs, batch_blocks)


def _variable_load_mwh(m: LinearModel, rg: Regime):
    """Return the last regime's electrolyser energy E_v (a 1-row expression, MWh/yr) or None."""
    s = m.cols.get(f"{rg.prefix}E_v")
    return None if s is None else Var(np.arange(s.start, s.stop)).expr()


def _batch_generation_caps(plan: Plan, m: LinearModel, cols, variable_mwh=None) -> None:
    """Σ_k K_b,k·Σ_t w_t·Δt·cf_k,t <= r_{y_b}·(E_load,b + E_v,b) per batch (三(一), per batch).

    E_v,b is the electrolyser's energy in the last year of the horizon (all batches online),
    counted in the batch of the hydrogen user (``greenscen.model.hydrogen``)."""
    by_year = {py.year: py for py in plan.years}
    ref = plan.years[-1].grid  # a full year of capacity factors (the last year's grid)
    yh = ref.year_h
    for b in plan.batches:
        limits = by_year[b.year].params.policy.limits
        for name in BATCH_RULES:
            rule = REGISTRY[name]
            if rule.tunable not in limits:
                continue
            lhs = sum((cols[f"b{b.name}/cap:{t.name}"] * float(ref.cf[t.name] @ yh)
                       for t in plan.years[0].params.renewables), LinExpr.zero(1))  # fmt: skip
            slack = SCALE * 1e5 if m.elastic else None
            h = plan.years[0].params.hydrogen
            if variable_mwh is not None and h is not None and h.user in b.users:
                lhs = lhs - variable_mwh * limits[rule.tunable]
            m.add_constraints(f"batch:{b.name}/{rule.lp_row}", lhs, "<=",
                              limits[rule.tunable] * b.load_mwh, slack=slack)  # fmt: skip


def regime_view(lp: LinearProgram, rg: Regime) -> LinearProgram:
    """Return ``lp`` with the regime's column and row blocks under their family names."""
    p = rg.prefix
    cols = {k[len(p):]: s for k, s in lp.cols.items() if k.startswith(p)}
    cols |= {"slack:" + k[len("slack:") + len(p):]: s for k, s in lp.cols.items()
             if k.startswith("slack:" + p)}  # fmt: skip
    rows = {k[len(p):]: s for k, s in lp.rows.items() if k.startswith(p)}
    return dataclasses.replace(lp, cols=cols, rows=rows)


def online_mask(index, online_from, year: int) -> np.ndarray:
    """Return 1.0 in the steps of ``year`` a user online from ``online_from`` (a date) has load.

    ``index`` is the typical year's steps (placed on any year): only month, day and time count.
    """
    n = len(index)
    if online_from is None or online_from.year < year:
        return np.ones(n)
    if online_from.year > year:
        return np.zeros(n)
    start = (online_from.month, online_from.day)
    return np.array([(t.month, t.day) >= start for t in index], dtype=float)


def year_inputs(inputs, online: dict, year: int):
    """Return ``inputs`` with each user's load zero before its online date in ``year``."""
    load = inputs.load_mw.copy()
    for user in load.columns:
        load[user] = load[user].to_numpy() * online_mask(inputs.index, online.get(user), year)
    return dataclasses.replace(inputs, load_mw=load)


def make_plan(inputs, online: dict, years, params_of, discount_rate: float, grid_of=None) -> Plan:
    """Return the Plan of ``inputs`` (every user's full load) over ``years``.

    ``online`` maps a user to its online date (None: online from the first year);
    ``params_of(year, inputs_of_year)`` returns that year's SizingParams (its rules). Users
    online in the same calendar year form one batch, named by the year.
    """
    from greenscen.model.timegrid import full_grid

    years = list(years)
    first = years[0]
    batch_year = {u: max(first, d.year) if d is not None else first for u, d in
                  ((u, online.get(u)) for u in inputs.load_mw.columns)}  # fmt: skip
    late = sorted(u for u, y in batch_year.items() if y > years[-1])
    if late:
        raise ValueError(f"users {late} come online after the horizon's last year {years[-1]}")
    plan_years = []
    for y in years:
        inp = year_inputs(inputs, online, y)
        params = params_of(y, inp)
        plan_years.append(PlanYear(y, params, (grid_of or full_grid)(inp, params)))
    yh = inputs.duration_h.to_numpy(dtype=float) * inputs.annual_scale
    batches = []
    for y in sorted(set(batch_year.values())):
        users = tuple(u for u, by in batch_year.items() if by == y)
        dates = [online[u] for u in users if online.get(u) is not None and online[u].year == y]
        start = min(dates) if dates else None  # the batch's renewables start with its first user
        mask = online_mask(inputs.index, start, y) if start and (start.month, start.day) != (1, 1) else None
        if mask is not None and grid_of is not None:
            raise ValueError(f"batch {y} comes online on {start}: on typical days a batch must "
                             "come online on 1 January (use exact mode)")
        full_load = inputs.load_mw[list(users)].sum(axis=1).to_numpy(dtype=float)
        batches.append(Batch(str(y), y, mask, float(full_load @ yh), users))
    return Plan(tuple(plan_years), tuple(batches), discount_rate)


@dataclass
class PlanSolution:
    """A solved plan: capacity per batch, the dispatch of each regime, objective, timings."""

    batch_capacities: dict[str, dict[str, float]]  # batch -> block -> MW (MWh)
    regimes: list[Regime]
    solutions: list  # core.Solution per regime (capacities folded per technology)
    objective_yuan: float  # equivalent annual cost, yuan per year
    slacks: dict[str, dict[str, float]] = field(default_factory=dict)  # year -> row -> slack
    timings: dict[str, float] = field(default_factory=dict)
    backend: str = "arrays"  # "arrays" (HiGHS on the arrays) or "pyomo" (the Pyomo view)

    def regime_of(self, year: int) -> int:
        return next(i for i, rg in enumerate(self.regimes) if year in rg.years)


def solve_plan(plan: Plan, highs_options: dict | None = None, fixed: dict[str, float] | None = None,
               elastic: bool = False, rules_in_play=(), backend: str = "arrays") -> PlanSolution:
    """Build and solve the horizon LP; return capacities per batch and each regime's dispatch.

    ``elastic`` with ``fixed`` evaluates a fixed design: the slacks per year (``slacks``, in
    the row's own units per year: MWh for annual rules) say which rules it breaks and by how much.
    ``backend`` "pyomo" solves the same LinearProgram compiled to a Pyomo model
    (:func:`greenscen.model.pyomo_view.to_pyomo`) through appsi-HiGHS; "arrays" hands the
    arrays to HiGHS directly. Both read one formulation, so their optima agree.
    """
    import time

    from greenscen.model.core import solution_from_lp
    from greenscen.model.solver import HighsLP

    t0 = time.perf_counter()
    plp = build_plan_lp(plan, elastic=elastic, fixed=fixed)
    t1 = time.perf_counter()
    if backend == "pyomo":
        from greenscen.errors import InfeasibleError
        from greenscen.model.pyomo_view import solve_pyomo, to_pyomo

        model = to_pyomo(plp.lp)
        t1 = time.perf_counter()  # the Pyomo view's compile time counts as build time
        try:
            x, obj = solve_pyomo(model, highs_options)
        except InfeasibleError as exc:
            raise InfeasibleError(exc.base_message, rules_in_play) from None
        solve_s = time.perf_counter() - t1
    elif backend == "arrays":
        x, obj, solve_s = HighsLP(plp.lp, highs_options).solve(rules_in_play)
    else:
        raise ValueError(f"backend: expected 'arrays' or 'pyomo', found {backend!r}")
    x = np.clip(x, plp.lp.col_lb, plp.lp.col_ub)
    caps = {b: {blk.split("/", 1)[1]: float(x[plp.lp.cols[blk].start]) for blk in blocks}
            for b, blocks in plp.batch_blocks.items()}  # fmt: skip
    sols, slacks = [], {}
    storage = plan.years[0].params.storage
    for rg in plp.regimes:
        view = regime_view(plp.lp, rg)
        sol = solution_from_lp(view, rg.grid, x, 0.0, storage)
        sol.extra = {"cohort_capacities": dict(sol.capacities)}
        sol.capacities = fold_cohorts(sol.capacities)
        sols.append(sol)
        found = {k[len("slack:"):]: float(x[s].max()) for k, s in view.cols.items()
                 if k.startswith("slack:")}  # fmt: skip
        for y in rg.years:
            slacks[str(y)] = found
    for k, s in plp.lp.cols.items():
        if k.startswith("slack:batch:"):
            slacks.setdefault("batches", {})[k[len("slack:"):]] = float(x[s].max())
    timings = {"lp_build_s": t1 - t0, "solve_s": solve_s, "regimes": len(plp.regimes),
               "rows": plp.lp.A.shape[0], "columns": plp.lp.A.shape[1]}  # fmt: skip
    return PlanSolution(caps, plp.regimes, sols, obj / SCALE, slacks, timings, backend)


def fold_cohorts(capacities: dict[str, float]) -> dict[str, float]:
    """Return capacities with the starting batches' columns ``<tech>~<batch>`` added to ``<tech>``."""
    out: dict[str, float] = {}
    for k, v in capacities.items():
        base = k.split("~", 1)[0]
        out[base] = out.get(base, 0.0) + v
    return out


def effective_cf(plan_year_grid: TimeGrid, sol_grid: TimeGrid, cohort_caps: dict[str, float],
                 tech: str) -> np.ndarray:
    """Return the capacity factor of ``tech``'s total capacity in a year with starting batches.

    Σ_c K_c·cf_c / Σ_c K_c over the cohorts c of ``tech`` (the plain profile when none is built).
    """
    keys = [k for k in sol_grid.cf if k == tech or k.startswith(f"{tech}~")]
    total = sum(cohort_caps.get(k, 0.0) for k in keys)
    if total <= 0:
        return plan_year_grid.cf[tech]
    return sum(sol_grid.cf[k] * cohort_caps.get(k, 0.0) for k in keys) / total
