"""Green tracing (五(五)): hourly split of self-consumption among users, and certificates."""

from __future__ import annotations

import pandas as pd
import pytest

from greenscen.results.metrics import self_consumption_mw
from greenscen.results.tracing import trace_green, tracing_summary, user_names


def two_users() -> pd.DataFrame:
    """Users a and b over three steps of 1, 1 and 2 hours.

    s0: load 40 (a 30, b 10), import 10 -> sc 30: a 30·30/40 = 22.5, b 30·10/40 = 7.5
    s1: no load -> nothing traced
    s2: load 40 (a 10, b 30), import 20 -> sc 20: a 20·10/40 = 5, b 20·30/40 = 15
    """
    return pd.DataFrame(
        {
            "duration_h": [1.0, 1.0, 2.0],
            "load_mw": [40.0, 0.0, 40.0],
            "load_mw:a": [30.0, 0.0, 10.0],
            "load_mw:b": [10.0, 0.0, 30.0],
            "import_mw": [10.0, 0.0, 20.0],
        },
        index=pd.date_range("2026-05-01", periods=3, freq="h", name="time"),
    )


def test_trace_green_splits_each_step_by_that_steps_shares():
    h = two_users()
    g = trace_green(h)
    assert list(g.columns) == ["green_mw:a", "green_mw:b"]
    assert g["green_mw:a"].tolist() == [22.5, 0.0, 5.0]
    assert g["green_mw:b"].tolist() == [7.5, 0.0, 15.0]
    assert g.index.equals(h.index)


def test_trace_green_conserves_self_consumption():
    h = two_users()
    assert trace_green(h).sum(axis=1).tolist() == self_consumption_mw(h).tolist()


def test_tracing_summary_hourly_matching_differs_from_annual_split():
    s = tracing_summary(two_users())
    # a: green 22.5 + 5·2 = 32.5 MWh of load 30 + 10·2 = 50 MWh -> share 0.65, 32 certificates
    # b: green 7.5 + 15·2 = 37.5 MWh of load 10 + 30·2 = 70 MWh -> share 0.5357, 37 certificates
    assert list(s.index) == ["a", "b"]
    assert s.loc["a", "green_mwh"] == pytest.approx(32.5)
    assert s.loc["b", "green_mwh"] == pytest.approx(37.5)
    assert s.loc["a", "load_mwh"] == pytest.approx(50.0)
    assert s["green_share"].tolist() == pytest.approx([0.65, 37.5 / 70])
    assert s["certificates"].tolist() == [32, 37]
    assert s["remainder_mwh"].tolist() == pytest.approx([0.5, 0.5])
    # an annual split of E_sc = 30 + 20·2 = 70 MWh would give a 70·50/120 = 29.17 MWh instead
    assert s.loc["a", "green_mwh"] != pytest.approx(70 * 50 / 120)


def test_certificates_are_whole_and_follow_the_certificate_size():
    s = tracing_summary(two_users(), mwh_per_certificate=10.0)
    # a: floor(32.5 / 10) = 3, remainder 2.5; b: floor(37.5 / 10) = 3, remainder 7.5
    assert s["certificates"].tolist() == [3, 3]
    assert s["remainder_mwh"].tolist() == pytest.approx([2.5, 7.5])


def test_certificates_floor_is_robust_to_rounding():
    # 0.3 / 0.1 = 2.9999999999999996 in floating point: still 3 certificates
    h = pd.DataFrame(
        {"duration_h": [1.0], "load_mw": [0.3], "import_mw": [0.0]},
        index=pd.DatetimeIndex(["2026-01-01"], name="time"),
    )
    s = tracing_summary(h, mwh_per_certificate=0.1)
    assert list(s.index) == ["all"]
    assert s.loc["all", "certificates"] == 3
    assert s.loc["all", "remainder_mwh"] == pytest.approx(0.0, abs=1e-12)


def test_without_user_columns_the_total_load_is_one_user():
    h = two_users().drop(columns=["load_mw:a", "load_mw:b"])
    assert user_names(h) == ["all"]
    assert trace_green(h)["green_mw:all"].tolist() == [30.0, 0.0, 20.0]


def test_certificate_size_must_be_positive():
    with pytest.raises(ValueError, match="mwh_per_certificate"):
        tracing_summary(two_users(), mwh_per_certificate=0.0)
