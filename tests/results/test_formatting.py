"""Brief-ready numbers: each unit as a brief writes it, in English and Chinese."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from greenscen.progress import TerminalProgress
from greenscen.results.formatting import compliance_view, format_quantity, headline_view


@pytest.mark.parametrize(("value", "unit", "lang", "text"), [
    (0.8543024, "share", "en", "85.4%"),
    (458665300.0, "yuan", "en", "458.7 million yuan"),
    (458665300.0, "yuan", "zh", "4.59 亿元"),
    (5_000_000.0, "yuan", "zh", "500.0 万元"),
    (276.71, "yuan/MWh", "zh", "276.7 元/MWh"),
    (1_234_567.4, "MWh", "en", "1,234,567 MWh"),
    (172.34, "MW", "en", "172.3 MW"),
    (2.84e-14, "MW", "en", "0.0 MW"),  # a solver residue is 0
    (1.2, "MWh/MWh", "en", "1.20"),
    (220, "kV", "en", "220 kV"),
    (float("nan"), "share", "en", ""),
    (float("inf"), "rate", "en", "∞"),
])  # fmt: skip
def test_format_quantity(value, unit, lang, text):
    assert format_quantity(value, unit, lang) == text


def test_compliance_view_names_rules_and_states():
    table = pd.DataFrame([
        {"rule": "export_ratio_cap", "clause": "三(一)", "value": 0.304, "limit": 0.4, "unit": "share",
         "ok": True, "margin": 0.096},
        {"rule": "self_consumption_min", "clause": "三(一)", "value": 0.25, "limit": 0.3, "unit": "share",
         "ok": False, "margin": -0.05},
        {"rule": "energy_balance", "clause": "model physics", "value": 0.0, "limit": 0.0, "unit": "MW",
         "ok": True, "margin": 0.0},
    ])  # fmt: skip
    en = compliance_view(table)
    assert en.to_dict("records")[0] == {"Rule": "Export cap", "Clause": "三(一)", "Value": "30.4%",
                                        "Limit": "40.0%", "Margin": "9.6%", "Status": "✔ ok"}  # fmt: skip
    assert en["Status"].tolist()[1] == "✘ FAIL" and en["Margin"].tolist()[1] == "-5.0%"
    zh = compliance_view(table, "zh")
    assert zh["规则"].tolist() == ["上网电量比例上限", "自发自用比例下限", "电量平衡"]
    assert zh["结果"].tolist()[1] == "✘ 不达标" and zh["条款"].tolist()[2] == "模型物理"


def test_headline_view_in_chinese():
    caps = {"wind_mw": 389.3, "pv_mw": 458.7, "storage_mw": 124.9, "storage_mwh": 587.0, "connection_mw": 172.3}
    ratios = {"export_ratio": 0.304}
    cost = {"total_annual_yuan": 389_900_000.0, "cost_per_mwh_load_yuan": 276.7}
    rows = dict(headline_view(caps, ratios, cost, "zh").to_numpy().tolist())
    assert rows["光伏 (MWp)"] == "458.7" and rows["储能容量 (MWh)"] == "587"
    assert rows["上网电量比例"] == "30.4%" and rows["年化总成本"] == "3.90 亿元"


def test_headline_view_of_hydrogen_and_biomass_capacities_in_their_units():
    # hydrogen storage is kg, not MW; the electrolyser and biomass are MW, labelled by name
    caps = {"biomass_mw": 10.0, "electrolyser_mw": 237.24, "h2_storage_kg": 15287.4}
    cost = {"total_annual_yuan": 1.0, "cost_per_mwh_load_yuan": 1.0}
    rows = dict(headline_view(caps, {}, cost).to_numpy().tolist())
    assert rows["Hydrogen storage (kg)"] == "15,287"
    assert rows["Electrolyser (MW)"] == "237.2" and rows["Biomass (MW)"] == "10.0"
    zh = dict(headline_view(caps, {}, cost, "zh").to_numpy().tolist())
    assert zh["储氢容量 (kg)"] == "15,287" and zh["电解槽 (MW)"] == "237.2"


def test_progress_lines_on_a_terminal_and_silence_when_piped():
    out = io.StringIO()
    p = TerminalProgress(stream=out, enabled=True)
    p("solve", "start")
    p("solve", "end")
    assert out.getvalue().splitlines() == ["greenscen: solving ...", "greenscen: solving: done in 0.0 s"]
    piped = io.StringIO()  # not a terminal: silent unless asked
    q = TerminalProgress(stream=piped)
    q("solve", "start")
    q("solve", "end")
    assert piped.getvalue() == ""
