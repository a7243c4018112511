"""Explain an infeasible scenario: the least relaxation that makes it feasible.

The elastic form of the sizing LP (``build_lp(..., elastic=True)``) gives every row that can
be broken a slack column priced far above any real cost: unmet load per step, the peak-valley
rate per window, and each annual rule (1.2x, export ratio, self-consumption, utilisation).
It is always feasible; its positive slacks say which rules cannot hold together with the
given technologies, fixed capacities and bounds, where, and by how much.
"""

from __future__ import annotations

import numpy as np

from greenscen.base.params import SizingParams
from greenscen.errors import GreenscenError
from greenscen.model.lp import build_lp
from greenscen.model.solver import HighsLP
from greenscen.model.timegrid import full_grid
from greenscen.rules.registry import REGISTRY, RULES, rule_clause
from greenscen.scenario.inputs import ModelInputs

TOL_MW = 1e-4  # a slack below this (MW, or MWh per year for annual rules) is solver noise


def _energy_share(slack_mwh: float, load_mwh: float) -> str:
    return f"{slack_mwh:,.0f} MWh ({slack_mwh / load_mwh:.1%} of the annual load)"


def diagnose(inputs: ModelInputs, params: SizingParams, values: dict | None = None,
             clauses: dict[str, str] | None = None) -> list[str]:
    """Return one line per rule that must give way for the scenario to become feasible.

    ``clauses`` (rule name -> clause, from the resolved rules) names each rule's clause.
    """
    clauses = clauses or {}

    def clause(name: str) -> str:
        return clauses.get(name) or rule_clause(name) or "?"

    grid = full_grid(inputs, params)
    lp = build_lp(params, grid, values, elastic=True)
    try:
        x, _, _ = HighsLP(lp).solve()
    except GreenscenError:
        return [
            "even with every rule relaxed there is no solution: fixed capacities or bounds "
            "contradict each other (e.g. storage min_hours/max_hours, min_mw above max_mw)"
        ]
    index = inputs.index
    lines = []

    def slack(name):
        sl = lp.cols.get(f"slack:{name}")
        return None if sl is None else x[sl]

    s = slack("supply")
    if s is not None and s.max() > TOL_MW:
        worst = int(np.argmax(s))
        lines.append(
            f"load: {int((s > TOL_MW).sum())} step(s) cannot be served at all - "
            f"{_energy_share(float(s @ grid.year_h), grid.load_mwh)}, up to {s[worst]:,.1f} MW at "
            f"{index[worst]:%Y-%m-%d %H:%M} - "
            + (
                "off-grid, renewables and storage must carry every hour: allow more capacity or storage"
                if params.grid is None
                else "the grid cannot cover them within the exchange rules (connection capacity, "
                "peak-valley limit): allow storage, more capacity or relax those rules"
            )
        )
    pv = REGISTRY["peak_valley_limit"]
    s = slack(pv.lp_row)
    if s is not None and s.max() > TOL_MW:
        w = grid.window
        first = {int(k): int(np.flatnonzero(w == k)[0]) for k in np.flatnonzero(s > TOL_MW)}
        worst = int(np.argmax(s))
        limit = (values or {}).get(pv.tunable, params.policy.limits.get(pv.tunable))
        lines.append(
            f"{pv.name} ({clause(pv.name)}): {len(first)} "
            f"window(s) cannot keep the exchange peak-valley rate within {limit:.3g}; worst from "
            f"{index[first[worst]]:%Y-%m-%d}, {pv.breach_en} by {s[worst]:,.1f} MW"
        )
    for rule in RULES:
        if rule.scope != "annual":
            continue
        s = slack(rule.lp_row)
        if s is not None and s.max() > TOL_MW:
            lines.append(f"{rule.name} ({clause(rule.name)}): {rule.breach_en} by "
                         f"{_energy_share(float(s.max()), grid.load_mwh)}")  # per year, as the row
    return lines or ["no single rule is to blame: the relaxed model needs no slack (numerical trouble?)"]
