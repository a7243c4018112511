"""Charts of the carbon-finance rating and the quarterly monitoring view (English or Chinese).

Each function takes data and an optional ``ax``, returns the figure and never calls ``show()``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.charts.style import PALETTE, finish_figure, new_figure

_L = {
    "title_rating": ("Carbon-finance rating: score by first-level indicator", "碳金融评价：一级指标得分"),
    "points": ("Weighted points (of 100)", "加权得分（满分100）"),
    "max": ("Maximum (weight x 100)", "满分（权重×100）"),
    "got": ("Score", "得分"),
    "total": ("Total {s:.1f} points, grade {g}; loan rate {bp:+.0f} bp, {v:,.0f} yuan/yr",
              "总分 {s:.1f}，等级 {g}；贷款利率 {bp:+.0f} 个基点，{v:,.0f} 元/年"),
    "src_rating": ("Structure: seed 003 (6 first-level, 20 second-level indicators, 50 bp); weights, "
                   "thresholds and grades are an illustrative default (assumption)",
                   "结构：003号文件（6个一级指标、20个二级指标、50个基点）；权重、阈值与等级为示例默认值（假设）"),
    "title_q": ("Green share by quarter (monitoring, 000 二(三), 004 第十九条)",
                "分季度绿电消费占比（监测，000 二(三)、004 第十九条）"),
    "direct": ("Direct connection", "绿电直连"),
    "trading": ("Green power trading", "绿电交易"),
    "certificates": ("Certificates", "绿证"),
    "share_axis": ("Share of quarterly consumption (%)", "占季度用电量比例 (%)"),
    "ytd": ("Year-to-date share", "年初至今占比"),
    "target": ("Annual target", "年度目标"),
    "lagging": ("lagging", "滞后"),
    "quarter": ("Quarter", "季度"),
    "src_q": ("Direct connection from the sizing run's hourly self-consumption; trading and "
              "certificates as bought per quarter", "绿电直连取自规模优化逐时自发自用电量；绿电交易与绿证按季度购买量"),
}  # fmt: skip


def _t(key: str, lang: str) -> str:
    return _L[key][0 if lang == "en" else 1]


def plot_rating(table: pd.DataFrame, summary: dict, lang: str = "en", ax=None, scenario=None):
    """Return horizontal bars of each first-level indicator's weighted points against its maximum."""
    fig, ax = new_figure(figsize=(8.5, 4.4), ax=ax)
    col = "first_level" if lang == "zh" else "first_level_en"
    g = table.groupby(col, sort=False).agg(
        points=("contribution", "sum"), weight=("first_weight", "first")
    )
    y = np.arange(len(g))[::-1]
    ax.barh(y, g["weight"] * 100, color="#DDDDDD", label=_t("max", lang))
    ax.barh(y, g["points"], color=PALETTE["green"], height=0.55, label=_t("got", lang))
    for yi, p in zip(y, g["points"], strict=True):
        ax.text(p + 0.3, yi, f"{p:.1f}", va="center", fontsize=8)
    ax.set_yticks(y, g.index)
    ax.set_xlabel(_t("points", lang))
    ax.set_title(
        _t("total", lang).format(
            s=summary["score"], g=summary["grade"], bp=-summary["rate_reduction_bp"] + 0.0,
            v=summary["value_yuan_per_year"],
        ),
        fontsize=10,
    )  # fmt: skip
    ax.legend(fontsize=8, loc="lower right")
    finish_figure(fig, _t("title_rating", lang), _t("src_rating", lang), scenario, lang=lang)
    return fig


def plot_quarterly(q: pd.DataFrame, lang: str = "en", ax=None, scenario=None):
    """Return stacked quarterly shares by route, the year-to-date share and the target."""
    fig, ax = new_figure(figsize=(8, 4.4), ax=ax)
    x = np.arange(1, 5)
    bottom = np.zeros(4)
    colours = {"direct": PALETTE["direct"], "trading": PALETTE["trading"],
               "certificates": PALETTE["certificate"]}  # fmt: skip
    for r, c in colours.items():
        v = (q[f"{r}_mwh"] / q["load_mwh"]).to_numpy(float) * 100
        ax.bar(x, v, bottom=bottom, color=c, width=0.6, label=_t(r, lang))
        bottom += v
    ax.plot(x, q["ytd_share"] * 100, "-o", color=PALETTE["load"], label=_t("ytd", lang))
    ax.axhline(q["target_share"].iloc[0] * 100, color=PALETTE["shortfall"], ls="--",
               label=_t("target", lang))  # fmt: skip
    ticks = [f"Q{i}" + (f"\n{_t('lagging', lang)}" if lag else "")
             for i, lag in zip(x, q["lagging"], strict=True)]  # fmt: skip
    ax.set_xticks(x, ticks)
    for tick, lag in zip(ax.get_xticklabels(), q["lagging"], strict=True):
        if lag:
            tick.set_color(PALETTE["shortfall"])
    ax.set_xlabel(_t("quarter", lang))
    ax.set_ylabel(_t("share_axis", lang))
    ax.set_ylim(0, max(100.0, float(bottom.max())) * 1.22)
    ax.legend(fontsize=8, loc="upper left", ncol=5, frameon=False)
    finish_figure(fig, _t("title_q", lang), _t("src_q", lang), scenario, lang=lang)
    return fig
