"""Brief-ready numbers: quantities as a policy brief writes them, tables for people to read.

Pure functions of values and units. The machine-readable outputs (summary.json, the numeric
columns of compliance.csv and hourly.csv) keep full precision; these give the text a planner
reads in the terminal, a notebook or a widget.

>>> format_quantity(0.35, "share")
'35.0%'
>>> format_quantity(1234567.8, "MWh")
'1,234,568 MWh'
>>> format_quantity(422992584.98, "yuan")
'423.0 million yuan'
>>> format_quantity(float("inf"), "rate")
'∞'
"""

from __future__ import annotations

import math

import pandas as pd

from greenscen.rules.registry import rule_label

_STATUS = {True: ("✔ ok", "✔ 达标"), False: ("✘ FAIL", "✘ 不达标"), None: ("– not evaluated", "– 未评估")}
_HEADERS = {
    "rule": ("Rule", "规则"), "clause": ("Clause", "条款"), "value": ("Value", "数值"),
    "limit": ("Limit", "限值"), "margin": ("Margin", "裕度"), "status": ("Status", "结果"),
    "quantity": ("Quantity", "指标"),
}  # fmt: skip
# Names of the headline quantities (charts use the same, see greenscen.charts.style.LABELS).
QUANTITY_LABELS = {
    "wind": ("Wind", "风电"), "pv": ("PV", "光伏"),
    "storage_mw": ("Storage power", "储能功率"), "storage_mwh": ("Storage energy", "储能容量"),
    "connection_mw": ("Grid connection", "接网容量"), "biomass": ("Biomass", "生物质发电"),
    "electrolyser_mw": ("Electrolyser", "电解槽"), "h2_storage_kg": ("Hydrogen storage", "储氢容量"),
    "export_ratio": ("Export ratio", "上网电量比例"),
    "self_consumption_share": ("Self-consumption share", "自发自用比例"),
    "generation_to_load_ratio": ("Generation / load", "发电量/用电量"),
    "renewable_utilisation": ("Renewable utilisation", "新能源利用率"),
}  # fmt: skip
# The model-physics rows of the compliance table (not policy rules).
PHYSICS_LABELS = {
    "energy_balance": ("Energy balance", "电量平衡"),
    "available_output": ("Available output", "可用出力"),
    "storage_limits": ("Storage limits", "储能限值"),
    "storage_continuity": ("Storage continuity", "储能电量连续"),
    "storage_loops": ("No storage loops", "储能无同时充放"),
    "green_charging": ("Green charging", "绿电充电"),
    "h2_mass_balance": ("Hydrogen mass balance", "氢气质量平衡"),
    "h2_storage_flows": ("Hydrogen storage flows", "储氢充放"),
    "h2_storage_loops": ("No hydrogen storage loops", "储氢无同时充放"),
    "h2_production": ("Hydrogen production curve", "制氢电耗曲线"),
    "electrolyser_limits": ("Electrolyser limits", "电解槽运行限值"),
    "electrolyser_load": ("Electrolyser as load", "电解槽计入负荷"),
    "h2_demand": ("Hydrogen demand met", "氢气需求满足"),
}


