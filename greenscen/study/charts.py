"""Charts of a study's table: tornado, scatter with its cost frontier, share of rules held.

- :func:`tornado`: how far the annual cost and each capacity move between the low and the
  high values of each varied parameter (mean over the rows at the parameter's lowest and
  highest quarter of values; for a grid, its smallest and largest value);
- :func:`scatter_frontier`: cost against the self-consumption share of every solved variant,
  the least-cost frontier (no cheaper variant reaches a higher share) drawn through them;
- :func:`rule_share`: the share of all variants in which each rule holds (a variant with no
  feasible design or bad input holds none).

Each takes the table (and the study's varied columns), an optional ``ax``, returns the
figure and never calls ``show()``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.charts.style import PALETTE, export_figure, finish_figure, new_figure
from greenscen.compare import POLICY_RULES
from greenscen.rules.registry import rule_label
from greenscen.tweaks import TWEAKS

OUTCOMES = (("total_annual_yuan", "Annual cost, million yuan/yr", 1e-6), ("wind_mw", "Wind, MW", 1.0),
            ("pv_mw", "PV, MW", 1.0), ("storage_mwh", "Storage energy, MWh", 1.0))  # fmt: skip
# a rule holds when its margin (share of its limit) is not below this: the solver's tolerance
HOLD_TOL = -1e-6


def parameter_label(column: str) -> str:
    """Return a varied column's label: its tweak's label and unit, else the path itself."""
    for tw in TWEAKS.values():
        if ".".join(tw.path) == column:
            return f"{tw.label_en} ({tw.unit})" if tw.unit else tw.label_en
    return column


def _solved(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["status"] == "solved"]


def _low_high(x: pd.Series) -> tuple[pd.Series, pd.Series]:
    values = np.sort(x.dropna().unique())
    if len(values) <= 4:  # a grid axis: its smallest and largest value
        return x == values[0], x == values[-1]
    return x <= x.quantile(0.25), x >= x.quantile(0.75)


def tornado_data(table: pd.DataFrame, varied) -> pd.DataFrame:
    """Return, per varied numeric parameter and outcome, the mean outcome at its low and high values."""
    t = _solved(table)
    rows = []
    for col in varied:
        x = pd.to_numeric(t[col], errors="coerce") if col in t else None
        if x is None or x.nunique() < 2:
            continue
        lo, hi = _low_high(x)
        for out, _, scale in OUTCOMES:
            if out in t:
                rows.append({"parameter": col, "outcome": out, "low": t.loc[lo, out].mean() * scale,
                             "high": t.loc[hi, out].mean() * scale, "median": t[out].median() * scale,
                             "x_low": x[lo].mean(), "x_high": x[hi].mean()})  # fmt: skip
    return pd.DataFrame(rows)


def tornado(table: pd.DataFrame, varied, scenario: str | None = None):
    """Return the tornado figure: one panel per outcome, one bar per varied parameter."""
    data = tornado_data(table, varied)
    fig, axes = new_figure(2, 2, figsize=(11, 2.2 + 0.9 * max(1, len(set(data.get("parameter", []))))))
    for ax, (out, title, _) in zip(np.ravel(axes), OUTCOMES, strict=True):
        d = data[data["outcome"] == out] if not data.empty else data
        if d.empty:
            ax.set_visible(False)
            continue
        d = d.assign(span=(d["high"] - d["low"]).abs()).sort_values("span")
        y = np.arange(len(d))
        mid = float(d["median"].iloc[0])
        ax.barh(y, d["low"] - mid, left=mid, color=PALETTE.get("pv", "#F2C14E"), label="low value")
        ax.barh(y, d["high"] - mid, left=mid, color=PALETTE.get("wind", "#5DA9E9"), label="high value")
        ax.axvline(mid, color="#333333", lw=0.8)
        ax.set_yticks(y, [f"{parameter_label(p)}\n{a:,.4g} → {b:,.4g}" for p, a, b in
                          zip(d["parameter"], d["x_low"], d["x_high"], strict=True)], fontsize=7)  # fmt: skip
        ax.set_title(title, fontsize=10)
        ax.ticklabel_format(axis="x", style="plain", useOffset=False)
    np.ravel(axes)[0].legend(fontsize=7, loc="lower right")
    return finish_figure(fig, "What moves the answer: cost and capacities at low and high values",
                         "median of solved variants marked; bars = mean at low / high values", scenario)  # fmt: skip


def pareto_front(cost: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Return the indices of the least-cost frontier: no other point costs less and reaches more.

    >>> pareto_front(np.array([3.0, 1.0, 2.0, 4.0]), np.array([0.9, 0.5, 0.4, 0.8])).tolist()
    [1, 0]
    """
    order = np.lexsort((-share, cost))
    best, out = -np.inf, []
    for i in order:
        if share[i] > best:
            out.append(int(i))
            best = share[i]
    return np.array(out, dtype=int)


