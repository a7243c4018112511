"""Year-by-year results of a planning horizon: compliance, energy and cost per year, batches.

Every year's compliance table is :func:`greenscen.results.compliance.compliance_table` on
that year's hourly dispatch (the dispatch of its regime, with the year's loads and
capacities online) against that year's rules: nothing here reads the model.
:func:`batch_generation_checks` recomputes the per-batch generation caps (三(一)) from the
full-year capacity factors, the batch users' full-year loads and the capacities per batch.

Outputs (``PlanResult.write``): ``summary.json`` with a ``years`` block, ``years.csv`` (one
row per year and rule), ``batches.csv`` (capacity per batch and the per-batch checks),
``hourly.csv`` (one block of rows per regime, the columns of a single-year run plus
``year``, the regime's first year, and ``years``, every year it stands for) and the chart
``rule_margins.png`` of each rule's margin across the years.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import greenscen
from greenscen.io.output import output_dir, write_json
from greenscen.results.compliance import _failed
from greenscen.results.result import CAPACITY_KEYS
from greenscen.rules.registry import REGISTRY
from greenscen.scenario.load import LoadedScenario

BLOCK_KEYS = {"cap:wind": "wind_mw", "cap:pv": "pv_mw", "cap:biomass": "biomass_mw",
              "sto_p": "storage_mw", "sto_e": "storage_mwh", "conn": "connection_mw",
              "el_cap": "electrolyser_mw", "h2s_cap": "h2_storage_kg"}  # fmt: skip


@dataclass
class YearResult:
    """One year of a plan: capacities online, hourly dispatch, compliance, energy, cost, slacks."""

    year: int
    regime: int
    capacities: dict[str, float]
    hourly: pd.DataFrame
    compliance: pd.DataFrame
    energy: dict[str, float]
    cost: dict[str, float]
    slacks: dict[str, float] = field(default_factory=dict)

    @property
    def compliant(self) -> bool:
        return not any(_failed(v) for v in self.compliance["ok"].tolist())


def _num(v):
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return None if np.isnan(f) else round(f, 9)


def batch_generation_checks(inputs, plan, batch_capacities, rules, variable_mwh=None) -> pd.DataFrame:
    """Return the per-batch generation caps recomputed from full-year profiles (三(一)).

    For batch b: value = Σ_k K_b,k · Σ_t cf_k,t·Δt / Σ_{u ∈ b} Σ_t L_u,t·Δt (both over a
    full typical year), limit = the cap of b's commissioning year (``hydrogen_generation_cap``
    1.2 in the plan; the optional 以荷定源 cap when set). ``variable_mwh`` maps a user whose
    load the LP decides (the electrolyser) to its energy per year (MWh), read from the last
    year's hourly dispatch, and adds it to its batch's load.
    """
    dt = inputs.duration_h.to_numpy(dtype=float) * inputs.annual_scale
    rows = []
    for b in plan.batches:
        caps = batch_capacities[b.name]
        gen = sum(caps.get(f"cap:{k}", 0.0) * float(inputs.cf[k].to_numpy() @ dt) for k in inputs.cf.columns)
        load = float(inputs.load_mw[list(b.users)].sum(axis=1).to_numpy() @ dt)
        load += sum((variable_mwh or {}).get(u, 0.0) for u in b.users)
        row = {"batch": b.name, "year": b.year, "users": ", ".join(b.users), "load_mwh": load,
               "available_mwh": gen}  # fmt: skip
        row |= {BLOCK_KEYS.get(k, k): v for k, v in caps.items()}
        rs = rules[b.year]
        for name in ("hydrogen_generation_cap", "load_driven_sizing"):
            r = rs.get(name)
            limit = r.params.get(REGISTRY[name].param) if r else None
            if limit is None:
                continue
            value = gen / load if load else float("nan")
            tol = 1e-6 * max(1.0, float(limit))
            rows.append(row | {"rule": name, "clause": r.clause, "value": value, "limit": float(limit),
                               "margin": float(limit) - value, "ok": bool(value <= limit + tol)})  # fmt: skip
        if not any(r.get("batch") == b.name for r in rows):
            rows.append(row | {"rule": None, "clause": None, "value": None, "limit": None,
                               "margin": None, "ok": None})  # fmt: skip
    return pd.DataFrame(rows)


@dataclass
class PlanResult:
    """A design over a planning horizon, its years and batches (see the module docstring)."""

    loaded: LoadedScenario
    mode: str
    years: list[YearResult]
    batch_capacities: dict[str, dict[str, float]]
    batch_checks: pd.DataFrame
    objective_yuan: float  # equivalent annual cost (yuan per year)
    present_value_yuan: float
    discount_weights: dict[int, float]
    regimes: list[list[int]]
    timings: dict[str, float]
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.loaded.scenario.name

    @property
    def compliant(self) -> bool:
        """True when every year and every batch check passes."""
        ok_batches = not any(v is False for v in self.batch_checks.get("ok", pd.Series([])).tolist())
        return all(y.compliant for y in self.years) and ok_batches

    def year(self, year: int) -> YearResult:
        return next(y for y in self.years if y.year == year)

    def hourly_matching(self) -> dict:
        """Return whether the dispatch's steps allow hourly matching (五(五)): steps of at most 1 h.

        「项目内部各用户可按照每个时段用电量占比确定自发自用电量，实现小时级新能源发用电量匹配」:
        results at longer steps are flagged, not failed (a planning approximation).
        """
        step_h = float(max(y.hourly["duration_h"].max() for y in self.years))
        return {"ok": step_h <= 1.0, "step_h": step_h, "clause": "五(五)",
                "note": "hourly matching (小时级新能源发用电量匹配) needs steps of at most 1 h"
                        + ("" if step_h <= 1.0 else f"; these results are at {step_h:g}-hour steps")}

    def entities_check(self) -> dict:
        """Return whether the users are at least two legal entities (一: 「多用户是指多个不同法人实体」).

        Each user of a scenario is one legal entity (``greenscen.scenario.schema.User``).
        """
        n = len({u.name for u in self.loaded.scenario.users})
        return {"ok": n >= 2, "entities": n, "clause": "一",
                "note": "a multi-user project (多用户) has at least two legal entities among its users"}

    def weighted_cost_yuan(self) -> float:
        """Return Σ_y w_y · (the year's cost recomputed from its dispatch − government funds).

        The equivalent annual cost recomputed from capacities and hourly dispatch, independent
        of the LP's objective (which leaves out the funds on the load, a constant, 五(四)).
        """
        return sum(self.discount_weights[y.year] * (y.cost["total_annual_yuan"] - y.cost["funds_yuan"])
                   for y in self.years)  # fmt: skip

    def years_table(self) -> pd.DataFrame:
        """Return one row per year and rule: value, limit, margin, ok, clause (``years.csv``)."""
        parts = []
        for y in self.years:
            t = y.compliance.copy()
            t.insert(0, "year", y.year)
            t.insert(1, "regime", y.regime)
            parts.append(t)
        return pd.concat(parts, ignore_index=True)

    def years_overview(self, lang: str = "en") -> pd.DataFrame:
        """Return one line per year: compliant, broken rules and the headline ratios (for the CLI)."""
        from greenscen.results.metrics import headline_ratios

        rows = []
        for y in self.years:
            broken = [r for r, ok in zip(y.compliance["rule"], y.compliance["ok"], strict=True) if _failed(ok)]
            ratios = headline_ratios(y.hourly)
            rows.append({"year": y.year, "regime": y.regime,
                         "export": f"{ratios['export_ratio']:.1%}",
                         "self-consumption": f"{ratios['self_consumption_share']:.1%}",
                         "generation/load": f"{ratios['generation_to_load_ratio']:.3f}",
                         "utilisation": f"{ratios['renewable_utilisation']:.1%}",
                         "compliant": "yes" if not broken else "NO: " + ", ".join(broken)})  # fmt: skip
        out = pd.DataFrame(rows)
        if lang == "zh":
            out.columns = ["年份", "工况", "上网比例", "自发自用比例", "发电/用电", "利用率", "合规"]
        return out

    def hourly_table(self) -> pd.DataFrame:
        """Return the hourly rows of each regime (its first year's), with ``year`` and ``years``."""
        parts = []
        for years in self.regimes:
            h = self.year(years[0]).hourly.copy()
            h.insert(0, "year", years[0])
            h.insert(1, "years", " ".join(str(y) for y in years))
            parts.append(h)
        return pd.concat(parts)

    def summary(self) -> dict:
        """Return the ``summary.json`` payload with its ``years`` block (README)."""
        years = {}
        for y in self.years:
            years[str(y.year)] = {
                "regime": y.regime,
                "weight": round(self.discount_weights[y.year], 9),
                "compliant": y.compliant,
                "capacities": {CAPACITY_KEYS.get(k, k): round(v, 6) for k, v in y.capacities.items()},
                "energy": {k: round(v, 6) for k, v in y.energy.items() if ":" not in k},
                "cost": {k: round(v, 3) for k, v in y.cost.items()},
                "compliance": [
                    {"rule": r["rule"], "clause": r["clause"], "value": _num(r["value"]),
                     "limit": _num(r["limit"]), "unit": r["unit"], "margin": _num(r["margin"]),
                     "ok": r["ok"]}
                    for r in y.compliance.to_dict("records")
                ],  # fmt: skip
                "slacks": {k: round(v, 6) for k, v in y.slacks.items() if v > 1e-4},
            }
        batches = {b: {BLOCK_KEYS.get(k, k): round(v, 6) for k, v in caps.items()}
                   for b, caps in self.batch_capacities.items()}  # fmt: skip
        return {
            "greenscen_version": greenscen.__version__,
            "name": self.name,
            "mode": self.mode,
            "compliant": self.compliant,
            "planning": {
                "first_year": self.years[0].year,
                "last_year": self.years[-1].year,
                "regimes": self.regimes,
                "objective": "equivalent annual cost: Σ_y w_y · (annuities of the capacity "
                             "online + operating cost), w_y = d_y / Σ d",
                "equivalent_annual_cost_yuan": round(self.objective_yuan, 3),
                "present_value_yuan": round(self.present_value_yuan, 3),
                "recomputed_annual_cost_yuan": round(self.weighted_cost_yuan(), 3),
                "hourly_matching": self.hourly_matching(),
                "multi_user_entities": self.entities_check(),
                "salvage": "annuities of each batch's life after the last year (not paid)",
            },
            "batches": batches,
            "batch_checks": self.batch_checks.replace({np.nan: None}).to_dict("records"),
            "years": years,
            "timings": {k: round(float(v), 4) for k, v in self.timings.items()},
            "scenario": self.loaded.resolved_dict(),
            "scenario_sha256": self.loaded.digest(),
            **self.extra,
        }

    def write(self, out: str | Path, overwrite: bool = False, charts: bool = True, lang: str = "en") -> Path:
        """Write summary.json, years.csv, batches.csv, hourly.csv and the chart, whole or not at all."""
        with output_dir(out, overwrite=overwrite) as tmp:
            write_json(tmp / "summary.json", self.summary())
            self.years_table().to_csv(tmp / "years.csv", index=False, float_format="%.10g")
            self.batch_checks.to_csv(tmp / "batches.csv", index=False, float_format="%.10g")
            hourly = self.hourly_table()  # each block's time stamps on its first year
            hourly.index = [f"{y}-{t:%m-%d %H:%M}" for y, t in zip(hourly["year"], hourly.index,
                                                                   strict=True)]  # fmt: skip
            hourly.index.name = "time"
            hourly.to_csv(tmp / "hourly.csv", float_format="%.10g")
            if charts:
                from greenscen.charts.style import export_figure
                from greenscen.charts.years import rule_margins_chart

                fig = rule_margins_chart(self.years_table(), lang=lang, scenario=self.name)
                export_figure(fig, tmp / "rule_margins", formats=("png",))
        return Path(out)
