"""Scenario loading: extends chains, defaults, and one clear message for every bad input."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from greenscen.cli import is_obligations_file
from greenscen.errors import DataError, ScenarioError
from greenscen.run import resolve
from greenscen.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_extends_merges_mappings_and_replaces_lists(tmp_path):
    path = write(
        tmp_path,
        "variant.yaml",
        """
        extends: bundled:default
        name: variant
        year: 2030
        technologies:
          wind: {capex_yuan_per_kw: 3600, lifetime_years: 20}
        """,
    )
    ls = load_scenario(path)
    sc = ls.scenario
    assert sc.year == 2030
    assert sc.technologies.wind.capex_yuan_per_kw == 3600
    # mappings merge key by key: fixed O&M not restated is inherited from im_base (100)
    assert sc.technologies.wind.fixed_om_yuan_per_kw_year == 100
    # untouched branches come from the base chain (default -> im_base)
    assert sc.technologies.pv.capex_yuan_per_kw == 3200
    assert [u.name for u in sc.users] == ["data_centre", "polysilicon", "factory"]
    assert len(ls.chain) == 3


def test_extends_relative_file_and_loop(tmp_path):
    write(tmp_path, "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nname: b\n")
    with pytest.raises(ScenarioError, match="loops back"):
        load_scenario(tmp_path / "a.yaml")


def test_all_problems_reported_at_once_with_field_and_found_value(tmp_path):
    path = write(
        tmp_path,
        "bad.yaml",
        """
        extends: bundled:default
        name: bad
        yaer: 2027
        technologies:
          pv: {capex_yuan_per_kw: -5, lifetime_years: 25}
        finance: {discount_rate: "six percent"}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert str(path) in msg
    assert "yaer: unknown key" in msg
    assert "technologies.pv.capex_yuan_per_kw" in msg and "-5" in msg
    assert "finance.discount_rate" in msg and "six percent" in msg
    assert err.value.problems and len(err.value.problems) == 3


def test_off_grid_with_connection_capacity_is_rejected(tmp_path):
    path = write(
        tmp_path,
        "offgrid.yaml",
        """
        extends: bundled:default
        project: {kind: general, mode: off_grid, connection_mw: 50}
        """,
    )
    with pytest.raises(ScenarioError, match=r"project.connection_mw: an off-grid project .* found 50"):
        load_scenario(path)


def test_hydrogen_rule_on_general_project_is_rejected(tmp_path):
    path = write(
        tmp_path,
        "h2rule.yaml",
        """
        extends: bundled:default
        rules:
          overrides:
            hydrogen_generation_cap: {max_ratio: 1.5}
        """,
    )
    with pytest.raises(ScenarioError, match="hydrogen_generation_cap: this rule applies to hydrogen"):
        resolve(load_scenario(path))


def test_year_outside_rule_range_is_rejected(tmp_path):
    path = write(tmp_path, "y.yaml", "extends: bundled:default\nyear: 2040\n")
    with pytest.raises(ScenarioError, match="year: expected a year within .*2025-2035, found 2040"):
        resolve(load_scenario(path))


