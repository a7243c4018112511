"""``greenscen obligations [SCENARIO] --out DIR``: ledger CSV, plan, charts.

Exit codes: 0 when every entity and year is compliant after the plan (a shortfall carried into a
later year of the horizon and met there counts as resolved), 1 when a shortfall remains (uncured
in a year without carry-over, or carried past the last year), 2 for bad input (ScenarioError).
"""

from __future__ import annotations

import hashlib
import json
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import yaml

from greenscen.charts.style import export_figure
from greenscen.io.output import check_output_dir, output_dir, output_lock, write_json
from greenscen.obligations.charts import (
    plot_certificates_cost,
    plot_obligation_fulfilment,
    plot_weight_trajectories,
)
from greenscen.obligations.charts_rating import plot_quarterly, plot_rating
from greenscen.obligations.data import data_path
from greenscen.obligations.run import ObligationResults, run_obligations
from greenscen.obligations.scenario import load_obligations_scenario
from greenscen.obligations.weights import PINYIN

DEFAULT_SCENARIO = "obligations_im_aluminium.yaml"
CHART_FORMATS = ("png", "svg")


def default_scenario_path() -> Path:
    """Return the bundled default scenario (a copy of scenarios/obligations_im_aluminium.yaml)."""
    return data_path(DEFAULT_SCENARIO)


