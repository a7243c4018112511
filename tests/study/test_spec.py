"""The study file: expansion to variants, seeded samples, and one clear line per problem."""

from __future__ import annotations

import pytest

from greenscen.cli import main
from greenscen.errors import ScenarioError
from greenscen.study.spec import load_study


def write(tmp_path, text: str):
    p = tmp_path / "study.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_grid_and_variants_expand_to_their_product(tmp_path):
    p = write(
        tmp_path,
        """
base: bundled:default
resolution_h: 24
grid:
  pv_capex_yuan_per_kw: [2800, 3600]
  technologies.wind.capex_yuan_per_kw: [3500, 4000, 4500]
variants:
  loose: {self_consumption_min: 0.3}
  tight: {rules.overrides.self_consumption_min.min_share: 0.9}
""",
    )
    st = load_study(p)
    # 2 policy variants x 2 x 3 grid points = 12, numbered in order, policy outermost
    assert len(st.variants) == 12
    assert [v.id for v in st.variants[:2]] == ["v0000", "v0001"]
    assert st.varied == ("technologies.pv.capex_yuan_per_kw", "technologies.wind.capex_yuan_per_kw")
    v = st.variants[7]  # tight, pv 2800, wind 4000 (index 7 = 6 + 0*3 + 1)
    assert v.policy == "tight"
    assert v.inputs == {
        "technologies.pv.capex_yuan_per_kw": 2800,
        "technologies.wind.capex_yuan_per_kw": 4000,
    }
    assert v.overrides["rules"]["overrides"]["self_consumption_min"]["min_share"] == 0.9
    assert v.overrides["technologies"]["wind"]["capex_yuan_per_kw"] == 4000


def test_samples_are_seeded_and_within_their_distribution(tmp_path):
    text = """
base: bundled:default
samples:
  n: 40
  seed: 7
  parameters:
    wind_capex_yuan_per_kw: {uniform: [3500, 4500]}
    year: {choice: [2027, 2028]}
"""
    a = load_study(write(tmp_path, text))
    b = load_study(write(tmp_path, text))
    xa = [v.inputs["technologies.wind.capex_yuan_per_kw"] for v in a.variants]
    assert xa == [v.inputs["technologies.wind.capex_yuan_per_kw"] for v in b.variants]
    assert all(3500 <= x <= 4500 for x in xa) and len(set(xa)) == 40
    assert {v.inputs["year"] for v in a.variants} == {2027, 2028}
    c = load_study(write(tmp_path, text.replace("seed: 7", "seed: 8")))
    assert xa != [v.inputs["technologies.wind.capex_yuan_per_kw"] for v in c.variants]


def test_every_problem_is_one_line_naming_the_field(tmp_path):
    p = write(
        tmp_path,
        """
base: bundled:default
solve_mode: quick
colour: blue
grid:
  technologies.pv.capex_per_watt: [1, 2]
  year: 2028
samples:
  n: 0
  seed: 1
  parameters:
    wind_capex_yuan_per_kw: {gauss: [1, 2]}
""",
    )
    with pytest.raises(ScenarioError) as e:
        load_study(p)
    probs = e.value.problems
    assert e.value.source == str(p)
    assert any(x.startswith("colour: unknown key") for x in probs)
    assert any(x.startswith("solve_mode: expected exact or fast, found 'quick'") for x in probs)
    assert any(
        x.startswith("grid.technologies.pv.capex_per_watt: not a scenario parameter") for x in probs
    )
    assert any(
        x.startswith("grid.year: expected a list of one or more values, found 2028") for x in probs
    )
    assert any(x.startswith("samples.n: expected a whole number >= 1, found 0") for x in probs)
    assert any(
        x.startswith("samples.parameters.wind_capex_yuan_per_kw: expected one of") for x in probs
    )


def test_cli_bad_study_exits_2_without_traceback(tmp_path, capsys):
    p = write(tmp_path, "base: bundled:nosuch\n")
    assert main(["study", str(p), "--out", str(tmp_path / "o"), "--workers", "0"]) == 2
    err = capsys.readouterr().err
    assert "base: extends: expected one of bundled:" in err or "base:" in err
    assert "Traceback" not in err
    assert not (tmp_path / "o").exists()
