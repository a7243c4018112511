"""Command line: ``greenscen run | validate | study | near-optimal | obligations``.

Exit codes: 0 solved and compliant, 1 infeasible or non-compliant, 2 bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from greenscen.errors import GreenscenError, ScenarioError


def _parser() -> argparse.ArgumentParser:
    import greenscen

    p = argparse.ArgumentParser(prog="greenscen", description=greenscen.__doc__.splitlines()[0])
    p.add_argument("--version", action="version", version=f"greenscen {greenscen.__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="size a direct-connection project and write its report")
    run.add_argument("scenario", nargs="?", help="scenario YAML (default: the bundled default)")
    run.add_argument("--out", default="out", help="output folder (default ./out)")
    run.add_argument("--overwrite", action="store_true", help="replace earlier greenscen results")
    run.add_argument("--mode", choices=["exact", "fast"], default="exact", help="sizing mode")
    run.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    run.add_argument("--lang", choices=["en", "zh"], default="en", help="labels of charts and tables (default en)")
    run.add_argument("--quiet", action="store_true", help="no stage progress on the terminal")
    run.add_argument("--set", action="append", default=[], metavar="KEY.PATH=VALUE",
                     help="change one scenario value without editing the file (repeatable), "
                          "e.g. --set technologies.pv.capex_yuan_per_kw=2800 --set year=2028")
    run.add_argument("--resolution", type=int, metavar="HOURS",
                     help="time step in hours (same as --set time.resolution_h=HOURS)")
    run.add_argument("--formats", default="png", metavar="png,svg,pdf,parquet",
                     help="chart formats, comma-separated (default png); parquet adds "
                          "hourly.parquet (the hourly results, exact floats)")
    run.add_argument("--excel", action="store_true",
                     help="also write results.xlsx (capacities, costs, compliance, tracing, hourly)")
    run.add_argument("--verbose", action="store_true", help="also show HiGHS's solver log")
    run.add_argument("--fix-design", metavar="SUMMARY_JSON",
                     help="planning horizon: evaluate the capacities of this summary.json, fixed, "
                          "in every year (which rules break, when, by how much)")
    run.add_argument(
        "--backend",
        choices=["arrays", "pyomo"],
        default="arrays",
        help="exact mode: LP built as arrays (default) or the Pyomo model via appsi (same optimum)",
    )

    val = sub.add_parser("validate", help="check a scenario file without solving")
    val.add_argument("scenario")

    st = sub.add_parser("study", help="run a study (grid, samples, policy variants) in parallel")
    st.add_argument("study", help="study YAML (base scenario and its variations)")
    st.add_argument("--out", required=True, help="output folder (a stopped study resumes there)")
    st.add_argument("--workers", type=int, default=2, help="local worker processes (0: in this process)")
    st.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask cluster instead")
    st.add_argument("--quiet", action="store_true", help="no progress line on the terminal")
    st.add_argument("--no-charts", action="store_true", help="skip the PNG charts")

    no = sub.add_parser("near-optimal", help="near-optimal ranges: min/max of each capacity within ε of the least cost")
    no.add_argument("scenario", nargs="?", help="scenario YAML (default: the bundled default)")
    no.add_argument("--slack", default="0.01,0.05", help="cost slacks, shares of the optimum (default 0.01,0.05)")
    no.add_argument("--out", default="out-near-optimal", help="output folder (default ./out-near-optimal)")
    no.add_argument("--mode", choices=["exact", "fast"], default="exact",
                    help="exact: full time grid; fast: fast mode's typical-day sizing LP")
    no.add_argument("--resolution", type=int, metavar="HOURS", help="time step in hours")
    no.add_argument("--lang", choices=["en", "zh", "both"], default="both", help="chart labels (default both)")

    obl = sub.add_parser("obligations", help="consumption-obligation ledger and compliance plan")
    obl.add_argument("scenario", nargs="?", help="obligations scenario YAML (default: bundled)")
    obl.add_argument("--out", default="out-obligations", help="output folder")
    obl.add_argument("--overwrite", action="store_true", help="replace earlier greenscen results")
    return p


OBLIGATION_KEYS = {"enterprise", "entities", "weights", "carbon", "carbon_rating", "monitoring"}


def is_obligations_file(path: str | None) -> bool:
    """Return True when a YAML file is an obligations scenario (its top-level keys tell)."""
    import yaml

    if path is None:
        return False
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # the sizing loader reports the problem
    return isinstance(data, dict) and bool(OBLIGATION_KEYS & set(data)) and "project" not in data


def _validate_obligations(path: str) -> int:
    from greenscen.obligations.scenario import load_obligations_scenario

    scn = load_obligations_scenario(path)
    print(f"{path}: valid obligations scenario {getattr(scn, 'name', '')}")
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the process is, like Ctrl-C, so a solve stops the same way."""