def _summary(res: ObligationResults, seconds: float) -> dict:
    scn = res.scenario
    out = {
        "scenario": scn.name,
        "scenario_sha256": hashlib.sha256(
            json.dumps(scn.model_dump(mode="json"), sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest(),
        "shortfall_remains": res.shortfall_remains,
        "run_seconds": round(seconds, 3),
        "notes": list(res.notes),
    }
    if res.rating_summary is not None:
        out["carbon_rating"] = res.rating_summary
    if res.quarterly is not None:
        out["quarterly"] = res.quarterly.reset_index().to_dict("records")
    if res.plan is not None:
        out["plan"] = {
            "years": list(res.plan_problem.years),
            "total_cost_yuan": res.plan.total_cost_yuan,
            "termination": res.plan.termination,
            "solve_seconds": res.plan.solve_seconds,
            "build_seconds": res.plan.build_seconds,
            "purchases_mwh": res.plan.purchases.reset_index().to_dict("records"),
            "single_route_cost_yuan": res.single_route_costs,
            "carried_in_mwh": res.plan_problem.carried_in_mwh,
        }
    return out


def write_outputs(res: ObligationResults, folder: Path, formats=CHART_FORMATS) -> list[Path]:
    """Write ledger, trajectories, plan, prices and charts (en and zh) into ``folder``."""
    scn = res.scenario
    written = []
    # utf-8-sig so that spreadsheet programs open the Chinese names correctly
    if not res.ledger.empty:
        res.ledger.to_csv(folder / "ledger.csv", index=False, encoding="utf-8-sig")
        written.append(folder / "ledger.csv")
    res.trajectories.to_csv(folder / "weight_trajectories.csv", index=False, encoding="utf-8-sig")
    res.weights.to_csv(folder / "weights_used.csv", index=False, encoding="utf-8-sig")
    if res.prices is not None:
        res.prices.to_csv(folder / "prices_used.csv", index=False, encoding="utf-8-sig")
    if res.monthly_certificates is not None and not res.monthly_certificates.empty:
        res.monthly_certificates.to_csv(
            folder / "certificates_monthly_mwh.csv", encoding="utf-8-sig"
        )
    if res.rating_table is not None:
        res.rating_table.to_csv(folder / "carbon_rating.csv", index=False, encoding="utf-8-sig")
    if res.quarterly is not None:
        res.quarterly.to_csv(folder / "quarterly_green_share.csv", encoding="utf-8-sig")
    if res.class2_combined is not None and not res.class2_combined.empty:
        res.class2_combined.to_csv(
            folder / "class2_combined.csv", index=False, encoding="utf-8-sig"
        )  # 002 三(三)2 合并统计后
    (folder / "scenario_resolved.yaml").write_text(
        yaml.safe_dump(scn.model_dump(mode="json"), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        # a missing glyph must fail loudly rather than print boxes in a brief
        warnings.filterwarnings("error", message=".*missing from font.*")
        for lang in ("en", "zh"):
            for prov in scn.weights.provinces:
                fig = plot_weight_trajectories(res.trajectories, prov, lang=lang, scenario=scn.name)
                written += export_figure(
                    fig,
                    folder / f"weights_{PINYIN.get(prov, prov).replace(' ', '_').lower()}_{lang}",
                    formats,
                )
                plt.close(fig)
            if not res.ledger.empty:
                fig = plot_obligation_fulfilment(res.ledger, lang=lang, scenario=scn.name)
                written += export_figure(fig, folder / f"obligation_fulfilment_{lang}", formats)
                plt.close(fig)
                if "cost_total_yuan" in res.ledger and res.ledger["cost_total_yuan"].notna().any():
                    led = res.ledger[res.ledger["cost_total_yuan"].notna()]
                    fig = plot_certificates_cost(led, lang=lang, scenario=scn.name)
                    written += export_figure(fig, folder / f"certificates_cost_{lang}", formats)
                    plt.close(fig)
            if res.rating_table is not None:
                fig = plot_rating(res.rating_table, res.rating_summary, lang=lang, scenario=scn.name)
                written += export_figure(fig, folder / f"carbon_rating_{lang}", formats)
                plt.close(fig)
            if res.quarterly is not None:
                fig = plot_quarterly(res.quarterly, lang=lang, scenario=scn.name)
                written += export_figure(fig, folder / f"quarterly_green_share_{lang}", formats)
                plt.close(fig)
    return written


def _print_table(res: ObligationResults) -> None:
    if res.ledger.empty:
        return
    cols = [
        "entity",
        "year",
        "required_total_mwh",
        "fulfilled_total_mwh",
        "carried_out_total_mwh",
        "uncured_total_mwh",
    ]
    if "cost_total_yuan" in res.ledger:
        cols.append("cost_total_yuan")
    print(res.ledger[cols].to_string(index=False, float_format=lambda v: f"{v:,.0f}"))


def run_obligations_cli(scenario_path: str | None, out_dir: str, overwrite: bool) -> int:
    """Run an obligations scenario and write its results; return the exit code (0, 1)."""
    path = Path(scenario_path) if scenario_path else default_scenario_path()
    t0 = time.perf_counter()
    scn = load_obligations_scenario(path)
    check_output_dir(out_dir, overwrite)  # a bad destination is refused before any work
    with output_lock(out_dir), output_dir(out_dir, overwrite) as tmp:
        res = run_obligations(scn, base_dir=path.resolve().parent, source=str(path))
        write_outputs(res, tmp)
        write_json(tmp / "summary.json", _summary(res, time.perf_counter() - t0))
    _print_table(res)
    if res.plan is not None:
        print(f"least-cost plan {res.plan.total_cost_yuan:,.0f} yuan; single routes: "
              + ", ".join(f"{k} {'not allowed' if v is None else f'{v:,.0f}'}" for k, v in res.single_route_costs.items()))  # fmt: skip
    if res.rating_summary is not None:
        r = res.rating_summary
        print(f"carbon-finance rating {res.scenario.carbon_rating.year}: {r['score']:.1f} points, "
              f"grade {r['grade']}; loan rate -{r['rate_reduction_bp']:.0f} bp = "
              f"{r['value_yuan_per_year']:,.0f} yuan/yr (weights and grades: illustrative default)")  # fmt: skip
    if res.quarterly is not None:
        lag = [f"Q{q}" for q, v in res.quarterly["lagging"].items() if v]
        print("quarterly green share: " + ", ".join(
            f"Q{q} {v:.1%}" for q, v in res.quarterly["ytd_share"].items()
        ) + f" (year to date); lagging: {', '.join(lag) or 'none'}")  # fmt: skip
    for note in res.notes:
        print(f"note: {note}")
    state = "a shortfall remains" if res.shortfall_remains else "compliant"
    print(f"greenscen obligations: {scn.name}: {state}; results in {out_dir}")
    return 1 if res.shortfall_remains else 0
