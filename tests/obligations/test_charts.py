"""Charts: return figures, accept an ax, Chinese labels render without missing glyphs."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from greenscen.obligations.charts import (
    plot_certificates_cost,
    plot_obligation_fulfilment,
    plot_weight_trajectories,
)
from greenscen.obligations.run import run_obligations
from greenscen.obligations.scenario import load_obligations_scenario

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def im():
    return run_obligations(load_obligations_scenario(REPO / "scenarios" / "obligations_im_aluminium.yaml"))


def _render(fig) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", UserWarning
        )  # "Glyph ... missing from font" is a UserWarning
        fig.savefig(io.BytesIO(), format="png", dpi=60)
    plt.close(fig)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_all_charts_render_without_missing_glyphs(im, lang):
    _render(plot_weight_trajectories(im.trajectories, "内蒙古", lang=lang))
    _render(plot_obligation_fulfilment(im.ledger, lang=lang))
    _render(plot_certificates_cost(im.ledger, lang=lang))


def test_history_solid_projection_dashed(im):
    fig = plot_weight_trajectories(im.trajectories, "内蒙古", kinds=["total"])
    ax = fig.axes[0]
    styles = {ln.get_label(): ln.get_linestyle() for ln in ax.get_lines()}
    assert styles["Published"] == "-"
    projected = [s for k, s in styles.items() if k != "Published"]
    assert len(projected) >= 3 and all(s == "--" for s in projected)
    plt.close(fig)


def test_draws_into_given_axes(im):
    fig, (a1, a2) = plt.subplots(1, 2)
    out = plot_certificates_cost(im.ledger, ax=(a1, a2))
    assert out is fig and len(a1.patches) > 0 and len(a2.patches) > 0
    fig2, ax = plt.subplots()
    assert plot_obligation_fulfilment(im.ledger, ax=ax) is fig2
    plt.close("all")
