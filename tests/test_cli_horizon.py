"""The CLI end to end on other horizons: a two-year 15-minute meter profile headed 时间, a
one-month study; hourly.parquet read back by load_result; bad horizons answered in one line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from greenscen import load_result
from tests.test_bad_input import run_cli

sys.path.insert(0, str(Path(__file__).parent))
from horizon_cases import meter_load, meter_scenario, write_meter_csv  # noqa: E402


@pytest.fixture(scope="module")
def two_year(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two_year")
    csv = write_meter_csv(folder / "meter_2027_2028.csv", meter_load("2027-01-01", 731, 15))
    return meter_scenario(folder, csv, "two_year")


@pytest.mark.parametrize(("mode", "extra"), [("fast", ()), ("exact", ("--resolution", "4"))])
def test_two_year_15_minute_profile_headed_shijian_runs_end_to_end(two_year, tmp_path, mode, extra):
    out = tmp_path / "out"
    rc, stdout, err = run_cli("run", str(two_year), "--out", str(out), "--mode", mode,
                              "--formats", "png,parquet", *extra)  # fmt: skip
    assert rc == 0, err
    # 731 days x 96 quarter-hours = 70,176 rows averaged to 17,544 hours, said once
    assert "15-minute data averaged to 17544 hourly values (4 per hour)" in err
    # 2027 (365 d) + 2028 (366 d) = 17,544 h; 8760 / 17544 = 0.499316
    assert ("horizon 2027-01-01 to 2028-12-31 (731 days, profile dates); annual figures = "
            "horizon totals x 0.499316 (8760 h / 17,544 h)") in stdout  # fmt: skip
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    h = summary["horizon"]
    assert (h["start"], h["end"], h["days"], h["typical_year"]) == (
        "2027-01-01 00:00", "2028-12-31 23:00", 731, False)  # fmt: skip
    assert {y: v["days"] for y, v in h["by_calendar_year"].items()} == {"2027": 365, "2028": 366}
    for key, per_year in summary["energy"].items():
        assert per_year == pytest.approx(h["energy_horizon"][key] * 8760 / 17544, rel=1e-9, abs=1e-5), key
    hourly = pd.read_parquet(out / "hourly.parquet")
    step = 4 if extra else 1
    assert len(hourly) == 17544 // step and pd.Timestamp("2028-02-29") in set(hourly["time"])
    # the load is the meter file's: its horizon total is the mean of the quarter-hours x 17544 h
    meter = meter_load("2027-01-01", 731, 15).round(3)
    assert h["energy_horizon"]["load_mwh"] == pytest.approx(meter.mean() * 17544, rel=1e-9)
    assert summary["compliant"] is True
    assert {"dispatch_week.png", "monthly_balance.png"} <= {p.name for p in out.iterdir()}


def test_one_month_study_writes_parquet_that_reads_back_exactly(tmp_path):
    csv = write_meter_csv(tmp_path / "march.csv", meter_load("2027-03-01", 31, 60))
    scenario = meter_scenario(tmp_path, csv, "march")
    out = tmp_path / "out"
    rc, stdout, err = run_cli("run", str(scenario), "--out", str(out), "--formats", "png,parquet",
                              "--quiet")  # fmt: skip
    assert rc == 0, err
    # 31 days = 744 h; 8760 / 744 = 11.7742
    assert "horizon 2027-03-01 to 2027-03-31 (31 days, profile dates)" in stdout
    assert "x 11.7742 (8760 h / 744 h)" in stdout
    written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    result = load_result(out)
    assert len(result.hourly) == 744 and result.hourly.index[0] == pd.Timestamp("2027-03-01")
    csv_hourly = pd.read_csv(out / "hourly.csv", index_col="time", parse_dates=["time"])
    pd.testing.assert_frame_equal(result.hourly, csv_hourly, check_exact=False, rtol=1e-9,
                                  check_freq=False, check_dtype=False)  # fmt: skip
    again = json.loads(json.dumps(result.summary(), default=str, ensure_ascii=False))
    # from parquet the floats are exact: ratios and compliance recomputed to the last digit
    assert again["ratios"] == written["ratios"]
    # compliance is read from compliance.csv (shortest round-trip text of each float)
    for a, b in zip(again["compliance"], written["compliance"], strict=True):
        assert (a["rule"], a["ok"], a["note"]) == (b["rule"], b["ok"], b["note"])
        assert a["value"] == pytest.approx(b["value"], rel=1e-15) if isinstance(b["value"], float) \
            else a["value"] == b["value"]
    assert again["horizon"] == written["horizon"]


def write_meter(path: Path, times, value=50.0) -> Path:
    pd.DataFrame({"时间": pd.DatetimeIndex(times).strftime("%Y-%m-%d %H:%M"),
                  "mw": value}).to_csv(path, index=False)  # fmt: skip
    return path


def scenario_of(tmp_path: Path, *csvs: Path) -> Path:
    users = "\n".join(f"  - {{name: u{i}, category: data_centre, load: {{csv: {p.name}, column: mw}}}}"
                      for i, p in enumerate(csvs))  # fmt: skip
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: bundled:default\nname: s\nusers:\n{users}\n", encoding="utf-8")
    return path


MARCH = pd.date_range("2027-03-01", periods=31 * 24, freq="h")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        # a partial day: 31 days and 5 hours
        ({"a.csv": pd.date_range("2027-03-01", periods=31 * 24 + 5, freq="h")},
         "a.csv: column '时间': expected whole days (from 00:00 to 24:00); found 749 rows from "
         "2027-03-01 00:00 to 2027-04-01 04:00: the last day 2027-04-01 ends at 05:00, not 24:00 "
         "(5 h of 24 h)"),
        # a gap: 10 March 12:00 (row 9 x 24 + 12 = 228, line 230) missing
        ({"a.csv": MARCH.delete(228)},
         "a.csv: column '时间': expected regular hourly steps; found a gap of 2 h at line 230: "
         "2027-03-10 13:00 follows 2027-03-10 11:00"),
        # profiles of different lengths: March against March and April
        ({"a.csv": MARCH, "b.csv": pd.date_range("2027-03-01", periods=61 * 24, freq="h")},
         "users[1].load.csv (b.csv): expected the same dates as users[0].load.csv (a.csv), "
         "2027-03-01 00:00 to 2027-03-31 23:00 (31 days); found 2027-03-01 00:00 to "
         "2027-04-30 23:00 (61 days)"),
        # a year of one calendar year (a typical year) beside a dated month
        ({"a.csv": MARCH, "b.csv": pd.date_range("2027-01-01", periods=8760, freq="h")},
         "users[1].load.csv (b.csv): expected the same dates as users[0].load.csv (a.csv), "
         "2027-03-01 00:00 to 2027-03-31 23:00 (31 days); found 2027-01-01 00:00 to "
         "2027-12-31 23:00 (365 days)"),
        # starting mid-day
        ({"a.csv": MARCH[6:]},
         "a.csv: column '时间': expected whole days (from 00:00 to 24:00); found 738 rows from "
         "2027-03-01 06:00 to 2027-03-31 23:00: the first day 2027-03-01 starts at 06:00, not 00:00"),
    ],
    ids=["partial_day", "gap", "different_lengths", "typical_year_beside_month", "mid_day_start"],
)
def test_bad_horizons_are_one_clear_line_and_exit_2(tmp_path, files, message):
    csvs = [write_meter(tmp_path / name, times) for name, times in files.items()]
    rc, _, err = run_cli("validate", str(scenario_of(tmp_path, *csvs)))
    assert rc == 2
    lines = [ln for ln in err.strip().splitlines() if ln]
    assert len(lines) == 1, err
    assert message in lines[0] and "Traceback" not in err


def test_fast_mode_refuses_a_horizon_too_short_for_typical_days(tmp_path):
    # 3 days: fast mode needs one typical day besides its 3 extreme days
    csv = write_meter_csv(tmp_path / "three.csv", meter_load("2027-03-01", 3, 60))
    scenario = meter_scenario(tmp_path, csv, "three")
    rc, _, err = run_cli("run", str(scenario), "--out", str(tmp_path / "o"), "--mode", "fast")
    assert rc == 2 and "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "greenscen: invalid input: --mode fast: expected a horizon of at least 4 days to pick "
        "typical days from (one + 3 extreme days); found 3 day(s) from 2027-03-01; use --mode "
        "exact, which solves a horizon this short in seconds")  # fmt: skip
    # the exact mode sizes it: one day stands for 365 / 3 of a year
    rc, out, err = run_cli("run", str(scenario), "--out", str(tmp_path / "o"), "--quiet")
    assert rc == 0, err
    assert "(3 days, profile dates); annual figures = horizon totals x 121.667 (8760 h / 72 h)" in out
