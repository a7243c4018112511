"""Weights dataset: bundled exactly as published, missing shown as missing, user CSV checked."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from greenscen.errors import DataError
from greenscen.obligations.data import data_path
from greenscen.obligations.weights import (
    load_weights,
    lookup_weight,
    parse_share,
    weights_grid,
    weights_wide,
)

# 发改办能源〔2023〕569号 Annex 1, typed from shared/reference/provincial_weights_seen.csv:
# province: (total %, non-hydro %)
PUBLISHED_2023 = {
    "北京": (20.1, 20.0), "天津": (19.5, 18.7), "河北": (19.1, 19.0), "山西": (22.5, 21.5),
    "山东": (17.1, 15.7), "内蒙古": (23.0, 22.0), "辽宁": (19.2, 16.0), "吉林": (31.3, 23.5),
    "黑龙江": (24.5, 22.7), "上海": (30.0, 6.0), "江苏": (20.9, 13.0), "浙江": (21.6, 11.0),
    "安徽": (19.6, 16.5), "福建": (20.6, 10.0), "江西": (26.4, 14.5), "河南": (26.9, 21.0),
    "湖北": (38.0, 12.5), "湖南": (46.8, 16.0), "重庆": (40.7, 6.5), "四川": (70.0, 8.0),
    "陕西": (23.0, 18.5), "甘肃": (50.0, 21.5), "青海": (70.0, 27.2), "宁夏": (26.5, 24.5),
    "新疆": (23.5, 12.8), "广东": (29.6, 7.5), "广西": (45.1, 12.5), "海南": (17.8, 10.5),
    "贵州": (36.8, 11.0), "云南": (70.0, 17.0),
}  # fmt: skip

REFERENCE = Path("/work/shared/reference/provincial_weights_seen.csv")


@pytest.fixture(scope="module")
def weights():
    return load_weights()


def test_2023_all_30_provinces_exactly_as_published(weights):
    table = weights_wide(weights, 2023)
    assert len(PUBLISHED_2023) == 30
    assert sorted(table.index) == sorted(PUBLISHED_2023)
    for prov, (total_pct, nh_pct) in PUBLISHED_2023.items():
        row = table.loc[prov]
        assert row["total"] == pytest.approx(total_pct / 100, abs=1e-12), prov
        assert row["non_hydro"] == pytest.approx(nh_pct / 100, abs=1e-12), prov
        assert row["total_status"] == row["non_hydro_status"] == "published"
        assert "569号" in row["source"], prov


def test_bundled_file_is_the_reference_table_byte_for_byte():
    if not REFERENCE.exists():
        pytest.skip("shared reference folder not present")
    assert data_path("weights_provincial.csv").read_bytes() == REFERENCE.read_bytes()


def test_shandong_2021_kept_as_suspect_not_fixed(weights):
    # the reprint has total 11.0% < non-hydro 12.5%; we keep both values and the flag
    assert lookup_weight(weights, "山东", 2021, "total")[:2] == (pytest.approx(0.11), "suspect")
    assert lookup_weight(weights, "山东", 2021, "non_hydro")[:2] == (
        pytest.approx(0.125),
        "suspect",
    )


def test_missing_value_is_nan_with_status_missing(weights):
    # 黑龙江 2024: only the non-hydro 30.0% was seen; the total stays missing
    total, status, _ = lookup_weight(weights, "黑龙江", 2024, "total")
    assert math.isnan(total) and status == "missing"
    assert lookup_weight(weights, "黑龙江", 2024, "non_hydro")[:2] == (
        pytest.approx(0.30),
        "published",
    )
    grid = weights_grid(weights, ["西藏", "内蒙古"], [2023, 2024])
    tibet = grid[grid["province"] == "西藏"]
    assert tibet["value"].isna().all() and (tibet["status"] == "missing").all()
    im24 = grid[(grid["province"] == "内蒙古") & (grid["year"] == 2024)]
    assert im24["value"].isna().all() and (im24["status"] == "missing").all()


def test_sichuan_2021_from_seed_002(weights):
    assert lookup_weight(weights, "四川", 2021, "total")[0] == pytest.approx(0.74)
    assert lookup_weight(weights, "四川", 2021, "non_hydro")[0] == pytest.approx(0.06)
    assert "002" in lookup_weight(weights, "四川", 2021, "total")[2]


def test_user_csv_extends_and_corrects(tmp_path):
    csv = tmp_path / "mine.csv"
    csv.write_text(
        "province,year,total_weight,non_hydro_weight,status,source\n"
        "内蒙古,2025,,30.0%,published,发改办能源〔2025〕669号 as reported\n"
        "山东,2021,14.0%,12.5%,assumption,my reading of the official annex\n"
        "黑龙江,2024,,30.0%,published,same as bundled\n",
        encoding="utf-8",
    )
    w = load_weights(csv)
    assert lookup_weight(w, "内蒙古", 2025, "non_hydro")[:2] == (pytest.approx(0.30), "published")
    assert lookup_weight(w, "内蒙古", 2025, "total")[1] == "missing"
    assert lookup_weight(w, "山东", 2021, "total")[:2] == (pytest.approx(0.14), "assumption")
    assert w.loc[(w["province"] == "山东") & (w["year"] == 2021), "origin"].eq("user").all()
    # 2023 untouched
    assert lookup_weight(w, "山东", 2023, "total")[0] == pytest.approx(0.171)


def test_bad_user_csv_lists_every_problem(tmp_path):
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "province,year,total_weight,non_hydro_weight,status,source\n"
        "内蒙,2025,23,30.0%,published,x\n"
        "四川,20x5,70%,8%,guess,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as exc:
        load_weights(csv)
    msg = str(exc.value)
    assert str(csv) in msg
    assert "line 2 province" in msg and "'内蒙'" in msg
    assert "line 2 total_weight" in msg and "found '23'" in msg
    assert "line 3 year" in msg and "'20x5'" in msg
    assert "line 3 status" in msg and "'guess'" in msg
    assert "line 3 source" in msg
    assert len(exc.value.problems) == 5


def test_user_csv_missing_column(tmp_path):
    csv = tmp_path / "cols.csv"
    csv.write_text("province,year,total_weight\n内蒙古,2025,30%\n", encoding="utf-8")
    with pytest.raises(DataError, match="missing non_hydro_weight, status, source"):
        load_weights(csv)


@pytest.mark.parametrize(
    ("text", "expected"), [("23.0%", 0.23), ("0.23", 0.23), ("", math.nan), ("100%", 1.0)]
)
def test_parse_share(text, expected):
    got = parse_share(text)
    assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected)


@pytest.mark.parametrize("text", ["23", "abc", "120%", "-1%"])
def test_parse_share_rejects(text):
    with pytest.raises(ValueError, match="expected a share"):
        parse_share(text)
