"""Study charts: the data behind them, checked by hand on small tables, and the PNGs written."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from greenscen.study.charts import pareto_front, rule_share_data, tornado_data


def test_pareto_front_keeps_only_points_no_cheaper_point_beats():
    cost = np.array([5.0, 1.0, 3.0, 2.0, 4.0])
    share = np.array([0.9, 0.3, 0.8, 0.2, 0.7])
    # by cost: 1.0 (0.3) kept, 2.0 (0.2) beaten by 1.0, 3.0 (0.8) kept, 4.0 (0.7) beaten, 5.0 (0.9) kept
    assert pareto_front(cost, share).tolist() == [1, 2, 0]


def test_rule_share_counts_failed_variants_as_not_held():
    t = pd.DataFrame({
        "status": ["solved", "solved", "solved", "infeasible"],
        "value:self_consumption_min": [0.5, 0.3, 0.29999999, None],
        "margin:self_consumption_min": [0.25, 0.0, -1e-9, None],
    })  # fmt: skip
    # held: rows 0, 1 and 2 (-1e-9 is within the solver tolerance); the infeasible row is not: 3/4
    assert rule_share_data(t)["self_consumption_min"] == pytest.approx(0.75)


def test_tornado_of_a_grid_compares_its_smallest_and_largest_value():
    t = pd.DataFrame({
        "status": ["solved"] * 4,
        "a": [1, 1, 2, 2],
        "total_annual_yuan": [10e6, 12e6, 20e6, 22e6],
        "wind_mw": [1.0, 1.0, 1.0, 1.0], "pv_mw": [0.0] * 4, "storage_mwh": [0.0] * 4,
    })  # fmt: skip
    d = tornado_data(t, ["a"]).set_index("outcome")
    # cost at a=1: mean(10, 12) = 11 million; at a=2: 21 million
    assert d.loc["total_annual_yuan", "low"] == pytest.approx(11.0)
    assert d.loc["total_annual_yuan", "high"] == pytest.approx(21.0)


def test_cli_writes_the_charts(tmp_path):
    from greenscen.cli import main

    p = tmp_path / "s.yaml"
    p.write_text("base: bundled:default\nsolve_mode: exact\nresolution_h: 24\n"
                 "grid:\n  pv_capex_yuan_per_kw: [2800, 3600]\n", encoding="utf-8")  # fmt: skip
    assert main(["study", str(p), "--out", str(tmp_path / "o"), "--workers", "0", "--quiet"]) == 0
    for stem in ("tornado", "scatter_frontier", "rule_share"):
        assert (tmp_path / "o" / "charts" / f"{stem}.png").stat().st_size > 10_000
    assert (tmp_path / "o" / "results.csv").exists()
