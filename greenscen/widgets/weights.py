"""The weights explorer: a province's consumption responsibility weights and their trajectories.

Controls: province, weight type (total / non-hydro / both), trajectory methods and horizon year.
Every change recomputes :func:`greenscen.obligations.trajectories.project_many` on the bundled
(or user) weights table and redraws :func:`~greenscen.obligations.charts.plot_weight_trajectories`
and the table in place. Projection is arithmetic (milliseconds), so no busy handling is needed.
"""

from __future__ import annotations

import io

import ipywidgets as w
import pandas as pd

from greenscen.errors import GreenscenError

METHODS = ("hold_last", "linear_to_target", "regional_step")
KIND_CHOICES = {"total": ("total",), "non_hydro": ("non_hydro",), "both": ("total", "non_hydro")}


def weight_trajectories(weights: pd.DataFrame, province: str, kinds=("total", "non_hydro"),
                        methods=METHODS, horizon: int = 2035) -> pd.DataFrame:
    """Return history plus each method's projection of one province's weights (tidy frame)."""
    from greenscen.obligations.trajectories import project_many

    traj = project_many(weights, [province], [{"method": m} for m in methods], horizon=horizon)
    return traj[traj["kind"].isin(kinds)].reset_index(drop=True)


def trajectory_table(traj: pd.DataFrame) -> pd.DataFrame:
    """Return a year x (kind, method) table of weights in % (history under 'published')."""
    df = traj.copy()
    df["series"] = df["method"].where(df["status"] == "projected", df["status"])
    wide = df.pivot_table(index="year", columns=["kind", "series"], values="value", aggfunc="first")
    return (wide * 100).round(2)


class WeightsExplorer:
    """Province, weight type, trajectory methods and horizon; chart and table update in place.

    Parameters
    ----------
    weights : DataFrame, optional
        Tidy weights (:func:`greenscen.obligations.weights.load_weights`); the bundled table by
        default.
    lang : {"en", "zh"}
    """

    def __init__(self, weights: pd.DataFrame | None = None, province: str = "内蒙古",
                 kind: str = "both", methods=METHODS, horizon: int = 2030, lang: str = "en"):
        from greenscen.obligations.trajectories import METHODS as ALL_METHODS
        from greenscen.obligations.weights import load_weights

        self.weights = weights if weights is not None else load_weights()
        self.lang = lang
        provinces = sorted(self.weights.loc[self.weights["status"] == "published", "province"].unique())
        style = {"description_width": "initial"}
        self.province = w.Dropdown(options=provinces, value=province, description="Province 省份", style=style)
        self.kind = w.ToggleButtons(options=list(KIND_CHOICES), value=kind, description="Weight 权重",
                                    style=style)
        options = [m for m in ALL_METHODS if m != "user_path"]
        self.methods = w.SelectMultiple(options=options, value=tuple(methods), description="Method 方法",
                                        rows=len(options), style=style)
        self.horizon = w.IntSlider(value=horizon, min=2025, max=2040, description="Horizon 展望年",
                                   continuous_update=False, style=style)
        self.status = w.HTML()
        self.image = w.Image(format="png", layout=w.Layout(max_width="900px"))
        self.table = w.HTML()
        self.trajectories: pd.DataFrame | None = None
        for ctl in (self.province, self.kind, self.methods, self.horizon):
            ctl.observe(lambda _change: self.update(), names="value")
        controls = w.VBox([self.province, self.kind, self.methods, self.horizon, self.status])
        self.widget = w.VBox([controls, self.image, self.table])
        self.update()

    def update(self) -> pd.DataFrame | None:
        """Recompute the trajectories from the controls and redraw; return them."""
        from greenscen.obligations.charts import plot_weight_trajectories

        kinds = KIND_CHOICES[self.kind.value]
        methods = self.methods.value or ("hold_last",)
        try:
            traj = weight_trajectories(self.weights, self.province.value, kinds, methods, self.horizon.value)
        except GreenscenError as exc:
            self.status.value = f"<span style='color:#B22222'>✘ {exc}</span>"
            return None
        self.trajectories = traj
        fig = plot_weight_trajectories(traj, self.province.value, kinds=kinds, lang=self.lang)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
        import matplotlib.pyplot as plt

        plt.close(fig)
        self.image.value = buf.getvalue()
        self.table.value = trajectory_table(traj).to_html(border=0, na_rep="")
        self.status.value = f"{self.province.value}: {len(traj)} values to {self.horizon.value}"
        return traj

    def show(self):
        """Return the widget tree."""
        return self.widget

    def _ipython_display_(self):  # pragma: no cover - Jupyter only
        from IPython.display import display

        display(self.widget)
