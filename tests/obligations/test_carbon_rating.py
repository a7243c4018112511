"""Carbon-finance rating (seed 003) and quarterly monitoring (000 二(三)), checked by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.carbon_rating import (
    grade_of,
    indicator_score,
    rate_firm,
    rating_data,
)
from greenscen.obligations.cli import run_obligations_cli
from greenscen.obligations.monitoring import quarterly_green_share

REPO = Path(__file__).resolve().parents[2]

TREE = [
    {"name": "碳排放强度", "weight": 0.6, "indicators": [
        {"name": "a", "metric": "carbon_intensity_t_per_mwh", "direction": "lower",
         "worst": 0.6, "best": 0.1, "weight": 0.5},
        {"name": "b", "metric": "x", "direction": "higher", "worst": 0, "best": 10, "weight": 0.5}]},
    {"name": "绿色用能", "weight": 0.4, "indicators": [
        {"name": "c", "metric": "green_share", "direction": "higher", "worst": 0.1, "best": 0.7,
         "weight": 1.0}]},
]  # fmt: skip


def test_bundled_tree_has_6_first_and_20_second_level_indicators():
    tree = rating_data()["tree"]
    assert len(tree) == 6 and sum(len(t["indicators"]) for t in tree) == 20
    # five first-level names are the article's (seed 003); the sixth is not published
    published = [t["name"] for t in tree if t["name_status"] == "published"]
    assert published == ["所属行业能耗强度", "单位能耗强度", "能耗趋势", "能耗稳定性", "碳排放强度"]


def test_score_grade_and_loan_value_by_hand():
    # a: intensity 0.35 on 0.6 -> 0.1: (0.35-0.6)/(0.1-0.6) = 0.5 -> 50; b: 8 of 0..10 -> 80;
    # c: green 0.55 on 0.1 -> 0.7: 0.75 -> 75.
    # total = 0.6 * (0.5*50 + 0.5*80) + 0.4 * 75 = 0.6 * 65 + 30 = 69.0 -> BBB (60 <= 69 < 70):
    # no loan reduction. With x = 10: 0.6 * 75 + 30 = 75.0 -> A, qualifies: 50 bp on
    # 200,000,000 yuan = 1,000,000 yuan a year
    over = {"tree": TREE}
    computed = {"carbon_intensity_t_per_mwh": 0.35, "green_share": 0.55}
    table, s = rate_firm({"x": 8}, computed, 200_000_000, True, over)
    assert table["score"].tolist() == pytest.approx([50, 80, 75])
    assert s["score"] == pytest.approx(69.0) and s["grade"] == "BBB" and not s["qualifies"]
    _, s2 = rate_firm({"x": 10}, computed, 200_000_000, True, over)
    assert s2["score"] == pytest.approx(75.0) and s2["grade"] == "A"
    assert s2["rate_reduction_bp"] == 50 and s2["value_yuan_per_year"] == pytest.approx(1_000_000)
    # not admitted by the bank (绿色金融贷款准入条件): no reduction whatever the grade
    _, s3 = rate_firm({"x": 10}, computed, 200_000_000, False, over)
    assert s3["value_yuan_per_year"] == 0


def test_score_clips_and_missing_metrics_are_named():
    assert indicator_score(0.9, worst=0.6, best=0.1) == 0
    assert indicator_score(-1, worst=0.6, best=0.1) == 100
    assert grade_of(90, rating_data()["grades"]["bands"]) == "AAA"
    with pytest.raises(ScenarioError, match="carbon_rating.firm.x"):
        rate_firm({}, {"carbon_intensity_t_per_mwh": 0.3, "green_share": 0.5}, 0, True, {"tree": TREE})


def _hourly():
    # one 1-h step per quarter, load 100 MWh each; import 80, 40, 30, 90 -> direct 20, 60, 70, 10
    idx = pd.DatetimeIndex(["2027-01-15", "2027-04-15", "2027-07-15", "2027-10-15"], name="time")
    return pd.DataFrame(
        {"duration_h": 1.0, "load_mw": 100.0, "import_mw": [80.0, 40.0, 30.0, 90.0]}, index=idx
    )


def test_quarterly_share_and_lagging_quarters_by_hand():
    # trading 5 a quarter, certificates 0, 0, 0, 20; target 30%:
    # green 25, 65, 75, 35; quarter shares 25%, 65%, 75%, 35%; YTD 25/100 = 25% (lagging,
    # catch-up 5 MWh), 90/200 = 45%, 165/300 = 55%, 200/400 = 50%
    q = quarterly_green_share(_hourly(), 0.30, [5, 5, 5, 5], [0, 0, 0, 20])
    assert q["share"].tolist() == pytest.approx([0.25, 0.65, 0.75, 0.35])
    assert q["ytd_share"].tolist() == pytest.approx([0.25, 0.45, 0.55, 0.50])
    assert q["lagging"].tolist() == [True, False, False, False]
    assert q.loc[1, "catch_up_mwh"] == pytest.approx(5)
    with pytest.raises(ScenarioError, match="4 quarterly"):
        quarterly_green_share(_hourly(), 0.3, [1, 2])


def test_cli_writes_rating_and_quarterly_outputs(tmp_path):
    sizing = tmp_path / "sizing"
    sizing.mkdir()
    _hourly().reset_index().to_csv(sizing / "hourly.csv", index=False)
    scn = tmp_path / "s.yaml"
    scn.write_text(
        f"extends: {REPO / 'scenarios' / 'obligations_im_aluminium_rating.yaml'}\n"
        "name: rating_test\n"
        "monitoring: {from_sizing: sizing, year: 2027, trading_mwh: [5, 5, 5, 5]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert run_obligations_cli(str(scn), str(out), False) == 0
    for f in ("carbon_rating.csv", "carbon_rating_zh.png", "quarterly_green_share.csv",
              "quarterly_green_share_en.png"):  # fmt: skip
        assert (out / f).is_file(), f
    q = pd.read_csv(out / "quarterly_green_share.csv", encoding="utf-8-sig").set_index("quarter")
    # target 2027 of the smelter: 34.42% (linear 30.7% -> 40% by 2030): YTD Q1 25% lags
    assert bool(q.loc[1, "lagging"]) and not bool(q.loc[2, "lagging"])
