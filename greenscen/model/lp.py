"""The sizing LP, written once: technology families, then the rule families of the registry.

:func:`build_lp` writes the LP on any :class:`~greenscen.model.timegrid.TimeGrid` (the full
year hour by hour, coarser steps, typical periods with linked storage) and in plain or
*elastic* form; it is the only place the model's rows are assembled. Every view derives
from its :class:`~greenscen.model.linear.LinearProgram`: HiGHS takes it in one call
(``greenscen.model.solver``), the Pyomo model is compiled from it
(``greenscen.model.pyomo_view``), fast mode and the diagnosis build it on their grids.

``elastic=True`` adds a nonnegative slack column ``slack:<row>``, priced at
``SLACK_PENALTY``, to every row that fixed capacities can make infeasible (supply per step,
peak-valley rate per window, the annual rule rows). That LP is always feasible and its slacks
say where and by how much a design misses; a solution with a positive slack is no dispatch.

Choice of representation (measured, see ``benchmarks/results/latest.md`` and the issue
"One formulation"): bulk numpy arrays build the full-year LP in ~0.05 s; Pyomo built
element by element took 6-10 s, and PyPSA + linopy ~100x our build time for the same LP, so
the arrays are the source and Pyomo a derived view.
"""

from __future__ import annotations

from greenscen.base.params import SizingParams
from greenscen.model.biomass import define_biomass
from greenscen.model.components import (  # noqa: F401 (SCALE, SLACK_PENALTY re-exported)
    SCALE,
    SLACK_PENALTY,
    TECHNOLOGY_FAMILIES,
    Formulation,
    define_annual_energies,
    define_supply,
)
from greenscen.model.hydrogen import define_hydrogen
from greenscen.model.linear import LinearModel, LinearProgram
from greenscen.model.rule_rows import RULE_ROWS
from greenscen.model.timegrid import TimeGrid, full_grid  # noqa: F401 (re-exported)
from greenscen.rules.registry import RULES, TUNABLE_RULES


def cost_tunables(params: SizingParams) -> dict[str, float]:
    """Return the cost parameters a session may change without a rebuild (yuan per unit)."""
    v: dict[str, float] = {
        f"{t.name}_cost_yuan_per_mw_year": t.cost_yuan_per_mw_year for t in params.renewables
    }
    if params.storage:
        v["storage_power_cost_yuan_per_mw_year"] = params.storage.power_cost_yuan_per_mw_year
        v["storage_energy_cost_yuan_per_mwh_year"] = params.storage.energy_cost_yuan_per_mwh_year
    if params.biomass:
        v["biomass_cost_yuan_per_mw_year"] = params.biomass.cost_yuan_per_mw_year
        v["biomass_energy_cost_yuan_per_mwh"] = params.biomass.energy_cost_yuan_per_mwh
    if params.grid:
        v["connection_cost_yuan_per_mw_year"] = params.grid.connection_cost_yuan_per_mw_year
        v["td_charge_yuan_per_mwh"] = params.grid.td_charge_yuan_per_mwh
        v["export_price_scale"] = 1.0
    h = params.hydrogen
    if h is not None:
        v["electrolyser_cost_yuan_per_mw_year"] = h.cost_yuan_per_mw_year
        if h.storage_cost_yuan_per_kg_year is not None:
            v["h2_storage_cost_yuan_per_kg_year"] = h.storage_cost_yuan_per_kg_year
    return v


def default_values(params: SizingParams) -> dict[str, float]:
    """Return every tunable parameter of the model as the scenario gives it (see ``TUNABLE``).

    Costs, then each rule limit in force under its registry name.
    """
    return cost_tunables(params) | dict(params.policy.limits)


# Every name set_param may take: the cost tunables (per technology) and the registry's limits.
TUNABLE = (
    "wind_cost_yuan_per_mw_year", "pv_cost_yuan_per_mw_year",
    "storage_power_cost_yuan_per_mw_year", "storage_energy_cost_yuan_per_mwh_year",
    "connection_cost_yuan_per_mw_year", "td_charge_yuan_per_mwh", "export_price_scale",
    "electrolyser_cost_yuan_per_mw_year", "h2_storage_cost_yuan_per_kg_year",
    "biomass_cost_yuan_per_mw_year", "biomass_energy_cost_yuan_per_mwh",
    *TUNABLE_RULES,
)  # fmt: skip


def families() -> tuple:
    """Return the technology families in build order: variable loads before the balances."""
    fams = list(TECHNOLOGY_FAMILIES)
    fams.insert(fams.index(define_supply), define_hydrogen)
    fams.insert(fams.index(define_supply), define_biomass)
    return tuple(fams)


def build_lp(
    params: SizingParams,
    grid: TimeGrid,
    values: dict[str, float] | None = None,
    elastic: bool = False,
) -> LinearProgram:
    """Return the sizing LP on ``grid`` with tunable ``values`` (defaults from ``params``).

    ``elastic`` adds the penalised slack columns ``slack:<row>`` (see the module docstring).
    """
    f = Formulation(params, grid, default_values(params) | (values or {}), LinearModel(elastic))
    for family in families():
        family(f)
    define_annual_energies(f)
    for rule in RULES:
        if rule.name in RULE_ROWS:
            RULE_ROWS[rule.name](f, rule)
    return f.m.to_lp()
