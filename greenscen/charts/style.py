"""The brief style shared by every greenscen chart.

Every chart function takes data and an optional ``ax``, returns the figure and never
calls ``show()``. ``finish_figure`` adds the title and the source line (scenario name and
greenscen version); ``export_figure`` writes PNG (300 dpi), SVG and PDF in one call.

Chinese text needs a CJK font: the ``mplfonts`` package (a dependency) ships Noto Sans
CJK SC, which is registered with matplotlib on first use, so labels never render as boxes.
Colours are chosen to stay distinct in greyscale (decreasing lightness) and are paired
with hatches for bars.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

import greenscen  # noqa: E402

# Ordered light -> dark so that a greyscale print keeps the series apart.
PALETTE = {
    "pv": "#F2C14E",
    "wind": "#5DA9E9",
    "storage": "#2E8B57",
    "import": "#6C5B7B",
    "export": "#C06C84",
    "curtailed": "#BDBDBD",
    "load": "#1B1B1B",
    "green": "#3C8D2F",
    "certificate": "#8FBC8F",
    "trading": "#4682B4",
    "direct": "#2F4F4F",
    "shortfall": "#B22222",
    "projection": "#7F7F7F",
}
SERIES_COLOURS = ["#F2C14E", "#5DA9E9", "#2E8B57", "#C06C84", "#6C5B7B", "#1B1B1B", "#A0522D"]
HATCHES = ["", "//", "..", "xx", "\\\\", "++", "oo"]

_CJK_FILES = ("NotoSansCJKsc-Regular.otf", "SourceHanSerifSC-Regular.otf", "SimHei.ttf")

# Bilingual labels used across charts; a chart asks label(key, lang).
LABELS = {
    "power_mw": ("Power (MW)", "功率 (MW)"),
    "energy_gwh": ("Energy (GWh)", "电量 (GWh)"),
    "energy_mwh": ("Energy (MWh)", "电量 (MWh)"),
    "pv": ("PV", "光伏"),
    "wind": ("Wind", "风电"),
    "storage": ("Storage", "储能"),
    "discharge": ("Storage discharge", "储能放电"),
    "charge": ("Storage charge", "储能充电"),
    "import": ("Grid import", "下网电量"),
    "export": ("Grid export", "上网电量"),
    "curtailed": ("Curtailed", "弃电"),
    "load": ("Load", "负荷"),
    "self_consumed": ("Self-consumed green", "自发自用绿电"),
    "month": ("Month", "月份"),
    "margin": ("Margin to limit (share of limit)", "距限值裕度 (占限值比例)"),
    "rule": ("Rule", "规则"),
    "weight": ("Weight (%)", "权重 (%)"),
    "year": ("Year", "年份"),
    "history": ("Published", "已公布"),
    "projection": ("Projected", "预测"),
    "cost_myuan": ("Cost (million yuan)", "成本 (百万元)"),
    "source": ("Source", "来源"),
}


@lru_cache(maxsize=1)
def cjk_font_name() -> str | None:
    """Return the family name of the bundled CJK font after registering it (None if absent)."""
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - mplfonts is a hard dependency
        return None
    font_dir = Path(mplfonts.__file__).parent / "fonts"
    for fname in _CJK_FILES:
        path = font_dir / fname
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path)).get_name()
    return None


def apply_brief_style() -> None:
    """Set matplotlib rcParams for brief figures (CJK-capable font, readable sizes)."""
    cjk = cjk_font_name()
    families = ([cjk] if cjk else []) + ["DejaVu Sans"]
    plt.rcParams.update(
        {
            "font.family": "sans-serif",
            "font.sans-serif": families,
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 300,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "font.size": 10,
            "axes.titlesize": 12,
            "legend.frameon": False,
            "svg.fonttype": "path",
            "pdf.fonttype": 42,
        }
    )


def label(key: str, lang: str = "en") -> str:
    """Return the label for ``key`` in ``lang`` ("en" or "zh"); unknown keys are returned as is."""
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', got {lang!r}")
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "en" else pair[1]


def finish_figure(fig, title: str, source: str | None = None, scenario: str | None = None):
    """Return ``fig`` with the brief title and a source line (scenario, greenscen version)."""
    fig.suptitle(title, fontsize=13, x=0.01, ha="left")
    parts = []
    if scenario:
        parts.append(f"Scenario: {scenario}")
    if source:
        parts.append(source)
    parts.append(f"greenscen {greenscen.__version__}")
    fig.text(0.01, 0.005, " | ".join(parts), fontsize=7, color="#555555", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 0.95))
    return fig


def export_figure(fig, path_stem: str | os.PathLike, formats: Iterable[str] = ("png", "svg", "pdf")):
    """Write ``fig`` as ``path_stem.<fmt>`` for each format (PNG at 300 dpi); return the paths."""
    stem = Path(path_stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        fmt = fmt.lower().lstrip(".")
        if fmt not in ("png", "svg", "pdf"):
            raise ValueError(f"export format must be png, svg or pdf, got {fmt!r}")
        path = stem.with_suffix(f".{fmt}")
        tmp = path.with_name(f".{path.name}.tmp")
        fig.savefig(tmp, format=fmt, dpi=300 if fmt == "png" else None, bbox_inches="tight")
        os.replace(tmp, path)
        written.append(path)
    return written


def new_figure(nrows: int = 1, ncols: int = 1, figsize=(9, 4.5), ax=None):
    """Return (fig, ax) in the brief style; reuse ``ax``'s figure when one is given."""
    apply_brief_style()
    if ax is not None:
        return ax.figure, ax
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
    return fig, axes
