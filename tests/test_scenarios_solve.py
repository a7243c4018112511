"""Every sizing scenario in scenarios/ solves at full resolution and passes every rule (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from greenscen.cli import is_obligations_file, main

REPO = Path(__file__).resolve().parents[1]
SIZING = [p for p in sorted((REPO / "scenarios").glob("*.yaml")) if not is_obligations_file(p)]


def test_the_expected_scenarios_are_there():
    names = {p.stem for p in SIZING}
    assert {"general_multiuser_grid", "hydrogen_grid_2027", "hydrogen_grid_2028", "hydrogen_off_grid", "peak_valley_storage"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("path", SIZING, ids=[p.stem for p in SIZING])
def test_scenario_runs_compliant_and_summary_matches_hourly(path, tmp_path):
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--no-charts"]) == 0
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["compliant"] is True
    assert all(row["ok"] is not False for row in summary["compliance"])
    h = pd.read_csv(out / "hourly.csv")
    assert len(h) == 8760 and (h["duration_h"] == 1).all()

    def e(col):
        return float((h[col] * h["duration_h"]).sum()) if col in h else 0.0

    load, imp, exp = e("load_mw"), e("import_mw"), e("export_mw")
    sc = load - imp + e("charge_grid_mw") - e("discharge_grid_mw")
    avail, curt = e("available_mw"), e("curtailed_mw")
    ratios = summary["ratios"]
    assert ratios["self_consumption_share"] == pytest.approx(sc / load, rel=1e-4)
    assert ratios["export_ratio"] == pytest.approx(exp / (exp + sc) if exp + sc else 0.0, abs=1e-6)
    assert ratios["generation_to_load_ratio"] == pytest.approx(avail / load, rel=1e-4)
    # utilisation as energy delivered (四(三) reading): (E_sc + E_exp) / E_A
    assert ratios["renewable_utilisation"] == pytest.approx((sc + exp) / avail, rel=1e-4)
    assert (sc + exp) / avail <= (avail - curt) / avail + 1e-9  # storage losses are not use
    rules = {row["rule"]: row for row in summary["compliance"]}
    if "export_ratio_cap" in rules:
        assert exp / (exp + sc) <= rules["export_ratio_cap"]["limit"] + 1e-6
    if "self_consumption_min" in rules:
        assert sc / load >= rules["self_consumption_min"]["limit"] - 1e-6
    if "hydrogen_generation_cap" in rules:
        assert avail / load <= rules["hydrogen_generation_cap"]["limit"] + 1e-6
    if summary["scenario"]["project"]["mode"] == "off_grid":
        assert imp == 0 and exp == 0
