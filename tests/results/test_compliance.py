"""The independent compliance table on hand-built dispatches, passing and deliberately broken."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from greenscen.errors import ComplianceError, DataError, ScenarioError
from greenscen.results.compliance import (
    COLUMNS,
    DesignFacts,
    check_compliance,
    compliance_table,
    tolerances,
)
from greenscen.rules import load_rule_set, resolve_rules

RS = load_rule_set("inner_mongolia_multiuser")
PHYSICS_ROWS = [
    "energy_balance",
    "available_output",
    "storage_limits",
    "storage_continuity",
    "storage_loops",
    "green_charging",
]


def rules(year, kind="general", mode="grid", overrides=None, **kw):
    return resolve_rules(RS, year, kind, mode, overrides, **kw)


def failed(table) -> set[str]:
    return {r for r, ok in zip(table["rule"], table["ok"], strict=True) if ok is False}


def row(table, rule) -> pd.Series:
    return table.set_index("rule").loc[rule]


# --- (a) a general grid-connected project, one day of four 6-hour steps ---------------------
#
# wind 40 MW, cf 0.5, 0.25, 0.25, 0.5 -> 20, 10, 10, 20 MW
# pv   40 MW, cf 0,   0.5,  0.75, 0   ->  0, 20, 30,  0 MW;  available 20, 30, 40, 20 MW
# load u1 20, 30, 30, 30 + u2 10, 10, 10, 10 = 30, 40, 40, 40 MW
# storage 10 MW / 60 MWh, η_c = η_d = 0.9: charges 10 MW at noon (+0.9·10·6 = 54 MWh,
# soc 6 -> 60), discharges 54·0.9/6 = 8.1 MW in the evening (−8.1·6/0.9 = −54 MWh, back to 6)
# import = load − available + charge − discharge = 10, 10, 10, 40 − 20 − 8.1 = 11.9 MW
#
# E_A = 6·110 = 660 MWh, E_load = 6·150 = 900 MWh, E_sc = 6·(20 + 30 + 30 + 28.1) = 648.6 MWh
# self-consumption 648.6 / 900 = 0.720667; E_A / E_load = 0.733333; utilisation, energy
# delivered: (648.6 + 0) / 660 = 0.982727 (the 60 − 48.6 = 11.4 MWh lost in storage not used)
# exchange P = 10, 10, 10, 11.9: rate (11.9 − 10) / 11.9 = 0.159664 <= load's (40 − 30) / 40


def general_day() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duration_h": 6.0,
            "load_mw": [30.0, 40.0, 40.0, 40.0],
            "load_mw:u1": [20.0, 30.0, 30.0, 30.0],
            "load_mw:u2": [10.0, 10.0, 10.0, 10.0],
            "cf:wind": [0.5, 0.25, 0.25, 0.5],
            "cf:pv": [0.0, 0.5, 0.75, 0.0],
            "available_mw:wind": [20.0, 10.0, 10.0, 20.0],
            "available_mw:pv": [0.0, 20.0, 30.0, 0.0],
            "available_mw": [20.0, 30.0, 40.0, 20.0],
            "curtailed_mw": 0.0,
            "charge_mw": [0.0, 0.0, 10.0, 0.0],
            "discharge_mw": [0.0, 0.0, 0.0, 8.1],
            "soc_mwh": [6.0, 6.0, 60.0, 6.0],
            "import_mw": [10.0, 10.0, 10.0, 11.9],
            "export_mw": 0.0,
        },
        index=pd.date_range("2026-06-01", periods=4, freq="6h", name="time"),
    )


GENERAL = DesignFacts(
    mode="grid",
    kind="general",
    connection_mw=12.0,
    storage_power_mw=10.0,
    storage_energy_mwh=60.0,
    charge_efficiency=0.9,
    discharge_efficiency=0.9,
    capacities_mw={"wind": 40.0, "pv": 40.0},
    connection_voltage_kv=110.0,
    internal_contract_years=15.0,
)


def test_consistent_dispatch_passes_with_hand_values():
    t = compliance_table(general_day(), rules(2026), GENERAL)
    assert tuple(t.columns) == COLUMNS
    assert list(t["rule"]) == [
        "load_driven_sizing",
        "export_ban",
        "self_consumption_min",
        "exchange_limit",
        "peak_valley_limit",
        "renewable_utilisation_min",
        "connection_voltage",
        "general_sources_after_load_start",
        "internal_contract_term",
        "green_tracing",
        *PHYSICS_ROWS,
    ]
    assert failed(t) == set()
    assert all(
        ok is True or ok is None for ok in t["ok"]
    )  # plain bools, as callers test `is False`
    assert row(t, "load_driven_sizing")["ok"] is None
    assert row(t, "load_driven_sizing")["value"] == pytest.approx(660 / 900)
    sc = row(t, "self_consumption_min")
    assert (sc["value"], sc["limit"], sc["margin"]) == pytest.approx(
        (0.720667, 0.30, 0.420667), abs=1e-6
    )
    ex = row(t, "exchange_limit")
    assert (ex["value"], ex["limit"], ex["margin"]) == pytest.approx((11.9, 12.0, 0.1))
    assert ex["margin_share"] == pytest.approx(0.1 / 12)
    pv = row(t, "peak_valley_limit")
    assert (pv["value"], pv["limit"]) == pytest.approx((1.9 / 11.9, 0.25))
    assert "2026-06-01" in pv["note"]
    assert row(t, "renewable_utilisation_min")["value"] == pytest.approx(648.6 / 660)
    assert row(t, "export_ban")["value"] == 0.0
    assert set(t.loc[t["rule"].isin(PHYSICS_ROWS), "clause"]) == {"model physics"}
    assert row(t, "green_tracing")["clause"] == "五(五)"
    check_compliance(t)  # does not raise


def test_extra_export_on_a_general_project_breaks_the_export_ban():
    h = general_day()
    h.loc[h.index[0], ["import_mw", "export_mw"]] = [12.0, 2.0]  # balance kept, P unchanged
    t = compliance_table(h, rules(2026), GENERAL)
    assert failed(t) == {"export_ban"}
    assert row(t, "export_ban")["value"] == pytest.approx(12.0)  # 2 MW · 6 h
    assert "1 step(s) with both import and export" in row(t, "exchange_limit")["note"]


def test_changed_load_breaks_the_energy_balance():
    h = general_day()
    h.loc[h.index[1], ["load_mw", "load_mw:u1"]] = [41.0, 31.0]
    t = compliance_table(h, rules(2026), GENERAL)
    assert failed(t) == {"energy_balance"}
    assert row(t, "energy_balance")["value"] == pytest.approx(1.0)


def test_soc_jump_breaks_storage_continuity():
    h = general_day()
    h.loc[h.index[1], "soc_mwh"] = 10.0  # +4 MWh from nowhere, and 4 MWh gone at noon
    t = compliance_table(h, rules(2026), GENERAL)
    assert failed(t) == {"storage_continuity"}
    assert row(t, "storage_continuity")["value"] == pytest.approx(4.0)


def test_continuity_is_cyclic():
    h = general_day()
    h["soc_mwh"] = h["soc_mwh"] + [0.0, 0.0, 0.0, 1.0]  # last soc 7 != 6 before the first step
    t = compliance_table(h, rules(2026), GENERAL)
    assert "storage_continuity" in failed(t)


def test_import_above_the_connection_breaks_the_exchange_limit():
    t = compliance_table(general_day(), rules(2026), replace(GENERAL, connection_mw=11.0))
    assert failed(t) == {"exchange_limit"}
    assert row(t, "exchange_limit")["margin"] == pytest.approx(-0.9)  # 11 − 11.9
    # the same with the dispatch changed: curtail 5 MW at night and import 5 MW more
    h = general_day()
    h.loc[h.index[0], ["curtailed_mw", "import_mw"]] = [5.0, 15.0]
    t = compliance_table(h, rules(2026), GENERAL)
    # P = 15, 10, 10, 11.9 also breaks the peak-valley limit: (15 − 10) / 15 = 0.333 > 0.25
    assert failed(t) == {"exchange_limit", "peak_valley_limit"}


def test_exchange_tolerance_parameter_widens_the_limit():
    r = rules(2026, overrides={"exchange_limit": {"tolerance_mw": 1.0}})
    t = compliance_table(general_day(), r, replace(GENERAL, connection_mw=11.0))
    assert failed(t) == set()
    assert row(t, "exchange_limit")["limit"] == 12.0


def test_flatter_than_allowed_limit_breaks_peak_valley():
    r = rules(2026, overrides={"peak_valley_limit": {"limit": 0.1}})
    t = compliance_table(general_day(), r, GENERAL)
    assert failed(t) == {"peak_valley_limit"}
    assert row(t, "peak_valley_limit")["margin"] == pytest.approx(0.1 - 1.9 / 11.9)


def test_without_storage_the_exchange_is_too_peaky():
    h = general_day()
    h["charge_mw"], h["discharge_mw"], h["soc_mwh"] = 0.0, 0.0, 6.0
    h["import_mw"] = [10.0, 10.0, 0.0, 20.0]  # noon covered by PV, evening by the grid
    t = compliance_table(h, rules(2026), GENERAL)
    # P = 10, 10, 0, 20: rate (20 − 0) / 20 = 1 > 0.25; and 20 MW > the 12 MW connection
    assert failed(t) == {"peak_valley_limit", "exchange_limit"}
    assert row(t, "peak_valley_limit")["value"] == pytest.approx(1.0)


def test_tiny_residues_pass_and_real_ones_fail():
    h = general_day()
    h["load_mw"] = h["load_mw"] + 1e-9
    assert failed(compliance_table(h, rules(2026), GENERAL)) == set()
    h["load_mw"] = h["load_mw"] + 1e-3
    assert "energy_balance" in failed(compliance_table(h, rules(2026), GENERAL))


def test_tolerances_scale_with_the_problem():
    tol = tolerances(general_day(), GENERAL, 1e-6)
    # scale = max(1, peak load 40, peak available 40) = 40 MW; horizon 24 h; E_load 900 MWh
    assert tol.power_mw == pytest.approx(4e-5)
    assert tol.energy_mwh == pytest.approx(4e-5 * 24)
    assert tol.soc_mwh == pytest.approx(1e-6 * 240)  # max(1, 60 MWh, 40 MW · 6 h)
    assert tol.ratio == pytest.approx(max(1e-6, 4e-5 * 24 / 900))


def test_storage_power_bound():
    t = compliance_table(general_day(), rules(2026), replace(GENERAL, storage_power_mw=9.0))
    assert failed(t) == {"storage_limits"}
    assert "charge > storage power by 1" in row(t, "storage_limits")["note"]


def test_capacity_mismatch_breaks_available_output():
    t = compliance_table(
        general_day(), rules(2026), replace(GENERAL, capacities_mw={"wind": 50.0, "pv": 40.0})
    )
    # wind 50 · 0.5 = 25 != 20 MW
    assert failed(t) == {"available_output"}
    assert row(t, "available_output")["value"] == pytest.approx(5.0)


def test_charging_from_the_grid_without_tracking_breaks_green_charging():
    h = general_day()
    h.loc[h.index[2], ["curtailed_mw", "import_mw"]] = [35.0, 35.0]  # 5 MW left to charge 10
    t = compliance_table(h, rules(2026), replace(GENERAL, connection_mw=40.0))
    assert "green_charging" in failed(t)
    assert row(t, "green_charging")["value"] == pytest.approx(5.0)


@pytest.mark.parametrize("window", ["D", "M", "Y"])
def test_peak_valley_windows_on_one_day_agree(window):
    r = rules(2026, overrides={"peak_valley_limit": {"window": window}})
    t = compliance_table(general_day(), r, GENERAL)
    assert row(t, "peak_valley_limit")["value"] == pytest.approx(1.9 / 11.9)


# --- (b) a grid-connected hydrogen project: export ratio 0.3 -------------------------------
#
# two 1-hour steps, wind 100 MW, cf 0.8 and 0.2; electrolyser load 50 and 40 MW
# s0: 80 available, 50 to the load, 30 exported;  s1: 20 available + 20 imported = 40
# E_exp = 30, E_sc = 50 + 20 = 70 -> export ratio 30 / 100 = 0.3; E_A / E_load = 100 / 90


def hydrogen_hours(day="2027-06-01") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duration_h": 1.0,
            "load_mw": [50.0, 40.0],
            "load_mw:h2": [50.0, 40.0],
            "cf:wind": [0.8, 0.2],
            "available_mw:wind": [80.0, 20.0],
            "available_mw": [80.0, 20.0],
            "curtailed_mw": 0.0,
            "charge_mw": 0.0,
            "discharge_mw": 0.0,
            "soc_mwh": 0.0,
            "import_mw": [0.0, 20.0],
            "export_mw": [30.0, 0.0],
        },
        index=pd.date_range(day, periods=2, freq="h", name="time"),
    )


HYDROGEN = DesignFacts(
    mode="grid",
    kind="hydrogen",
    connection_mw=40.0,
    capacities_mw={"wind": 100.0},
    connection_voltage_kv=220.0,
    security_assessment_done=True,
    preapproval_date=date(2026, 1, 10),
    load_construction_start_date=date(2026, 6, 1),
    source_request_date=date(2027, 1, 5),
    load_investment_share=0.5,
    internal_contract_years=10.0,
)
NO_PV = {"peak_valley_limit": {"enabled": False}}  # one import and one export hour: rate 2.5


@pytest.mark.parametrize(("year", "cap", "ok"), [(2027, 0.40, True), (2028, 0.20, False)])
def test_export_ratio_cap_by_year(year, cap, ok):
    t = compliance_table(hydrogen_hours(), rules(year, "hydrogen", overrides=NO_PV), HYDROGEN)
    r = row(t, "export_ratio_cap")
    assert (r["value"], r["limit"]) == pytest.approx((0.3, cap))
    assert r["ok"] is ok
    assert failed(t) == (set() if ok else {"export_ratio_cap"})
    assert r["margin"] == pytest.approx(cap - 0.3)
    assert row(t, "hydrogen_generation_cap")["value"] == pytest.approx(100 / 90)
    assert "export_ban" not in set(t["rule"])


def test_peak_valley_signed_reading_with_export_hours_exceeds_one():
    pv = {"peak_valley_limit": {"reading": "signed"}}
    t = compliance_table(hydrogen_hours(), rules(2027, "hydrogen", overrides=pv), HYDROGEN)
    # P = −30, 20 on one day: (20 + 30) / 20 = 2.5 against the load's (50 − 40) / 50 = 0.2
    assert failed(t) == {"peak_valley_limit"}
    assert row(t, "peak_valley_limit")["value"] == pytest.approx(2.5)


@pytest.mark.parametrize(("conn", "rate"), [(62.5, 0.8), (50.0, 1.0)])
def test_peak_valley_connection_reading_is_the_default_where_export_is_allowed(conn, rate):
    # auto -> connection for a hydrogen project that may export. P = −30, 20: swing 50 MW;
    # rate = 50 / C: 0.8 at C = 62.5 MW (exactly the limit 0.8, holds), 1.0 at C = 50 (breaks).
    pv = {"peak_valley_limit": {"limit": 0.8}}
    facts = dataclasses.replace(HYDROGEN, connection_mw=conn)
    t = compliance_table(hydrogen_hours(), rules(2027, "hydrogen", overrides=pv), facts)
    r = row(t, "peak_valley_limit")
    assert r["value"] == pytest.approx(rate)
    assert r["ok"] is (rate <= 0.8)
    assert "reading connection" in r["note"]


def test_hydrogen_generation_cap_override():
    r = rules(2027, "hydrogen", overrides={**NO_PV, "hydrogen_generation_cap": {"max_ratio": 1.1}})
    assert failed(compliance_table(hydrogen_hours(), r, HYDROGEN)) == {"hydrogen_generation_cap"}


def test_existing_hydrogen_project_may_not_export():
    r = rules(2027, "hydrogen", overrides=NO_PV, existing_hydrogen=True)
    t = compliance_table(hydrogen_hours(), r, HYDROGEN)
    assert failed(t) == {"export_ban"}
    assert row(t, "export_ban")["value"] == pytest.approx(30.0)


def test_exporting_grid_energy_breaks_green_charging_and_tracing():
    h = hydrogen_hours()
    h.loc[h.index[1], ["import_mw", "export_mw"]] = [50.0, 10.0]  # 10 MW of grid energy re-exported
    t = compliance_table(h, rules(2027, "hydrogen", overrides=NO_PV), HYDROGEN)
    # sc = 40 − 50 = −10 MW: negative green energy for the only user
    assert {"green_charging", "green_tracing"} <= failed(t)
    assert row(t, "green_tracing")["value"] == pytest.approx(10.0)


# 六(二): pre-approval 2026-01-10, valid two years to 2028-01-10; the load side must start
# construction (开工) inside that window, and have done >= 45% of its investment by the request.
@pytest.mark.parametrize(
    ("changes", "ok"),
    [
        ({}, True),  # start 2026-06-01 in the window, 50% >= 45%, request 2027-01-05 after it
        ({"load_investment_share": 0.40}, False),  # < 45 %
        ({"load_construction_start_date": date(2028, 1, 11)}, False),  # a day after expiry
        ({"load_construction_start_date": date(2028, 1, 10), "source_request_date": None}, True),
        ({"load_construction_start_date": date(2026, 1, 9)}, False),  # before the pre-approval
        # the request may come after the two years: the validity bounds the start, not the request
        ({"source_request_date": date(2028, 6, 1)}, True),
        ({"source_request_date": date(2026, 5, 1)}, False),  # requested before construction began
        ({"load_construction_start_date": None}, None),  # start not given, share fine
        ({"preapproval_date": None}, None),
        ({"preapproval_date": None, "load_investment_share": 0.3}, False),
        ({"load_investment_share": None, "preapproval_date": None}, None),
    ],
)
def test_hydrogen_milestones(changes, ok):
    t = compliance_table(
        hydrogen_hours(), rules(2027, "hydrogen", overrides=NO_PV), replace(HYDROGEN, **changes)
    )
    assert row(t, "hydrogen_milestones")["ok"] is ok


# 六(二) general projects: renewables approved only after the new load's construction start.
@pytest.mark.parametrize(
    ("start", "approval", "days", "ok"),
    [
        (date(2026, 3, 1), date(2026, 6, 15), 106, True),  # 30 + 30 + 31 + 15 = 106 days
        (date(2026, 3, 1), date(2026, 3, 1), 0, True),  # same day: not before
        (date(2026, 3, 1), date(2026, 2, 27), -2, False),  # approved two days before the start
        (None, date(2026, 2, 27), None, None),
    ],
)
def test_general_sources_after_load_start(start, approval, days, ok):
    facts = replace(GENERAL, load_construction_start_date=start, source_approval_date=approval)
    t = compliance_table(general_day(), rules(2026), facts)
    r = row(t, "general_sources_after_load_start")
    assert r["ok"] is ok
    assert r["clause"] == "六(二)"
    if days is None:
        assert math.isnan(r["value"])
    else:
        assert r["value"] == days
    assert "general_sources_after_load_start" not in set(
        compliance_table(hydrogen_hours(), rules(2027, "hydrogen", overrides=NO_PV), HYDROGEN)["rule"]
    )  # a general-project rule only


@pytest.mark.parametrize(
    ("kv", "done", "ok"),
    [
        (None, False, None),
        (110.0, False, True),
        (220.0, False, False),
        (220.0, True, True),
        (330.0, True, False),
    ],
)
def test_connection_voltage(kv, done, ok):
    facts = replace(GENERAL, connection_voltage_kv=kv, security_assessment_done=done)
    assert (
        row(compliance_table(general_day(), rules(2026), facts), "connection_voltage")["ok"] is ok
    )


# 三(三) 「不超过220（330）千伏」: in a 330 kV grid the ceiling and the assessment threshold are 330 kV,
# set by overriding the rule's parameters; 220 kV then needs no assessment.
@pytest.mark.parametrize(("kv", "done", "ok"), [(220.0, False, True), (330.0, False, False),
                                                (330.0, True, True), (500.0, True, False)])
def test_connection_voltage_330kv_grid(kv, done, ok):
    r330 = rules(2026, overrides={"connection_voltage": {"max_kv": 330, "assessment_from_kv": 330}})
    facts = replace(GENERAL, connection_voltage_kv=kv, security_assessment_done=done)
    r = row(compliance_table(general_day(), r330, facts), "connection_voltage")
    assert (r["ok"], r["limit"]) == (ok, 330.0)


def test_missing_contract_term_is_not_evaluated():
    t = compliance_table(general_day(), rules(2026), replace(GENERAL, internal_contract_years=None))
    r = row(t, "internal_contract_term")
    assert r["ok"] is None and math.isnan(r["value"])
    t = compliance_table(general_day(), rules(2026), replace(GENERAL, internal_contract_years=8.0))
    assert failed(t) == {"internal_contract_term"}


# --- (c) self-consumption 0.32: two single-step days --------------------------------------
#
# load 50 MW both days; PV 40 MW, cf 0.8 then 0 -> 32 MW then 0; import 18 then 50 MW
# E_sc = 32, E_load = 100 -> 0.32; each day has one step, so every daily rate is 0


def two_days(year) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "duration_h": 1.0,
            "load_mw": 50.0,
            "cf:pv": [0.8, 0.0],
            "available_mw:pv": [32.0, 0.0],
            "available_mw": [32.0, 0.0],
            "curtailed_mw": 0.0,
            "charge_mw": 0.0,
            "discharge_mw": 0.0,
            "soc_mwh": 0.0,
            "import_mw": [18.0, 50.0],
            "export_mw": 0.0,
        },
        index=pd.DatetimeIndex([f"{year}-01-01", f"{year}-01-02"], name="time"),
    )


@pytest.mark.parametrize(("year", "floor", "ok"), [(2029, 0.30, True), (2030, 0.35, False)])
def test_self_consumption_floor_by_year(year, floor, ok):
    facts = DesignFacts(mode="grid", kind="general", connection_mw=50.0, capacities_mw={"pv": 40.0})
    t = compliance_table(two_days(year), rules(year), facts)
    r = row(t, "self_consumption_min")
    assert (r["value"], r["limit"], r["margin"]) == pytest.approx((0.32, floor, 0.32 - floor))
    assert failed(t) == (set() if ok else {"self_consumption_min"})
    assert row(t, "peak_valley_limit")["value"] == 0.0


# --- off-grid and grid-charged storage ---------------------------------------------------


def off_grid_hour() -> pd.DataFrame:
    # 50 MW available, 40 MW load, 10 MW curtailed (utilisation 0.8 < 0.9: the floor is set to 0.75 below)
    h = two_days(2026).iloc[:1].copy()
    h[["load_mw", "available_mw", "available_mw:pv", "curtailed_mw", "import_mw"]] = [
        40.0,
        50.0,
        50.0,
        10.0,
        0.0,
    ]
    h["cf:pv"] = 1.0
    return h


def test_off_grid_must_not_exchange():
    r = rules(2026, mode="off_grid", overrides={"renewable_utilisation_min": {"min_share": 0.75}})
    facts = DesignFacts(mode="off_grid", kind="general", capacities_mw={"pv": 50.0})
    t = compliance_table(off_grid_hour(), r, facts)
    assert failed(t) == set()
    assert not {"export_ban", "self_consumption_min", "peak_valley_limit"} & set(t["rule"])
    assert row(t, "exchange_limit")["clause"] == "一"
    h = off_grid_hour()
    h[["curtailed_mw", "import_mw"]] = [11.0, 1.0]  # balance kept; utilisation 39 / 50 = 0.78
    t = compliance_table(h, r, facts)
    assert failed(t) == {"exchange_limit"}


def grid_charged() -> pd.DataFrame:
    # s0: no wind, load 10, import 15 of which 5 charges storage (grid origin, soc 5)
    # s1: 10 MW wind, storage releases its 5 MWh of grid energy, import 5: load 20
    # sc = load − import + charge_grid − discharge_grid = 10 − 15 + 5 = 0; 20 − 5 − 5 = 10
    return pd.DataFrame(
        {
            "duration_h": 1.0,
            "load_mw": [10.0, 20.0],
            "cf:wind": [0.0, 0.5],
            "available_mw:wind": [0.0, 10.0],
            "available_mw": [0.0, 10.0],
            "curtailed_mw": 0.0,
            "charge_mw": [5.0, 0.0],
            "discharge_mw": [0.0, 5.0],
            "soc_mwh": [5.0, 0.0],
            "import_mw": [15.0, 5.0],
            "export_mw": 0.0,
            "charge_grid_mw": [5.0, 0.0],
            "discharge_grid_mw": [0.0, 5.0],
            "soc_grid_mwh": [5.0, 0.0],
        },
        index=pd.date_range("2026-01-01", periods=2, freq="h", name="time"),
    )


def test_grid_charged_storage_is_not_green():
    facts = DesignFacts(
        mode="grid", kind="general", connection_mw=15.0, storage_power_mw=5.0,
        storage_energy_mwh=5.0, capacities_mw={"wind": 20.0},
    )  # fmt: skip
    r = rules(2026, overrides=NO_PV)
    t = compliance_table(grid_charged(), r, facts)
    # E_sc = 10 of E_load 30 -> 0.3333 >= 0.30
    assert row(t, "self_consumption_min")["value"] == pytest.approx(1 / 3)
    assert failed(t) == set()
    # without the origin columns the same flows store grid energy as if it were green
    t = compliance_table(
        grid_charged().drop(columns=["charge_grid_mw", "discharge_grid_mw", "soc_grid_mwh"]),
        r,
        facts,
    )
    assert "green_charging" in failed(t)
    # the grid-origin state of charge must be continuous too
    h = grid_charged()
    h["soc_grid_mwh"] = [4.0, 0.0]
    assert failed(compliance_table(h, r, facts)) == {"storage_continuity"}


# --- inputs and the raising check ----------------------------------------------------------


def test_check_compliance_raises_naming_the_rule():
    t = compliance_table(hydrogen_hours(), rules(2028, "hydrogen", overrides=NO_PV), HYDROGEN)
    with pytest.raises(ComplianceError, match="export_ratio_cap") as exc:
        check_compliance(t)
    assert exc.value.failed == ["export_ratio_cap"]
    assert "三(一)" in str(exc.value) and "0.3" in str(exc.value) and "0.2" in str(exc.value)


def test_check_compliance_lists_every_failed_row():
    h = general_day()
    h.loc[h.index[1], "soc_mwh"] = 10.0
    t = compliance_table(h, rules(2026), replace(GENERAL, connection_mw=11.0))
    with pytest.raises(ComplianceError) as exc:
        check_compliance(t)
    assert sorted(exc.value.failed) == ["exchange_limit", "storage_continuity"]


def test_facts_must_match_the_rules():
    with pytest.raises(ScenarioError, match="facts.kind"):
        compliance_table(general_day(), rules(2026), replace(GENERAL, kind="hydrogen"))


def test_facts_are_validated():
    with pytest.raises(ScenarioError, match="discharge_efficiency"):
        DesignFacts(mode="grid", kind="general", discharge_efficiency=0.0)


def test_missing_dispatch_column_is_named():
    with pytest.raises(DataError, match="soc_mwh"):
        compliance_table(general_day().drop(columns="soc_mwh"), rules(2026), GENERAL)
