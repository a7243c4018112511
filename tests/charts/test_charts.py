"""Every chart: brief style (title, units, source line), zh renders, greyscale-safe, 3 formats."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import greenscen
from greenscen.charts import compare, sizing
from greenscen.charts.style import PALETTE, export_figure, greyscale_clashes, luminance


def _charts(hourly, compliance, table, lang):
    sweep = pd.DataFrame({
        "peak_valley_limit": [0.1, 0.3, 0.5, 0.05], "status": ["solved"] * 3 + ["infeasible"],
        "storage_mw": [120, 100, 80, None], "storage_mwh": [900, 750, 600, None],
        "total_annual_yuan": [2.8e8, 2.77e8, 2.74e8, None], "cost_storage_yuan": [4e7, 3.5e7, 3e7, None],
    })  # fmt: skip
    return {
        "dispatch_week": sizing.dispatch_week(hourly, lang=lang, scenario="test_scn"),
        "monthly_balance": sizing.monthly_balance(hourly, lang=lang, scenario="test_scn"),
        "compliance_margins": sizing.compliance_margins(compliance, lang=lang, scenario="test_scn"),
        "capacities": compare.compare_capacities(table, lang=lang, scenario="test_scn"),
        "costs": compare.compare_costs(table, lang=lang, scenario="test_scn"),
        "ratios": compare.compare_ratios(table, lang=lang, scenario="test_scn"),
        "tradeoff": compare.tradeoff_curve(sweep, lang=lang, scenario="test_scn"),
    }


@pytest.fixture(params=["en", "zh"])
def charts(request, hourly, compliance, table):
    figs = _charts(hourly, compliance, table, request.param)
    yield request.param, figs
    plt.close("all")


def test_zh_charts_render_without_missing_glyphs(hourly, compliance, table):
    figs = _charts(hourly, compliance, table, "zh")
    for name, fig in figs.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig.savefig(io.BytesIO(), format="png")
        bad = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
        assert not bad, f"{name}: {bad[:2]}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in figs["costs"].axes[0].get_ylabel())
    plt.close("all")


def test_brief_style_title_units_legend_source(charts):
    lang, figs = charts
    for name, fig in figs.items():
        assert fig._suptitle is not None and fig._suptitle.get_text(), name
        texts = [t.get_text() for t in fig.texts]
        assert any("test_scn" in t and f"greenscen {greenscen.__version__}" in t for t in texts), name
        ylabels = [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
        xlabels = [ax.get_xlabel() for ax in fig.axes if ax.get_xlabel()]
        assert any("(" in lab for lab in ylabels + xlabels), f"{name}: no unit in axis labels"
        assert any(ax.get_legend() for ax in fig.axes) or name == "compliance_margins", name


def test_series_stay_apart_in_greyscale(charts):
    _, figs = charts
    for name, fig in figs.items():
        assert greyscale_clashes(fig) == [], name


def test_greyscale_check_catches_a_clash():
    fig, ax = plt.subplots()
    ax.bar([0], [1], color="#F2C14E", label="a")
    ax.bar([1], [1], color="#EEC050", label="b")  # same lightness, no hatch
    ax.legend()
    assert greyscale_clashes(fig) == [("a", "b")]
    plt.close(fig)


def test_palette_core_series_have_distinct_lightness():
    keys = ["pv", "wind", "storage", "import", "load"]
    lum = sorted(luminance(PALETTE[k]) for k in keys)
    assert min(b - a for a, b in zip(lum, lum[1:], strict=False)) >= 0.07


def test_infeasible_rows_are_left_out_of_comparison_bars(table):
    fig = compare.compare_capacities(table)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "broken" not in labels and len(labels) == 2
    plt.close(fig)


def test_one_call_exports_png_svg_pdf(tmp_path, hourly):
    fig = sizing.dispatch_week(hourly, lang="zh", scenario="test_scn")
    paths = export_figure(fig, tmp_path / "sub" / "week")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    for p in paths:
        assert p.stat().st_size > 10_000, p
    from PIL import Image

    with Image.open(paths[0]) as im:
        dpi = im.info.get("dpi", (0, 0))[0]
    assert round(dpi) == 300
    assert paths[1].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert paths[2].read_bytes()[:5] == b"%PDF-"
    plt.close(fig)
