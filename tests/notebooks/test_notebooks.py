"""Every notebook in notebooks/ runs top to bottom, headless, on the bundled data.

Exported figures go to a temporary folder (GREENSCEN_FIG_DIR), which is checked for the three
formats. Each notebook's parameter cell keeps it quick (aggregated time steps). The kernel uses
Jupyter's default (inline) backend, and what it would show is checked: a figure comes out as a PNG,
never only as its ``<Figure size ...>`` text, and no figure is shown twice. tests/browser checks
the same in a real JupyterLab, with the widgets.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TIMEOUT_S = 240


def test_the_six_notebooks_exist():
    assert [p.name[:2] for p in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("GREENSCEN_FIG_DIR", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "markdown" and "**Question:**" in nb.cells[0].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "commit notebooks without outputs"
    client = NotebookClient(nb, timeout=TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - t0
    print(f"{path.name}: {elapsed:.1f} s")
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    shown = [(i, o) for i, c in enumerate(nb.cells) for o in c.get("outputs", []) if "data" in o]
    text_only = [i for i, o in shown
                 if "<Figure size" in str(o["data"].get("text/plain", "")) and "image/png" not in o["data"]]
    assert not text_only, f"cells show a figure as text, not as a chart: {text_only}"
    pngs_shown = [o["data"]["image/png"] for _, o in shown if "image/png" in o["data"]]
    assert pngs_shown, "the notebook shows at least one chart"
    assert len(pngs_shown) == len(set(pngs_shown)), "no chart is shown twice"
    pngs = sorted(tmp_path.rglob("*.png"))
    assert pngs, "the notebook exports at least one figure"
    for png in pngs:
        for ext in (".svg", ".pdf"):
            assert png.with_suffix(ext).stat().st_size > 1000
    assert os.environ["GREENSCEN_FIG_DIR"] == str(tmp_path)