def _on_sigterm(signum, frame):
    raise Terminated()


def parse_sets(items: list[str], resolution_h: int | None = None) -> dict:
    """Return the nested scenario overrides of ``--set key.path=value`` (values read as YAML).

    >>> parse_sets(["technologies.pv.capex_yuan_per_kw=2800", "year=2028"], 4)
    {'technologies': {'pv': {'capex_yuan_per_kw': 2800}}, 'year': 2028, 'time': {'resolution_h': 4}}
    """
    import yaml

    from greenscen.scenario.load import deep_merge

    out: dict = {}
    problems = []
    for item in items:
        key, sep, text = item.partition("=")
        path = [k for k in key.strip().split(".") if k]
        if not sep or not path:
            problems.append(f"--set: expected KEY.PATH=VALUE (e.g. year=2028), found {item!r}")
            continue
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        for k in reversed(path):
            value = {k: value}
        out = deep_merge(out, value)
    if resolution_h is not None:
        out = deep_merge(out, {"time": {"resolution_h": resolution_h}})
    if problems:
        raise ScenarioError(problems)
    return out


def parse_formats(text: str) -> tuple[str, ...]:
    """Return the output formats of ``--formats png,svg,pdf,parquet`` (charts and hourly data)."""
    formats = tuple(f.strip().lower().lstrip(".") for f in text.split(",") if f.strip())
    bad = [f for f in formats if f not in ("png", "svg", "pdf", "parquet")]
    if bad or not formats:
        raise ScenarioError(f"--formats: expected some of png, svg, pdf, parquet, found {text!r}")
    return formats


def _plain_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Show a notice (leap day dropped, data averaged) as one plain line, no library path."""
    print(f"greenscen: note: {message}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (130 Ctrl-C, 143 SIGTERM)."""
    import signal
    import warnings

    warnings.showwarning = _plain_warning
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (e.g. called from a test runner's worker)
        previous = None
    try:
        return _main(argv)
    except KeyboardInterrupt as exc:
        sigterm = isinstance(exc, Terminated)
        what = "terminated (SIGTERM)" if sigterm else "interrupted (Ctrl-C)"
        print(f"greenscen: {what}; stopped (an output folder is written whole or not at all)",
              file=sys.stderr)  # fmt: skip
        return 143 if sigterm else 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            from greenscen.run import cli_run

            if is_obligations_file(args.scenario):
                raise ScenarioError(
                    f"{args.scenario} is an obligations scenario; run it with "
                    f"`greenscen obligations {args.scenario}`"
                )

            return cli_run(
                args.scenario,
                args.out,
                args.overwrite,
                args.mode,
                not args.no_charts,
                args.backend,
                args.lang,
                quiet=args.quiet,
                verbose=args.verbose,
                overrides=parse_sets(args.set, args.resolution),
                formats=parse_formats(args.formats),
                excel=args.excel,
                fix_design=args.fix_design,
            )
        if args.command == "validate":
            if is_obligations_file(args.scenario):
                return _validate_obligations(args.scenario)
            from greenscen.run import cli_validate

            return cli_validate(args.scenario)
        if args.command == "study":
            from greenscen.study.cli import cli_study

            return cli_study(args.study, args.out, args.workers, args.scheduler, args.quiet,
                             not args.no_charts)  # fmt: skip
        if args.command == "near-optimal":
            from greenscen.study.cli import cli_near_optimal

            return cli_near_optimal(args.scenario, args.slack, args.out, args.mode, args.resolution,
                                    args.lang)  # fmt: skip
        if args.command == "obligations":
            from greenscen.obligations.cli import run_obligations_cli

            return run_obligations_cli(args.scenario, args.out, args.overwrite)
    except BrokenPipeError:
        # the reader of our output went away (e.g. `| head`): results are already written
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except ScenarioError as exc:
        print(f"greenscen: {exc}", file=sys.stderr)
        return 2
    except GreenscenError as exc:
        print(f"greenscen: {exc}", file=sys.stderr)
        return exc.exit_code
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
