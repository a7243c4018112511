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

# No backend is chosen here: importing a library must never switch the user's backend.
# Matplotlib resolves one itself - Agg without a display (the CLI), the inline backend in
# Jupyter (ipykernel sets it) - and every figure is drawn on demand (``savefig``, display).
import matplotlib.pyplot as plt
from matplotlib import font_manager

import greenscen
from greenscen.results.formatting import QUANTITY_LABELS
from greenscen.rules.registry import RULES

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
    "scenario": ("Scenario", "情景"),
    "source_sizing": ("Model: greenscen sizing LP (HiGHS); rules: Inner Mongolia multi-user plan (seed 001)",
                      "模型：greenscen 容量优化线性规划 (HiGHS)；规则：内蒙古多用户绿电直连实施方案 (001号)"),
    "capacity_mw": ("Capacity (MW)", "装机容量 (MW)"),
    "storage_energy_mwh": ("Storage energy (MWh)", "储能容量 (MWh)"),
    "share_pct": ("Share (%)", "比例 (%)"),
    "limit": ("Limit", "限值"),
    "cost_myuan_year": ("Annual cost (million yuan/yr)", "年化成本 (百万元/年)"),
    "storage_cost_myuan": ("Storage cost (million yuan/yr)", "储能成本 (百万元/年)"),
    "cost_yuan_mwh": ("Cost per MWh of load (yuan/MWh)", "单位负荷电量成本 (元/MWh)"),
    "grid_energy": ("Grid energy", "下网电费"),
    "td_charge": ("T&D charge", "输配电费"),
    "funds": ("Government funds", "政府性基金"),
    "export_revenue": ("Export revenue", "上网收入"),
    "connection": ("Connection charge", "接网费用"),
    "infeasible": ("infeasible", "无可行解"),
}

# Capacities and ratios share their names with the brief-ready tables (results.formatting);
# each rule's tunable limit (a sweep's x axis, a control) is labelled by the rule registry.
LABELS.update(QUANTITY_LABELS)
LABELS.update(
    {r.tunable: (f"{r.label_en} ({r.unit})" if r.unit else r.label_en, r.label_zh)
     for r in RULES if r.tunable}
)  # fmt: skip

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


def finish_figure(fig, title: str, source: str | None = None, scenario: str | None = None,
                  lang: str = "en"):
    """Return ``fig`` with the brief title and a source line (scenario, greenscen version)."""
    fig.suptitle(title, fontsize=13, x=0.01, ha="left")
    parts = []
    if scenario:
        parts.append(f"{label('scenario', lang)}: {scenario}")
    if source:
        parts.append(label(source, lang) if source in LABELS else source)
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


def luminance(colour) -> float:
    """Return the relative luminance (0 black .. 1 white, Rec. 709 weights) of a colour."""
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def greyscale_clashes(fig, min_delta: float = 0.06) -> list[tuple[str, str]]:
    """Return pairs of legend entries of ``fig`` that a greyscale print cannot tell apart.

    Two filled entries clash when their luminances differ by less than ``min_delta`` and they
    carry the same hatch; lines clash when they also share the line style and marker.
    """
    from matplotlib.lines import Line2D

    entries = []
    for ax in fig.axes:
        leg = ax.get_legend()
        if leg is None:
            continue
        for handle, text in zip(leg.legend_handles, leg.get_texts(), strict=False):
            if isinstance(handle, Line2D):
                colour = handle.get_color()
                key = ("line", handle.get_linestyle(), str(handle.get_marker()))
            else:
                colour = handle.get_facecolor()
                key = ("fill", handle.get_hatch() or "")
            entries.append((text.get_text(), luminance(colour), key))
    clashes = []
    for i, (a, la, ka) in enumerate(entries):
        for b, lb, kb in entries[i + 1:]:
            if ka == kb and abs(la - lb) < min_delta:
                clashes.append((a, b))
    return clashes


def new_figure(nrows: int = 1, ncols: int = 1, figsize=(9, 4.5), ax=None):
    """Return (fig, ax) in the brief style; reuse ``ax``'s figure when one is given."""
    apply_brief_style()
    if ax is not None:
        return ax.figure, ax
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize)
    plt.close(fig)  # out of pyplot's registry: Jupyter shows it once, as a cell's value
    return fig, axes
