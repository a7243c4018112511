"""Run a study: every variant on local processes or a Dask cluster, results streamed to disk.

Each finished variant is written at once to ``DIR/variants/<id>.json`` (a temporary file
renamed into place, so a file is whole or absent). A study that is stopped (Ctrl-C, a killed
process, a lost cluster) resumes when run again with the same ``--out``: the variants with a
file are not solved again, the others are; no variant is lost or written twice. The table
``results.parquet`` / ``results.csv`` is assembled from the files at the end.

Engines: ``workers=0`` solves in this process (serial); otherwise a Dask ``LocalCluster`` of
``workers`` processes with one thread each (the default: 2), or the cluster whose scheduler
address is given (``tcp://host:8786``; its workers need greenscen and any user data files).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.study.spec import Study
from greenscen.study.worker import solve_variant

MANIFEST = "study.json"
VARIANTS_DIR = "variants"
FAILED = ("infeasible", "invalid", "error")


class StudyProgress:
    """One line on a terminal: variants done, failed, rate and time left; silent when piped."""

    def __init__(self, total: int, done: int = 0, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done, self.failed, self.start_done = total, done, 0, done
        self.t0 = time.perf_counter()

    def line(self) -> str:
        new = self.done - self.start_done
        dt = time.perf_counter() - self.t0
        left = self.total - self.done
        eta = f", ~{_duration(left * dt / new)} left" if new and left else ""
        return f"greenscen study: {self.done}/{self.total} done, {self.failed} failed{eta}"

    def __call__(self, row: dict | None) -> None:
        if row is not None:
            self.done += 1
            self.failed += row.get("status") in FAILED
        if self.enabled:
            self.stream.write("\r\033[K" + self.line())
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _duration(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, default=_plain, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def _plain(v):
    if hasattr(v, "item"):
        return v.item()
    return str(v)


def prepare_out(study: Study, out: Path) -> set[str]:
    """Create or check the output folder; return the ids of the variants already done there."""
    manifest = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out: expected a folder, found the file {out}")
    if out.exists() and any(out.iterdir()) and not manifest.exists():
        raise ScenarioError(f"--out: {out} holds files that are not a greenscen study; "
                            "give a new or empty folder (nothing was overwritten)")  # fmt: skip
    if manifest.exists():
        old = json.loads(manifest.read_text(encoding="utf-8"))
        if old.get("digest") != study.digest():
            raise ScenarioError(f"--out: {out} holds the results of another study ({old.get('source')}, "
                                f"digest {old.get('digest')}); give a new folder to run this one")  # fmt: skip
    (out / VARIANTS_DIR).mkdir(parents=True, exist_ok=True)
    _write_json(manifest, {"name": study.name, "source": study.source, "digest": study.digest(),
                           "solve_mode": study.solve_mode, "variants": len(study.variants),
                           "varied": list(study.varied), "base": study.base.source})  # fmt: skip
    digests = {v.id: v.digest() for v in study.variants}
    done = set()
    for f in (out / VARIANTS_DIR).glob("v*.json"):
        try:
            row = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # unreadable: solved again
        if digests.get(f.stem) == row.get("digest"):
            done.add(f.stem)
    return done


def _args(study: Study, v) -> tuple:
    return (study.base, study.solve_mode, v.id, v.policy, v.inputs, v.overrides, v.digest())


def run_study(study: Study, out: str | Path, workers: int = 2, scheduler: str | None = None,
              progress: StudyProgress | None = None, stop_after: int | None = None) -> pd.DataFrame:  # fmt: skip
    """Solve every variant not yet done in ``out``; return the assembled table.

    ``stop_after`` (tests) stops after that many new variants, as a kill would.
    """
    out = Path(out)
    done = prepare_out(study, out)
    todo = [v for v in study.variants if v.id not in done]
    progress = progress or StudyProgress(len(study.variants), len(done), enabled=False)
    progress.done = progress.start_done = len(done)
    progress(None)

    def save(row: dict) -> None:
        _write_json(out / VARIANTS_DIR / f"{row['variant']}.json", row)
        progress(row)

    try:
        if todo and workers == 0 and scheduler is None:
            for i, v in enumerate(todo):
                if stop_after is not None and i >= stop_after:
                    break
                save(solve_variant(*_args(study, v)))
        elif todo:
            _run_dask(study, todo, save, workers, scheduler, stop_after)
    finally:
        progress.close()
    return assemble(study, out)


def _run_dask(study, todo, save, workers: int, scheduler: str | None, stop_after) -> None:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(workers, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)  # fmt: skip
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout=10)
        except (OSError, TimeoutError) as exc:
            raise ScenarioError(
                f"--scheduler: expected a reachable Dask scheduler, found {scheduler!r} ({exc})"
            ) from None
    try:
        base = client.scatter(study.base, broadcast=True)
        futures = [client.submit(solve_variant, base, *_args(study, v)[1:], key=f"greenscen-{study.digest()}-{v.id}",
                                 pure=False) for v in todo]  # fmt: skip
        for n, fut in enumerate(as_completed(futures), start=1):
            save(fut.result())
            if stop_after is not None and n >= stop_after:
                break
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def read_rows(out: Path) -> list[dict]:
    """Return every variant row written under ``out`` (sorted by variant id)."""
    rows = []
    for f in sorted((Path(out) / VARIANTS_DIR).glob("v*.json")):
        rows.append(json.loads(f.read_text(encoding="utf-8")))
    return rows


LEAD_COLUMNS = ("variant", "policy", "status", "message")


def assemble(study: Study, out: Path) -> pd.DataFrame:
    """Return the tidy table (one row per variant done) and write it as parquet and CSV."""
    rows = read_rows(out)
    ids = {v.id for v in study.variants}
    rows = [r for r in rows if r["variant"] in ids]
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    lead = [c for c in (*LEAD_COLUMNS, *study.varied) if c in table.columns]
    table = table[lead + [c for c in table.columns if c not in lead]]
    for col in table.columns:  # an input column read as objects (numbers and None) -> numbers
        if table[col].dtype == object and col not in LEAD_COLUMNS:
            conv = pd.to_numeric(table[col], errors="coerce")
            if conv.notna().sum() == table[col].notna().sum():
                table[col] = conv
    _replace(out / "results.parquet", lambda p: table.to_parquet(p, index=False))
    _replace(out / "results.csv", lambda p: table.to_csv(p, index=False, float_format="%.6g"))
    return table


def _replace(path: Path, write) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    os.replace(tmp, path)


def summary_line(table: pd.DataFrame, total: int) -> str:
    """Return the one-line summary of a study's table (variants solved, failed by status)."""
    counts = table["status"].value_counts() if not table.empty else pd.Series(dtype=int)
    parts = [f"{int(counts.get(s, 0))} {s}" for s in ("solved", *FAILED) if counts.get(s, 0)]
    missing = total - len(table)
    return (
        f"{len(table)}/{total} variants: "
        + ", ".join(parts)
        + (f"; {missing} not run" if missing else "")
    )


__all__ = ["StudyProgress", "assemble", "prepare_out", "read_rows", "run_study", "summary_line"]
