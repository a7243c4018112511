"""The scenario comparer: pick scenario files, solve them, see the table and charts side by side.

A "Compare" button (not every click of the selection) starts the solves in a worker thread,
so the kernel stays free; a progress bar and the scenario being solved show, the button and
the selection are disabled until the table and the three comparison charts are replaced.
"""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import ipywidgets as w
import pandas as pd

from greenscen.compare import compare_scenarios

SHOWN_COLUMNS = (
    "status", "year", "wind_mw", "pv_mw", "storage_mw", "storage_mwh", "connection_mw",
    "total_annual_yuan", "cost_per_mwh_load_yuan", "export_ratio", "self_consumption_share",
    "compliant", "failed_rules",
)  # fmt: skip


def scenario_choices(folder: str | Path | None = None) -> dict[str, str]:
    """Return label -> scenario reference: the bundled ones and the sizing YAML files of ``folder``."""
    from greenscen.scenario.load import bundled_scenarios

    out = {f"bundled:{n}": f"bundled:{n}" for n in bundled_scenarios() if n != "im_base"}
    if folder is not None:
        for p in sorted(Path(folder).glob("*.yaml")):
            if not p.stem.startswith("obligations"):
                out[p.stem] = str(p)
    return out


_UNITS = {"wind_mw": "MW", "pv_mw": "MW", "storage_mw": "MW", "storage_mwh": "MWh",
          "connection_mw": "MW", "total_annual_yuan": "yuan", "cost_per_mwh_load_yuan": "yuan/MWh",
          "export_ratio": "share", "self_consumption_share": "share"}  # fmt: skip


_HEADERS = {
    "status": ("Status", "状态"), "year": ("Year", "年份"), "wind_mw": ("Wind MW", "风电 MW"),
    "pv_mw": ("PV MWp", "光伏 MWp"), "storage_mw": ("Storage MW", "储能 MW"),
    "storage_mwh": ("Storage MWh", "储能 MWh"), "connection_mw": ("Connection MW", "接网 MW"),
    "total_annual_yuan": ("Annual cost", "年化成本"), "cost_per_mwh_load_yuan": ("Cost/MWh", "度电成本"),
    "export_ratio": ("Export", "上网比例"), "self_consumption_share": ("Self-cons.", "自发自用"),
    "compliant": ("Compliant", "达标"), "failed_rules": ("Failed rules", "不达标规则"),
}  # fmt: skip
_TEXT = {"scenarios": ("Scenarios", "情景"), "step": ("Step (h)", "步长 (h)"),
         "compare": ("Compare", "比较"), "capacities": ("Capacities", "装机"),
         "costs": ("Costs", "成本"), "ratios": ("Ratios", "比例")}  # fmt: skip


def brief_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Return the shown columns of a comparison table as text a brief would print."""
    from greenscen.results.formatting import format_quantity

    cols = [c for c in SHOWN_COLUMNS if c in table]
    out = table[cols].copy().astype(object)
    for c in cols:
        if c in _UNITS:
            out[c] = [format_quantity(v, _UNITS[c], lang).removesuffix(" MW").removesuffix(" MWh")
                      for v in table[c]]  # fmt: skip
    if lang == "zh" and "status" in out:
        out["status"] = out["status"].map({"solved": "已求解", "infeasible": "无可行解",
                                           "invalid": "输入有误", "error": "出错"}).fillna(out["status"])
    out.index.name = None
    return out.fillna("").rename(columns={k: v[lang == "zh"] for k, v in _HEADERS.items()})


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


class ScenarioComparer:
    """Select scenarios, press Compare: a tidy table and capacity, cost and ratio charts.

    Parameters
    ----------
    folder : path, optional
        Where to list scenario files (``scenarios/``); the bundled ones are always offered.
    selected : labels to preselect
    resolution_h : int, optional
        Aggregate each scenario's time series (hours per step) for speed.
    """

    def __init__(self, folder=None, selected=(), resolution_h: int | None = 4, mode: str = "exact",
                 lang: str = "en"):
        self.choices = scenario_choices(folder)
        self.mode, self.lang = mode, lang
        self.select = w.SelectMultiple(options=list(self.choices), value=tuple(selected),
                                       rows=min(8, len(self.choices)), description=self._t("scenarios"),
                                       layout=w.Layout(width="420px"))
        self.resolution = w.Dropdown(options=[1, 2, 3, 4, 6, 8, 12, 24], value=resolution_h or 1,
                                     description=self._t("step"))
        self.button = w.Button(description=self._t("compare"), button_style="primary", icon="play")
        self.status = w.HTML()
        self.bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="300px"))
        # a wide table scrolls inside its box instead of being cut off
        self.table_html = w.HTML(layout=w.Layout(overflow="auto", max_width="100%"))
        self._worker: threading.Thread | None = None
        self.images = {k: w.Image(format="png", layout=w.Layout(max_width="900px"))
                       for k in ("capacities", "costs", "ratios")}
        self.table: pd.DataFrame | None = None
        self._busy = False
        self.button.on_click(lambda _b: self.start())
        tabs = w.Tab(children=list(self.images.values()))
        for i, k in enumerate(self.images):
            tabs.set_title(i, self._t(k))
        self.widget = w.VBox([w.HBox([self.select, w.VBox([self.resolution, self.button, self.bar,
                                                           self.status])]),
                              self.table_html, tabs])  # fmt: skip

    def _t(self, key: str) -> str:
        return _TEXT[key][self.lang == "zh"]

    def start(self) -> None:
        """Run the comparison in a worker thread (the button's action); the kernel stays free."""
        if self._busy:
            return
        self._worker = threading.Thread(target=self.run, daemon=True)
        self._worker.start()

    def wait(self, timeout: float = 600.0) -> None:
        """Block until a comparison started with :meth:`start` has finished."""
        if self._worker is not None:
            self._worker.join(timeout)

    def _progress(self, label: str, index: int, total: int) -> None:
        self.bar.max, self.bar.value = total, index
        self.status.value = f"⏳ solving {index + 1}/{total}: {label}…"

    def run(self) -> pd.DataFrame | None:
        """Solve the selected scenarios and redraw; ignored while a comparison is running."""
        from greenscen.charts.compare import compare_capacities, compare_costs, compare_ratios

        if self._busy or not self.select.value:
            return self.table
        self._busy = True
        for ctl in (self.select, self.button, self.resolution):
            ctl.disabled = True
        self.status.value = f"⏳ solving {len(self.select.value)} scenario(s)…"
        t0 = time.perf_counter()
        try:
            scen = {label: self.choices[label] for label in self.select.value}
            table = compare_scenarios(scen, self.mode, self.resolution.value, self._progress)
            self.bar.value = self.bar.max
            self.table = table
            self.table_html.value = brief_table(table, self.lang).to_html(border=0)
            solved = table[table["status"] == "solved"]
            if len(solved):
                for key, fn in (("capacities", compare_capacities), ("costs", compare_costs),
                                ("ratios", compare_ratios)):
                    self.images[key].value = _png(fn(table, lang=self.lang))
            self.status.value = f"{len(solved)}/{len(table)} solved in {time.perf_counter() - t0:.1f} s"
        finally:
            self._busy = False
            for ctl in (self.select, self.button, self.resolution):
                ctl.disabled = False
        return self.table

    def show(self):
        """Return the widget tree."""
        return self.widget

    def _ipython_display_(self):  # pragma: no cover - Jupyter only
        from IPython.display import display

        display(self.widget)
