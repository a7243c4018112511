"""The hydrogen: block: bad input answered with one message naming file, field, expected, found."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
import yaml

from greenscen.cli import main

REPO = Path(__file__).resolve().parents[2]
BASE = yaml.safe_load((REPO / "scenarios" / "hydrogen_ammonia_2027.yaml").read_text(encoding="utf-8"))


def validate(tmp_path: Path, change) -> tuple[int, str]:
    data = yaml.safe_load(yaml.safe_dump(BASE))
    change(data)
    path = tmp_path / "h2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(["validate", str(path)])
    return rc, err.getvalue() + out.getvalue()


def _set(path, value):
    def change(d):
        node = d
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value
    return change


@pytest.mark.parametrize(("change", "words"), [
    (_set(["hydrogen", "user"], "nobody"), ["hydrogen.user", "expected the name of a user", "'nobody'"]),
    (_set(["hydrogen", "electrolyser", "part_load_curve"], [[0.3, 58.0], [0.6, 54.5], [1.0, 53.0]]),
     ["part_load_curve", "concave", "rising"]),
    (_set(["hydrogen", "electrolyser", "part_load_curve"], [[0.3, 56.0], [1.0, 50.0]]),
     ["part_load_curve", "specific_consumption_kwh_per_kg 53", "found 50"]),
    (_set(["hydrogen", "demand", "price_yuan_per_kg"], 20.0), ["exactly one of annual_t", "found annual_t=30000"]),
    (_set(["hydrogen", "electrolyser", "stack_life_years"], 10), ["stack_life_hours / stack_life_years", "found both"]),
    (lambda d: d["users"][1].pop("load"), ["users[1].load", "'ammonia'", "found none"]),
    (_set(["hydrogen", "demand", "shape"], [1.0] * 10), ["hydrogen.demand", "shape", "24 values", "found 10"]),
    (_set(["hydrogen", "demand", "shape"], [-1.0] + [1.0] * 23), ["shape", "values >= 0", "found min -1"]),
    (_set(["hydrogen", "demand", "shape"], [0.0] * 168), ["shape", "not all 0", "sum 0"]),
    (lambda d: d["hydrogen"]["demand"].update(shape=[1.0] * 24, profile="annual"),
     ["shape/csv", "expected profile flat", "found profile annual"]),
    (lambda d: d["hydrogen"]["demand"].update(shape=[1.0] * 24, csv="h2.csv"),
     ["not both", "found shape (24 values) and csv='h2.csv'"]),
    (_set(["hydrogen", "demand", "column"], "h2"), ["column", "no csv", "found column='h2'"]),
    (lambda d: d["hydrogen"]["demand"].update(shape=[1.0] * 24, annual_t=None, price_yuan_per_kg=20.0),
     ["shape/csv", "needs annual_t"]),
])  # fmt: skip
def test_bad_hydrogen_input_exits_2_with_one_clear_message(tmp_path, change, words):
    rc, text = validate(tmp_path, change)
    assert rc == 2, text
    assert "h2.yaml" in text and "Traceback" not in text
    for w in words:
        assert w in text, (w, text)


def test_the_bundled_hydrogen_scenario_validates(tmp_path):
    rc, text = validate(tmp_path, lambda d: None)
    assert rc == 0, text
