"""The sizing explorer: sliders bound to a scenario's values, re-solving the built model.

Each control writes one tweak of :class:`~greenscen.session.SizingSession`; a change
re-solves the *same* model through its mutable parameters (no rebuild) and replaces the charts
(PNG images) and the compliance table in place. While a solve runs, a busy indicator shows,
every control is disabled, and further changes are coalesced: at most one solve runs and at
most one waits, with the latest values (no stacked re-solves).

    from greenscen.widgets import SizingExplorer
    SizingExplorer("scenarios/peak_valley_storage.yaml", resolution_h=4).show()
"""

from __future__ import annotations

import io
import threading
import time

import ipywidgets as w
import pandas as pd

from greenscen.errors import GreenscenError
from greenscen.results.formatting import compliance_view, headline_view
from greenscen.rules.registry import TUNABLE_RULES
from greenscen.session import SizingSession
from greenscen.tweaks import TWEAKS

# The year, every rule limit of the registry (those not in force are left out), two design values.
DEFAULT_CONTROLS = ("year", *TUNABLE_RULES, "storage_energy_capex_yuan_per_kwh", "connection_mw")
CHARTS = ("dispatch_week", "monthly_balance", "compliance_margins")
_CHART_TITLES = {"dispatch_week": ("Dispatch week", "典型周运行"),
                 "monthly_balance": ("Monthly balance", "月度电量平衡"),
                 "compliance_margins": ("Compliance margins", "合规裕度")}  # fmt: skip
_UNITS_ZH = {"yuan/kWh": "元/kWh", "yuan/kW": "元/kW", "yuan/MWh": "元/MWh"}
_CANCEL = ("Cancel solve", "取消求解")


_SLIDER = w.Layout(width="360px")


def _png(fig, dpi: int = 80) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def render_charts(result, lang: str = "en", dpi: int = 80, week_start=None) -> dict[str, bytes]:
    """Return the explorer's charts of ``result`` as PNG bytes by name (``week_start``: the
    dispatch week shown; None = the sample week)."""
    from greenscen.charts import sizing

    name = result.name
    return {
        "dispatch_week": _png(sizing.dispatch_week(result.hourly, start=week_start, lang=lang,
                                                   scenario=name), dpi),
        "monthly_balance": _png(sizing.monthly_balance(result.hourly, lang=lang, scenario=name), dpi),
        "compliance_margins": _png(sizing.compliance_margins(result.compliance, lang=lang, scenario=name), dpi),
    }


def summary_frame(result, lang: str = "en") -> pd.DataFrame:
    """Return the headline numbers of a result as a two-column table (quantity, value)."""
    return headline_view(result.capacities, result.ratios(), result.cost, lang)


def compliance_html(compliance: pd.DataFrame, lang: str = "en") -> str:
    """Return the compliance table as HTML, brief-ready (rule, clause, value, limit, margin, status)."""
    return compliance_view(compliance, lang).to_html(index=False, border=0)


