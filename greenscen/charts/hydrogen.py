"""Hydrogen charts: electrolyser operation in a sample week, LCOH by component, storage level.

Each takes the hourly table (columns of ``greenscen.results.hydrogen``) or the summary's
``hydrogen`` block, an optional ``ax`` and ``lang`` ("en" or "zh"), and returns the figure.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.charts.sizing import sample_week_start
from greenscen.charts.style import PALETTE, finish_figure, new_figure

_T = {
    "week": ("Electrolyser operation and renewable output", "电解槽运行与新能源出力"),
    "lcoh": ("Levelised cost of hydrogen by component", "平准化制氢成本构成"),
    "level": ("Hydrogen storage level", "储氢量"),
    "renewable": ("Renewable output (MW)", "新能源可用出力 (MW)"),
    "electrolyser": ("Electrolyser power (MW)", "电解槽功率 (MW)"),
    "power": ("Power (MW)", "功率 (MW)"),
    "delivered": ("Hydrogen delivered (t/h)", "供氢量 (t/h)"),
    "yuan_kg": ("yuan/kg", "元/kg"),
    "kg": ("Hydrogen in storage (t)", "储氢量 (t)"),
    "electricity": ("Electricity", "电力"),
    "electrolyser_part": ("Electrolyser", "电解槽"),
    "stacks": ("Stack replacement", "电堆更换"),
    "h2_storage": ("H2 storage", "储氢"),
}


def _t(key: str, lang: str) -> str:
    return _T[key][lang == "zh"]


def electrolyser_week(hourly: pd.DataFrame, start=None, ax=None, lang="en", scenario=None):
    """Return a figure of one week's electrolyser power against the renewable output (MW),
    with the hydrogen delivered to the user (t/h, right axis): the downstream plant's shape."""
    start = pd.Timestamp(start) if start is not None else sample_week_start(hourly.index)
    week = hourly.loc[start: start + pd.Timedelta(days=7) - pd.Timedelta(seconds=1)]
    # each step holds to its end: repeat the last value at the end of the week
    end = week.index[-1] + pd.Timedelta(hours=float(week["duration_h"].iloc[-1])) if "duration_h" in week else (
        week.index[-1])  # fmt: skip
    t = week.index.append(pd.DatetimeIndex([end]))

    def held(col):
        v = week[col].to_numpy(dtype=float)
        return np.append(v, v[-1])

    fig, ax = new_figure(figsize=(10, 4.4), ax=ax)
    ax.fill_between(t, 0, held("available_mw"), step="post", color=PALETTE["pv"], alpha=0.6,
                    lw=0, label=_t("renewable", lang))  # fmt: skip
    ax.step(t, held("electrolyser_mw"), where="post", color=PALETTE["load"], lw=1.6,
            label=_t("electrolyser", lang))  # fmt: skip
    ax.set_ylabel(_t("power", lang))
    handles, labels = ax.get_legend_handles_labels()
    if "h2_delivered_kg_h" in week:
        right = ax.twinx()
        right.step(t, held("h2_delivered_kg_h") / 1000.0, where="post", color=PALETTE["storage"], lw=1.2,
                   ls="--", label=_t("delivered", lang))  # fmt: skip
        right.set_ylabel(_t("delivered", lang))
        right.set_ylim(bottom=0)
        right.spines["right"].set_visible(True)
        h2, l2 = right.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    ax.set_ylim(bottom=0)
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.08, 1.0), fontsize=8)
    title = _t("week", lang) + (f"（{start:%Y-%m-%d} 起一周）" if lang == "zh" else f" (week from {start:%Y-%m-%d})")
    return finish_figure(fig, title, "source_sizing", scenario=scenario, lang=lang)


def lcoh_components(h2: dict, ax=None, lang="en", scenario=None):
    """Return a bar chart of the LCOH parts (yuan/kg) of a summary's ``hydrogen`` block."""
    parts = h2["lcoh_parts_yuan_per_kg"]
    keys = {"electricity": "electricity", "electrolyser": "electrolyser_part", "stacks": "stacks",
            "h2_storage": "h2_storage"}  # fmt: skip
    fig, ax = new_figure(figsize=(7, 4.4), ax=ax)
    names = [_t(keys[k], lang) for k in parts]
    vals = list(parts.values())
    bars = ax.bar(names, vals, color=["#5DA9E9", "#2E8B57", "#A0522D", "#6C5B7B"][: len(vals)])
    for b, v in zip(bars, vals, strict=True):
        ax.annotate(f"{v:.2f}", (b.get_x() + b.get_width() / 2, v), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel(_t("yuan_kg", lang))
    total = f" = {h2['lcoh_yuan_per_kg']:.2f} " + _t("yuan_kg", lang)
    return finish_figure(fig, _t("lcoh", lang) + total, "source_sizing", scenario=scenario, lang=lang)


def storage_level(hourly: pd.DataFrame, ax=None, lang="en", scenario=None):
    """Return a figure of the hydrogen storage level across the year (t)."""
    fig, ax = new_figure(figsize=(10, 4.0), ax=ax)
    level = hourly["h2_storage_kg"].to_numpy(dtype=float) / 1000.0 if "h2_storage_kg" in hourly else (
        np.zeros(len(hourly)))  # fmt: skip
    ax.plot(hourly.index, level, color=PALETTE["storage"], lw=0.8)
    ax.set_ylabel(_t("kg", lang))
    return finish_figure(fig, _t("level", lang), "source_sizing", scenario=scenario, lang=lang)


def write_hydrogen_charts(result, folder: Path, lang: str = "en", formats=("png",)) -> list[Path]:
    """Write the three hydrogen charts of a result with a hydrogen chain (none otherwise)."""
    import matplotlib.pyplot as plt

    from greenscen.charts.style import export_figure

    if "hydrogen" not in result.extra:
        return []
    paths = []
    for name, fig in (
        ("electrolyser_week", electrolyser_week(result.hourly, lang=lang, scenario=result.name)),
        ("lcoh_components", lcoh_components(result.extra["hydrogen"], lang=lang, scenario=result.name)),
        ("h2_storage_level", storage_level(result.hourly, lang=lang, scenario=result.name)),
    ):
        paths += export_figure(fig, Path(folder) / name, formats)
        plt.close(fig)
    return paths
