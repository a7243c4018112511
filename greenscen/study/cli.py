"""`greenscen study STUDY.yaml --out DIR`: run a study, write its table and charts."""

from __future__ import annotations

from pathlib import Path


def cli_study(path: str, out: str, workers: int = 2, scheduler: str | None = None,
              quiet: bool = False, charts: bool = True) -> int:  # fmt: skip
    """Run a study; 0 when every variant solved, 1 when some failed, 2 bad input."""
    from greenscen.study.runner import StudyProgress, run_study, summary_line
    from greenscen.study.spec import load_study

    study = load_study(path)
    progress = StudyProgress(len(study.variants), enabled=False if quiet else None)
    table = run_study(study, out, workers=workers, scheduler=scheduler, progress=progress)
    if charts and not table.empty:
        from greenscen.study.charts import write_study_charts

        write_study_charts(table, study, Path(out) / "charts")
    print(f"{study.name}: {summary_line(table, len(study.variants))}")
    print(f"wrote {Path(out).resolve()}")
    return 0 if len(table) == len(study.variants) and (table["status"] == "solved").all() else 1