class SizingExplorer:
    """Sliders for a scenario's policy values and costs; charts and tables re-drawn per solve.

    Parameters
    ----------
    scenario : path, "bundled:<name>" or LoadedScenario
    mode : {"fast", "exact"}
        The model behind the session (see :func:`greenscen.session.model_factory`). Fast
        (default) sizes on typical days and verifies every hour of the full year, so a slider
        move answers in about a second at hourly resolution (``make bench``, slider table).
    resolution_h : int, optional
        Aggregate the time series (hours per step) so that a re-solve takes seconds.
    controls : names of :data:`~greenscen.tweaks.TWEAKS`
        Those the scenario's model cannot take (a rule not in force) are left out.
    background : bool
        Solve in a worker thread (the kernel stays responsive); False solves in the caller,
        which tests use.
    lang : {"en", "zh"}
    """

    def __init__(self, scenario=None, mode: str = "fast", resolution_h: int | None = None,
                 controls=DEFAULT_CONTROLS, background: bool = True, lang: str = "en",
                 session: SizingSession | None = None, solve: bool = True):
        self.session = session or SizingSession(scenario, solve_mode=mode, resolution_h=resolution_h)
        self.lang = lang
        self.background = background
        self._lock = threading.Lock()
        self._pending: dict | None = None
        self._running = False
        self._worker: threading.Thread | None = None
        self._touched: set[str] = set()  # controls the user moved: only these become changes
        self._refreshing = False
        self.error: str | None = None
        names = [c for c in controls if c in self.session.available()]
        self.labels: dict[str, w.HTML] = {}
        self.controls: dict[str, w.Widget] = {n: self._control(n) for n in names}
        self.status = w.HTML(value="")
        self.images = {c: w.Image(format="png", layout=w.Layout(max_width="900px")) for c in CHARTS}
        self.table = w.HTML()
        self.summary = w.HTML()
        self.cancel_button = w.Button(description=_CANCEL[lang == "zh"], disabled=True,
                                      button_style="warning", icon="stop")  # fmt: skip
        self.cancel_button.on_click(lambda _: self.cancel())
        self.week = w.Dropdown(options=[("typical week" if lang == "en" else "典型周", None)],
                               description="周" if lang == "zh" else "Week",
                               layout=w.Layout(width="260px"))  # fmt: skip
        self.week.observe(lambda change: self._show_week(change["new"]), names="value")
        for name, ctl in self.controls.items():
            ctl.observe(lambda change, n=name: self._on_change(n, change["new"]), names="value")
        self.widget = self._layout()
        if solve:
            self.request({})

    # ---- controls -------------------------------------------------------------------------
    def _control(self, name: str) -> w.Widget:
        tw = TWEAKS[name]
        lo, hi, step = tw.slider
        value = self.session.current(name)
        style = {"description_width": "0px"}
        unit = _UNITS_ZH.get(tw.unit, tw.unit) if self.lang == "zh" else tw.unit
        desc = tw.label(self.lang) + (f" [{unit}]" if unit and unit not in ("share", "rate") else "")
        self.labels[name] = w.HTML(f"<b>{desc}</b>" + (
            (" (0 = 优化)" if self.lang == "zh" else " (0 = optimise)") if name == "connection_mw" else ""))
        desc = ""
        if name == "year":
            return w.IntSlider(value=int(value), min=lo, max=hi, step=step, description=desc,
                               continuous_update=False, style=style, layout=_SLIDER)
        if name == "connection_mw":
            # 0 means "let the optimiser choose"; a positive value fixes the connection.
            return w.FloatSlider(value=float(value or 0.0), min=lo, max=hi, step=step,
                                 description=desc, continuous_update=False,
                                 style=style, readout_format=".0f", layout=_SLIDER)
        value = float(value) if value is not None else lo
        lo, hi = min(lo, value), max(hi, value)  # never clamp the scenario's own value
        fmt = ".0%" if tw.unit in ("share", "rate") else ".2f" if tw.unit == "MWh/MWh" else ".0f"
        return w.FloatSlider(value=value, min=lo, max=hi, step=step, description=desc,
                             continuous_update=False, style=style, readout_format=fmt,
                             layout=_SLIDER)

    def _layout(self) -> w.Widget:
        rows = [w.VBox([self.labels[n], c]) for n, c in self.controls.items()]
        ctl_box = w.VBox([*rows, self.status, self.cancel_button],
                         layout=w.Layout(width="380px", min_width="380px"))  # fmt: skip
        charts = w.Tab(children=[self.images[c] for c in CHARTS])
        for i, c in enumerate(CHARTS):
            charts.set_title(i, _CHART_TITLES[c][self.lang == "zh"])
        right = w.VBox([self.summary, self.week, charts, self.table])
        return w.HBox([ctl_box, right])

    def show(self):
        """Return the widget tree (display it as a cell's last value)."""
        return self.widget

    def _ipython_display_(self):  # pragma: no cover - used by Jupyter only
        from IPython.display import display

        display(self.widget)

    def values(self) -> dict:
        """Return the tweak values of the controls the user moved (connection 0 = optimised).

        A control left alone is not sent, so a change of year brings that year's rule values
        (the 2028 export cap, say) instead of pinning the values the sliders showed for 2027.
        """
        out = {}
        for name in self._touched:
            v = self.controls[name].value
            out[name] = (None if not v else float(v)) if name == "connection_mw" else v
        return out

    def _week_options(self, index) -> list:
        first = [self.week.options[0]]
        mondays = pd.date_range(index[0].normalize(), index[-1], freq="W-MON")
        return first + [(f"{d:%Y-%m-%d}", d) for d in mondays if d + pd.Timedelta(days=7) <= index[-1]]

    def _show_week(self, start) -> None:
        """Redraw the dispatch chart for the chosen week (no re-solve)."""
        result = self.session.result
        if result is None or self._running:
            return
        png = render_charts(result, self.lang, week_start=start)["dispatch_week"]
        self.images["dispatch_week"].value = png

    def cancel(self) -> None:
        """Stop the running solve (the model stays as it was; the next change solves again)."""
        self.session.cancel()

    def _refresh_controls(self) -> None:
        """Show the values now in force on the controls the user did not move."""
        self._refreshing = True
        try:
            for name, ctl in self.controls.items():
                if name in self._touched or name == "connection_mw":
                    continue
                value = self.session.current(name)
                if value is not None and value != ctl.value:
                    if hasattr(ctl, "min"):
                        ctl.min, ctl.max = min(ctl.min, value), max(ctl.max, value)
                    ctl.value = value
        finally:
            self._refreshing = False

    # ---- solving --------------------------------------------------------------------------
    def _on_change(self, name: str, value) -> None:
        if self._refreshing:
            return
        self._touched.add(name)
        self.request(self.values())

    def request(self, values: dict) -> None:
        """Ask for a solve with ``values``; coalesced with any solve already running."""
        with self._lock:
            self._pending = dict(values)
            if self._running:
                return  # the running loop picks the latest values up when its solve ends
            self._running = True
        if self.background:
            self._worker = threading.Thread(target=self._run, daemon=True)
            self._worker.start()
        else:
            self._run()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for ctl in self.controls.values():
            ctl.disabled = busy
        self.cancel_button.disabled = not busy
        colour = "#B8860B" if busy else "#2E8B57" if not self.error else "#B22222"
        icon = "⏳ " if busy else ""
        self.status.value = f"<span style='color:{colour}'>{icon}{text}</span>"

    def _run(self) -> None:
        try:
            while True:
                with self._lock:
                    values, self._pending = self._pending, None
                    if values is None:
                        self._running = False
                        return
                self._solve(values)
        except BaseException:
            with self._lock:
                self._running = False
            raise

    def _solve(self, values: dict) -> None:
        self.error = None
        self._set_busy(True, "求解中…" if self.lang == "zh" else "solving…")
        t0 = time.perf_counter()
        try:
            result = self.session.update(**values)
        except GreenscenError as exc:
            self.error = str(exc).splitlines()[0]
            self._set_busy(False, f"✘ {self.error}")
            return
        solve_s = time.perf_counter() - t0
        if len(self.week.options) == 1:
            self.week.options = self._week_options(result.hourly.index)
        for name, png in render_charts(result, self.lang, week_start=self.week.value).items():
            self.images[name].value = png
        self.table.value = compliance_html(result.compliance, self.lang)
        self._refresh_controls()
        self.summary.value = summary_frame(result, self.lang).to_html(index=False, border=0)
        log = self.session.log[-1]
        rebuilt = log["rebuilt"]
        if self.lang == "zh":
            state = "全部达标" if result.compliant else "存在不达标项"
            text = (f"{state}；求解 {solve_s:.1f} 秒（模型构建 {self.session.builds} 次，求解 "
                    f"{self.session.solves} 次）" + ("，已重建" if rebuilt else ""))  # fmt: skip
        else:
            state = "compliant" if result.compliant else "NOT compliant"
            text = (f"{state}; re-solve {solve_s:.1f} s (model built {self.session.builds}×, "
                    f"solves {self.session.solves})" + (" - rebuilt" if rebuilt else ""))  # fmt: skip
        self._set_busy(False, text)

    def wait(self, timeout: float = 600.0) -> None:
        """Block until no solve is running or waiting (for tests and scripts)."""
        t_end = time.monotonic() + timeout
        while self._running:
            if time.monotonic() >= t_end:
                raise TimeoutError("the sizing explorer is still solving")
            time.sleep(0.02)

    @property
    def result(self):
        """The latest solved result (None before the first solve)."""
        return self.session.result
