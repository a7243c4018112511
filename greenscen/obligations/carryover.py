"""Carry a shortfall into the next year, or not, by the rule that applies.

Two rules are in the documents:

- 004 第二十二条 (provincial weights): after the 3-month make-up window a shortfall is carried
  into the next year's target, **except in the final year of a five-year plan** (2025, 2030, ...),
  where it is not carried (it stays on record as uncured).
- 内发改环资字〔2025〕1020号 (十一) (enterprise green shares): a shortfall in one year is added to
  the next year's target, no exception written.

Rule names: ``next_year_except_plan_final``, ``next_year``, ``none``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from greenscen.errors import ScenarioError

CARRY_RULES = ("next_year_except_plan_final", "next_year", "none")
TOLERANCE_MWH = 1e-6
# Energy columns of carry_forward, renamed per weight kind by the ledgers.
CARRY_COLUMNS = (
    "carried_in_mwh",
    "required_mwh",
    "shortfall_mwh",
    "excess_mwh",
    "carried_out_mwh",
    "uncured_mwh",
)


def carries_over(year: int, rule: str, plan_final_years: Iterable[int]) -> bool:
    """Return whether a shortfall of ``year`` moves into ``year + 1`` under ``rule``."""
    if rule not in CARRY_RULES:
        raise ScenarioError(
            f"carry_over_rule: expected one of {', '.join(CARRY_RULES)}, found {rule!r}"
        )
    if rule == "none":
        return False
    if rule == "next_year":
        return True
    return int(year) not in set(int(y) for y in plan_final_years)


def carry_forward(
    years: Sequence[int],
    base_required_mwh: Sequence[float],
    fulfilled_mwh: Sequence[float],
    rule: str,
    plan_final_years: Iterable[int] = (),
    carried_in_mwh: float = 0.0,
) -> pd.DataFrame:
    """Return the year-by-year requirement with carried shortfalls (MWh), indexed by year.

    Parameters
    ----------
    years : sequence of int
        Consecutive years.
    base_required_mwh : sequence of float
        The year's own requirement (weight x obligated consumption), MWh.
    fulfilled_mwh : sequence of float
        Volume counted for the year, including make-up certificates bought within the window, MWh.
    rule : str
        Carry-over rule (see module docstring).
    plan_final_years : iterable of int
        Final years of five-year plans (used by ``next_year_except_plan_final``).
    carried_in_mwh : float
        Shortfall carried into the first year from the year before it, MWh.

    Returns
    -------
    DataFrame
        Columns ``carried_in_mwh, required_mwh, fulfilled_mwh, shortfall_mwh, excess_mwh,
        carried_out_mwh, uncured_mwh``. ``uncured`` is a shortfall that is not carried (named
        publicly under 004 第二十二条); a carried shortfall of the last year lies beyond the
        horizon and is reported in ``carried_out_mwh``.
    """
    years = [int(y) for y in years]
    if any(b - a != 1 for a, b in zip(years, years[1:], strict=False)):
        raise ScenarioError(f"years: expected consecutive years for carry-over, found {years}")
    final = [int(y) for y in plan_final_years]
    rows = []
    carried = float(carried_in_mwh)
    for year, base, got in zip(years, base_required_mwh, fulfilled_mwh, strict=True):
        required = float(base) + carried
        shortfall = max(0.0, required - float(got))
        if shortfall <= TOLERANCE_MWH:
            shortfall = 0.0
        out = shortfall if carries_over(year, rule, final) else 0.0
        rows.append(
            {
                "year": year,
                "carried_in_mwh": carried,
                "required_mwh": required,
                "fulfilled_mwh": float(got),
                "shortfall_mwh": shortfall,
                "excess_mwh": max(0.0, float(got) - required),
                "carried_out_mwh": out,
                "uncured_mwh": shortfall - out,
            }
        )
        carried = out
    return pd.DataFrame(rows).set_index("year")
