"""Charts of the obligations ledger in the brief style (English or Chinese labels).

Each function takes data (the frames of :mod:`greenscen.obligations.run`) and an optional ``ax``,
returns the figure and never calls ``show()``.

- :func:`plot_weight_trajectories`: history solid with markers, projections dashed over a shaded
  "projected" band, suspect values hollow;
- :func:`plot_obligation_fulfilment`: green MWh by route per year as stacked bars (sales below
  zero), the requirement as a black tick, shortfalls hatched;
- :func:`plot_certificates_cost`: certificates bought (make-up hatched) and cost by route per year.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from greenscen.charts.style import PALETTE, SERIES_COLOURS, finish_figure, label, new_figure
from greenscen.obligations.weights import PINYIN

_LABELS = {
    "total": ("Total weight", "总量消纳责任权重"),
    "non_hydro": ("Non-hydro weight", "非水电消纳责任权重"),
    "suspect": ("Suspect value", "存疑数值"),
    "expected": ("Expected value (next year, not yet binding)", "预期值（次年，尚未下达）"),
    "hold_last": ("Hold last published", "保持最新公布值"),
    "linear_to_target": ("Linear to 2030 guidance", "线性趋近2030年指引"),
    "regional_step": ("Regional step increase", "区域差异化阶梯提升"),
    "user_path": ("User path", "用户路径"),
    "self_generated": ("Self-generated", "自发自用"),
    "direct": ("Direct connection", "绿电直连"),
    "trading": ("Green power trading", "绿电交易"),
    "guaranteed": ("Guaranteed-purchase allocation", "保障性收购分配"),
    "market": ("Market purchases", "市场化交易"),
    "excess_bought": ("Excess volume bought", "购买超额消纳量"),
    "certificates": ("Certificates", "绿证"),
    "certificates_bought": ("Certificates", "绿证"),
    "makeup_certificates": ("Make-up certificates (3 months)", "补足绿证 (3个月内)"),
    "makeup_trading": ("Make-up green power trading (3 months)", "补足绿电交易 (3个月内)"),
    "excess_sold": ("Excess volume sold", "出售超额消纳量"),
    "certificates_sold": ("Certificates sold", "出售绿证"),
    "required": ("Requirement incl. carried-in", "应完成量 (含结转)"),
    "shortfall": ("Shortfall", "缺口"),
    "carried": ("carried in", "结转"),
    "uncured": ("not carried, uncured", "不结转，未完成"),
    "green_gwh": ("Green electricity (GWh)", "绿电消费量 (GWh)"),
    "certs_gwh": ("Certificates bought (GWh = thousand GECs)", "购买绿证 (GWh = 千张)"),
    "net_cost": ("Net cost", "净成本"),
    "title_traj": ("Consumption responsibility weights: published and projected", "消纳责任权重：已公布与预测"),
    "title_fulfil": ("Obligation and fulfilment by route", "消纳责任与完成途径"),
    "title_cost": ("Certificates and compliance cost per year", "逐年绿证购买与履约成本"),
    "source_weights": ("Weights: NDRC/NEA notices via bundled table; projections are greenscen methods",
                       "权重：国家发改委/能源局文件（内置数据表）；预测为greenscen方法"),
    "source_ledger": ("Rules: seeds 000, 002, 004; costs incremental over grid power",
                      "规则：000、002、004号文件；成本为相对电网购电的增量成本"),
}  # fmt: skip

FULFIL_ROUTES = (
    "self_generated", "direct", "trading", "guaranteed", "market", "excess_bought",
    "certificates", "certificates_bought", "makeup_certificates", "makeup_trading",
)  # fmt: skip
SALE_ROUTES = ("excess_sold", "certificates_sold")
_ROUTE_COLOURS = {
    "self_generated": PALETTE["green"],
    "direct": PALETTE["direct"],
    "trading": PALETTE["trading"],
    "guaranteed": "#5DA9E9",
    "market": "#6C5B7B",
    "excess_bought": "#C06C84",
    "certificates": PALETTE["certificate"],
    "certificates_bought": PALETTE["certificate"],
    "makeup_certificates": "#F2C14E",
    "makeup_trading": PALETTE["trading"],
    "excess_sold": "#C06C84",
    "certificates_sold": PALETTE["certificate"],
}


def tr(key: str, lang: str = "en") -> str:
    """Return the chart label ``key`` in ``lang``; falls back to the shared brief labels."""
    if key in _LABELS:
        return _LABELS[key][0 if lang == "en" else 1]
    return label(key, lang)


def plot_weight_trajectories(
    trajectories: pd.DataFrame,
    province: str,
    kinds: Sequence[str] = ("total", "non_hydro"),
    lang: str = "en",
    ax=None,
    scenario: str | None = None,
):
    """Return a figure of one province's weights: history solid, each projection dashed.

    Parameters
    ----------
    trajectories : DataFrame
        From :func:`~greenscen.obligations.trajectories.project_many` (``label`` column optional).
    province : str
        Province to draw.
    kinds : sequence of str
        ``total`` and/or ``non_hydro``; one panel each.
    lang : {"en", "zh"}
        Label language.
    ax : Axes or sequence of Axes, optional
        Axes to draw into (one per kind).
    """
    kinds = list(kinds)
    if ax is None:
        fig, axes = new_figure(1, len(kinds), figsize=(5.2 * len(kinds), 4.3))
        axes = np.atleast_1d(axes)
    else:
        axes = np.atleast_1d(ax)
        fig, _ = new_figure(ax=axes[0])
    for a, kind in zip(axes, kinds, strict=True):
        sub = trajectories[(trajectories["province"] == province) & (trajectories["kind"] == kind)]
        hist = sub[sub["status"] != "projected"].drop_duplicates("year").sort_values("year")
        pub = hist[hist["status"] != "suspect"]
        last_year = int(pub["year"].max())
        a.axvspan(last_year, sub["year"].max() + 0.5, color=PALETTE["projection"], alpha=0.08, lw=0)
        a.text(
            last_year + 0.3,
            0.02,
            tr("projection", lang),
            transform=a.get_xaxis_transform(),
            fontsize=8,
            color="#555555",
        )
        a.plot(
            pub["year"],
            pub["value"] * 100,
            "-o",
            color=PALETTE["load"],
            lw=2,
            ms=5,
            label=tr("history", lang),
            zorder=5,
        )
        exp = hist[hist["status"] == "expected"]
        if not exp.empty:
            a.plot(exp["year"], exp["value"] * 100, "o", mfc="white", mec=PALETTE["load"], mew=1.5,
                   ms=7, label=tr("expected", lang), zorder=6)  # fmt: skip
        sus = hist[hist["status"] == "suspect"]
        if not sus.empty:
            a.plot(
                sus["year"],
                sus["value"] * 100,
                "o",
                mfc="white",
                mec=PALETTE["shortfall"],
                ms=7,
                label=tr("suspect", lang),
                zorder=6,
            )
        col = "label" if "label" in sub.columns else "method"
        for i, (name, grp) in enumerate(sub[sub["status"] == "projected"].groupby(col, sort=False)):
            g = grp.sort_values("year")
            x = np.r_[last_year, g["year"].to_numpy()]
            y = (
                np.r_[
                    float(pub.loc[pub["year"] == last_year, "value"].iloc[0]), g["value"].to_numpy()
                ]
                * 100
            )
            method = g["method"].iloc[0]
            text = tr(method, lang) if name == method else name
            a.plot(
                x, y, "--", color=SERIES_COLOURS[(i + 1) % len(SERIES_COLOURS)], lw=1.6, label=text
            )
        name = PINYIN.get(province, province) if lang == "en" else province
        a.set_title(f"{name}: {tr(kind, lang)}")
        a.set_xlabel(tr("year", lang))
        a.set_ylabel(tr("weight", lang))
        a.set_ylim(bottom=0)
    handles, labels = {}, {}
    for a in axes:  # one legend for both panels (the expected marker may be in one only)
        for h, lab in zip(*a.get_legend_handles_labels(), strict=True):
            handles.setdefault(lab, h)
    labels = list(handles)
    axes[0].legend([handles[k] for k in labels], labels, fontsize=8, loc="best")
    if ax is None:
        finish_figure(fig, tr("title_traj", lang), tr("source_weights", lang), scenario)
    return fig


def _bar_labels(ledger: pd.DataFrame) -> list[str]:
    if ledger["entity"].nunique() == 1:
        return [str(y) for y in ledger["year"]]
    return [f"{e}\n{y}" for e, y in zip(ledger["entity"], ledger["year"], strict=True)]


def plot_obligation_fulfilment(
    ledger: pd.DataFrame, lang: str = "en", ax=None, scenario: str | None = None
):
    """Return stacked bars of green energy by route per entity-year against the requirement (GWh).

    The requirement (own obligation plus carried-in shortfall) is a black tick over each bar; a
    shortfall after the make-up window is hatched red; sales are drawn below zero.
    """
    fig, ax = new_figure(figsize=(max(7.0, 1.1 * len(ledger) + 4), 4.6), ax=ax)
    x = np.arange(len(ledger))
    pos = np.zeros(len(ledger))
    neg = np.zeros(len(ledger))
    seen = set()
    for r in (*FULFIL_ROUTES, *SALE_ROUTES):
        col = f"{r}_mwh"
        if col not in ledger or not (ledger[col].fillna(0).abs() > 0).any():
            continue
        v = ledger[col].fillna(0.0).to_numpy(float) / 1000.0
        name = tr(r, lang)
        hatch = "//" if r.startswith("makeup_") else ("xx" if r in SALE_ROUTES else "")
        up, down = np.clip(v, 0, None), np.clip(v, None, 0)
        ax.bar(x, up, bottom=pos, color=_ROUTE_COLOURS[r], hatch=hatch, edgecolor="white", width=0.62,
               label=None if name in seen else name)  # fmt: skip
        seen.add(name)
        ax.bar(
            x, down, bottom=neg, color=_ROUTE_COLOURS[r], hatch=hatch, edgecolor="white", width=0.62
        )
        pos += up
        neg += down
    net = pos + neg
    short = ledger["shortfall_total_mwh"].fillna(0.0).to_numpy(float) / 1000.0
    has = short > 0
    if has.any():
        ax.bar(x[has], short[has], bottom=net[has], color="none", edgecolor=PALETTE["shortfall"], hatch="xx",
               width=0.62, label=tr("shortfall", lang))  # fmt: skip
    uncured = ledger["uncured_total_mwh"].fillna(0.0).to_numpy(float) / 1000.0
    for xi in np.flatnonzero(uncured > 0):
        ax.annotate(f"{uncured[xi]:,.0f} GWh {tr('uncured', lang)}", (xi, net[xi] + short[xi]), xytext=(0, 12),
                    textcoords="offset points", ha="center", fontsize=7, color=PALETTE["shortfall"])  # fmt: skip
    req = ledger["required_total_mwh"].to_numpy(float) / 1000.0
    ax.hlines(
        req, x - 0.4, x + 0.4, color=PALETTE["load"], lw=2.2, label=tr("required", lang), zorder=6
    )
    carried = ledger["carried_in_total_mwh"].fillna(0.0).to_numpy(float) / 1000.0
    for xi, (c, r) in enumerate(zip(carried, req, strict=True)):
        if c > 0:
            ax.annotate(f"+{c:,.0f} GWh {tr('carried', lang)}", (xi, r), xytext=(0, 4), textcoords="offset points",
                        ha="center", fontsize=7, color=PALETTE["shortfall"])  # fmt: skip
    ax.axhline(0, color="#333333", lw=0.8)
    top = max(float(np.nanmax(req)), float(np.nanmax(pos + short)))
    ax.set_ylim(top=top * 1.1)
    ax.set_xticks(x, _bar_labels(ledger))
    ax.set_ylabel(tr("green_gwh", lang))
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    finish_figure(fig, tr("title_fulfil", lang), tr("source_ledger", lang), scenario)
    return fig


def plot_certificates_cost(
    ledger: pd.DataFrame, lang: str = "en", ax=None, scenario: str | None = None
):
    """Return certificates bought per year (GWh) and the cost by route with its net (million yuan).

    ``ax`` may be a pair of Axes (certificates, cost).
    """
    if ax is None:
        fig, axes = new_figure(1, 2, figsize=(11, 4.3))
    else:
        axes = list(ax)
        fig, _ = new_figure(ax=axes[0])
    a1, a2 = axes
    years = ledger["year"].astype(int).to_numpy()
    x = np.arange(len(years))
    col = "certificates_mwh" if "certificates_mwh" in ledger else "certificates_bought_mwh"
    certs = ledger[col].fillna(0.0).to_numpy(float) / 1000
    makeup = ledger["makeup_certificates_mwh"].fillna(0.0).to_numpy(float) / 1000
    a1.bar(x, certs, color=PALETTE["certificate"], width=0.6, label=tr("certificates", lang))
    a1.bar(x, makeup, bottom=certs, color=_ROUTE_COLOURS["makeup_certificates"], hatch="//", edgecolor="white", width=0.6,
           label=tr("makeup_certificates", lang))  # fmt: skip
    a1.set_ylim(0, max(1e-9, float((certs + makeup).max())) * 1.3)
    a1.set_xticks(x, [str(y) for y in years])
    a1.set_ylabel(tr("certs_gwh", lang))
    a1.set_xlabel(tr("year", lang))
    a1.legend(fontsize=8, loc="upper left")
    pos = np.zeros(len(x))
    neg = np.zeros(len(x))
    for r in ("direct", "trading", "certificates", "makeup_certificates"):
        col = f"cost_{r}_yuan"
        if col not in ledger:
            continue
        v = ledger[col].fillna(0.0).to_numpy(float) / 1e6
        up, down = np.clip(v, 0, None), np.clip(v, None, 0)
        hatch = "//" if r == "makeup_certificates" else ""
        a2.bar(
            x,
            up,
            bottom=pos,
            color=_ROUTE_COLOURS[r],
            hatch=hatch,
            edgecolor="white",
            width=0.6,
            label=tr(r, lang),
        )
        a2.bar(
            x, down, bottom=neg, color=_ROUTE_COLOURS[r], hatch=hatch, edgecolor="white", width=0.6
        )
        pos += up
        neg += down
    total = ledger["cost_total_yuan"].fillna(0.0).to_numpy(float) / 1e6
    a2.plot(x, total, "D-", color=PALETTE["load"], ms=5, label=tr("net_cost", lang), zorder=6)
    for xi, t in zip(x, total, strict=True):
        a2.annotate(
            f"{t:,.1f}", (xi, t), xytext=(0, 6), textcoords="offset points", ha="center", fontsize=7
        )
    a2.axhline(0, color="#333333", lw=0.8)
    a2.set_xticks(x, [str(y) for y in years])
    a2.set_ylabel(tr("cost_myuan", lang))
    a2.set_xlabel(tr("year", lang))
    a2.legend(fontsize=8, loc="best")
    if ax is None:
        finish_figure(fig, tr("title_cost", lang), tr("source_ledger", lang), scenario)
    return fig
