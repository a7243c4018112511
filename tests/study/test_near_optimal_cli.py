"""`greenscen near-optimal`: ranges table and charts from the command line; bad slack is bad input."""

from __future__ import annotations

import pandas as pd

from greenscen.cli import main


def test_cli_writes_ranges_and_both_charts(tmp_path, capsys):
    out = tmp_path / "no"
    assert main(["near-optimal", "--slack", "0.01,0.05", "--resolution", "24", "--out", str(out)]) == 0
    r = pd.read_csv(out / "near_optimal_ranges.csv")
    # 2 slacks x 5 capacities (wind, pv, storage power, storage energy, connection)
    assert len(r) == 10 and set(r["slack"]) == {0.01, 0.05}
    # every range end costs at most (1 + ε)·C* and the optimum lies inside its range
    for end in ("cost_at_min_yuan", "cost_at_max_yuan"):
        assert (r[end] <= (1 + r["slack"]) * r["optimal_cost_yuan"] * (1 + 1e-7)).all()
    assert ((r["min"] <= r["optimum"] + 1e-6) & (r["optimum"] <= r["max"] + 1e-6)).all()
    # a wider slack never narrows a range
    w = r.pivot(index="capacity", columns="slack", values=["min", "max"])
    assert (w[("min", 0.05)] <= w[("min", 0.01)] + 1e-6).all()
    assert (w[("max", 0.05)] >= w[("max", 0.01)] - 1e-6).all()
    assert (out / "near_optimal_ranges_en.png").stat().st_size > 10_000
    assert (out / "near_optimal_ranges_zh.png").stat().st_size > 10_000


def test_bad_slack_is_bad_input(tmp_path, capsys):
    assert main(["near-optimal", "--slack", "0.01,five", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "--slack" in err and "'five'" in err and "Traceback" not in err
