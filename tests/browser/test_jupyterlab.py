"""The notebooks in a real JupyterLab, as planners use them: charts and widgets show in a browser.

A JupyterLab server starts on 127.0.0.1 (a free port, a random token, ``--no-browser``) on a
temporary copy of ``notebooks/`` and ``scenarios/`` whose parameter cells use coarse time steps
(``RESOLUTION_H = 12``). Headless Chromium, driven by Playwright, opens each notebook, runs
*Run > Run All Cells* from the menu, waits until every code cell has run and the kernel is
idle, and checks what a user sees:

- every chart cell (a cell whose value is a figure) shows exactly one ``<img>``, no output
  anywhere reads ``<Figure size ...>`` and no chart image appears twice;
- no cell shows a traceback;
- every ipywidget renders (its DOM is there, no "Error displaying widget"), and moving the
  storage-cost slider of the SizingExplorer (notebook 01) re-solves and changes the result
  shown; picking another province in the WeightsExplorer (notebook 04) redraws its chart.

Screenshots of the chart and widget cells go to the test's temporary folder and are copied to
``$GREENSCEN_BROWSER_SHOTS`` (default ``/tmp/browser-shots``; empty to turn copying off).

The browser is ``$GREENSCEN_CHROMIUM``, else ``chromium``/``chromium-browser``/``google-chrome``
on PATH, else Playwright's own download. Without ``playwright`` or a browser the tests skip, unless
``GREENSCEN_REQUIRE_BROWSER=1`` (CI sets it in ``.ci/run``), which turns the skip into a failure.
On Debian: ``apt-get install chromium`` (``make test`` does it as root on CI).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RESOLUTION_H = 12  # coarse steps keep the five notebooks within about a minute of kernel time
RUN_TIMEOUT_S = 180
SHOTS_DIR = os.environ.get("GREENSCEN_BROWSER_SHOTS", "/tmp/browser-shots")

# A chart cell ends with a figure as its value; a widget cell ends with an explorer or comparer.
CHART_LAST_LINE = re.compile(r"^(?:figs?|figures|fig_\w+)(?:\[.+\])?$|^plot_\w+\(.*\)$")
WIDGET_LAST_LINE = re.compile(r"^(?:explorer|comparer)$|^\w*(?:Explorer|Comparer)\(.*\)$")
EXPECTED = {  # notebook prefix -> (chart cells, widget cells); guards the two patterns above
    "01": (2, 1),
    "02": (4, 0),
    "03": (2, 0),
    "04": (6, 1),  # + carbon-finance rating and quarterly monitoring charts (issue 13)
    "05": (3, 1),
    "06": (4, 0),  # tornado, scatter-frontier, rule share, near-optimal ranges (issue 12)
}

pytestmark = pytest.mark.slow


def _skip_or_fail(reason: str):
    if os.environ.get("GREENSCEN_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"GREENSCEN_REQUIRE_BROWSER is set but {reason}", pytrace=False)
    pytest.skip(reason)


def _find_chromium(playwright) -> str | None:
    env = os.environ.get("GREENSCEN_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    try:  # Playwright's own browser, when `playwright install chromium` could download it
        own = playwright.chromium.executable_path
    except Exception:  # pragma: no cover - depends on the playwright version
        return None
    return own if own and Path(own).exists() else None


def _last_line(source: str) -> str:
    lines = [ln.strip() for ln in source.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else ""


def _cells(nb, pattern) -> list[int]:
    return [i for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and pattern.match(_last_line(c.source))]  # fmt: skip


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server on a temporary copy of the notebooks."""

    def __init__(self, base: Path):
        self.base = base
        self.root = base / "work"
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = base / "jupyterlab.log"
        self.proc: subprocess.Popen | None = None

    def prepare(self) -> None:
        (self.root / "notebooks").mkdir(parents=True)
        shutil.copytree(ROOT / "scenarios", self.root / "scenarios")
        for path in NOTEBOOKS:
            nb = nbformat.read(path, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    cell.source = re.sub(r"^RESOLUTION_H = \d+", f"RESOLUTION_H = {RESOLUTION_H}",
                                         cell.source, flags=re.M)  # fmt: skip
            nbformat.write(nb, self.root / "notebooks" / path.name)
        # A clean user profile: default settings except no news toast over the screenshots,
        # and every cell attached to the page so that all outputs can be inspected.
        settings = self.base / "lab-settings" / "@jupyterlab"
        (settings / "apputils-extension").mkdir(parents=True)
        (settings / "apputils-extension" / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        (settings / "notebook-extension").mkdir(parents=True)
        (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
            json.dumps({"windowingMode": "none"}))

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # Jupyter's own default
        env.update({
            "JUPYTERLAB_SETTINGS_DIR": str(self.base / "lab-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(self.base / "lab-workspaces"),
            "JUPYTER_CONFIG_DIR": str(self.base / "jupyter-config"),
            "JUPYTER_DATA_DIR": str(self.base / "jupyter-data"),
            "JUPYTER_RUNTIME_DIR": str(self.base / "jupyter-runtime"),
            "GREENSCEN_FIG_DIR": str(self.base / "figures"),
        })  # fmt: skip
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--ServerApp.allow_root=True"]  # fmt: skip
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({self.proc.returncode}):\n{self.log_tail()}")
            try:
                self.api("GET", "/api/status")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterLab did not answer within 90 s:\n{self.log_tail()}")

    def api(self, method: str, path: str):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})  # fmt: skip
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        for session in self.api("GET", "/api/sessions") or []:
            self.api("DELETE", f"/api/sessions/{session['id']}")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            self.api("POST", "/api/shutdown")  # stops every kernel, then the server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install playwright)")
    with sync_playwright() as pw:
        path = _find_chromium(pw)
        if path is None:
            _skip_or_fail("no Chromium found (apt-get install chromium, or set GREENSCEN_CHROMIUM)")
        try:
            browser = pw.chromium.launch(executable_path=path, headless=True,
                                         args=["--no-sandbox", "--disable-dev-shm-usage"])  # fmt: skip
        except Exception as exc:
            _skip_or_fail(f"Chromium at {path} does not start: {str(exc).splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("jupyterlab"))
    server.prepare()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shots_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


def _copy_shots(paths: list[Path]) -> None:
    if not SHOTS_DIR:
        return
    try:
        Path(SHOTS_DIR).mkdir(parents=True, exist_ok=True)
        for p in paths:
            shutil.copy2(p, Path(SHOTS_DIR) / p.name)
    except OSError:  # a copy for people to look at; never a reason to fail
        pass


# Everything the page shows of one notebook's outputs, cell by cell (cells in notebook order).
OUTPUTS_JS = """() => {
  const digest = s => { let h = 5381; for (let i = 0; i < s.length; i++) h = (h * 33 + s.charCodeAt(i)) >>> 0; return `${s.length}:${h}`; };
  return [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(cell => {
    const area = cell.querySelector('.jp-OutputArea');
    const outputs = area ? [...area.querySelectorAll(':scope > .jp-OutputArea-child .jp-OutputArea-output')] : [];
    const imgs = outputs.flatMap(o => [...o.querySelectorAll('img')].filter(i => !i.closest('.jupyter-widgets')));
    return {
      code: cell.classList.contains('jp-CodeCell'),
      prompt: (cell.querySelector('.jp-InputPrompt') || {textContent: ''}).textContent.trim(),
      text: outputs.map(o => o.innerText).join('\\n'),
      stderr: outputs.filter(o => o.dataset.mimeType === 'application/vnd.jupyter.stderr').map(o => o.innerText),
      imgs: imgs.map(i => ({src: digest(i.src),
                            ok: i.complete && i.naturalWidth > 0, w: i.naturalWidth, h: i.naturalHeight})),
      widgets: area ? area.querySelectorAll('.jupyter-widgets').length : 0,
      widgetImgs: area ? [...area.querySelectorAll('.jupyter-widgets img')].map(i => !!i.src && i.complete && i.naturalWidth > 0) : [],
    };
  });
}"""

# Run All has finished when no cell waits ([*]) or none is left unrun, and the kernel is idle.
DONE_JS = """() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const ind = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.textContent.trim());
  const failed = [...panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
    .some(o => o.innerText.includes('Traceback'));
  const busy = prompts.some(p => p.includes('*'));
  const allRun = prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p));
  return ind && ind.dataset.status === 'idle' && !busy && (allRun || failed);
}"""


def _open_and_run_all(page, lab: Lab, name: str) -> float:
    page.goto(f"{lab.url}/lab/tree/notebooks/{name}?reset&token={lab.token}")
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-CodeCell", timeout=60_000)
    # the kernel is up when the status bar names it and says Idle
    page.wait_for_function("""() => {
        const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
        return ind && ind.dataset.status === 'idle' && /\\|\\s*Idle/.test(document.querySelector('#jp-main-statusbar').innerText);
    }""", timeout=60_000)  # fmt: skip
    page.locator(".jp-NotebookPanel .jp-Notebook").first.click(position={"x": 5, "y": 5})
    t0 = time.perf_counter()
    page.locator(".lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function(DONE_JS, timeout=RUN_TIMEOUT_S * 1000, polling=250)
    # widget views render asynchronously after their output arrives
    page.wait_for_function("() => !document.body.innerText.includes('Loading widget...')", timeout=30_000)
    return time.perf_counter() - t0


def _shoot(page, shots_dir: Path, stem: str, index: int, what: str) -> Path:
    path = shots_dir / f"{stem}__cell{index:02d}_{what}.png"
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(index).screenshot(path=path)
    return path


# Each slider's label: the text of the largest widget around it that holds no other slider (the
# slider's own description, or a label widget boxed with it) - whatever the explorer's layout.
SLIDER_LABELS_JS = """cell => [...cell.querySelectorAll('.widget-slider')].map(slider => {
  let group = slider;
  while (group.parentElement && group.parentElement !== cell
         && group.parentElement.querySelectorAll('.widget-slider').length === 1) group = group.parentElement;
  return group.innerText;
})"""

# The results an explorer shows: its HTML tables (summary, compliance, trajectories).
TABLES_JS = """cell => [...cell.querySelectorAll('.widget-html table')].map(t => t.innerText).join('\\n')"""


def _move_slider(page, cell, label: re.Pattern, fraction: float):
    """Drag the handle of the slider whose label matches ``label`` to ``fraction`` of its track."""
    labels = cell.evaluate(SLIDER_LABELS_JS)
    hits = [i for i, text in enumerate(labels) if label.search(text)]
    assert len(hits) == 1, f"one slider labelled {label.pattern!r} among {labels}"
    slider = cell.locator(".widget-slider").nth(hits[0])
    track = slider.locator(".noUi-target").first
    handle = slider.locator(".noUi-handle").first
    track.scroll_into_view_if_needed()
    tb, hb = track.bounding_box(), handle.bounding_box()
    y = hb["y"] + hb["height"] / 2
    page.mouse.move(hb["x"] + hb["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(tb["x"] + fraction * tb["width"], y, steps=12)
    page.mouse.up()
    return slider


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_jupyterlab(path: Path, browser, lab, shots_dir):
    nb = nbformat.read(path, as_version=4)
    charts, widgets = _cells(nb, CHART_LAST_LINE), _cells(nb, WIDGET_LAST_LINE)
    assert (len(charts), len(widgets)) == EXPECTED[path.name[:2]], "chart/widget cells of the notebook"
    context = browser.new_context(viewport={"width": 1400, "height": 2000})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    shots: list[Path] = []
    try:
        run_s = _open_and_run_all(page, lab, path.name)
        print(f"{path.name}: Run All Cells took {run_s:.1f} s")
        cells = page.evaluate(OUTPUTS_JS)
        assert len(cells) == len(nb.cells), "the page shows every cell of the notebook"
        for i in charts + widgets:
            shots.append(_shoot(page, shots_dir, path.stem, i, "chart" if i in charts else "widget"))

        tracebacks = [(i, c["text"][-800:]) for i, c in enumerate(cells) if any("Traceback" in s for s in c["stderr"])]
        assert not tracebacks, f"cells show errors: {tracebacks}"
        unrun = [i for i, c in enumerate(cells) if c["code"] and not re.match(r"^\[\d+\]:$", c["prompt"])]
        assert not unrun, f"cells not run: {unrun}"

        # what a user sees of the charts: one image each, never the text repr of a figure
        reprs = [i for i, c in enumerate(cells) if "<Figure size" in c["text"]]
        assert not reprs, f"cells show '<Figure size ...>' text instead of a chart: {reprs}"
        for i in charts:
            imgs = cells[i]["imgs"]
            assert len(imgs) == 1, (f"chart cell {i} ({_last_line(nb.cells[i].source)!r}) shows {len(imgs)} "
                                    f"images, expected exactly one; its output text: {cells[i]['text'][:200]!r}")
            assert imgs[0]["ok"] and imgs[0]["w"] > 300 and imgs[0]["h"] > 200, f"chart {i} image decodes: {imgs[0]}"
        stray = [i for i, c in enumerate(cells) if c["imgs"] and i not in charts]
        assert not stray, f"figures shown by cells that do not return one (pyplot auto-display): {stray}"
        srcs = [img["src"] for c in cells for img in c["imgs"]]
        assert len(srcs) == len(set(srcs)), "no chart is shown twice"

        # the widgets render
        page_text = page.locator(".jp-NotebookPanel").first.inner_text()
        assert "Error displaying widget" not in page_text
        assert "Loading widget" not in page_text
        for i in widgets:
            assert cells[i]["widgets"] > 0, f"widget cell {i}: no widget DOM"
            assert cells[i]["widgetImgs"] and any(cells[i]["widgetImgs"]), f"widget cell {i}: no chart image"

        prefix = path.name[:2]
        if prefix == "01":  # the sizing explorer: a slider re-solves and the result shown changes
            cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(widgets[0])
            assert cell.locator(".widget-slider").count() >= 4, "the explorer's sliders"
            assert cell.locator(".lm-TabBar-tab").count() >= 3, "the explorer's chart tabs"
            tables_before = cell.evaluate(TABLES_JS)
            assert tables_before.strip(), "the explorer shows its result tables"
            img_before = cell.locator(".jupyter-widgets img").first.get_attribute("src")
            # storage energy capex (yuan/kWh, 元/kWh): from 400 down to the low end of its range
            slider = _move_slider(page, cell, re.compile(r"/kWh"), 0.05)
            readout = slider.locator(".widget-readout").inner_text().strip()
            # a re-solve disables the controls; done when they are enabled and the tables changed
            page.wait_for_function(
                f"""([cell, before]) => ({TABLES_JS})(cell) !== before
                                        && !cell.querySelector('.noUi-target[disabled]')""",
                arg=[cell.element_handle(), tables_before], timeout=90_000, polling=250)  # fmt: skip
            shots.append(_shoot(page, shots_dir, path.stem, widgets[0], "widget_after_slider"))
            print(f"storage capex slider moved to {readout}")
            assert readout != "400", "the slider moved"
            assert cell.evaluate(TABLES_JS) != tables_before, "the result shown changed"
            assert cell.locator(".jupyter-widgets img").first.get_attribute("src") != img_before, "charts redrawn"
        elif prefix == "04":  # the weights explorer redraws for another province
            cell = page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").nth(widgets[0])
            img = cell.locator(".jupyter-widgets img").first
            src_before, tables_before = img.get_attribute("src"), cell.evaluate(TABLES_JS)
            province = cell.locator(".widget-dropdown select").first
            province.select_option(label="四川")
            page.wait_for_function("([el, src]) => el.src !== src && el.complete && el.naturalWidth > 0",
                                   arg=[img.element_handle(), src_before], timeout=30_000)  # fmt: skip
            shots.append(_shoot(page, shots_dir, path.stem, widgets[0], "widget_after_province"))
            assert province.input_value() == "四川"
            assert cell.evaluate(TABLES_JS) != tables_before, "the trajectory table changed"
        widget_errors = [e for e in console_errors if "widget" in e.lower()]
        assert not widget_errors, f"browser console: {widget_errors[:5]}"
    finally:
        if not shots or len(shots) < len(charts) + len(widgets):
            try:
                p = shots_dir / f"{path.stem}__page.png"
                page.screenshot(path=p)
                shots.append(p)
            except Exception:
                pass
        _copy_shots(shots)
        context.close()
        try:
            lab.shutdown_kernels()
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