def test_unknown_rule_parameter_and_bad_value(tmp_path):
    path = write(
        tmp_path,
        "r.yaml",
        """
        extends: bundled:default
        rules:
          overrides:
            self_consumption_min: {min_share: 1.4}
            export_ban: {max_exports: 0}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        resolve(load_scenario(path))
    msg = str(err.value)
    assert "self_consumption_min.min_share: expected a fraction between 0 and 1, found 1.4" in msg
    assert "export_ban.max_exports: unknown parameter" in msg


def test_negative_capacity_and_unknown_category(tmp_path):
    path = write(
        tmp_path,
        "neg.yaml",
        """
        extends: bundled:default
        users:
          - {name: homes, category: residential, load: {shape: data_centre, peak_mw: 5}}
        technologies:
          storage: {power_capex_yuan_per_kw: 288, energy_capex_yuan_per_kwh: 400, lifetime_years: 15, power_mw: -3}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "users[0].category" in msg and "residential" in msg
    assert "technologies.storage.power_mw" in msg and "-3" in msg


def test_tou_periods_must_cover_the_day(tmp_path):
    path = write(
        tmp_path,
        "tou.yaml",
        """
        extends: bundled:default
        tariff:
          energy_price_yuan_per_mwh:
            peak: {price: 400, hours: [8, 9, 10]}
            valley: {price: 100, hours: [0, 1, 2, 3, 4, 5, 6, 7, 8]}
        """,
    )
    # mappings merge: the base's `flat` period (6, 7, 11-16) is still there
    with pytest.raises(ScenarioError, match=r"found hours 17-23 in no period; hour 6 in flat and valley; "
                       r"hour 7 in flat and valley; hour 8 in peak and valley"):
        load_scenario(path)


def test_invalid_yaml_names_line(tmp_path):
    path = write(tmp_path, "broken.yaml", "name: x\nyear: [2027\n")
    with pytest.raises(ScenarioError, match="not valid YAML at line"):
        load_scenario(path)


def test_missing_file():
    with pytest.raises(ScenarioError, match="scenario file not found"):
        load_scenario("/nonexistent/scenario.yaml")


def test_user_csv_of_wrong_length_names_file_and_column(tmp_path):
    csv = tmp_path / "plant.csv"
    # 30 hours: one day and 6 hours of the next (any whole number of days would be read)
    rows = pd.date_range("2027-01-01", periods=30, freq="h")
    csv.write_text("time,mw\n" + "".join(f"{t:%Y-%m-%d %H:%M},5\n" for t in rows))
    path = write(
        tmp_path,
        "csvload.yaml",
        f"""
        extends: bundled:default
        users:
          - {{name: plant, category: new_load, load: {{csv: {csv.name}, column: mw}}}}
        """,
    )
    with pytest.raises(DataError) as err:
        resolve(load_scenario(path))
    msg = str(err.value)
    assert "plant.csv" in msg and "'time'" in msg and "expected whole days" in msg
    assert "the last day 2027-01-02 ends at 06:00" in msg


def test_user_csv_load_is_used_in_mw(tmp_path):
    import pandas as pd

    idx = pd.date_range("2027-01-01", periods=8760, freq="h")
    pd.DataFrame({"time": idx.strftime("%Y-%m-%d %H:%M"), "mw": 7.5}).to_csv(tmp_path / "flat.csv", index=False)
    path = write(
        tmp_path,
        "csvok.yaml",
        """
        extends: bundled:default
        users:
          - {name: plant, category: new_load, load: {csv: flat.csv, column: mw}}
        """,
    )
    _, inputs, _ = resolve(load_scenario(path))
    assert inputs.load_mwh == pytest.approx(7.5 * 8760)


SIZING_FILES = [p for p in sorted((REPO / "scenarios").glob("*.yaml")) if not is_obligations_file(p)]


def test_obligations_files_are_told_apart_by_their_keys():
    names = {p.name for p in (REPO / "scenarios").glob("*.yaml")} - {p.name for p in SIZING_FILES}
    assert names and all(n.startswith("obligations_") for n in names)


@pytest.mark.parametrize("path", SIZING_FILES, ids=[p.stem for p in SIZING_FILES])
def test_every_sizing_scenario_validates(path):
    rules, inputs, params = resolve(load_scenario(path))
    assert len(inputs.index) * inputs.duration_h.iloc[0] == 8760
    assert rules.year == load_scenario(path).scenario.year


def test_export_price_above_import_price_is_rejected(tmp_path):
    # valley energy 141.5 + T&D 100 = 241.5 yuan/MWh < export 300: import-and-export would pay
    path = write(
        tmp_path,
        "exp.yaml",
        """
        extends: hydrogen_grid_2027.yaml
        tariff: {export_price_yuan_per_mwh: 300}
        """,
    )
    import shutil

    shutil.copy(REPO / "scenarios" / "hydrogen_grid_2027.yaml", tmp_path / "hydrogen_grid_2027.yaml")
    with pytest.raises(ScenarioError, match=r"export_price_yuan_per_mwh: expected at most .* found 300 .* 241.5"):
        resolve(load_scenario(path))


def test_user_online_from_zeroes_load_before_commissioning(tmp_path):
    # Batch commissioning (三(四)): the factory starts on 1 July 2027 -> no load before; its
    # shape is scaled to its peak, so the other users' loads are unchanged.
    base = load_scenario("bundled:default")
    path = write(
        tmp_path,
        "batch.yaml",
        """
        extends: bundled:default
        users:
          - {name: data_centre, category: data_centre, load: {shape: data_centre, peak_mw: 60}}
          - {name: factory, category: new_load, load: {shape: two_shift_factory, peak_mw: 20}, online_from: 2027-07-01}
        """,
    )
    _, inputs, _ = resolve(load_scenario(path))
    _, full, _ = resolve(base)
    f = inputs.load_mw["factory"]
    assert f[: "2027-06-30 23:00"].sum() == 0
    assert f["2027-07-01":].sum() == pytest.approx(full.load_mw["factory"]["2027-07-01":].sum())
    assert inputs.load_mw["data_centre"].sum() == pytest.approx(full.load_mw["data_centre"].sum())


def test_user_online_after_the_year_is_rejected(tmp_path):
    path = write(
        tmp_path,
        "late.yaml",
        """
        extends: bundled:default
        users:
          - {name: late, category: new_load, load: {shape: two_shift_factory, peak_mw: 5}, online_from: 2029-01-01}
        """,
    )
    with pytest.raises(ScenarioError, match=r"users\[0\].online_from: expected a date in or before 2027, found 2029-01-01"):
        load_scenario(path)


def test_values_in_the_wrong_unit_get_a_hint(tmp_path):
    # 3.2 yuan/W is 3,200 yuan/kW; 0.2829 yuan/kWh is 282.9 yuan/MWh
    path = write(
        tmp_path,
        "units.yaml",
        """
        extends: bundled:default
        technologies:
          pv: {capex_yuan_per_kw: 3.2, lifetime_years: 25}
        tariff: {export_price_yuan_per_mwh: 0.2829}
        """,
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert "technologies.pv: capex_yuan_per_kw: expected yuan/kW, found 3.2, which looks like yuan/W" in msg
    assert "export_price_yuan_per_mwh: expected yuan/MWh, found 0.2829, which looks like yuan/kWh" in msg
