"""CLI options for planners: --set, --resolution, --formats, --excel; results read back whole."""

from __future__ import annotations

import json

import openpyxl
import pandas as pd
import pytest

from greenscen import load_result
from greenscen.cli import parse_sets
from greenscen.errors import ScenarioError
from tests.test_bad_input import run_cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    rc, stdout, err = run_cli("run", "--out", str(out), "--resolution", "24", "--set",
                              "technologies.pv.capex_yuan_per_kw=2800", "--formats", "png,svg",
                              "--excel", "--quiet")  # fmt: skip
    assert rc == 0, err
    return out


def test_set_and_resolution_reach_the_scenario(run_dir):
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["scenario"]["time"]["resolution_h"] == 24
    assert summary["scenario"]["technologies"]["pv"]["capex_yuan_per_kw"] == 2800
    hourly = pd.read_csv(run_dir / "hourly.csv")
    assert len(hourly) == 365 and (hourly["duration_h"] == 24).all()


def test_formats_and_workbook(run_dir):
    names = {p.name for p in run_dir.iterdir()}
    assert {"dispatch_week.png", "dispatch_week.svg", "compliance_margins.svg"} <= names
    assert "dispatch_week.pdf" not in names
    book = openpyxl.load_workbook(run_dir / "results.xlsx", read_only=True)
    assert book.sheetnames == ["headline", "cost", "compliance", "compliance_numbers", "tracing", "hourly"]
    hourly = list(book["hourly"].iter_rows(values_only=True))
    assert len(hourly) == 1 + 365  # header + one row per day


def test_a_written_result_reads_back_as_the_same_result(run_dir):
    written = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    result = load_result(run_dir)
    again = json.loads(json.dumps(result.summary(), default=str, ensure_ascii=False))
    assert set(again) == set(written)
    for key in ("capacities", "energy", "cost", "objective_yuan", "timings", "scenario", "rules",
                "scenario_sha256", "tracing", "name", "mode", "compliant"):  # fmt: skip
        assert again[key] == pytest.approx(written[key], rel=1e-12) if key == "objective_yuan" \
            else again[key] == written[key], key
    # ratios and compliance are recomputed from the hourly table read back (10 digits)
    assert again["ratios"] == pytest.approx(written["ratios"], rel=1e-8)
    for a, b in zip(again["compliance"], written["compliance"], strict=True):
        assert (a["rule"], a["ok"], a["unit"], a["clause"]) == (b["rule"], b["ok"], b["unit"], b["clause"])
        for k in ("value", "limit", "margin"):
            if b[k] is None or isinstance(b[k], str):
                assert a[k] == b[k], (a["rule"], k)
            else:
                assert a[k] == pytest.approx(b[k], rel=1e-8, abs=1e-9), (a["rule"], k)
    assert result.compliant and len(result.hourly) == 365


def test_bad_set_and_formats_are_bad_input():
    with pytest.raises(ScenarioError, match="expected KEY.PATH=VALUE"):
        parse_sets(["year"])
    rc, _, err = run_cli("run", "--formats", "png,gif", "--out", "x-never")
    assert rc == 2 and "--formats: expected some of png, svg, pdf, parquet, found 'png,gif'" in err
    rc, _, err = run_cli("run", "--set", "technologies.pv.capex_yuan_per_kw=-5", "--out", "x-never")
    assert rc == 2 and "technologies.pv.capex_yuan_per_kw: expected greater than or equal to 0" in err
