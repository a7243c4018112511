"""Carbon-finance rating (碳金融评价, seed 003): a two-level indicator tree, weighted to a grade.

Seed 003: 「综合用电企业所属行业能耗强度、单位能耗强度、能耗趋势、能耗稳定性、碳排放强度等方面 6 个一级指标和
20 个二级指标，通过加权求和得到能源金融评价指标总分得分，并评定企业"绿色"等级」 and 「符合自治区绿色金融贷款准入
条件的企业，将获得银行低于正常利率 50 个基点的低息贷款」.

The tree is data (``data/carbon_rating.yaml``): five first-level names are the article's; the
sixth, the 20 second-level names, every weight, threshold and grade band are an illustrative
default (status ``assumption``) that a scenario replaces. Scoring, per second-level indicator
``i`` of first-level ``k``::

    s_i = 100 * clip((x_i - worst_i) / (best_i - worst_i), 0, 1)      (best may be < worst)
    S   = sum_k W_k * sum_{i in k} w_i * s_i                         (W, w each sum to 1)

The grade is the first band whose ``min_score`` S reaches. A qualifying grade plus the region's
green-finance admission (a user input: 自治区绿色金融贷款准入条件) lowers the loan rate by 50 bp
(published), worth ``principal * 0.0050`` yuan a year.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.data import load_yaml

COMPUTED_METRICS = (
    "green_share", "bundled_share_of_green", "direct_share", "target_attainment",
    "carbon_intensity_t_per_mwh", "carbon_intensity_trend", "emissions_change",
)  # fmt: skip


def rating_data(override: Mapping | None = None) -> dict:
    """Return the bundled rating data with ``override``'s keys (tree, grades, ...) replacing it."""
    data = load_yaml("carbon_rating.yaml")
    for k, v in (override or {}).items():
        if v is not None:
            data[k] = v
    check_tree(data["tree"])
    return data


def check_tree(tree: list) -> None:
    """Raise one ScenarioError listing every weight that does not sum to 1 or bad threshold."""
    problems = []
    total = sum(float(t["weight"]) for t in tree)
    if abs(total - 1) > 1e-6:
        problems.append(f"carbon_rating.tree: expected first-level weights summing to 1, found {total:g}")
    for t in tree:
        w = sum(float(i["weight"]) for i in t["indicators"])
        if abs(w - 1) > 1e-6:
            problems.append(
                f"carbon_rating.tree.{t['name']}: expected second-level weights summing to 1, found {w:g}"
            )
        for i in t["indicators"]:
            if float(i["best"]) == float(i["worst"]):
                problems.append(f"carbon_rating.tree.{i['name']}: expected best != worst, found both {i['best']}")
    if problems:
        raise ScenarioError(problems)


def indicator_score(value: float, worst: float, best: float) -> float:
    """Return the 0-100 score of ``value`` on the line from ``worst`` (0) to ``best`` (100)."""
    return 100.0 * float(np.clip((value - worst) / (best - worst), 0.0, 1.0))


def score_table(metrics: Mapping[str, float], tree: list) -> pd.DataFrame:
    """Return one row per second-level indicator: value, score, weights, contribution (points).

    Raises one ScenarioError naming every metric the tree needs that ``metrics`` lacks.
    """
    missing = sorted(
        {i["metric"] for t in tree for i in t["indicators"]}
        - {k for k, v in metrics.items() if v is not None and not math.isnan(float(v))}
    )
    if missing:
        raise ScenarioError(
            [f"carbon_rating.firm.{m}: expected a value (firm data), found none" for m in missing]
        )
    rows = []
    for t in tree:
        for i in t["indicators"]:
            x = float(metrics[i["metric"]])
            s = indicator_score(x, float(i["worst"]), float(i["best"]))
            rows.append({
                "first_level": t["name"], "first_level_en": t.get("name_en", t["name"]),
                "first_level_status": t.get("name_status", "assumption"),
                "first_weight": float(t["weight"]), "indicator": i["name"],
                "indicator_en": i.get("name_en", i["name"]), "metric": i["metric"], "value": x,
                "worst": float(i["worst"]), "best": float(i["best"]), "score": s,
                "weight": float(i["weight"]),
                "contribution": float(t["weight"]) * float(i["weight"]) * s,
            })  # fmt: skip
    return pd.DataFrame(rows)


