"""``greenscen obligations`` end to end: files written, exit codes 0 / 1 / 2."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from greenscen.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_default_scenario_writes_ledger_and_charts(tmp_path, monkeypatch):
    monkeypatch.chdir(REPO)
    out = tmp_path / "out"
    assert main(["obligations", "--out", str(out)]) == 0
    led = pd.read_csv(out / "ledger.csv", encoding="utf-8-sig")
    assert list(led["year"]) == [2025, 2026, 2027, 2028, 2029, 2030]
    assert led["entity"].nunique() == 1
    for name in ("obligation_fulfilment_zh.png", "certificates_cost_en.png", "weights_inner_mongolia_zh.png",
                 "summary.json", "weight_trajectories.csv", "certificates_monthly_mwh.csv"):  # fmt: skip
        assert (out / name).stat().st_size > 0, name
    # a second run needs --overwrite
    assert main(["obligations", "--out", str(out)]) == 2
    assert main(["obligations", "--out", str(out), "--overwrite"]) == 0


def test_entity_scenario(tmp_path):
    out = tmp_path / "sc"
    assert (
        main(
            [
                "obligations",
                str(REPO / "scenarios" / "obligations_sichuan_2021.yaml"),
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert len(pd.read_csv(out / "ledger.csv", encoding="utf-8-sig")) == 3


def test_uncured_shortfall_exits_1(tmp_path):
    # 2030 grid company: 40% of 1,000 = 400 required, 350 counted -> 50 short in a final
    # plan year, not carried (004 第二十二条) -> a shortfall remains
    scn = tmp_path / "short.yaml"
    scn.write_text(
        """
name: short
weights: {provinces: [内蒙古]}
entities:
  - name: 电网
    kind: grid_company
    province: 内蒙古
    years:
      - year: 2030
        consumption_mwh: 1000
        guaranteed: {non_hydro_mwh: 350}
        weights: {total: 0.40, non_hydro: 0.25, source: test}
""",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    assert main(["obligations", str(scn), "--out", str(out)]) == 1
    led = pd.read_csv(out / "ledger.csv", encoding="utf-8-sig")
    assert led.loc[0, "uncured_total_mwh"] == pytest.approx(50)


def test_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    scn = tmp_path / "bad.yaml"
    scn.write_text(
        "name: bad\nentities: [{name: x, kind: bank, province: 四川, years: []}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "o"
    assert main(["obligations", str(scn), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml" in err and "entities[0].kind" in err
    assert not out.exists()
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".o.")]


def test_missing_weight_is_an_error_not_a_guess(tmp_path):
    scn = tmp_path / "miss.yaml"
    scn.write_text(
        """
name: miss
entities:
  - name: 电网
    kind: grid_company
    province: 内蒙古
    years: [{year: 2027, consumption_mwh: 1000}]
""",
        encoding="utf-8",
    )
    assert main(["obligations", str(scn), "--out", str(tmp_path / "o")]) == 2
