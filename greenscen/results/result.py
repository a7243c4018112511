"""The result of one sizing run and its public outputs (summary.json, hourly.csv, charts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import greenscen
from greenscen.io.output import output_dir, write_json
from greenscen.rules import ResolvedRules
from greenscen.scenario.load import LoadedScenario

HOURLY_PARQUET = "hourly.parquet"
CAPACITY_KEYS = {
    "wind": "wind_mw",
    "pv": "pv_mw",
    "storage_mw": "storage_mw",
    "storage_mwh": "storage_mwh",
    "connection_mw": "connection_mw",
    "biomass": "biomass_mw",
    "electrolyser_mw": "electrolyser_mw",
    "h2_storage_kg": "h2_storage_kg",
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
        from greenscen.results.metrics import headline_ratios

        return headline_ratios(self.hourly)

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
        self, out: str | Path, overwrite: bool = False, charts: bool = True, lang: str = "en",
        formats=("png",), excel: bool = False,
    ) -> Path:
        """Write summary.json, hourly.csv, compliance.csv and the charts, whole or not at all.

        ``formats``: the charts' (png, svg, pdf; png when none is named) and ``parquet``,
        which adds hourly.parquet (the hourly table with its exact floats and time stamps);
        ``excel`` adds results.xlsx. The folder reads back with :func:`load_result`.
        """
        chart_formats = tuple(f for f in formats if f != "parquet") or ("png",)
        with output_dir(out, overwrite=overwrite) as tmp:
            write_json(tmp / "summary.json", self.summary())
            hourly = self.hourly.copy()
            hourly.index = hourly.index.strftime("%Y-%m-%d %H:%M")
            hourly.index.name = "time"
            hourly.to_csv(tmp / "hourly.csv", float_format="%.10g")  # reads back to ~1e-10
            if "parquet" in formats:
                self.write_parquet(tmp / HOURLY_PARQUET)
            self.compliance_table_for_csv(lang).to_csv(tmp / "compliance.csv", index=False)
            if excel:
                self.write_excel(tmp / "results.xlsx", lang)
            if charts:
                from greenscen.charts.sizing import write_sizing_charts

                write_sizing_charts(self, tmp, lang=lang, formats=chart_formats)
        return Path(out)

    def write_parquet(self, path: Path) -> Path:
        """Write the hourly table to Parquet (pyarrow): ``time`` column, every value a float64."""
        hourly = self.hourly.reset_index()
        hourly.to_parquet(path, engine="pyarrow", index=False)
        return path

    def write_excel(self, path: Path, lang: str = "en") -> Path:
        """Write a workbook for people: headline, costs, compliance, tracing and hourly sheets."""
        from greenscen.results.formatting import compliance_view, headline_view

        with pd.ExcelWriter(path, engine="openpyxl") as book:
            headline_view(self.capacities, self.ratios(), self.cost, lang).to_excel(
                book, sheet_name="headline", index=False)  # fmt: skip
            pd.Series(self.cost, name="yuan_per_year").to_frame().to_excel(book, sheet_name="cost")
            compliance_view(self.compliance, lang).to_excel(book, sheet_name="compliance", index=False)
            self.compliance.to_excel(book, sheet_name="compliance_numbers", index=False)
            self.tracing.to_excel(book, sheet_name="tracing")
            hourly = self.hourly.copy()
            hourly.index = hourly.index.strftime("%Y-%m-%d %H:%M")
            hourly.to_excel(book, sheet_name="hourly")
        return path


def load_result(folder: str | Path) -> SizingResult:
    """Return the result a greenscen run wrote to ``folder`` (summary.json, hourly.csv, ...).

    The hourly table comes from hourly.parquet when the run wrote one (exact floats), else
    from hourly.csv (10 significant figures).

    The scenario is rebuilt from the fully resolved copy in summary.json and its rules are
    resolved again, so the object is the one the run returned: same capacities, hourly
    dispatch, energies, costs, compliance and tracing (``summary()`` gives the same payload).
    """
    import json

    from greenscen.errors import DataError
    from greenscen.run import resolve_rules_of
    from greenscen.scenario.load import scenario_from_dict

    folder = Path(folder)
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        if (folder / HOURLY_PARQUET).exists():
            hourly = pd.read_parquet(folder / HOURLY_PARQUET, engine="pyarrow").set_index("time")
        else:
            hourly = pd.read_csv(folder / "hourly.csv", index_col="time", parse_dates=["time"])
        compliance = pd.read_csv(folder / "compliance.csv", keep_default_na=False, na_values=[""])
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"expected a greenscen output folder (summary.json, hourly.csv, "
                        f"compliance.csv), found {exc}", source=str(folder)) from None  # fmt: skip
    compliance = compliance[[c for c in compliance.columns if c not in (
        "label", "value_text", "limit_text", "margin_text", "status")]]  # fmt: skip
    compliance["ok"] = pd.Series([{"True": True, "False": False}.get(str(v)) for v in compliance["ok"]],
                                 dtype=object)  # fmt: skip
    compliance["note"] = compliance["note"].where(compliance["note"].notna(), None)
    loaded = scenario_from_dict(summary["scenario"], folder, str(folder / "summary.json"))
    loaded = LoadedScenario(loaded.scenario, loaded.source, loaded.base_dir, tuple(summary["scenario_files"]))
    tracing = pd.DataFrame(summary["tracing"])
    tracing = tracing.set_index(tracing.columns[0])
    known = {"greenscen_version", "name", "mode", "compliant", "capacities", "energy", "ratios", "cost",
             "objective_yuan", "compliance", "tracing", "timings", "scenario", "scenario_sha256",
             "scenario_files", "rules"}  # fmt: skip
    return SizingResult(
        loaded=loaded, rules=resolve_rules_of(loaded), mode=summary["mode"],
        capacities=summary["capacities"], hourly=hourly, energy=summary["energy"],
        cost=summary["cost"], compliance=compliance, tracing=tracing, timings=summary["timings"],
        objective_yuan=summary["objective_yuan"],
        extra={k: v for k, v in summary.items() if k not in known},
    )  # fmt: skip


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