def grade_of(score: float, bands: list) -> str:
    """Return the grade of the first band (highest first) whose ``min_score`` ``score`` reaches."""
    for b in sorted(bands, key=lambda b: -float(b["min_score"])):
        if score >= float(b["min_score"]) - 1e-9:
            return str(b["grade"])
    return str(bands[-1]["grade"])


def loan_effect(
    grade: str,
    qualifying: list,
    principal_yuan: float,
    reduction_bp: float = 50.0,
    admitted: bool = True,
) -> dict:
    """Return whether the loan qualifies, the rate reduction (bp) and its value (yuan per year)."""
    ok = bool(admitted) and grade in qualifying
    bp = float(reduction_bp) if ok else 0.0
    return {
        "qualifies": ok,
        "rate_reduction_bp": bp,
        "value_yuan_per_year": float(principal_yuan) * bp / 10_000.0,
    }


def metrics_from_ledger(ledger: pd.DataFrame, year: int) -> dict[str, float]:
    """Return the metrics greenscen computes for ``year`` from an enterprise ledger row.

    green share; bundled and direct shares of green / consumption; attainment = green share /
    target share; carbon intensity = market-based tCO2 / consumption MWh; its change and the
    emissions' change against the year before (NaN in the first year).
    """
    led = ledger[ledger["kind"] == "enterprise"].set_index("year")
    if year not in led.index:
        raise ScenarioError(
            f"carbon_rating.year: expected a year of the enterprise ledger ({', '.join(map(str, led.index))}), found {year}"
        )
    r = led.loc[year]
    green = float(r["fulfilled_total_mwh"])
    out = {
        "green_share": float(r["green_share"]),
        "bundled_share_of_green": float(r["bundled_mwh"]) / green if green > 0 else 0.0,
        "direct_share": float(r["direct_mwh"]) / float(r["consumption_mwh"]),
        "target_attainment": float(r["green_share"]) / float(r["target_share"]),
        "carbon_intensity_t_per_mwh": float(r["emissions_market_t"]) / float(r["consumption_mwh"]),
        "carbon_intensity_trend": math.nan,
        "emissions_change": math.nan,
    }
    if year - 1 in led.index:
        p = led.loc[year - 1]
        ci0 = float(p["emissions_market_t"]) / float(p["consumption_mwh"])
        out["carbon_intensity_trend"] = out["carbon_intensity_t_per_mwh"] / ci0 - 1
        out["emissions_change"] = float(r["emissions_market_t"]) / float(p["emissions_market_t"]) - 1
    return out


def rate_firm(
    firm: Mapping[str, float],
    computed: Mapping[str, float] | None = None,
    principal_yuan: float = 0.0,
    admitted: bool = True,
    override: Mapping | None = None,
) -> tuple[pd.DataFrame, dict]:
    """Return the score table and a summary (score, grade, loan effect) of one firm-year.

    ``firm`` holds the firm's own data and wins over ``computed`` (greenscen's metrics).
    """
    data = rating_data(override)
    metrics = {**(computed or {}), **dict(firm)}
    table = score_table(metrics, data["tree"])
    score = float(table["contribution"].sum())
    grade = grade_of(score, data["grades"]["bands"])
    loan = loan_effect(
        grade, list(data["qualifying_grades"]["value"]), principal_yuan,
        float(data["loan_rate_reduction_bp"]["value"]), admitted,
    )  # fmt: skip
    summary = {
        "score": score,
        "grade": grade,
        **loan,
        "principal_yuan": float(principal_yuan),
        "first_level": table.groupby("first_level", sort=False)
        .apply(lambda g: float((g["weight"] * g["score"]).sum()), include_groups=False)
        .to_dict(),
        "status": data["status_note"],
    }
    return table, summary
