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


def parse_slacks(text: str) -> tuple[float, ...]:
    """Return the slacks of ``--slack 0.01,0.05`` (shares of the optimal cost, each in (0, 1]).

    >>> parse_slacks("0.01, 0.05")
    (0.01, 0.05)
    """
    from greenscen.errors import ScenarioError

    out = []
    for part in (p.strip() for p in str(text).split(",")):
        try:
            eps = float(part)
        except ValueError:
            eps = float("nan")
        if not 0 < eps <= 1:
            raise ScenarioError(
                f"--slack: expected shares of the optimal cost in (0, 1], comma-separated "
                f"(e.g. 0.01,0.05 for 1% and 5%), found {part!r}"
            )
        out.append(eps)
    return tuple(out)


def cli_near_optimal(scenario: str | None, slack: str, out: str, mode: str = "exact",
                     resolution_h: int | None = None, lang: str = "en") -> int:  # fmt: skip
    """Write the near-optimal ranges of a scenario (ranges.csv, chart PNG en/zh); 0 done, 2 bad input."""
    import time

    from greenscen.charts.style import export_figure
    from greenscen.session import SizingSession
    from greenscen.study.near_optimal import near_optimal_ranges, range_chart

    slacks = parse_slacks(slack)
    t0 = time.perf_counter()
    session = SizingSession(scenario, solve_mode=mode, resolution_h=resolution_h)
    base = session.solve()
    t1 = time.perf_counter()
    ranges = near_optimal_ranges(session, slacks)
    t2 = time.perf_counter()
    ranges.insert(0, "mode", mode)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    ranges.to_csv(folder / "near_optimal_ranges.csv", index=False)
    name = session.base.scenario.name
    langs = ("en", "zh") if lang == "both" else (lang,)
    for lg in langs:
        fig = range_chart(ranges, name, lang=lg)
        export_figure(fig, folder / f"near_optimal_ranges_{lg}", ("png",))
    print(f"{name} ({mode}): optimum {base.cost['total_annual_yuan'] / 1e6:,.2f} million yuan/yr, "
          f"solved in {t1 - t0:.1f} s; {2 * len(ranges)} warm re-solves (min and max) in {t2 - t1:.1f} s")  # fmt: skip
    for eps, d in ranges.groupby("slack"):
        spans = ", ".join(f"{r.capacity} {r['min']:,.0f}-{r['max']:,.0f}" for _, r in d.iterrows())
        print(f"  ε={eps:.0%}: {spans}")
    print(f"wrote {folder.resolve()}")
    return 0
