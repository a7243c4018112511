"""Charts of a sizing result: a sample week's dispatch, the monthly balance, compliance margins.

Each function takes data (not a result object) and an optional ``ax``, returns the figure
and never calls ``show()``; ``lang`` is "en" or "zh".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.charts.style import PALETTE, finish_figure, label, new_figure
from greenscen.rules.registry import rule_label

_TITLES = {
    "week": ("Dispatch, sample week", "典型周运行"),
    "monthly": ("Monthly energy balance", "月度电量平衡"),
    "compliance": ("Rule compliance: margin to each limit", "政策规则符合性：距限值裕度"),
}


def _tech_columns(hourly: pd.DataFrame) -> list[str]:
    return [c.split(":", 1)[1] for c in hourly.columns if c.startswith("available_mw:")]


def sample_week_start(index: pd.DatetimeIndex, month: int = 7) -> pd.Timestamp:
    """Return the first Monday 00:00 on or after the 8th of ``month`` in the index's year.

    A horizon without that week (a one-month study, say) shows its first Monday's week, or
    its first day's when it is shorter.
    """
    year = index[0].year
    day = pd.Timestamp(year=year, month=month, day=8)
    start = day + pd.Timedelta(days=(7 - day.weekday()) % 7)
    if index[0] <= start and start + pd.Timedelta(days=7) <= index[-1] + pd.Timedelta(hours=1):
        return start
    first = index[0].normalize()
    monday = first + pd.Timedelta(days=(7 - first.weekday()) % 7)
    return monday if monday + pd.Timedelta(days=7) <= index[-1] + pd.Timedelta(hours=1) else first


def dispatch_week(hourly: pd.DataFrame, start=None, ax=None, lang: str = "en", scenario: str | None = None):
    """Return a figure of one week's supply stack against the load (MW).

    Renewables used directly (by technology, in proportion to availability), storage discharge
    and grid import are stacked above zero; storage charge, export and curtailment below.
    """
    start = pd.Timestamp(start) if start is not None else sample_week_start(hourly.index)
    week = hourly.loc[start : start + pd.Timedelta(days=7) - pd.Timedelta(seconds=1)]
    fig, ax = new_figure(figsize=(10, 4.8), ax=ax)
    x = week.index
    avail = week["available_mw"].to_numpy()
    used = avail - week["curtailed_mw"].to_numpy()
    share = np.divide(used, avail, out=np.zeros_like(used), where=avail > 1e-9)
    layers, names, colours = [], [], []
    for tech in _tech_columns(week):
        layers.append(week[f"available_mw:{tech}"].to_numpy() * share)
        names.append(label(tech, lang))
        colours.append(PALETTE.get(tech, "#999999"))
    layers.append(week["discharge_mw"].to_numpy())
    names.append(label("discharge", lang))
    colours.append(PALETTE["storage"])
    layers.append(week["import_mw"].to_numpy())
    names.append(label("import", lang))
    colours.append(PALETTE["import"])
    ax.stackplot(x, *layers, labels=names, colors=colours, alpha=0.9, step="post")
    below = [
        # charge takes the storage colour, hatched; export is hatched apart from discharge
        (-week["charge_mw"].to_numpy(), label("charge", lang), PALETTE["storage"], ".."),
        (-week["export_mw"].to_numpy(), label("export", lang), PALETTE["export"], "xx"),
        (-week["curtailed_mw"].to_numpy(), label("curtailed", lang), PALETTE["curtailed"], "//"),
    ]
    base = np.zeros(len(week))
    for values, name, colour, hatch in below:
        if np.abs(values).max() > 1e-6:
            ax.fill_between(x, base, base + values, step="post", facecolor=colour, label=name, hatch=hatch,
                            edgecolor="white" if hatch else colour, alpha=0.9, lw=0)
            base = base + values
    ax.step(x, week["load_mw"], where="post", color=PALETTE["load"], lw=1.6, label=label("load", lang))
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel(label("power_mw", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    title = _TITLES["week"][lang == "zh"] + f" ({start:%Y-%m-%d})"
    return finish_figure(fig, title, "source_sizing", scenario=scenario, lang=lang)


def monthly_balance(hourly: pd.DataFrame, ax=None, lang: str = "en", scenario: str | None = None):
    """Return a figure of monthly energies (GWh): supply by source against the load."""
    dt = hourly["duration_h"]
    used = hourly["available_mw"] - hourly["curtailed_mw"]
    share = (used / hourly["available_mw"]).where(hourly["available_mw"] > 1e-9, 0.0)
    several_years = hourly.index[0].year != hourly.index[-1].year
    # one bar per calendar month; over several years months are numbered on from the first
    month = ((hourly.index.year - hourly.index[0].year) * 12 + hourly.index.month
             if several_years else hourly.index.month)  # fmt: skip
    parts = {}
    for tech in _tech_columns(hourly):
        parts[label(tech, lang)] = (hourly[f"available_mw:{tech}"] * share * dt).groupby(month).sum() / 1e3
    parts[label("import", lang)] = (hourly["import_mw"] * dt).groupby(month).sum() / 1e3
    stack = pd.DataFrame(parts)
    neg = pd.DataFrame(
        {
            label("export", lang): -(hourly["export_mw"] * dt).groupby(month).sum() / 1e3,
            label("curtailed", lang): -(hourly["curtailed_mw"] * dt).groupby(month).sum() / 1e3,
        }
    )
    load = (hourly["load_mw"] * dt).groupby(month).sum() / 1e3
    fig, ax = new_figure(figsize=(9, 4.5), ax=ax)
    colours = [PALETTE.get(t, "#999999") for t in _tech_columns(hourly)] + [PALETTE["import"]]
    bottom = np.zeros(len(stack))
    hatches = ["", "..", "//", "xx"]
    for i, col in enumerate(stack.columns):
        ax.bar(stack.index, stack[col], bottom=bottom, color=colours[i], label=col, hatch=hatches[i % 4], edgecolor="white", lw=0.3)
        bottom += stack[col].to_numpy()
    nb = np.zeros(len(neg))
    for col, colour, hatch in zip(neg.columns, [PALETTE["export"], PALETTE["curtailed"]], ["", "//"], strict=False):
        if neg[col].abs().max() > 1e-9:
            ax.bar(neg.index, neg[col], bottom=nb, color=colour, label=col, hatch=hatch, edgecolor="white", lw=0.3)
            nb += neg[col].to_numpy()
    ax.plot(load.index, load.to_numpy(), color=PALETTE["load"], marker="o", lw=1.5, label=label("load", lang))
    ax.axhline(0, color="black", lw=0.6)
    ax.set_xticks(range(1, 13) if not several_years else stack.index[::3])
    ax.set_xlabel(label("month", lang))
    ax.set_ylabel(label("energy_gwh", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return finish_figure(fig, _TITLES["monthly"][lang == "zh"], "source_sizing", scenario=scenario, lang=lang)




def compliance_margins(compliance: pd.DataFrame, ax=None, lang: str = "en", scenario: str | None = None):
    """Return a figure of each evaluated rule's margin as a share of its limit (>= 0 passes).

    Each bar is labelled with its margin; a rule at its limit (margin 0) is marked "binding".
    """
    rows = compliance[compliance["ok"].apply(lambda v: v is not None)].copy()
    rows = rows[rows["margin_share"].notna()] if "margin_share" in rows else rows.iloc[0:0]
    fig, ax = new_figure(figsize=(9, 0.45 * max(len(rows), 3) + 1.5), ax=ax)
    y = np.arange(len(rows))
    raw = rows["margin_share"].astype(float).to_numpy()
    vals = np.clip(raw, -1.5, 1.5)
    colours = [PALETTE["green"] if ok else PALETTE["shortfall"] for ok in rows["ok"]]
    ax.barh(y, vals, color=colours, hatch=["" if ok else "xx" for ok in rows["ok"]], edgecolor="white")
    binding = "紧约束" if lang == "zh" else "binding"
    beyond = "超出坐标" if lang == "zh" else "off scale"
    for yi, v, shown in zip(y, raw, vals, strict=False):
        v = 0.0 if abs(v) < 1e-6 else v
        clipped = abs(v) > abs(shown) + 1e-12
        if clipped:  # the bar is cut at ±150%: mark its end so it does not read as 150%
            ax.plot([shown], [yi], marker=">" if v > 0 else "<", color="black", ms=7, zorder=5)
        text = f"{v:+.0%}" + (f" ({binding})" if v == 0.0 else f" ({beyond})" if clipped else "")
        ax.annotate(text, (max(shown, 0), yi), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    names = [rule_label(r, lang, clause=False) for r in rows["rule"]]
    ax.set_yticks(y, [f"{n} ({c})" for n, c in zip(names, rows["clause"], strict=False)], fontsize=8)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(label("margin", lang))
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlim(min(-0.05, vals.min(initial=0) * 1.1), max(0.3, vals.max(initial=0) * 1.25))
    ax.invert_yaxis()
    return finish_figure(fig, _TITLES["compliance"][lang == "zh"], "source_sizing", scenario=scenario, lang=lang)


def write_sizing_charts(result, folder: Path, lang: str = "en", formats=("png",)) -> list[Path]:
    """Write the three charts of a sizing result into ``folder`` (PNG 300 dpi, SVG, PDF)."""
    import matplotlib.pyplot as plt

    from greenscen.charts.style import export_figure

    paths = []
    for name, fig in (
        ("dispatch_week", dispatch_week(result.hourly, lang=lang, scenario=result.name)),
        ("monthly_balance", monthly_balance(result.hourly, lang=lang, scenario=result.name)),
        ("compliance_margins", compliance_margins(result.compliance, lang=lang, scenario=result.name)),
    ):
        paths += export_figure(fig, Path(folder) / name, formats)
        plt.close(fig)
    from greenscen.charts.hydrogen import write_hydrogen_charts

    return paths + write_hydrogen_charts(result, folder, lang, formats)
