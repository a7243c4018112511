"""The sizing rule registry: each rule of a rule set declared once, with everything derived from it.

A rule set (``greenscen/rules/sets/*.yaml``) says *what the policy is*: clause, years, kinds,
modes and parameter values. This registry says *how greenscen treats a rule*, once per rule name:

- ``param``: the rule-set parameter the LP reads, and ``tunable``, the one name under which a
  session, a widget, a sweep and the typed parameters (:class:`~greenscen.base.params.PolicyParams`)
  know its value;
- ``unit``, ``bounds`` and ``slider`` (min, max, step): what a user may set it to in a widget
  or a sweep;
- ``lp_row``: the name of its row family in the sizing LP (None: not an LP row, e.g. a
  validation of paperwork) and ``scope``: ``annual`` (one row per horizon), ``window`` (one
  per peak-valley window), ``step`` (one per time step) or ``structure`` (the LP's shape: a
  variable left out);
- ``breach_en``: how the elastic LP's diagnosis names a miss of the row;
- ``label_en`` / ``label_zh``: short labels for charts, tables and controls (the clause is
  appended from the rule set, see :func:`rule_label`).

The LP row of each rule is written once in ``greenscen.model.rule_rows`` (registered there
against the entry below) and its independent compliance evaluator once in
``greenscen.results.compliance`` (registered against the rule name); ``tests/rules`` checks
that every entry has both where it should. Nothing here imports the model or the results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class SizingRule:
    """How greenscen models, checks, labels and varies one rule of a rule set."""

    name: str
    label_en: str
    label_zh: str
    param: str | None = None
    tunable: str | None = None
    unit: str = ""
    bounds: tuple[float, float] = (0.0, math.inf)
    slider: tuple[float, float, float] | None = None
    lp_row: str | None = None
    scope: str = "validation"
    breach_en: str = ""
    metric: str | None = None  # the result ratio (SizingResult.ratios) the limit applies to


_R = SizingRule
RULES: tuple[SizingRule, ...] = (
    _R("load_driven_sizing", "Available/load cap (以荷定源)", "以荷定源发电量/用电量上限",
       param="max_available_to_load_ratio", tunable="available_max_ratio", unit="MWh/MWh",
       slider=(0.8, 3.0, 0.05), lp_row="avail_cap", scope="annual",
       breach_en="available renewable energy above the cap"),
    _R("hydrogen_generation_cap", "Generation/load cap", "发电量/用电量上限",
       param="max_ratio", tunable="hydrogen_max_ratio", unit="MWh/MWh", slider=(0.8, 2.0, 0.05),
       lp_row="h2_cap", scope="annual", breach_en="available renewable energy above the cap",
       metric="generation_to_load_ratio"),
    _R("export_ban", "No export", "不得上网", scope="structure"),
    _R("export_ratio_cap", "Export cap", "上网电量比例上限", param="max_ratio",
       tunable="export_max_ratio", unit="share", bounds=(0.0, 1.0), slider=(0.0, 1.0, 0.05),
       lp_row="export_ratio", scope="annual", breach_en="export above the cap (weighted)",
       metric="export_ratio"),
    _R("self_consumption_min", "Self-consumption floor", "自发自用比例下限", param="min_share",
       tunable="self_consumption_min", unit="share", bounds=(0.0, 1.0), slider=(0.0, 1.0, 0.05),
       lp_row="self_consumption", scope="annual", breach_en="self-consumption short of the floor",
       metric="self_consumption_share"),
    _R("exchange_limit", "Exchange ≤ connection", "交换功率≤接网容量", lp_row="imp_le_conn",
       scope="step"),
    _R("peak_valley_limit", "Peak-valley limit", "交换功率峰谷差率上限", param="limit",
       tunable="peak_valley_limit", unit="rate", bounds=(0.0, 1.0), slider=(0.05, 1.0, 0.05),
       lp_row="pv_rate", scope="window", breach_en="minimum exchange short of the limit"),
    _R("renewable_utilisation_min", "Utilisation floor", "新能源利用率下限", param="min_share",
       tunable="utilisation_min", unit="share", bounds=(0.0, 1.0), slider=(0.5, 1.0, 0.01),
       lp_row="utilisation", scope="annual", breach_en="curtailment above the allowance",
       metric="renewable_utilisation"),
    _R("connection_voltage", "Connection voltage", "接入电压等级", unit="kV"),
    _R("hydrogen_milestones", "Hydrogen milestones", "氢能项目建设进度", unit="share"),
    _R("general_sources_after_load_start", "Sources after load start", "负荷开工后核准新能源",
       unit="days"),
    _R("internal_contract_term", "Internal contract term", "内部购电协议期限", unit="years"),
    _R("green_tracing", "Hourly green tracing", "小时级绿电溯源", unit="MW"),
)
REGISTRY: dict[str, SizingRule] = {r.name: r for r in RULES}
# The rules whose limit is a number the LP takes: tunable name -> rule.
TUNABLE_RULES: dict[str, SizingRule] = {r.tunable: r for r in RULES if r.tunable}
# Result ratio -> the rules whose limit applies to it (charts draw the limit over the ratio).
METRIC_RULES: dict[str, tuple[str, ...]] = {}
for _rule in RULES:
    if _rule.metric:
        METRIC_RULES[_rule.metric] = (*METRIC_RULES.get(_rule.metric, ()), _rule.name)
# The LP rows that hold one horizon-wide budget each (fast mode tightens them when missed).
ANNUAL_ROWS: tuple[str, ...] = tuple(r.lp_row for r in RULES if r.scope == "annual")


def by_tunable(name: str) -> SizingRule:
    """Return the rule whose limit is tunable under ``name`` (KeyError when none)."""
    return TUNABLE_RULES[name]


@lru_cache(maxsize=8)
def _clauses(ruleset: str) -> dict[str, str]:
    from greenscen.rules.ruleset import load_rule_set

    return {name: str(r["clause"]) for name, r in load_rule_set(ruleset).rules.items()}


def rule_clause(name: str, ruleset: str = "inner_mongolia_multiuser") -> str | None:
    """Return the clause of rule ``name`` in a rule set (None when the set has no such rule)."""
    return _clauses(ruleset).get(name)


# the parts a rule is read again on (``hydrogen_generation_cap:electrolyser``: from the
# electrolyser's own columns, greenscen.results.hydrogen)
_PART_LABELS = {"electrolyser": ("electrolyser columns", "按电解槽实际用电")}


def rule_label(name: str, lang: str = "en", ruleset: str = "inner_mongolia_multiuser",
               clause: bool = True) -> str:
    """Return a rule's short label in ``lang`` ("en" or "zh"), with its clause from the rule set.

    >>> rule_label("export_ratio_cap")
    'Export cap (三(一))'
    >>> rule_label("peak_valley_limit", "zh", clause=False)
    '交换功率峰谷差率上限'
    """
    base, _, part = name.partition(":")  # "rule:part": a second reading of the rule on one part
    r = REGISTRY.get(base)
    text = (r.label_zh if lang == "zh" else r.label_en) if r else name
    if r is not None and part:
        text += f" · {_PART_LABELS.get(part, (part, part))[lang == 'zh']}"
    where = rule_clause(base, ruleset) if clause else None
    return f"{text} ({where})" if where else text
