"""The command line end to end: outputs, exit codes, messages, and ratios re-derived from hourly.csv."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from greenscen.cli import main
from greenscen.errors import ComplianceError

REPO = Path(__file__).resolve().parents[1]


def coarse_scenario(tmp_path: Path, body: str = "", name: str = "coarse.yaml") -> Path:
    """The default scenario at 6-hour steps (1,460 steps) so that a test solves in seconds."""
    path = tmp_path / name
    path.write_text(
        "extends: bundled:default\nname: coarse\ntime: {resolution_h: 6}\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def coarse_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    out = tmp / "out"
    rc = main(["run", str(coarse_scenario(tmp)), "--out", str(out)])
    return rc, out


def test_run_writes_report_and_exits_zero(coarse_run):
    rc, out = coarse_run
    assert rc == 0
    for name in ("summary.json", "hourly.csv", "compliance.csv", "dispatch_week.png", "monthly_balance.png", "compliance_margins.png"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["capacities"]) >= {"wind_mw", "pv_mw", "storage_mw", "storage_mwh", "connection_mw"}
    assert set(summary["energy"]) >= {"load_mwh", "available_mwh", "curtailed_mwh", "self_consumed_mwh", "import_mwh", "export_mwh"}
    assert {"rule", "value", "limit", "ok", "clause"} <= set(summary["compliance"][0])
    assert summary["timings"]["build_s"] > 0 and summary["timings"]["solve_s"] > 0
    assert summary["scenario"]["time"]["resolution_h"] == 6
    assert summary["scenario"]["technologies"]["pv"]["capex_yuan_per_kw"] == 3200
    assert summary["greenscen_version"]
    assert all(row["ok"] is not False for row in summary["compliance"])


def test_summary_ratios_equal_those_recomputed_from_hourly_csv(coarse_run):
    _, out = coarse_run
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    h = pd.read_csv(out / "hourly.csv")
    assert (h["duration_h"] == 6).all()
    users = [c.split(":", 1)[1] for c in h.columns if c.startswith("load_mw:")]
    assert users == ["data_centre", "polysilicon", "factory"]
    assert np.allclose(h[[f"load_mw:{u}" for u in users]].sum(axis=1), h["load_mw"], rtol=1e-5)
    e = lambda col: float((h[col] * h["duration_h"]).sum())  # noqa: E731
    load, imp, exp, avail, curt = (e(c) for c in ("load_mw", "import_mw", "export_mw", "available_mw", "curtailed_mw"))
    sc = load - imp  # no grid charging in this scenario
    assert summary["energy"]["load_mwh"] == pytest.approx(load, rel=1e-5)
    assert summary["energy"]["self_consumed_mwh"] == pytest.approx(sc, rel=1e-5)
    assert summary["ratios"]["self_consumption_share"] == pytest.approx(sc / load, rel=1e-5)
    # utilisation as energy delivered (四(三) reading): (E_sc + E_exp) / E_A, losses not used
    assert summary["ratios"]["renewable_utilisation"] == pytest.approx((sc + exp) / avail, rel=1e-5)
    assert exp == 0.0
    # green tracing: users' green energy adds up to the self-consumption
    green = sum(e(f"green_mw:{u}") for u in users)
    assert green == pytest.approx(sc, rel=1e-5)
    # cost: capacity costs + grid energy recomputed by hand from the same numbers
    cost = summary["cost"]
    parts = sum(v for k, v in cost.items() if k not in ("total_annual_yuan", "cost_per_mwh_load_yuan"))
    assert cost["total_annual_yuan"] == pytest.approx(parts, rel=1e-9)
    assert summary["objective_yuan"] == pytest.approx(cost["total_annual_yuan"] - cost["funds_yuan"], rel=1e-5)


def test_second_run_needs_overwrite_and_keeps_old_results(coarse_run, tmp_path, capsys):
    rc, out = coarse_run
    before = (out / "summary.json").read_text(encoding="utf-8")
    rc = main(["run", str(coarse_scenario(tmp_path)), "--out", str(out)])
    assert rc == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (out / "summary.json").read_text(encoding="utf-8") == before


def test_validate_ok_and_bad_input_exit_codes(tmp_path, capsys):
    assert main(["validate", str(REPO / "scenarios" / "general_multiuser_grid.yaml")]) == 0
    bad = coarse_scenario(tmp_path, "year: twenty\n", name="bad.yaml")
    assert main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "year" in err and "twenty" in err
    assert "Traceback" not in err


def test_infeasible_exits_one_and_names_rules(tmp_path, capsys):
    # Off-grid with no storage: the night load cannot be served by PV and wind alone.
    path = coarse_scenario(
        tmp_path,
        """
        project: {kind: general, mode: off_grid}
        technologies: {storage: null, wind: null}
        """,
        name="offgrid.yaml",
    )
    rc = main(["run", str(path), "--out", str(tmp_path / "o")])
    assert rc == 1
    err = capsys.readouterr().err
    assert "infeasible" in err and "renewable_utilisation_min" in err
    # the diagnosis says what would have to give: the night hours nobody can serve
    assert "What would have to give" in err and "cannot be served at all" in err
    assert not (tmp_path / "o").exists()


def test_corrupted_dispatch_fails_loudly(tmp_path, monkeypatch):
    # Corrupt the solved dispatch before the independent check: an export on a general
    # project must be caught even though the model itself was right.
    import greenscen.run as run_mod
    from greenscen.model import core

    real = core.hourly_frame

    def corrupted(inputs, sol, *args, **kwargs):
        df = real(inputs, sol, *args, **kwargs)
        df.iloc[100, df.columns.get_loc("export_mw")] = 5.0
        df.iloc[100, df.columns.get_loc("import_mw")] += 5.0
        return df

    monkeypatch.setattr(run_mod, "hourly_frame", corrupted)
    with pytest.raises(ComplianceError) as err:
        run_mod.run_scenario(str(coarse_scenario(tmp_path)))
    assert "export_ban" in err.value.failed


def test_run_charts_in_chinese(tmp_path):
    import warnings

    out = tmp_path / "zh"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["run", str(coarse_scenario(tmp_path)), "--out", str(out), "--lang", "zh"]) == 0
    glyph = [w for w in caught if "Glyph" in str(w.message) or "missing from font" in str(w.message)]
    assert not glyph, glyph
    assert (out / "monthly_balance.png").stat().st_size > 50_000
