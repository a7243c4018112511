"""Trajectories: hand-worked values under each method; projected values flagged."""

from __future__ import annotations

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.trajectories import (
    METHODS,
    hold_last,
    linear_to_target,
    national_path,
    project,
    project_many,
    regional_step,
    user_path,
)
from greenscen.obligations.weights import load_weights

from .test_weights import PUBLISHED_2023


@pytest.fixture(scope="module")
def weights():
    return load_weights()


def test_hold_last():
    s = hold_last(pd.Series({2021: 0.20, 2023: 0.23}), horizon=2026)
    assert list(s.index) == [2024, 2025, 2026]
    assert (s == 0.23).all()


def test_linear_to_target_shanxi_non_hydro(weights):
    # 山西 (last published non-hydro 2023: 21.5%); target 25.9% in 2030
    # -> +(25.9-21.5)/7 = 0.6286 points a year; 2025: 21.5 + 2 * 0.6286 = 22.757%
    df = project(weights, "山西", "non_hydro", "linear_to_target")
    v = df.set_index("year")["value"]
    assert v[2025] == pytest.approx(0.215 + 2 * 0.044 / 7)
    assert v[2030] == pytest.approx(0.259)
    assert v[2035] == pytest.approx(0.259)


def test_linear_never_falls_below_last_value():
    # 云南 total 70% is above a 40% target: held at 70%
    s = linear_to_target(pd.Series({2023: 0.70}), target=0.40, target_year=2030, horizon=2030)
    assert (s == 0.70).all()


def test_regional_step_below_national_rises_faster():
    # national total 2024 = 32.0 + (40.0-32.0)/7 = 33.1429%
    # 北京 2023 total 20.1%: step = 0.5 + 0.25 * (33.1429 - 20.1) = 3.7607 points -> 23.8607%
    nat = national_path("total")
    assert nat[2024] == pytest.approx(0.32 + 0.08 / 7)
    s = regional_step(
        pd.Series({2023: 0.201}), nat, base_step=0.005, gap_factor=0.25, cap=0.8, horizon=2024
    )
    assert s[2024] == pytest.approx(0.201 + 0.005 + 0.25 * (0.32 + 0.08 / 7 - 0.201))
    # 内蒙古 non-hydro 22.0% is above the national 19.21%: base step only -> 22.5%
    s2 = regional_step(
        pd.Series({2023: 0.22}), national_path("non_hydro"), 0.005, 0.25, 0.30, horizon=2024
    )
    assert s2[2024] == pytest.approx(0.225)


def test_regional_step_ceiling_rises_after_2025(weights):
    # 青海 non-hydro: 27.2% (2023), 30% published 2025, 30% expected 2026 (发改办能源〔2025〕669号).
    # 004 第十一条: weights keep rising; ceiling 30% in 2025 + 0.5 point a year (assumption), step
    # +0.5 point (base step; 青海 is above the national non-hydro path):
    # 2027 min(31.0, 30.5) = 30.5%, 2028 31.0%, 2035 30 + 9 * 0.5 = 34.5% (ceiling 35.0%)
    v = project(weights, "青海", "non_hydro", "regional_step").set_index("year")["value"]
    assert v[2027] == pytest.approx(0.305)
    assert v[2028] == pytest.approx(0.310)
    assert v[2035] == pytest.approx(0.345)

def test_user_path_interpolates_and_holds():
    # 2023 23%, user 2025 27%, 2030 37% -> 2024 25%, 2027 31%, 2032 37%
    s = user_path(pd.Series({2023: 0.23}), {2025: 0.27, 2030: 0.37}, horizon=2032)
    assert s[2024] == pytest.approx(0.25)
    assert s[2027] == pytest.approx(0.31)
    assert s[2032] == pytest.approx(0.37)


def test_history_and_projection_flagged(weights):
    df = project(weights, "内蒙古", "total", "hold_last")
    hist = df[df["year"] <= 2023]
    assert list(hist["year"]) == [2020, 2021, 2023]
    assert (hist["status"] == "published").all()
    proj = df[df["year"] > 2023]
    assert (proj["status"] == "projected").all() and list(proj["year"]) == list(range(2024, 2036))
    assert (df["method"] == "hold_last").all()


def test_suspect_value_not_used_as_anchor_but_kept_in_history(weights):
    df = project(weights, "山东", "total", "hold_last")
    assert df.loc[df["year"] == 2021, "status"].item() == "suspect"
    assert df.loc[df["year"] == 2030, "value"].item() == pytest.approx(0.171)


@pytest.mark.parametrize("province", sorted(PUBLISHED_2023))
def test_every_province_three_methods_to_2035(weights, province):
    assert province in PUBLISHED_2023
    specs = [{"method": "hold_last"}, {"method": "linear_to_target"}, {"method": "regional_step"}]
    df = project_many(weights, [province], specs)
    for (kind, label), g in df.groupby(["kind", "label"]):
        proj = g[g["status"] == "projected"]
        assert proj["year"].max() == 2035, (kind, label)
        assert proj["value"].notna().all()
        # a projection never falls below the last published value (2023, or 2026 for 重庆)
        hist = g[g["status"].isin(["published", "expected"])].sort_values("year")
        assert (proj["value"] >= hist["value"].iloc[-1] - 1e-12).all()
        assert proj["year"].min() == hist["year"].iloc[-1] + 1
    assert df["label"].nunique() == 3


def test_unknown_method_and_kind():
    w = load_weights()
    with pytest.raises(ScenarioError, match="expected one of hold_last"):
        project(w, "内蒙古", "total", "exponential")
    with pytest.raises(ScenarioError, match="kind"):
        project(w, "内蒙古", "hydro", "hold_last")
    with pytest.raises(ScenarioError, match="found none"):
        project(w, "西藏", "total", "hold_last")
    assert set(METHODS) == {"hold_last", "linear_to_target", "regional_step", "user_path"}


def test_spec_limited_to_provinces(weights):
    specs = [{"method": "hold_last"}, {"method": "user_path", "provinces": ["内蒙古"], "total": {"path": {2030: 0.35}},
              "non_hydro": {"path": {2030: 0.30}}}]  # fmt: skip
    df = project_many(weights, ["内蒙古", "四川"], specs, horizon=2030)
    assert set(df.loc[df["province"] == "四川", "method"]) == {"hold_last"}
    assert set(df.loc[df["province"] == "内蒙古", "method"]) == {"hold_last", "user_path"}
