"""Charts comparing scenarios (rows of :func:`greenscen.compare.compare_scenarios`) and sweeps.

- :func:`compare_capacities`: installed MW per scenario, storage energy on its own axis;
- :func:`compare_costs`: annual cost by part (million yuan/yr), export revenue below zero;
- :func:`compare_ratios`: the rule ratios per scenario with each scenario's limit marked;
- :func:`tradeoff_curve`: storage power/energy and cost against a swept limit.

Each takes the table and an optional ``ax``, returns the figure and never calls ``show()``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.charts.style import HATCHES, PALETTE, finish_figure, label, new_figure
from greenscen.rules.registry import METRIC_RULES

_TITLES = {
    "capacities": ("Sized capacities by scenario", "各情景优化装机容量"),
    "costs": ("Annual cost by scenario", "各情景年化成本构成"),
    "ratios": ("Policy ratios by scenario against their limits", "各情景政策指标与限值"),
    "tradeoff": ("Storage needed to meet the exchange peak-valley limit", "满足交换功率峰谷差率限值所需储能"),
}
_CAPS = (("wind_mw", "wind"), ("pv_mw", "pv"), ("storage_mw", "storage"), ("connection_mw", "import"))
_COSTS = (
    ("cost_wind_yuan", "wind", "wind"), ("cost_pv_yuan", "pv", "pv"),
    ("cost_storage_yuan", "storage", "storage"), ("cost_connection_yuan", "connection", "direct"),
    ("cost_grid_energy_yuan", "grid_energy", "import"), ("cost_td_charge_yuan", "td_charge", "trading"),
    ("cost_funds_yuan", "funds", "curtailed"), ("cost_export_revenue_yuan", "export_revenue", "export"),
)  # fmt: skip
# ratio column -> the rule whose limit applies to it
_RATIOS = tuple((metric, rules) for metric, rules in METRIC_RULES.items())
_RATIO_COLOURS = ("#C06C84", "#2E8B57", "#F2C14E", "#5DA9E9")


def _solved(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["status"] == "solved"] if "status" in table else table


def _title(key: str, lang: str) -> str:
    return _TITLES[key][lang == "zh"]


def _bar_positions(n_groups: int, n_series: int, width: float = 0.8):
    w = width / max(n_series, 1)
    x = np.arange(n_groups)
    return x, w, [x - width / 2 + w * (i + 0.5) for i in range(n_series)]


def compare_capacities(table: pd.DataFrame, lang: str = "en", ax=None, scenario: str | None = None):
    """Return grouped bars of wind, PV, storage power and connection (MW) per scenario,
    with storage energy (MWh) in a second panel."""
    t = _solved(table)
    if ax is None:
        fig, (ax, ax_e) = new_figure(1, 2, figsize=(11, 4.6))
        fig.subplots_adjust(wspace=0.3)
    else:
        fig, ax = new_figure(ax=ax)
        ax_e = None
    x, w, pos = _bar_positions(len(t), len(_CAPS))
    for i, (col, key) in enumerate(_CAPS):
        name = label("connection_mw" if key == "import" else "storage_mw" if key == "storage" else key, lang)
        ax.bar(pos[i], t[col].fillna(0), w, color=PALETTE[key], hatch=HATCHES[i], edgecolor="white",
               lw=0.3, label=name)
    ax.set_xticks(x, t.index, rotation=15, ha="right")
    ax.set_ylabel(label("capacity_mw", lang))
    ax.legend(fontsize=8, loc="upper left")
    if ax_e is not None:
        ax_e.bar(x, t["storage_mwh"].fillna(0), 0.5, color=PALETTE["storage"], hatch="oo",
                 edgecolor="white", lw=0.3, label=label("storage_mwh", lang))
        ax_e.set_xticks(x, t.index, rotation=15, ha="right")
        ax_e.set_ylabel(label("storage_energy_mwh", lang))
        ax_e.legend(fontsize=8, loc="upper left")
    return finish_figure(fig, _title("capacities", lang), "source_sizing", scenario=scenario, lang=lang)


def compare_costs(table: pd.DataFrame, lang: str = "en", ax=None, scenario: str | None = None):
    """Return stacked bars of each scenario's annual cost parts (million yuan/yr); the
    cost per MWh of load is written above each bar."""
    t = _solved(table)
    fig, ax = new_figure(figsize=(10, 4.8), ax=ax)
    x = np.arange(len(t))
    up, down = np.zeros(len(t)), np.zeros(len(t))
    for i, (col, key, colour) in enumerate(_COSTS):
        if col not in t:
            continue
        v = t[col].fillna(0).to_numpy() / 1e6
        if np.abs(v).max() < 1e-9:
            continue
        base = np.where(v >= 0, up, down)
        ax.bar(x, v, 0.6, bottom=base, color=PALETTE[colour], hatch=HATCHES[i % len(HATCHES)],
               edgecolor="white", lw=0.3, label=label(key, lang))
        up, down = up + np.clip(v, 0, None), down + np.clip(v, None, 0)
    for xi, top, per in zip(x, up, t["cost_per_mwh_load_yuan"], strict=False):
        ax.annotate(f"{per:,.0f} {'元/MWh' if lang == 'zh' else 'yuan/MWh'}", (xi, top),
                    ha="center", va="bottom", fontsize=8, xytext=(0, 2), textcoords="offset points")
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(x, t.index, rotation=15, ha="right")
    ax.set_ylabel(label("cost_myuan_year", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return finish_figure(fig, _title("costs", lang), "source_sizing", scenario=scenario, lang=lang)


def compare_ratios(table: pd.DataFrame, lang: str = "en", ax=None, scenario: str | None = None,
                   ratios=None):
    """Return grouped bars of the rule ratios (%) per scenario, each limit as a black tick."""
    t = _solved(table)
    pairs = [p for p in _RATIOS if ratios is None or p[0] in ratios]
    fig, ax = new_figure(figsize=(10, 4.8), ax=ax)
    x, w, pos = _bar_positions(len(t), len(pairs))
    for i, (col, rules) in enumerate(pairs):
        v = t[col].astype(float).to_numpy() * 100
        ax.bar(pos[i], v, w, color=_RATIO_COLOURS[i], hatch=HATCHES[i], edgecolor="white", lw=0.3,
               label=label(col, lang))
        # the limit drawn is that of the rule in force (1.2x for hydrogen, 以荷定源 otherwise)
        lim_col = next((f"limit:{r}" for r in reversed(rules) if f"limit:{r}" in t
                        and t[f"limit:{r}"].notna().any()), None)  # fmt: skip
        if lim_col is not None:
            lim = t[lim_col].astype(float).to_numpy() * 100
            ok = ~np.isnan(lim)
            ax.hlines(lim[ok], pos[i][ok] - w / 2, pos[i][ok] + w / 2, color="black", lw=2.2,
                      label=label("limit", lang) if i == 0 else None)
    ax.set_xticks(x, t.index, rotation=15, ha="right")
    ax.set_ylabel(label("share_pct", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return finish_figure(fig, _title("ratios", lang), "source_sizing", scenario=scenario, lang=lang)


def tradeoff_curve(sweep: pd.DataFrame, x: str = "peak_valley_limit", lang: str = "en",
                   scenario: str | None = None, title: str | None = None):
    """Return storage power (MW) and energy (MWh) against a swept value, and the annual cost.

    ``sweep`` is :meth:`greenscen.widgets.SizingSession.sweep` output; infeasible values are
    marked on the axis.
    """
    fig, (ax_s, ax_c) = new_figure(1, 2, figsize=(11, 4.6))
    fig.subplots_adjust(wspace=0.35)
    ok = sweep[sweep["status"] == "solved"].sort_values(x)
    bad = sweep[sweep["status"] != "solved"]
    xs = ok[x].astype(float)
    xlab = label(x, lang)
    ax_s.plot(xs, ok["storage_mw"], color=PALETTE["storage"], marker="o", label=label("storage_mw", lang) + " (MW)")
    ax_e = ax_s.twinx()
    ax_e.plot(xs, ok["storage_mwh"], color=PALETTE["load"], marker="s", ls="--",
              label=label("storage_mwh", lang) + " (MWh)")
    ax_e.grid(False)
    ax_e.spines["right"].set_visible(True)
    ax_s.set_xlabel(xlab)
    ax_s.set_ylabel(label("power_mw", lang))
    ax_e.set_ylabel(label("storage_energy_mwh", lang))
    handles = ax_s.get_lines() + ax_e.get_lines()
    ax_s.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper right")
    ax_c.plot(xs, ok["total_annual_yuan"] / 1e6, color=PALETTE["import"], marker="o",
              label=label("cost_myuan_year", lang))
    ax_c2 = ax_c.twinx()
    ax_c2.plot(xs, ok["cost_storage_yuan"] / 1e6, color=PALETTE["storage"], marker="^", ls=":",
               label=label("storage_cost_myuan", lang))
    ax_c2.grid(False)
    ax_c2.spines["right"].set_visible(True)
    ax_c.set_xlabel(xlab)
    ax_c.set_ylabel(label("cost_myuan_year", lang))
    ax_c2.set_ylabel(label("storage_cost_myuan", lang))
    handles = ax_c.get_lines() + ax_c2.get_lines()
    ax_c.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper right")
    for a in (ax_s, ax_c):
        for v in bad[x].astype(float):
            a.axvline(v, color=PALETTE["shortfall"], ls=":", lw=1)
            a.annotate(label("infeasible", lang), (v, 0.02), xycoords=("data", "axes fraction"),
                       rotation=90, fontsize=7, color=PALETTE["shortfall"])
    return finish_figure(fig, title or _title("tradeoff", lang), "source_sizing", scenario=scenario, lang=lang)
