"""Progress of a run on a terminal: its stages (load, build, solve, verify, write) with times.

A reporter is a callable ``progress(stage, event)`` with ``event`` ``"start"``, ``"end"`` or
``"fail"``;
the session and the CLI call it around each stage. :class:`TerminalProgress` writes one line
per stage to stderr, with a running clock while a stage (the solve) takes more than a
second, and stays silent when stderr is not a terminal (piped, CI) unless told otherwise.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

Progress = Callable[[str, str], None]

STAGES = {"load": "loading the scenario", "build": "building the model", "solve": "solving",
          "verify": "verifying every rule on the hourly dispatch", "write": "writing the results"}  # fmt: skip


def no_progress(stage: str, event: str) -> None:
    """A reporter that says nothing."""


class TerminalProgress:
    """Print each stage and its time to ``stream`` (stderr); a clock ticks while one runs."""

    def __init__(self, stream=None, enabled: bool | None = None, tick_s: float = 1.0):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.tick_s = tick_s
        self._t0: dict[str, float] = {}
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    def __call__(self, stage: str, event: str) -> None:
        if not self.enabled:
            return
        what = STAGES.get(stage, stage)
        if event == "fail":  # the stage raised: stop the clock, end the line
            self._stop_clock()
            self._t0.pop(stage, None)
            self._write("\n")
            return
        if event == "start":
            self._t0[stage] = time.perf_counter()
            self._write(f"greenscen: {what} ...")
            self._start_clock(stage, what)
        else:
            self._stop_clock()
            dt = time.perf_counter() - self._t0.pop(stage, time.perf_counter())
            self._write(f"greenscen: {what}: done in {dt:,.1f} s\n")

    def _write(self, text: str) -> None:
        self.stream.write("\r\033[K" + text if self.stream.isatty() else text.replace("...", "...\n"))
        self.stream.flush()

    def _start_clock(self, stage: str, what: str) -> None:
        if not self.stream.isatty():
            return
        self._stop.clear()

        def tick():
            while not self._stop.wait(self.tick_s):
                self._write(f"greenscen: {what} ... {time.perf_counter() - self._t0[stage]:,.0f} s")

        self._ticker = threading.Thread(target=tick, daemon=True)
        self._ticker.start()

    def _stop_clock(self) -> None:
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join()
            self._ticker = None