def scatter_frontier(table: pd.DataFrame, x: str = "self_consumption_share",
                     y: str = "total_annual_yuan", colour: str | None = None,
                     scenario: str | None = None, ax=None):  # fmt: skip
    """Return the scatter of cost against ``x`` (solved variants) with its least-cost frontier."""
    fig, ax = new_figure(figsize=(8, 5), ax=ax)
    t = _solved(table)
    cost, share = t[y].to_numpy(float) * 1e-6, t[x].to_numpy(float)
    c = pd.to_numeric(t[colour], errors="coerce") if colour and colour in t else None
    sc = ax.scatter(share * 100, cost, s=14, c=None if c is None else c, cmap="viridis",
                    color=None if c is not None else PALETTE.get("wind", "#5DA9E9"), alpha=0.8,
                    label="solved variant")  # fmt: skip
    if c is not None:
        fig.colorbar(sc, ax=ax, label=parameter_label(colour))
    if len(t):
        f = pareto_front(cost, share)
        ax.plot(share[f] * 100, cost[f], color="#C0392B", lw=1.5, drawstyle="steps-post",
                label="least-cost frontier")  # fmt: skip
    ax.set_xlabel("Self-consumption share, % (自发自用比例)")
    ax.set_ylabel("Annual cost, million yuan/yr")
    n_failed = int((table["status"] != "solved").sum())
    ax.legend(fontsize=8, title=f"{len(t)} solved, {n_failed} failed", title_fontsize=8)
    return finish_figure(fig, "Cost against self-consumption share, every variant",
                         None, scenario)  # fmt: skip


def rule_share_data(table: pd.DataFrame) -> pd.Series:
    """Return the share (0-1) of all variants in which each rule holds (margin >= 0)."""
    out = {}
    for rule in POLICY_RULES:
        col = f"margin:{rule}"
        if col not in table or table[col].notna().sum() == 0:
            continue
        m = pd.to_numeric(table[col], errors="coerce")
        held = (table["status"] == "solved") & (m.isna() | (m >= HOLD_TOL))
        ok = table[f"value:{rule}"].notna() | (table["status"] != "solved")
        out[rule] = float(held[ok].mean())
    return pd.Series(out, dtype=float)


def rule_share(table: pd.DataFrame, scenario: str | None = None, ax=None):
    """Return the bar chart of the share of variants in which each rule holds."""
    share = rule_share_data(table)
    fig, ax = new_figure(figsize=(8, 0.9 + 0.5 * max(len(share), 1)), ax=ax)
    y = np.arange(len(share))
    ax.barh(y, share.to_numpy() * 100, color=PALETTE.get("import", "#2E8B57"))
    for i, v in enumerate(share.to_numpy()):
        ax.text(min(v * 100 + 1, 92), i, f"{v:.0%}", va="center", fontsize=8)
    ax.set_yticks(y, [rule_label(r) for r in share.index], fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of variants in which the rule holds, %")
    return finish_figure(fig, f"How often each rule holds ({len(table)} variants)",
                         "no feasible design or bad input counts as not held", scenario)  # fmt: skip


def write_study_charts(table: pd.DataFrame, study, folder: Path) -> list[Path]:
    """Write the study's charts as PNG under ``folder``; return the paths."""
    name = study.base.scenario.name
    varied = [c for c in study.varied if c in table]
    written = []
    figs = {"tornado": tornado(table, varied, name),
            "scatter_frontier": scatter_frontier(table, colour=varied[0] if varied else None, scenario=name),
            "rule_share": rule_share(table, name)}  # fmt: skip
    for stem, fig in figs.items():
        written += export_figure(fig, Path(folder) / stem, ("png",))
    return written
