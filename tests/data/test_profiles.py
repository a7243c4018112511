"""Tests of the bundled profiles and of greenscen.data.profiles (the loader).

The bundled files are read here independently (plain pandas and yaml) so that a wrong
loader cannot hide a wrong file, and vice versa.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import greenscen.data as data
from greenscen.errors import DataError

DATA_DIR = Path(data.__file__).parent
SITES_YAML = yaml.safe_load((DATA_DIR / "sites" / "sites.yaml").read_text(encoding="utf-8"))
LOADS_YAML = yaml.safe_load((DATA_DIR / "loads" / "loads.yaml").read_text(encoding="utf-8"))
SITE_IDS = [s["id"] for s in SITES_YAML["sites"]]
SHAPE_IDS = [s["id"] for s in LOADS_YAML["shapes"]]
SITE_ENTRY = {s["id"]: s for s in SITES_YAML["sites"]}
SHAPE_ENTRY = {s["id"]: s for s in LOADS_YAML["shapes"]}


def raw_csv(folder: str, item_id: str) -> pd.DataFrame:
    table = pd.read_csv(DATA_DIR / folder / f"{item_id}.csv")
    table.index = pd.to_datetime(table.pop("time"), format="%Y-%m-%d %H:%M")
    return table


# --- the catalogue -------------------------------------------------------------------


def test_required_sites_and_shapes_are_bundled():
    assert {"ordos", "baotou", "xilingol"} <= set(SITE_IDS)
    assert {"electrolyser", "aluminium", "data_centre", "polysilicon", "two_shift_factory"} <= set(
        SHAPE_IDS
    )
    assert data.list_sites() == sorted(SITE_IDS)
    assert data.list_load_shapes() == sorted(SHAPE_IDS)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_site_entry_is_complete_and_labelled_assumption(site_id):
    entry = data.site_info(site_id)
    for key in ("id", "name_en", "name_zh", "latitude", "longitude", "altitude_m", "timezone"):
        assert entry[key] not in (None, "")
    assert entry["status"] == "assumption"
    assert entry["pv"]["status"] == entry["wind"]["status"] == "assumption"
    assert entry["wind"]["turbine_type"]
    # Targets must lie inside the REFERENCE_DATA.md ranges (themselves assumptions).
    assert 1500 <= entry["pv"]["target_full_load_hours"] <= 1700
    assert 2400 <= entry["wind"]["target_full_load_hours"] <= 2800


def test_site_coordinates_are_in_inner_mongolia():
    assert SITE_ENTRY["ordos"]["latitude"] == pytest.approx(39.6, abs=0.3)
    assert SITE_ENTRY["xilingol"]["longitude"] == pytest.approx(116.07, abs=0.3)
    for entry in SITES_YAML["sites"]:
        assert 37 < entry["latitude"] < 54 and 97 < entry["longitude"] < 127


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_shape_entry_is_complete_and_labelled_assumption(shape_id):
    entry = data.load_shape_info(shape_id)
    for key in ("id", "name_en", "name_zh", "spec_category", "load_factor"):
        assert entry[key] not in (None, "")
    assert entry["status"] == "assumption"


def test_shape_categories_are_scenario_user_categories():
    from greenscen.scenario import USER_CATEGORIES

    for entry in LOADS_YAML["shapes"]:
        assert entry["spec_category"] in USER_CATEGORIES, entry["id"]


def test_info_returns_a_copy():
    data.site_info("ordos")["pv"]["target_full_load_hours"] = -1
    data.load_shape_info("aluminium")["load_factor"] = -1
    assert data.site_info("ordos")["pv"]["target_full_load_hours"] > 0
    assert data.load_shape_info("aluminium")["load_factor"] > 0


@pytest.mark.parametrize(
    "call", [data.site_capacity_factors, data.site_info, data.load_shape, data.load_shape_info]
)
def test_unknown_id_lists_the_available_ones(call):
    with pytest.raises(DataError) as err:
        call("atlantis")
    message = str(err.value)
    assert "'atlantis'" in message
    assert ("ordos" in message and "xilingol" in message) or (
        "aluminium" in message and "polysilicon" in message
    )


# --- site profiles -------------------------------------------------------------------


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_site_file_is_a_clean_typical_year(site_id):
    text = (DATA_DIR / "sites" / f"{site_id}.csv").read_text(encoding="utf-8").splitlines()
    assert text[0] == "time,pv,wind"
    assert text[1].startswith("2025-01-01 00:00,") and text[-1].startswith("2025-12-31 23:00,")
    table = raw_csv("sites", site_id)
    assert len(table) == 8760
    assert (table.index[1:] - table.index[:-1] == pd.Timedelta(hours=1)).all()
    assert not table.isna().any().any()
    assert ((table >= 0) & (table <= 1)).all().all()


@pytest.mark.parametrize("site_id", SITE_IDS)
@pytest.mark.parametrize("tech", ["pv", "wind"])
def test_full_load_hours_hit_the_stated_targets(site_id, tech):
    achieved = raw_csv("sites", site_id)[tech].sum()  # cf x 1 h summed over the year
    target = SITE_ENTRY[site_id][tech]["target_full_load_hours"]
    assert achieved == pytest.approx(target, rel=0.02)
    # ... and the catalogue reports what the file really holds.
    assert SITE_ENTRY[site_id][tech]["achieved_full_load_hours"] == pytest.approx(achieved, abs=0.5)


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_pv_is_dark_at_night_and_peaks_near_solar_noon(site_id):
    pv = raw_csv("sites", site_id)["pv"]
    hour = pv.index.hour
    assert (pv[hour == 0] == 0).all()
    assert (pv[(hour >= 21) | (hour <= 3)] == 0).all()
    assert 11 <= pv.groupby(hour).mean().idxmax() <= 14
    # Summer days are longer than winter days.
    daylight = (pv > 0).groupby(pv.index.month).mean()
    assert daylight[6] > daylight[12] + 0.1


def test_pv_never_exceeds_the_inverter_limit():
    for site_id in SITE_IDS:
        entry = SITE_ENTRY[site_id]["pv"]
        # AC limit per unit of DC nameplate is 1 / (DC/AC ratio); losses only lower it.
        assert raw_csv("sites", site_id)["pv"].max() <= 1.0 / entry["dc_ac_ratio"] + 1e-4


def test_west_has_more_sun_and_xilingol_more_wind():
    ordos, baotou, xilingol = (raw_csv("sites", s) for s in ("ordos", "baotou", "xilingol"))
    assert ordos["pv"].sum() > xilingol["pv"].sum()
    assert baotou["pv"].sum() > xilingol["pv"].sum()
    assert xilingol["wind"].sum() > ordos["wind"].sum()
    assert xilingol["wind"].sum() > baotou["wind"].sum()


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_wind_is_stronger_in_spring_than_late_summer_and_varies_slowly(site_id):
    wind = raw_csv("sites", site_id)["wind"]
    month = wind.index.month
    assert wind[month.isin([3, 4, 5])].mean() > wind[month.isin([7, 8, 9])].mean()
    assert wind.autocorr(1) > 0.8  # hourly persistence of weather systems
    assert wind.max() < 1.0 and (wind == 0).mean() < 0.5


@pytest.mark.parametrize("site_id", SITE_IDS)
def test_loader_returns_the_file_on_a_typical_year_index(site_id):
    frame = data.site_capacity_factors(site_id)
    raw = raw_csv("sites", site_id)
    assert list(frame.columns) == ["pv", "wind"]
    assert isinstance(frame.index, pd.DatetimeIndex) and frame.index.name == "time"
    assert frame.index.freq == "h" and frame.index.tz is None
    assert frame.index[0] == pd.Timestamp("2025-01-01 00:00")
    np.testing.assert_array_equal(frame.to_numpy(), raw.to_numpy())
    assert frame.dtypes.eq("float64").all()


def test_loader_results_do_not_share_state():
    first = data.site_capacity_factors("ordos")
    first.iloc[:, :] = 5.0
    assert data.site_capacity_factors("ordos").max().max() <= 1.0
    shape = data.load_shape("aluminium")
    shape.iloc[:] = -1.0
    assert data.load_shape("aluminium").min() > 0


# --- load shapes ---------------------------------------------------------------------


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_load_file_is_a_clean_per_unit_shape(shape_id):
    table = raw_csv("loads", shape_id)
    assert list(table.columns) == ["load_pu"]
    assert len(table) == 8760
    load = table["load_pu"]
    assert not load.isna().any()
    assert load.max() == 1.0
    assert load.min() > 0


@pytest.mark.parametrize("shape_id", SHAPE_IDS)
def test_load_catalogue_statistics_match_the_file(shape_id):
    load = raw_csv("loads", shape_id)["load_pu"]
    entry = SHAPE_ENTRY[shape_id]
    assert entry["load_factor"] == pytest.approx(load.mean(), abs=1e-4)
    by_day = load.groupby(load.index.date)
    rate = (by_day.max() - by_day.min()) / by_day.max()
    assert entry["daily_peak_valley_rate_max"] == pytest.approx(rate.max(), abs=1e-4)


@pytest.mark.parametrize(
    ("shape_id", "low", "high"),
    [
        ("aluminium", 0.97, 1.0),  # potlines: nearly constant current
        ("electrolyser", 0.20, 1.0),  # alkaline minimum load about 20 % of rating
        ("data_centre", 0.70, 1.0),
        ("polysilicon", 0.80, 1.0),
        ("two_shift_factory", 0.15, 1.0),
    ],
)
def test_load_shape_stays_in_its_band(shape_id, low, high):
    load = data.load_shape(shape_id)
    assert load.name == "load_pu"
    assert low <= load.min() and load.max() <= high


def test_flat_loads_are_flatter_than_the_factory():
    factors = {s: data.load_shape(s).mean() for s in SHAPE_IDS}
    assert factors["aluminium"] > 0.97
    assert factors["two_shift_factory"] < 0.65
    assert factors["aluminium"] > factors["polysilicon"] > factors["two_shift_factory"]


def test_two_shift_factory_follows_the_working_week():
    load = data.load_shape("two_shift_factory")
    # Wed 2025-03-05 is a working day; Sun 2025-03-09 is not; 2025-10-02 is National Day.
    assert load["2025-03-05 10:00"] > 0.8
    assert load["2025-03-05 03:00"] < 0.3
    assert load["2025-03-09 10:00"] < 0.3
    assert load["2025-10-02 10:00"] < 0.3
    night = load[load.index.hour.isin([1, 2, 3, 4])]
    assert 0.15 <= night.mean() <= 0.25


def test_data_centre_draws_more_in_summer():
    load = data.load_shape("data_centre")
    assert load[load.index.month == 7].mean() > load[load.index.month == 1].mean() + 0.05


def test_electrolyser_has_maintenance_days():
    daily = data.load_shape("electrolyser").resample("D").mean()
    assert (daily < 0.5).sum() >= 3
    assert daily.median() > 0.9


# --- a user's CSV ----------------------------------------------------------------------

YEAR = pd.date_range("2025-01-01 00:00", periods=8760, freq="h")


def write_profile(path: Path, times, columns: dict[str, list], encoding: str = "utf-8") -> Path:
    """Write a CSV by hand (not with pandas) so that odd cells stay exactly as given."""
    lines = [",".join(["time", *columns])]
    for i, t in enumerate(times):
        stamp = t if isinstance(t, str) else f"{t:%Y-%m-%d %H:%M}"
        lines.append(",".join([stamp, *(str(values[i]) for values in columns.values())]))
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def ramp(n: int = 8760) -> list[float]:
    return [round((i % 24) / 24, 4) for i in range(n)]


def raise_data_error(path: Path, **kwargs) -> str:
    with pytest.raises(DataError) as err:
        data.read_profile_csv(path, **kwargs)
    message = str(err.value)
    assert str(path) in message, message
    assert err.value.__cause__ is None  # no pandas traceback chained to the user's error
    return message


def test_user_csv_round_trip(tmp_path):
    values = ramp()
    path = write_profile(tmp_path / "pv.csv", YEAR, {"my_pv": values})
    series = data.read_profile_csv(path)
    assert series.name == "my_pv" and series.index.name == "time"
    assert len(series) == 8760 and series.dtype == "float64"
    assert series.index[0] == pd.Timestamp("2025-01-01 00:00")
    np.testing.assert_array_equal(series.to_numpy(), values)


def test_user_csv_picks_the_named_column(tmp_path):
    path = write_profile(tmp_path / "two.csv", YEAR, {"pv": ramp(), "wind": [0.3] * 8760})
    assert data.read_profile_csv(path, column="wind").eq(0.3).all()
    message = raise_data_error(path)  # two value columns and none chosen
    assert "'pv'" in message and "'wind'" in message and "column=" in message


def test_user_csv_missing_file(tmp_path):
    message = raise_data_error(tmp_path / "nowhere.csv", column="pv")
    assert "not found" in message and "'pv'" in message


def test_user_csv_empty_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    message = raise_data_error(path, column="pv")
    assert "empty" in message and "'pv'" in message


def test_user_csv_missing_column_lists_the_available_ones(tmp_path):
    path = write_profile(tmp_path / "cols.csv", YEAR, {"solar": ramp(), "wind": ramp()})
    message = raise_data_error(path, column="pv")
    assert "'pv'" in message and "not found" in message
    assert "'solar'" in message and "'wind'" in message


def test_user_csv_missing_time_column(tmp_path):
    path = tmp_path / "notime.csv"
    path.write_text("hour,pv\n" + "".join(f"{i},0.1\n" for i in range(8760)))
    message = raise_data_error(path, column="pv")
    assert "'time'" in message and "'hour'" in message


def test_user_csv_non_numeric_value_gives_line_and_value(tmp_path):
    values = ramp()
    values[3] = "abc"  # data row 3 -> line 5 (header is line 1)
    path = write_profile(tmp_path / "text.csv", YEAR, {"pv": values})
    message = raise_data_error(path)
    assert "'pv'" in message and "'abc'" in message and "line 5" in message


@pytest.mark.parametrize("blank", ["", "NaN", "nan", "NA"])
def test_user_csv_empty_or_nan_cells_give_line_numbers(tmp_path, blank):
    values = ramp()
    values[10] = values[20] = blank
    path = write_profile(tmp_path / "holes.csv", YEAR, {"load_mw": values})
    message = raise_data_error(path, kind="load")
    assert "'load_mw'" in message and "12, 22" in message and "2 empty" in message


def test_user_csv_unreadable_timestamp(tmp_path):
    times = [f"{t:%Y-%m-%d %H:%M}" for t in YEAR]
    times[5] = "yesterday"
    path = write_profile(tmp_path / "when.csv", times, {"pv": ramp()})
    message = raise_data_error(path)
    assert "'time'" in message and "'yesterday'" in message and "line 7" in message


def test_user_csv_gap_names_the_first_offending_timestamp(tmp_path):
    times = YEAR.delete(100)  # 2025-01-05 04:00 missing
    path = write_profile(tmp_path / "gap.csv", times, {"pv": ramp(8759)})
    message = raise_data_error(path, column="pv")
    assert "'time'" in message and "gap of 2 h" in message
    assert "2025-01-05 05:00 follows 2025-01-05 03:00" in message and "line 102" in message
    assert "whole days" not in message  # the gap explains the count; one problem, not two


def test_user_csv_sub_hourly_steps(tmp_path):
    # 8760 quarter-hours are averaged to 2190 hours (a notice): 91 days (1 January to 1 April)
    # and 6 hours of 2 April, not whole days
    times = pd.date_range("2025-01-01", periods=8760, freq="15min")
    path = write_profile(tmp_path / "quarter.csv", times, {"pv": ramp()})
    with pytest.warns(UserWarning, match="15-minute data averaged to 2190 hourly values"):
        message = raise_data_error(path, column="pv")
    assert ("column 'time': expected whole days (from 00:00 to 24:00); found 2190 rows from "
            "2025-01-01 00:00 to 2025-04-02 05:00: the last day 2025-04-02 ends at 06:00, not "
            "24:00 (6 h of 24 h)") in message  # fmt: skip


def test_user_csv_duplicate_timestamp(tmp_path):
    times = list(YEAR)
    times[50] = times[49]
    path = write_profile(tmp_path / "dup.csv", times, {"pv": ramp()})
    message = raise_data_error(path, column="pv")
    assert "duplicate" in message and "'time'" in message and "line 52" in message


def test_user_csv_out_of_order_is_named_before_the_gaps_it_causes(tmp_path):
    times = list(YEAR)
    times[9], times[10] = times[10], times[9]
    path = write_profile(tmp_path / "swap.csv", times, {"pv": ramp()})
    message = raise_data_error(path, column="pv")
    assert "out of order" in message and "line 12" in message and "'time'" in message


def test_user_csv_line_with_extra_fields(tmp_path):
    path = write_profile(tmp_path / "ragged.csv", YEAR, {"pv": ramp()})
    lines = path.read_text().splitlines()
    lines[3] += ",7"
    path.write_text("\n".join(lines))
    message = raise_data_error(path, column="pv")
    assert "line 4" in message and "3 fields" in message and "'pv'" in message


def test_user_csv_broken_excel_workbook_is_named(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))  # a zip header, no workbook
    message = raise_data_error(path, column="pv")
    assert "cannot read the Excel workbook" in message and "'pv'" in message


def test_user_excel_workbook_is_read(tmp_path):
    # the first sheet, same columns as a CSV: 8760 hours of 0.25 read as 0.25
    path = tmp_path / "book.xlsx"
    pd.DataFrame({"时间": YEAR, "pv": 0.25}).to_excel(path, index=False)
    series = data.read_profile_csv(path, column="pv")
    assert len(series) == 8760 and series.index[0] == YEAR[0] and (series == 0.25).all()


def test_user_csv_some_offsets_but_not_all(tmp_path):
    times = [f"{t:%Y-%m-%d %H:%M}" for t in YEAR]
    times[3] += "+08:00"
    path = write_profile(tmp_path / "tz.csv", times, {"pv": ramp()})
    message = raise_data_error(path)
    assert "'time'" in message and "offset" in message and "line 5" in message


def test_user_csv_partial_day_is_refused(tmp_path):
    # 100 hours = 4 days and 4 hours: the last day (5 January) ends at 04:00
    path = write_profile(tmp_path / "short.csv", YEAR[:100], {"pv": ramp(100)})
    message = raise_data_error(path)
    assert "'time'" in message and "expected whole days" in message and "found 100 rows" in message
    assert "the last day 2025-01-05 ends at 04:00, not 24:00" in message


def test_user_csv_starting_mid_day_is_refused(tmp_path):
    path = write_profile(tmp_path / "late.csv", YEAR[5:29], {"pv": ramp(24)})
    message = raise_data_error(path)
    assert "the first day 2025-01-01 starts at 05:00, not 00:00" in message


def test_user_csv_any_whole_number_of_days_is_read(tmp_path):
    # one day, one month (31 days) and two years (730 days, 2025-2026) keep their own dates
    for n_hours in (24, 31 * 24, 2 * 8760):
        times = pd.date_range("2025-01-01", periods=n_hours, freq="h")
        path = write_profile(tmp_path / f"h{n_hours}.csv", times, {"pv": ramp(n_hours)})
        series = data.read_profile_csv(path)
        assert len(series) == n_hours and series.index[-1] == times[-1]


def test_user_csv_gap_in_quarter_hour_data_is_named_as_such(tmp_path):
    times = pd.date_range("2025-01-01", periods=96 * 2, freq="15min").delete(50)
    path = write_profile(tmp_path / "gap15.csv", times, {"pv": [0.5] * len(times)})
    message = raise_data_error(path)
    # 12:30 (row 50) is missing: 12:45, now row 50 at line 52, follows 12:15
    assert ("column 'time': expected regular 15 min steps; found a gap of 30 min at line 52: "
            "2025-01-01 12:45 follows 2025-01-01 12:15") in message  # fmt: skip


def test_user_csv_capacity_factor_out_of_range(tmp_path):
    values = ramp()
    values[7] = 1.5  # line 9
    path = write_profile(tmp_path / "big.csv", YEAR, {"wind": values})
    message = raise_data_error(path, column="wind", kind="capacity factor")
    assert "'wind'" in message and "[0, 1]" in message and "1.5" in message and "line 9" in message
    # The same values are a valid load.
    assert data.read_profile_csv(path, column="wind", kind="load").max() == 1.5


def test_user_csv_percent_capacity_factors_get_a_hint(tmp_path):
    path = write_profile(tmp_path / "pct.csv", YEAR, {"pv": [v * 100 for v in ramp()]})
    assert "percent" in raise_data_error(path)


def test_user_csv_negative_load(tmp_path):
    values = [5.0] * 8760
    values[2] = -1.0
    path = write_profile(tmp_path / "neg.csv", YEAR, {"load": values})
    message = raise_data_error(path, kind="load")
    assert "'load'" in message and ">= 0" in message and "-1" in message and "line 4" in message


def test_user_csv_several_problems_are_reported_together(tmp_path):
    values = ramp(8000)
    values[0] = 2.0
    path = write_profile(tmp_path / "many.csv", YEAR[:8000], {"pv": values})
    message = raise_data_error(path)
    assert "2 problems" in message and "found 8000" in message and "[0, 1]" in message


def test_user_csv_leap_year_drops_29_february_with_a_warning(tmp_path):
    times = pd.date_range("2024-01-01", periods=8784, freq="h")
    values = [round(i / 8784, 4) for i in range(8784)]
    path = write_profile(tmp_path / "leap.csv", times, {"pv": values})
    with pytest.warns(UserWarning, match="29 February"):
        series = data.read_profile_csv(path)
    assert len(series) == 8760
    assert not ((series.index.month == 2) & (series.index.day == 29)).any()
    kept = [v for t, v in zip(times, values, strict=True) if not (t.month == 2 and t.day == 29)]
    np.testing.assert_array_equal(series.to_numpy(), kept)


def test_user_csv_leap_year_already_without_29_february(tmp_path):
    times = pd.date_range("2024-01-01", periods=8784, freq="h")
    times = times[~((times.month == 2) & (times.day == 29))]
    path = write_profile(tmp_path / "leap8760.csv", times, {"pv": ramp()})
    assert len(data.read_profile_csv(path)) == 8760


def test_user_csv_time_zone_offsets_become_china_local_time(tmp_path):
    times = [
        f"{t:%Y-%m-%dT%H:%M}+00:00"
        for t in pd.date_range("2024-12-31 16:00", periods=8760, freq="h")
    ]
    path = write_profile(tmp_path / "utc.csv", times, {"pv": ramp()})
    series = data.read_profile_csv(path)
    assert series.index[0] == pd.Timestamp("2025-01-01 00:00") and series.index.tz is None


def test_user_csv_chinese_excel_export(tmp_path):
    """GBK text, Chinese header, trailing commas and a trailing blank line are all fine."""
    path = tmp_path / "负荷.csv"
    lines = ["time,负荷,"] + [f"{t:%Y/%m/%d %H:%M},{12.5},".replace("12.5", "12.5") for t in YEAR]
    path.write_bytes(("\r\n".join(lines) + "\r\n\r\n").encode("gbk"))
    series = data.read_profile_csv(path, kind="load")
    assert series.name == "负荷" and len(series) == 8760 and series.eq(12.5).all()


def test_user_csv_rejects_an_unknown_kind(tmp_path):
    path = write_profile(tmp_path / "pv.csv", YEAR, {"pv": ramp()})
    with pytest.raises(ValueError, match="kind"):
        data.read_profile_csv(path, kind="price")
