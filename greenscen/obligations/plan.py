"""Least-cost compliance plan of a firm's green share over several years (Pyomo LP, HiGHS).

Per year ``y`` the model chooses MWh by route: direct connection ``d[y]`` (capacity-limited,
incremental cost per MWh given or taken from a sizing result), green power trading ``t[y]``
(premium per MWh, optionally limited) and unbundled certificates ``c[y]`` (price path). Given
self-generation ``s[y]`` counts as bundled. Constraints, one builder each:

- requirement: ``s + d + t + c + k[y] >= share[y] * consumption[y] + k[y-1]`` where ``k`` is a
  shortfall carried into the next year (000 (十一)); ``k`` is 0 unless the scenario allows planned
  carry-over, never in a year whose rule forbids it (004 第二十二条) and never past the horizon;
  ``k[first-1]`` is the shortfall carried in from before the horizon;
- bundled main route (000 二(二)): ``B >= m * (B + U)`` for a share ``m``, where bundled
  ``B = s + d + (1-u) t`` and unbundled ``U = c + u t`` (``u``: share of trading whose certificates
  are not in step with the energy, 000 二(一));
- zero-carbon park (000 (六)), park-wide with the rest of the park's volumes ``o``: reading
  ``mainly_physical`` ``B + U + o_B + o_U >= 0.70 (consumption + o_cons)`` and
  ``B + o_B >= 0.5 (B + U + o_B + o_U)``; reading ``physical_70`` ``B + o_B >= 0.70 (...)``; and
  from the clean target year, ``B + U + o + other clean >= 0.90 (...)``.

Certificates count only in their own year (004 第八条: certificates of the assessed year), so
over-compliance is not banked. Monthly purchases are derived afterwards in proportion to
consumption (:func:`greenscen.obligations.enterprise.monthly_certificate_schedule`).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import pyomo.environ as pyo

from greenscen.errors import SolverError, check_solver_status
from greenscen.obligations.carryover import carries_over

ROUTES = ("direct", "trading", "certificates")


@dataclass(frozen=True)
class PlanProblem:
    """Resolved inputs of the compliance plan; per-year tuples align with ``years`` (MWh, yuan/MWh)."""

    years: tuple[int, ...]
    consumption_mwh: tuple[float, ...]
    target_share: tuple[float, ...]
    direct_cost_yuan_per_mwh: tuple[float, ...]
    trading_premium_yuan_per_mwh: tuple[float, ...]
    certificate_price_yuan_per_mwh: tuple[float, ...]
    direct_max_mwh: tuple[float, ...]
    trading_max_mwh: tuple[float, ...] | None = None
    certificates_max_mwh: tuple[float, ...] | None = None
    self_generated_mwh: tuple[float, ...] | None = None
    carried_in_mwh: float = 0.0
    bundled_min_share_of_green: float = 0.0
    bundled_min_share_of_consumption: float = 0.0
    trading_unsynchronised_share: float = 0.0
    park_reading: str = "physical_70"
    park_physical_share_of_green: float = 0.5
    park_other_consumption_mwh: tuple[float, ...] | None = None
    park_other_bundled_mwh: tuple[float, ...] | None = None
    park_other_certificates_mwh: tuple[float, ...] | None = None
    park_clean_min_share: float = 0.0
    park_clean_from_year: int | None = None
    other_clean_mwh: tuple[float, ...] | None = None
    allow_carry: bool = False
    carry_rule: str = "next_year"
    plan_final_years: tuple[int, ...] = ()
    carry_penalty_yuan_per_mwh: float = 0.0
    # 004 第四条 energy basis (None = electricity basis): the year's non-electric energy and its
    # renewable part, in MWh of electricity-equivalent (tce / electricity_tce_per_mwh)
    non_electric_mwh_eq: tuple[float, ...] | None = None
    non_electric_green_mwh_eq: tuple[float, ...] | None = None

    def per_year(self, name: str, default: float = 0.0) -> tuple[float, ...]:
        """Return the per-year tuple ``name``, or ``default`` for every year when it is None."""
        v = getattr(self, name)
        return tuple(v) if v is not None else tuple(default for _ in self.years)

    def requirement_mwh(self) -> tuple[float, ...]:
        """Return each year's own requirement of green electricity (MWh).

        Electricity basis: share x consumption. Energy basis (004 第四条): share x (consumption +
        non-electric) - renewable non-electric, in MWh-equivalent, never below 0.
        """
        ne, ng = self.per_year("non_electric_mwh_eq"), self.per_year("non_electric_green_mwh_eq")
        return tuple(
            max(0.0, s * (c + n) - g)
            for s, c, n, g in zip(self.target_share, self.consumption_mwh, ne, ng, strict=True)
        )


@dataclass(frozen=True)
class PlanResult:
    """Purchases per year (MWh), cost per year (yuan), objective and solver facts."""

    purchases: pd.DataFrame
    total_cost_yuan: float
    termination: str
    solve_seconds: float
    build_seconds: float


def _bound(v: float) -> float | None:
    return None if v is None or math.isinf(v) else float(v)


def add_route_variables(m: pyo.ConcreteModel, p: PlanProblem) -> None:
    """Add non-negative MWh per route and year, capped where the problem gives a maximum."""
    dmax, tmax, cmax = (
        p.per_year("direct_max_mwh"),
        p.per_year("trading_max_mwh", math.inf),
        p.per_year("certificates_max_mwh", math.inf),
    )
    m.d = pyo.Var(m.Y, domain=pyo.NonNegativeReals, bounds=lambda _, y: (0, _bound(dmax[m.ix[y]])))
    m.t = pyo.Var(m.Y, domain=pyo.NonNegativeReals, bounds=lambda _, y: (0, _bound(tmax[m.ix[y]])))
    m.c = pyo.Var(m.Y, domain=pyo.NonNegativeReals, bounds=lambda _, y: (0, _bound(cmax[m.ix[y]])))


def add_carry(m: pyo.ConcreteModel, p: PlanProblem) -> None:
    """Add the carried shortfall ``k[y]``: 0 unless allowed, where the rule permits, before the end."""
    last = p.years[-1]

    def ub(_, y):
        ok = p.allow_carry and y != last and carries_over(y, p.carry_rule, p.plan_final_years)
        return (0, None if ok else 0)

    m.k = pyo.Var(m.Y, domain=pyo.NonNegativeReals, bounds=ub)


def add_requirement(m: pyo.ConcreteModel, p: PlanProblem) -> None:
    """Add green MWh + carried-out >= own requirement + carried-in, every year."""
    req, self_gen = p.requirement_mwh(), p.per_year("self_generated_mwh")

    def rule(_, y):
        i = m.ix[y]
        carried_in = p.carried_in_mwh if i == 0 else m.k[p.years[i - 1]]
        return self_gen[i] + m.d[y] + m.t[y] + m.c[y] + m.k[y] >= req[i] + carried_in

    m.requirement = pyo.Constraint(m.Y, rule=rule)


def _bundled(m, p: PlanProblem, y):
    """Bundled MWh of year ``y``: s + d + (1-u) t."""
    u = p.trading_unsynchronised_share
    return p.per_year("self_generated_mwh")[m.ix[y]] + m.d[y] + (1 - u) * m.t[y]


def _unbundled(m, p: PlanProblem, y):
    """Unbundled MWh of year ``y``: c + u t."""
    return m.c[y] + p.trading_unsynchronised_share * m.t[y]


def add_bundled_rules(m: pyo.ConcreteModel, p: PlanProblem) -> None:
    """Add the bundled main-route share and the zero-carbon-park rules where set."""
    if p.bundled_min_share_of_green > 0:
        share = p.bundled_min_share_of_green
        m.bundled_main = pyo.Constraint(
            m.Y,
            rule=lambda _, y: (1 - share) * _bundled(m, p, y) >= share * _unbundled(m, p, y),
        )
    if p.bundled_min_share_of_consumption > 0:
        share = p.bundled_min_share_of_consumption
        cons = p.consumption_mwh
        o_c = p.per_year("park_other_consumption_mwh")
        o_b = p.per_year("park_other_bundled_mwh")
        o_u = p.per_year("park_other_certificates_mwh")

        def park_cons(y):
            return cons[m.ix[y]] + o_c[m.ix[y]]

        def phys(y):
            return _bundled(m, p, y) + o_b[m.ix[y]]

        def green(y):
            return phys(y) + _unbundled(m, p, y) + o_u[m.ix[y]]

        if p.park_reading == "physical_70":
            m.bundled_park = pyo.Constraint(m.Y, rule=lambda _, y: phys(y) >= share * park_cons(y))
        else:
            q = p.park_physical_share_of_green
            m.bundled_park = pyo.Constraint(m.Y, rule=lambda _, y: green(y) >= share * park_cons(y))
            m.park_mainly_physical = pyo.Constraint(m.Y, rule=lambda _, y: phys(y) >= q * green(y))
        if p.park_clean_min_share > 0 and p.park_clean_from_year is not None:
            clean = p.per_year("other_clean_mwh")
            years = [y for y in p.years if y >= p.park_clean_from_year]
            m.park_clean = pyo.Constraint(
                years,
                rule=lambda _, y: green(y) + clean[m.ix[y]] >= p.park_clean_min_share * park_cons(y),
            )


def add_objective(m: pyo.ConcreteModel, p: PlanProblem) -> None:
    """Minimise the incremental cost of all routes plus any carry penalty (yuan)."""
    cd, ct, cc = (
        p.direct_cost_yuan_per_mwh,
        p.trading_premium_yuan_per_mwh,
        p.certificate_price_yuan_per_mwh,
    )
    m.cost = pyo.Objective(
        expr=sum(
            cd[m.ix[y]] * m.d[y]
            + ct[m.ix[y]] * m.t[y]
            + cc[m.ix[y]] * m.c[y]
            + p.carry_penalty_yuan_per_mwh * m.k[y]
            for y in m.Y
        ),
        sense=pyo.minimize,
    )


def build_model(p: PlanProblem) -> pyo.ConcreteModel:
    """Return the Pyomo model of the plan (not solved)."""
    m = pyo.ConcreteModel(name="compliance_plan")
    m.Y = pyo.Set(initialize=list(p.years), ordered=True)
    m.ix = {y: i for i, y in enumerate(p.years)}
    add_route_variables(m, p)
    add_carry(m, p)
    add_requirement(m, p)
    add_bundled_rules(m, p)
    add_objective(m, p)
    return m


def _solver():
    for name in ("appsi_highs", "highs"):
        s = pyo.SolverFactory(name)
        try:
            if s.available():
                return s
        except Exception:  # noqa: BLE001 - an unavailable plugin may raise instead of answering
            continue
    raise SolverError("no HiGHS solver available to Pyomo (install highspy)")


def rules_in_play(p: PlanProblem) -> list[str]:
    """Return the constraint families active in ``p``, for an infeasibility message."""
    rules = [
        f"requirement: share x consumption + carried-in ({p.carried_in_mwh:,.0f} MWh into {p.years[0]})"
    ]
    if p.bundled_min_share_of_green > 0:
        rules.append(
            f"bundled main route >= {p.bundled_min_share_of_green:.0%} of green (000 二(二))"
        )
    if p.bundled_min_share_of_consumption > 0:
        rules.append(
            f"zero-carbon park: bundled >= {p.bundled_min_share_of_consumption:.0%} of consumption (000 (六))"
        )
    rules.append(
        f"route caps: direct {p.per_year('direct_max_mwh')}, trading {p.trading_max_mwh}, certificates {p.certificates_max_mwh}"
    )
    return rules


def solve_plan(p: PlanProblem) -> PlanResult:
    """Return the least-cost purchases per year; raise InfeasibleError or SolverError otherwise."""
    t0 = time.perf_counter()
    m = build_model(p)
    t1 = time.perf_counter()
    solver = _solver()
    res = solver.solve(m, load_solutions=False)
    t2 = time.perf_counter()
    term = res.solver.termination_condition
    check_solver_status(
        term,
        f"the compliance plan {p.years[0]}-{p.years[-1]} has no solution",
        rules_in_play(p),
        what="plan",
    )
    m.solutions.load_from(res)
    rows = []
    cd, ct, cc = (
        p.direct_cost_yuan_per_mwh,
        p.trading_premium_yuan_per_mwh,
        p.certificate_price_yuan_per_mwh,
    )
    for i, y in enumerate(p.years):
        d, t, c, k = (max(0.0, pyo.value(v[y])) for v in (m.d, m.t, m.c, m.k))
        rows.append(
            {
                "year": y,
                "direct": d,
                "trading": t,
                "certificates": c,
                "carried_out": k,
                "cost_yuan": cd[i] * d + ct[i] * t + cc[i] * c,
            }
        )
    df = pd.DataFrame(rows).set_index("year")
    return PlanResult(df, float(pyo.value(m.cost)), str(term), t2 - t1, t1 - t0)


def single_route_costs(p: PlanProblem) -> dict[str, float | None]:
    """Return the cost (yuan) of meeting every year by one route alone, or None if not allowed.

    Computed by arithmetic, not by the LP: the route buys what self-generation leaves of each
    year's requirement (plus carried-in in the first year), and for bundled routes at least what
    the zero-carbon-park minimum asks. It is not allowed when a cap is too small or a bundled rule
    cannot hold with that route alone. No carry-over is planned.
    """
    req = list(p.requirement_mwh())
    req[0] += p.carried_in_mwh
    self_gen, cons = p.per_year("self_generated_mwh"), p.consumption_mwh
    caps = {
        "direct": p.per_year("direct_max_mwh"),
        "trading": p.per_year("trading_max_mwh", math.inf),
        "certificates": p.per_year("certificates_max_mwh", math.inf),
    }
    prices = {
        "direct": p.direct_cost_yuan_per_mwh,
        "trading": p.trading_premium_yuan_per_mwh,
        "certificates": p.certificate_price_yuan_per_mwh,
    }
    out: dict[str, float | None] = {}
    for route in ROUTES:
        total, ok = 0.0, True
        for i in range(len(p.years)):
            need = max(0.0, req[i] - self_gen[i])
            if route == "certificates":
                bundled_ok = (
                    self_gen[i] >= p.bundled_min_share_of_green * (self_gen[i] + need) - 1e-6
                )
                park_ok = self_gen[i] >= p.bundled_min_share_of_consumption * cons[i] - 1e-6
                ok = ok and bundled_ok and park_ok
            else:
                need = max(need, p.bundled_min_share_of_consumption * cons[i] - self_gen[i])
            ok = ok and need <= caps[route][i] + 1e-6
            total += need * prices[route][i]
        out[route] = total if ok else None
    return out


def plan_to_purchases(
    result: PlanResult, self_generated_mwh: Sequence[float] | None = None
) -> pd.DataFrame:
    """Return the plan's purchases in the ledger's route columns (MWh by year)."""
    df = result.purchases[["direct", "trading", "certificates"]].copy()
    df["self_generated"] = list(self_generated_mwh) if self_generated_mwh is not None else 0.0
    df["makeup_certificates"] = 0.0
    return df
