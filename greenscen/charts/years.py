"""Chart of a planning horizon: each rule's margin to its limit across the years."""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.charts.style import finish_figure, new_figure
from greenscen.rules.registry import REGISTRY, rule_label

MARKERS = ("o", "s", "^", "D", "v", "P", "X")
LINESTYLES = ("-", "--", "-.", ":")


def rule_margins_chart(years_table: pd.DataFrame, lang: str = "en", scenario: str | None = None,
                       ax=None):
    """Return a figure of each rule's margin per year, as a share of its limit (%).

    ``years_table`` is ``PlanResult.years_table()``; rules with a numeric limit in force are
    drawn, the validations left out (margin = limit − value for caps, value − limit for floors); below 0 a rule is broken.
    """
    fig, ax = new_figure(figsize=(9, 4.8), ax=ax)
    drawn = [r for r, e in REGISTRY.items() if e.scope in ("annual", "window", "step")]
    t = years_table[years_table["rule"].isin(drawn) & years_table["limit"].notna()]
    t = t[pd.to_numeric(t["margin_share"], errors="coerce").notna()]
    for i, (rule, part) in enumerate(t.groupby("rule", sort=False)):
        share = pd.to_numeric(part["margin_share"]) * 100.0
        ax.plot(part["year"], share, marker=MARKERS[i % len(MARKERS)],
                linestyle=LINESTYLES[i % len(LINESTYLES)], label=rule_label(rule, lang))  # fmt: skip
    ax.axhline(0.0, color="#B22222", linewidth=1.0)
    years = sorted(set(years_table["year"]))
    ax.set_xticks(years)
    ax.set_xlabel("年份" if lang == "zh" else "year")
    ax.set_ylabel("距限值裕度（占限值 %）" if lang == "zh" else "margin to the limit (% of the limit)")
    lo = min(0.0, float(np.nanmin(ax.get_ylim())))
    ax.set_ylim(bottom=lo)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    title = "各年度规则裕度（低于0即违规）" if lang == "zh" else "Rule margins by year (below 0 = broken)"
    return finish_figure(fig, title, scenario=scenario, lang=lang)
