"""Near-optimal ranges (modelling to generate alternatives): how far each capacity can move
while the annual cost stays within a slack ε of the optimum.

For a scenario and a slack ε, solve the sizing LP once (cost C*), add the row
``cost(x) <= (1 + ε)·C*`` and, for each capacity k, minimise and then maximise k subject to
every rule and that row; each of these solves starts from the optimal basis (warm, dual then
primal simplex), so a range of five capacities costs ten re-solves, not ten builds. The rows
and costs are put back afterwards: the session solves its scenario as before.

Modes: ``exact`` on the scenario's full time grid (hour by hour); ``fast`` on fast mode's
typical-day sizing LP, so the cost C* and the ranges are those of the typical days (their
cost is within 0.3-0.5% of the exact one on the default scenario; a range's end points are
not re-dispatched on the full year).

References: DeCarolis (2011), "Using modeling to generate alternatives (MGA) to expand our
thinking on energy futures", Energy Economics 33(2); Neumann & Brown (2021), "The
near-optimal feasible space of a renewable power system model", EPSR 190.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.model.core import CAPACITY_BLOCKS, SizingModel
from greenscen.model.lp import SCALE

CAPACITY_UNITS = {"storage_mwh": "MWh"}


def _sizing_model(session) -> SizingModel:
    model = session.model
    if isinstance(model, SizingModel):
        return model
    sizing = getattr(model, "sizing", None)  # fast mode: its typical-day sizing LP
    if isinstance(sizing, SizingModel):
        return sizing
    raise TypeError(
        f"near-optimal ranges need the arrays backend or fast mode, found {type(model).__name__}"
    )


def capacity_columns(model: SizingModel) -> dict[str, int]:
    """Return each capacity of the LP (wind, pv, storage_mw, storage_mwh, connection_mw) -> column."""
    lp = model.lp
    out = {k.split(":", 1)[1]: s.start for k, s in lp.cols.items() if k.startswith("cap:")}
    for name, block in CAPACITY_BLOCKS.items():
        if block in lp.cols:
            out[name] = lp.cols[block].start
    return out


def near_optimal_ranges(session, slacks=(0.01, 0.05)) -> pd.DataFrame:
    """Return the min and max of each capacity among designs costing at most (1 + ε)·optimum.

    Parameters
    ----------
    session : SizingSession
        Exact (arrays backend) or fast mode; its scenario with the values set so far.
    slacks : the ε values (shares of the optimal cost, 0.01 for 1%)

    Returns
    -------
    DataFrame with one row per (ε, capacity): ``slack``, ``capacity``, ``unit`` (MW or MWh),
    ``optimum`` (the least-cost design's value), ``min``, ``max``, ``cost_at_min_yuan`` and
    ``cost_at_max_yuan`` (yuan/yr, each <= (1 + ε)·optimum), and ``optimal_cost_yuan``.
    """
    if session.result is None:
        session.solve()
    model = _sizing_model(session)
    sol = model.solve()  # the optimum of the LP the ranges are taken on, with its basis
    lp, highs = model.lp, model.highs
    x_opt = np.clip(np.asarray(highs.h.getSolution().col_value, float), lp.col_lb, lp.col_ub)
    c = lp.c.copy()
    cost_lp = float(c @ x_opt)
    # the LP leaves out cost terms no decision changes (e.g. funds on the load): ε is a share
    # of the whole annual cost, so add them back
    res = session.result
    fixed_yuan = float(res.cost["total_annual_yuan"]) - float(res.objective_yuan)
    total = cost_lp / SCALE + fixed_yuan
    cols = capacity_columns(model)
    nz = np.flatnonzero(c)
    first_added = int(highs.h.getNumRow())
    rows = []
    try:
        row = highs.add_row(nz, c[nz], -np.inf, cost_lp)
        for eps in slacks:
            cap = cost_lp + abs(total) * float(eps) * SCALE
            highs.h.changeRowBounds(row, -np.inf, cap)
            for name, col in cols.items():
                ends = {}
                for sense in (1.0, -1.0):
                    obj = np.zeros_like(c)
                    obj[col] = sense
                    highs.set_costs(obj)
                    x, _, _ = highs.solve(model.rules_in_play)
                    x = np.clip(x, lp.col_lb, lp.col_ub)
                    ends[sense] = (float(x[col]), float(c @ x) / SCALE + fixed_yuan)
                rows.append({"slack": float(eps), "capacity": name, "unit": CAPACITY_UNITS.get(name, "MW"),
                             "optimum": float(x_opt[col]), "min": ends[1.0][0], "max": ends[-1.0][0],
                             "cost_at_min_yuan": ends[1.0][1], "cost_at_max_yuan": ends[-1.0][1],
                             "optimal_cost_yuan": total})  # fmt: skip
    finally:
        highs.drop_rows_from(first_added)
        highs.set_costs(c)
    del sol
    return pd.DataFrame(rows)


# chart labels (en, zh) of the near-optimal range chart
RANGE_LABELS = {
    "wind": ("wind", "风电"), "pv": ("pv", "光伏"), "storage_mw": ("storage power", "储能功率"),
    "storage_mwh": ("storage energy", "储能容量"), "connection_mw": ("connection", "接网容量"),
    "within": ("cost within {eps:.0%} of the optimum", "成本不超过最优 {eps:.0%}"),
    "least": ("least-cost design", "最低成本方案"),
    "xlabel": ("Capacity among near-optimal designs (MW; storage energy MWh)",
               "近优方案的装机容量 (MW；储能容量 MWh)"),
    "title": ("Near-optimal ranges: capacities of designs within ε of the least cost",
              "近优区间：成本不超过最优 ε 的方案的装机容量"),
    "source": ("modelling to generate alternatives, every rule in force",
               "生成备选方案建模 (MGA)，全部规则约束"),
}


def _label(key: str, lang: str) -> str:
    pair = RANGE_LABELS.get(key, (key, key))
    return pair[0] if lang == "en" else pair[1]


def range_chart(ranges: pd.DataFrame, scenario: str | None = None, ax=None, lang: str = "en"):
    """Return the chart of near-optimal ranges: per capacity a bar from min to max per ε, the optimum marked.

    ``lang`` is "en" or "zh" (labels; the Chinese font is the charts' CJK font).
    """
    from greenscen.charts.style import finish_figure, new_figure

    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    fig, ax = new_figure(figsize=(9, 1.2 + 0.7 * ranges["capacity"].nunique()), ax=ax)
    caps = list(dict.fromkeys(ranges["capacity"]))
    slacks = sorted(ranges["slack"].unique(), reverse=True)
    colours = ["#BFD7EA", "#5DA9E9", "#1F5F8B", "#0B2E4A"]
    h = 0.7 / max(len(slacks), 1)
    for j, eps in enumerate(slacks):
        d = ranges[ranges["slack"] == eps].set_index("capacity").loc[caps]
        y = np.arange(len(caps)) + (j - (len(slacks) - 1) / 2) * h
        ax.barh(y, d["max"] - d["min"], left=d["min"], height=h * 0.9, color=colours[j % 4],
                label=_label("within", lang).format(eps=eps))  # fmt: skip
        for yi, lo, hi in zip(y, d["min"], d["max"], strict=True):
            ax.text(hi, yi, f"  {lo:,.0f} – {hi:,.0f}", va="center", fontsize=7)
    d0 = ranges.drop_duplicates("capacity").set_index("capacity").loc[caps]
    ax.scatter(d0["optimum"], np.arange(len(caps)), marker="|", s=300, color="#C0392B", zorder=3,
               label=_label("least", lang))  # fmt: skip
    ax.set_yticks(np.arange(len(caps)), [f"{_label(c, lang)} ({CAPACITY_UNITS.get(c, 'MW')})" for c in caps])
    ax.set_xlabel(_label("xlabel", lang))
    ax.set_xlim(0, float(ranges["max"].max()) * 1.25)
    ax.legend(fontsize=8, loc="lower right")
    return finish_figure(fig, _label("title", lang), _label("source", lang), scenario, lang=lang)
