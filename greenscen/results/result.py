"""The result of one sizing run and its public outputs (summary.json, hourly.csv, charts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import greenscen
from greenscen.io.output import output_dir, write_json
from greenscen.rules import ResolvedRules
from greenscen.scenario.load import LoadedScenario

CAPACITY_KEYS = {
    "wind": "wind_mw",
    "pv": "pv_mw",
    "storage_mw": "storage_mw",
    "storage_mwh": "storage_mwh",
    "connection_mw": "connection_mw",
}


@dataclass
class SizingResult:
    """A sized project: capacities, hourly dispatch, energies, costs, tracing and compliance.

    Attributes
    ----------
    capacities : dict
        ``wind_mw``, ``pv_mw``, ``storage_mw``, ``storage_mwh``, ``connection_mw``.
    hourly : DataFrame
        One row per time step (columns documented in the README), incl. ``green_mw:<user>``.
    compliance : DataFrame
        One row per rule: value, limit, ok, margin, clause; computed from ``hourly`` only.
    """

    loaded: LoadedScenario
    rules: ResolvedRules
    mode: str
    capacities: dict[str, float]
    hourly: pd.DataFrame
    energy: dict[str, float]
    cost: dict[str, float]
    compliance: pd.DataFrame
    tracing: pd.DataFrame
    timings: dict[str, float]
    objective_yuan: float
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.loaded.scenario.name

    @property
    def compliant(self) -> bool:
        """True when no rule row failed (rows not evaluated for lack of data do not fail)."""
        return not any(v is False for v in self.compliance["ok"].tolist())

    def ratios(self) -> dict[str, float]:
        """Return the headline ratios computed from the hourly table."""
        from greenscen.results import metrics

        return {
            "export_ratio": metrics.export_ratio(self.hourly),
            "self_consumption_share": metrics.self_consumption_share(self.hourly),
            "generation_to_load_ratio": metrics.generation_to_load_ratio(self.hourly),
            "renewable_utilisation": metrics.renewable_utilisation(self.hourly),
        }

    def summary(self) -> dict:
        """Return the ``summary.json`` payload (a public interface, see README)."""
        comp = []
        for row in self.compliance.to_dict("records"):
            comp.append(
                {
                    "rule": row["rule"],
                    "value": _num(row["value"]),
                    "limit": _num(row["limit"]),
                    "unit": row.get("unit"),
                    "ok": row["ok"],
                    "margin": _num(row.get("margin")),
                    "clause": row["clause"],
                    "note": row.get("note"),
                }
            )
        return {
            "greenscen_version": greenscen.__version__,
            "name": self.name,
            "mode": self.mode,
            "compliant": self.compliant,
            "capacities": {k: round(float(v), 6) for k, v in self.capacities.items()},
            "energy": {k: round(float(v), 6) for k, v in self.energy.items()},
            "ratios": {k: _num(v) for k, v in self.ratios().items()},
            "cost": {k: round(float(v), 3) for k, v in self.cost.items()},
            "objective_yuan": round(self.objective_yuan, 3),
            "compliance": comp,
            "tracing": self.tracing.reset_index().to_dict("records"),
            "timings": {k: round(float(v), 4) for k, v in self.timings.items()},
            "scenario": self.loaded.resolved_dict(),
            "scenario_sha256": self.loaded.digest(),
            "scenario_files": list(self.loaded.chain),
            "rules": self.rules.to_dict(),
            **self.extra,
        }

    def compliance_table_for_csv(self, lang: str = "en") -> pd.DataFrame:
        """Return the compliance table with full-precision numbers and the brief-ready text.

        The numeric columns stay as computed; ``label``, ``value_text``, ``limit_text``,
        ``margin_text`` and ``status`` are what a reader sees (greenscen.results.formatting).
        """
        from greenscen.results.formatting import compliance_view

        view = compliance_view(self.compliance, "en")
        text = view.rename(columns={"Rule": "label", "Value": "value_text", "Limit": "limit_text",
                                    "Margin": "margin_text", "Status": "status"})  # fmt: skip
        if lang == "zh":
            zh = compliance_view(self.compliance, "zh")
            text["label"] = zh["规则"].to_numpy()
        cols = ["label", "value_text", "limit_text", "margin_text", "status"]
        return pd.concat([self.compliance.reset_index(drop=True), text[cols]], axis=1)

    def write(
        self, out: str | Path, overwrite: bool = False, charts: bool = True, lang: str = "en"
    ) -> Path:
        """Write summary.json, hourly.csv, compliance.csv and the PNG charts, whole or not at all."""
        with output_dir(out, overwrite=overwrite) as tmp:
            write_json(tmp / "summary.json", self.summary())
            hourly = self.hourly.copy()
            hourly.index = hourly.index.strftime("%Y-%m-%d %H:%M")
            hourly.index.name = "time"
            hourly.to_csv(tmp / "hourly.csv", float_format="%.6g")
            self.compliance_table_for_csv(lang).to_csv(tmp / "compliance.csv", index=False)
            if charts:
                from greenscen.charts.sizing import write_sizing_charts

                write_sizing_charts(self, tmp, lang=lang)
        return Path(out)


def _num(v):
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    if f != f:  # NaN is not valid JSON
        return None
    if f in (float("inf"), float("-inf")):
        return "inf" if f > 0 else "-inf"
    return f