def format_quantity(value, unit: str = "", lang: str = "en") -> str:
    """Return ``value`` in ``unit`` as a brief writes it (thousands separators, %, sensible decimals).

    Units: ``share``/``rate`` (a fraction, shown in %), ``MWh``, ``MW``, ``MWh/MWh``, ``kV``,
    ``years``, ``kg``, ``yuan`` (millions above 1 million), ``yuan/MWh``; anything else 4 significant
    digits (whole numbers with separators from 1,000). None and NaN show as an empty string; a residue below 1e-9 shows as 0. In Chinese
    money reads in 万元 / 亿元 as briefs write it.
    """
    if value is None or isinstance(value, str):
        return "" if value is None else value
    v = float(value)
    if math.isnan(v):
        return ""
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if abs(v) < 1e-9:
        v = 0.0
    if unit in ("share", "rate"):
        return f"{v:.1%}"
    if unit == "MWh":
        return f"{v:,.0f} MWh"
    if unit == "MW":
        return f"{v:,.1f} MW" if abs(v) >= 0.05 or v == 0 else f"{v:.3g} MW"
    if unit == "kg":
        return f"{v:,.0f} kg"
    if unit == "MWh/MWh":
        return f"{v:.2f}"
    if unit == "yuan" and lang == "zh":
        return f"{v / 1e8:,.2f} 亿元" if abs(v) >= 1e8 else f"{v / 1e4:,.1f} 万元"
    if unit == "yuan":
        return f"{v / 1e6:,.1f} million yuan" if abs(v) >= 1e6 else f"{v:,.0f} yuan"
    if unit == "yuan/MWh":
        return f"{v:,.1f} {'元/MWh' if lang == 'zh' else 'yuan/MWh'}"
    if unit in ("kV", "years"):
        return f"{v:g} {unit}"
    text = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"  # 30,000 t/yr, not 3e+04
    return text + (f" {unit}" if unit else "")


def capacity_unit(key: str) -> str:
    """Return the unit of a capacity key of the results (``*_kg`` kg, ``*_mwh`` MWh, else MW)."""
    return "kg" if key.endswith("_kg") else "MWh" if key.endswith("_mwh") else "MW"


def compliance_view(compliance: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Return the compliance table as text for people: rule label, clause, value, limit, margin, status."""
    zh = lang == "zh"
    rows = []
    for r in compliance.to_dict("records"):
        unit = r.get("unit") or ""
        rows.append({
            "rule": (PHYSICS_LABELS[r["rule"]][zh] if r["rule"] in PHYSICS_LABELS
                     else rule_label(r["rule"], lang, clause=False)),
            "clause": ("模型物理" if zh else "model physics") if r["rule"] in PHYSICS_LABELS
            else r.get("clause") or "",
            "value": format_quantity(r.get("value"), unit),
            "limit": format_quantity(r.get("limit"), unit),
            "margin": format_quantity(r.get("margin"), unit) if r.get("ok") is not None else "",
            "status": _STATUS[r.get("ok") if r.get("ok") in (True, False) else None][zh],
        })  # fmt: skip
    table = pd.DataFrame(rows, columns=["rule", "clause", "value", "limit", "margin", "status"])
    return table.rename(columns={k: v[zh] for k, v in _HEADERS.items()})


def headline_view(capacities: dict, ratios: dict, cost: dict, lang: str = "en") -> pd.DataFrame:
    """Return the headline numbers of a result as a two-column table (quantity, value)."""
    zh = lang == "zh"

    def label(key: str, lang: str) -> str:
        return QUANTITY_LABELS.get(key, (key, key))[zh]

    rows = []
    for key, v in capacities.items():
        unit = capacity_unit(key)
        name = label(key.removesuffix("_mw") if key in ("wind_mw", "pv_mw", "biomass_mw") else key, lang)
        rows.append((f"{name} ({'MWp' if key == 'pv_mw' else unit})", format_quantity(v, unit)
                     .removesuffix(f" {unit}")))  # fmt: skip
    for key, v in ratios.items():
        rows.append((label(key, lang), format_quantity(v, "MWh/MWh" if "to_load" in key else "share")))
    rows.append(("年化总成本" if zh else "Total annual cost",
                 format_quantity(cost["total_annual_yuan"], "yuan", lang)))  # fmt: skip
    rows.append(("单位负荷电量成本" if zh else "Cost per MWh of load",
                 format_quantity(cost["cost_per_mwh_load_yuan"], "yuan/MWh", lang)))  # fmt: skip
    return pd.DataFrame(rows, columns=[_HEADERS["quantity"][zh], _HEADERS["value"][zh]])
