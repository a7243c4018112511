"""One test per reading of seeds 000, 002, 003, 004 fixed in issue 13 (each failed on 55aa4f6).

Every expected value is worked out by hand in the comment above it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from greenscen.errors import ScenarioError
from greenscen.obligations.carbon import carbon_columns, emission_factor
from greenscen.obligations.enterprise import (
    assessment_status,
    check_zero_carbon_park,
    enterprise_ledger,
    sector_target,
)
from greenscen.obligations.run import run_obligations
from greenscen.obligations.scenario import load_obligations_scenario, scenario_from_dict
from greenscen.obligations.trajectories import project, project_many
from greenscen.obligations.weights import load_weights, lookup_weight

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def weights():
    return load_weights()


def _firm(**over) -> dict:
    """A 1,000 MWh/yr firm, 2027 only, target 30%, direct 0; prices trading 30, certificates 5."""
    ent = {
        "name": "f", "sector": "electrolytic_aluminium", "province": "内蒙古",
        "first_year": 2027, "last_year": 2027, "consumption_mwh": 1000,
        "target": {"by_year": {2027: 0.30}},
        "routes": {"trading": {"premium_yuan_per_mwh": 30},
                   "certificates": {"price_yuan_per_mwh": 5}},
    }  # fmt: skip
    ent.update(over)
    return {"name": "t", "weights": {"provinces": ["内蒙古"]}, "enterprise": ent}


# ---- 1. zero-carbon parks, 000 (六) -------------------------------------------------------


def test_park_70_percent_is_green_mainly_physical_not_physical_only():
    # 以物理绿电消纳量为主实现不少于70%的绿电消费: physical 600 + certificates 150 = 750 >= 700 green,
    # physical 600 / 750 = 80% >= half -> the 70% test holds (0.1 demanded physical >= 700)
    assert check_zero_carbon_park(1_000, 600, 0, unbundled_mwh=150, clean_binding=False) == []
    # physical 300 + certificates 450 = 750 green but physical only 40% of it: not "mainly"
    p = check_zero_carbon_park(1_000, 300, 0, unbundled_mwh=450, clean_binding=False)
    assert len(p) == 1 and "为主" in p[0]


def test_park_90_percent_counts_certificates_and_is_a_final_goal():
    # 通过绿电直连、绿电绿证交易等，最终…90%: physical 700 + certificates 200 = 900 clean -> holds
    assert check_zero_carbon_park(1_000, 700, 0, unbundled_mwh=200) == []
    # the park scenario gives no target year: no year is reported as breaking the 90%
    res = run_obligations(
        load_obligations_scenario(REPO / "scenarios" / "obligations_im_aluminium_park.yaml")
    )
    assert not [n for n in res.notes if "expected clean energy" in n]
    assert any("最终" in n for n in res.notes)  # the gap is still reported


def test_park_plan_buys_certificates_for_the_non_physical_part():
    # park scenario 2025: consumption 6,750,000, no direct connection yet. Green >= 70% =
    # 4,725,000 MWh, physical >= half of it = 2,362,500 by trading (30 yuan) and the other
    # 2,362,500 by certificates (5.22 yuan, cheaper): 2,362,500 x 30 + 2,362,500 x 5.22
    # = 70,875,000 + 12,332,250 = 83,207,250 yuan (0.1: 4,725,000 x 30 = 141,750,000)
    res = run_obligations(
        load_obligations_scenario(REPO / "scenarios" / "obligations_im_aluminium_park.yaml")
    )
    r = res.ledger.set_index("year").loc[2025]
    assert r["trading_mwh"] == pytest.approx(2_362_500)
    assert r["certificates_mwh"] == pytest.approx(2_362_500)
    assert r["cost_total_yuan"] == pytest.approx(83_207_250, abs=1)


def test_park_share_is_park_wide():
    # 园区: the firm's 1,000 MWh plus 1,000 MWh of other park consumption with 900 MWh physical
    # green. Park green >= 0.7 x 2,000 = 1,400 -> the firm needs 500 more; its own target is
    # 30% = 300, so 500 binds; physical (900 + b) >= half of (900 + 500) = 700 holds with b = 0,
    # so the cheapest is 500 certificates = 2,500 yuan
    scn = scenario_from_dict(
        _firm(zero_carbon_park=True, park_other_consumption_mwh=1000, park_other_bundled_mwh=900)
    )
    r = run_obligations(scn).ledger.iloc[0]
    assert r["certificates_mwh"] == pytest.approx(500)
    assert r["trading_mwh"] == pytest.approx(0, abs=1e-6)
    assert r["park_green_share"] == pytest.approx(0.70)


# ---- 2. weights: expected values, total >= non-hydro, rising past 2025 ---------------------


def test_2026_values_of_669_are_expected_not_published(weights):
    assert lookup_weight(weights, "内蒙古", 2026, "non_hydro")[1] == "expected"
    assert lookup_weight(weights, "重庆", 2026, "total")[1] == "expected"
    assert lookup_weight(weights, "内蒙古", 2025, "non_hydro")[1] == "published"


def test_inner_mongolia_projected_total_never_below_non_hydro(weights):
    # 0.1: hold_last total 23.0%, linear 27.9%, regional_step 28.6% in 2025 against a published
    # non-hydro 30%; now each projected total >= the same year's non-hydro
    specs = [{"method": m} for m in ("hold_last", "linear_to_target", "regional_step")]
    t = project_many(weights, ["内蒙古"], specs)
    w = t.pivot_table(index=["label", "year"], columns="kind", values="value").dropna()
    assert (w["total"] >= w["non_hydro"] - 1e-12).all()
    hl = t[(t["label"] == "hold_last") & (t["kind"] == "total")].set_index("year")
    assert hl.loc[2025, "value"] == pytest.approx(0.30) and "004 第十条" in hl.loc[2025, "flag"]


def test_regional_step_rises_past_the_2025_maximum(weights):
    # 内蒙古 non-hydro: 30% (2025 published, 2026 expected); above the national path, so +0.5
    # point a year; the ceiling 30% in 2025 rises 0.5 point a year: 2027 30.5%, 2030 32.0%
    v = project(weights, "内蒙古", "non_hydro", "regional_step").set_index("year")["value"]
    assert v[2027] == pytest.approx(0.305)
    assert v[2030] == pytest.approx(0.320)


# ---- 3. carry-over scope ---------------------------------------------------------------------


def test_entity_shortfall_is_not_carried_by_default():
    # 002 七(二) 限期整改: a market user, weights 30% / 10%, obligated 1,000 MWh; 2027 counted
    # 250 non-hydro -> total short 50: uncured in 2027 (0.1 carried it into 2028 under 004's
    # provincial rule)
    raw = {
        "name": "t",
        "weights": {"provinces": ["内蒙古"]},
        "entities": [{
            "name": "u", "kind": "market_user", "province": "内蒙古",
            "years": [
                {"year": 2027, "consumption_mwh": 1000, "market": {"non_hydro_mwh": 250},
                 "weights": {"total": 0.30, "non_hydro": 0.10}},
                {"year": 2028, "consumption_mwh": 1000, "market": {"non_hydro_mwh": 300},
                 "weights": {"total": 0.30, "non_hydro": 0.10}},
            ],
        }],
    }  # fmt: skip
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("year")
    assert led.loc[2027, "uncured_total_mwh"] == pytest.approx(50)
    assert led.loc[2027, "carried_out_total_mwh"] == 0
    assert led.loc[2028, "required_total_mwh"] == pytest.approx(300)
    assert led.loc[2027, "carry_over_rule"] == "none"


# ---- 4. bundled and unbundled ------------------------------------------------------------------


def test_unsynchronised_trading_is_unbundled():
    # 绿证与物理消纳绿电不同步 is 证电分离: trading 1,000 MWh with 40% of its certificates out of
    # step -> bundled 600, unbundled 400 + 100 certificates = 500
    years = [2027]
    led = enterprise_ledger(
        "f", "x", "内蒙古", pd.Series([5_000.0], index=years),
        pd.DataFrame({"share": [0.2], "status": ["s"], "source": ["s"]}, index=years),
        pd.DataFrame({"trading": [1_000.0], "certificates": [100.0]}, index=years),
        pd.DataFrame({"direct": [0.0], "trading": [30.0], "certificates": [5.0]}, index=years),
        "next_year", trading_unsynchronised_share=0.4,
    )  # fmt: skip
    assert led["bundled_mwh"].iloc[0] == pytest.approx(600)
    assert led["unbundled_mwh"].iloc[0] == pytest.approx(500)


def test_bundled_certificates_resold_is_refused_in_a_run():
    with pytest.raises(ScenarioError, match="二\\(二\\)"):
        run_obligations(scenario_from_dict(_firm(bundled_certificates_sold_mwh=100)))


def test_make_up_by_market_trading_counts():
    # 004 第二十二条: make up by certificates OR other market-based trading. Closed 2027:
    # trading 250 + make-up trading 50 = 300 = 30% x 1,000 -> compliant, make-up cost 50 x 30
    scn = scenario_from_dict(
        _firm(closed_years={2027: {"trading_mwh": 250, "makeup_trading_mwh": 50}})
    )
    r = run_obligations(scn).ledger.iloc[0]
    assert r["compliant"] and r["shortfall_before_makeup_total_mwh"] == pytest.approx(50)
    assert r["cost_makeup_trading_yuan"] == pytest.approx(1_500)


def test_market_based_emissions_deduct_bundled_green_only():
    # 2025 with the 2023 residual factor 0.6096: consumption 1,000, bundled 300, certificates 200
    # -> (1,000 - 300) x 0.6096 = 426.72 t; certificate claim 200 x 0.6096 = 121.92 t reported
    # apart (0.1 deducted both: 500 x 0.6096 = 304.8 t)
    led = pd.DataFrame({"year": [2025], "consumption_mwh": [1_000.0], "bundled_mwh": [300.0],
                        "unbundled_mwh": [200.0], "fulfilled_total_mwh": [500.0]})  # fmt: skip
    out = carbon_columns(led).iloc[0]
    assert out["emissions_market_t"] == pytest.approx(426.72)
    assert out["certificate_claim_t"] == pytest.approx(121.92)
    both = carbon_columns(led, count_certificates=True).iloc[0]
    assert both["emissions_market_t"] == pytest.approx(304.8)


# ---- 5. targets and their status; 蒙东 / 蒙西 ----------------------------------------------------


def test_aluminium_25_30_is_industry_wide_not_a_firm_target():
    with pytest.raises(ScenarioError):
        sector_target("electrolytic_aluminium", "全国", 2025)
    t = sector_target("electrolytic_aluminium", "全国", 2025, scope="industry")
    assert t.share == pytest.approx(0.25) and t.scope == "industry"


def test_data_centre_targets_labelled_as_the_text_says():
    old = sector_target("data_centre_existing", "内蒙古", 2025)
    assert old.share == pytest.approx(0.60) and old.binding is False and "力争" in old.reading
    new = sector_target("data_centre_new", "内蒙古", 2025)
    assert new.share == pytest.approx(0.80) and "在80%基础上进一步提升" in new.reading


def test_new_two_high_projects_at_local_average(weights):
    # 000 三(四): 不低于所在地可再生能源消纳平均水平, proxied by the total weight: 内蒙古 2023 = 23.0%
    t = sector_target("new_two_high", "内蒙古", 2023, weights=weights)
    assert t.share == pytest.approx(0.23) and t.status == "assumption"


def test_assessed_versus_monitored_2025():
    assert assessment_status("electrolytic_aluminium", 2025) == "assessed"
    assert assessment_status("steel", 2025) == "monitored"
    assert assessment_status("data_centre_new_hub", 2025) == "monitored"


def test_meng_dong_and_meng_xi_factors():
    # 2023 regional factors: 东北 0.5122 (蒙东), 华北 0.6361 (蒙西); a site maps by its grid
    assert emission_factor("regional", 2025, "蒙东", lag_years=2).value_t_per_mwh == 0.5122
    assert emission_factor("regional", 2025, "赤峰", lag_years=2).value_t_per_mwh == 0.5122
    assert emission_factor("regional", 2025, "baotou", lag_years=2).value_t_per_mwh == 0.6361
    with pytest.raises(ScenarioError, match="蒙西"):
        emission_factor("regional", 2025, "内蒙古", lag_years=2)


# ---- 6. smaller: grid-connected captive plants take an allocation ---------------------------------


def test_grid_connected_captive_plant_takes_its_allocation():
    # 002 五(四) excludes only 未与公用电网联网的拥有自备电厂的企业. Pool 1,000 non-hydro, no priority
    # users; market user 3,000 and grid-connected captive plant 1,000 -> 750 / 250
    raw = {
        "name": "t",
        "weights": {"provinces": ["四川"]},
        "allocation": [{"province": "四川", "year": 2021, "guaranteed": {"non_hydro_mwh": 1000}}],
        "entities": [
            {"name": "m", "kind": "market_user", "province": "四川",
             "years": [{"year": 2021, "consumption_mwh": 3000, "guaranteed": "allocated"}]},
            {"name": "c", "kind": "captive_plant", "province": "四川",
             "years": [{"year": 2021, "consumption_mwh": 1000, "guaranteed": "allocated"}]},
        ],
    }  # fmt: skip
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("entity")
    assert led.loc["c", "guaranteed_mwh"] == pytest.approx(250)
    assert led.loc["m", "guaranteed_mwh"] == pytest.approx(750)
    raw["entities"][1]["off_grid"] = True
    with pytest.raises(ScenarioError, match="未与公用电网联网"):
        run_obligations(scenario_from_dict(raw))


def test_class2_entities_assessed_combined():
    # 002 三(三)2 合并统计后: retailer obligated 1,000 (74% -> 740) with 700 counted; market user
    # obligated 1,000 with 800 -> each: the retailer is 40 short; combined 1,500 >= 1,480: holds
    from greenscen.obligations.ledger import combined_class_assessment

    led = pd.DataFrame({
        "entity": ["r", "m", "g"], "kind": ["retailer", "market_user", "grid_company"],
        "province": "四川", "year": 2021, "obligated_consumption_mwh": [1000.0, 1000.0, 5000.0],
        "obligation_total_mwh": [740.0, 740.0, 3700.0], "obligation_non_hydro_mwh": [60.0, 60.0, 300.0],
        "fulfilled_total_mwh": [700.0, 800.0, 0.0], "fulfilled_non_hydro_mwh": [60.0, 60.0, 0.0],
    })  # fmt: skip
    c = combined_class_assessment(led).iloc[0]
    assert c["entities"] == 2 and c["share_total"] == pytest.approx(0.75)
    assert c["shortfall_total_mwh"] == 0 and bool(c["compliant_combined"])


# ---- 004 第四条: share of total energy; 第五条: transition periods, assessed vs monitored ----------


def test_energy_basis_counts_non_electric_energy():
    # 004 第四条 総エネルギー消費に占める割合: 1,000 MWh of electricity + 12.29 tce of fuel = 12.29 /
    # 0.1229 = 100 MWh-eq; 30% of 1,100 = 330 MWh of green electricity, bought as certificates
    # (5 < 30 yuan): 330 x 5 = 1,650 yuan. On the electricity basis 30% x 1,000 = 300.
    scn = scenario_from_dict(_firm(non_electric_energy_tce=12.29))
    r = run_obligations(scn).ledger.iloc[0]
    assert r["share_basis"] == "energy"
    assert r["obligation_total_mwh"] == pytest.approx(330)
    assert r["certificates_mwh"] == pytest.approx(330)
    assert r["cost_total_yuan"] == pytest.approx(1_650)
    # green share on the energy basis (330 + 0) / 1,100 = 30%; of electricity 330 / 1,000 = 33%
    assert r["green_share"] == pytest.approx(0.30)
    assert r["green_share_electricity"] == pytest.approx(0.33)
    raw = _firm(non_electric_energy_tce=12.29)
    raw["rules"] = {"enterprise_share_basis": "electricity"}
    assert run_obligations(scenario_from_dict(raw)).ledger.iloc[0][
        "obligation_total_mwh"
    ] == pytest.approx(300)


def test_energy_basis_counts_renewable_non_electric_energy():
    # green H2 / biofuel 6.145 tce = 50 MWh-eq counts: 0.30 x 1,100 - 50 = 280 MWh of green power
    scn = scenario_from_dict(_firm(non_electric_energy_tce=12.29, non_electric_renewable_tce=6.145))
    r = run_obligations(scn).ledger.iloc[0]
    assert r["obligation_total_mwh"] == pytest.approx(280)
    assert r["green_share"] == pytest.approx((280 + 50) / 1_100)
    with pytest.raises(ScenarioError, match="non_electric_renewable_tce"):
        run_obligations(
            scenario_from_dict(_firm(non_electric_energy_tce=1, non_electric_renewable_tce=2))
        )


def test_2025_share_stays_on_the_electricity_basis():
    # 1020号 三(五) 以绿证核算的绿电消费比例 (2025): electricity basis before 2026 -> 30% x 1,000 = 300
    scn = scenario_from_dict(
        _firm(first_year=2025, last_year=2025, target={"by_year": {2025: 0.30}},
              non_electric_energy_tce=12.29)
    )  # fmt: skip
    r = run_obligations(scn).ledger.iloc[0]
    assert r["share_basis"] == "electricity" and r["obligation_total_mwh"] == pytest.approx(300)


def test_transition_period_is_reported_not_assessed():
    # 004 第五条 移行期間: steel, transition to 2027, plan_unassessed_years skip -> nothing bought,
    # the 300 MWh shortfall is reported but not an assessed breach (and no ComplianceError)
    raw = _firm(sector="steel", transition_until=2027)
    raw["rules"] = {"plan_unassessed_years": "skip"}
    res = run_obligations(scenario_from_dict(raw))
    r = res.ledger.iloc[0]
    assert r["assessment"] == "transition"
    assert r["certificates_mwh"] == pytest.approx(0, abs=1e-6)
    assert r["shortfall_total_mwh"] == pytest.approx(300)
    assert not r["shortfall_assessed"]
    assert any("transition" in n and "not assessed" in n for n in res.notes)
    # default (meet): the plan still meets the target in a transition year
    raw["rules"] = {}
    assert run_obligations(scenario_from_dict(raw)).ledger.iloc[0][
        "certificates_mwh"
    ] == pytest.approx(300)


def test_steel_2025_monitored_aluminium_assessed_in_the_ledger():
    # 004 comment 2: 2025 aluminium assessed; steel monitored. A closed 2025 with 200 of 300
    # bought: steel's 100 MWh shortfall is not assessed, aluminium's is
    def closed(sector):
        raw = _firm(sector=sector, first_year=2025, last_year=2025,
                    target={"by_year": {2025: 0.30}},
                    closed_years={2025: {"certificates_mwh": 200}})  # fmt: skip
        return run_obligations(scenario_from_dict(raw)).ledger.iloc[0]

    s, a = closed("steel"), closed("electrolytic_aluminium")
    assert s["assessment"] == "monitored" and not s["shortfall_assessed"]
    assert a["assessment"] == "assessed" and a["shortfall_assessed"]
    assert s["shortfall_total_mwh"] == pytest.approx(100)


# ---- 002 三(二) grid losses and plant own use; 002 二(二) excess in tce -------------------------


def _sichuan(**top) -> dict:
    """Two market users of 四川 2021 (weights 74% / 6% from the bundled table)."""
    raw = {
        "name": "t", "weights": {"provinces": ["四川"]},
        "entities": [
            {"name": "a", "kind": "market_user", "province": "四川",
             "years": [{"year": 2021, "consumption_mwh": 3000,
                        "market": {"hydro_mwh": 2600, "non_hydro_mwh": 200}}]},
            {"name": "b", "kind": "market_user", "province": "四川",
             "years": [{"year": 2021, "consumption_mwh": 1000, "exempt_agricultural_mwh": 200}]},
        ],
    }  # fmt: skip
    raw.update(top)
    return raw


def test_grid_losses_and_own_use_shared_pro_rata():
    # 002 三(二) 共同承担四川省内网损和厂用电量对应的消纳量: losses 300 + own use 80 = 380 MWh, shared
    # by obligated consumption a 3,000 : b 800 -> a 300, b 80. Obligations 74% x 3,300 = 2,442
    # and 74% x 880 = 651.2 (0.1: 2,220 and 592)
    raw = _sichuan(losses=[{"province": "四川", "year": 2021, "grid_losses_mwh": 300,
                            "plant_own_use_mwh": 80}])  # fmt: skip
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("entity")
    assert led.loc["a", "shared_losses_mwh"] == pytest.approx(300)
    assert led.loc["b", "shared_losses_mwh"] == pytest.approx(80)
    assert led.loc["a", "obligation_total_mwh"] == pytest.approx(2_442)
    assert led.loc["b", "obligation_total_mwh"] == pytest.approx(651.2)
    assert led.loc["b", "obligation_non_hydro_mwh"] == pytest.approx(0.06 * 880)
    raw["losses"][0]["province"] = "云南"
    with pytest.raises(ScenarioError, match="losses\\[0\\]"):
        run_obligations(scenario_from_dict(raw))


def test_excess_over_the_weight_converted_to_tce():
    # 002 二(二) 超额完成…折算的能源消费量不计入能耗考核: a counts 2,800 against 74% x 3,000 = 2,220
    # -> excess 580 MWh x 0.1229 tce/MWh = 71.282 tce; b has no excess -> 0
    led = run_obligations(scenario_from_dict(_sichuan())).ledger.set_index("entity")
    assert led.loc["a", "excess_total_mwh"] == pytest.approx(580)
    assert led.loc["a", "excess_energy_not_assessed_tce"] == pytest.approx(71.282)
    assert led.loc["b", "excess_energy_not_assessed_tce"] == 0
    # with the 等价值 a user may give (e.g. 0.30 tce/MWh): 580 x 0.30 = 174
    raw = _sichuan(rules={"electricity_tce_per_mwh": 0.30})
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("entity")
    assert led.loc["a", "excess_energy_not_assessed_tce"] == pytest.approx(174)


def test_class2_combined_assessment_in_the_run():
    # 002 三(三)2 合并统计后 through the run: retailer counts 700 of 74% x 1,000 = 740 (40 short),
    # market user 800 of 740; combined 1,500 >= 1,480 total, non-hydro 60 + 60 >= 6% x 2,000
    # = 120 -> the retailer is compliant as assessed (combined), not on its own
    def ent(name, kind, hydro):
        return {"name": name, "kind": kind, "province": "四川",
                "years": [{"year": 2021, "consumption_mwh": 1000,
                           "market": {"hydro_mwh": hydro, "non_hydro_mwh": 60}}]}  # fmt: skip

    raw = {"name": "t", "weights": {"provinces": ["四川"]},
           "entities": [ent("r", "retailer", 640), ent("m", "market_user", 740)]}  # fmt: skip
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("entity")
    assert led.loc["r", "shortfall_total_mwh"] == pytest.approx(40)
    assert not led.loc["r", "compliant"] and led.loc["r", "compliant_assessed"]
    raw["rules"] = {"class2_assessment": "each"}
    led = run_obligations(scenario_from_dict(raw)).ledger.set_index("entity")
    assert not led.loc["r", "compliant_assessed"]


def test_consistency_check_lists_contradictions_and_raised_projections(weights):
    # the bundled table's only year with total < non-hydro is the reprint row kept as "suspect"
    # (山东 2021 11.0% < 12.5%); a table with total 20% < non-hydro 30% is listed; the run notes
    # the projected totals raised to the non-hydro weight
    from greenscen.obligations.trajectories import consistency_problems

    assert [p for p in consistency_problems(weights) if "table total" in p] == [
        "山东 2021: table total 11.0% < non-hydro 12.5%"
    ]
    bad = pd.DataFrame({"province": ["x", "x"], "year": [2030, 2030], "kind": ["total", "non_hydro"],
                        "value": [0.20, 0.30], "status": ["published", "published"]})  # fmt: skip
    assert consistency_problems(bad) == ["x 2030: table total 20.0% < non-hydro 30.0%"]
    res = run_obligations(scenario_from_dict(_firm()))
    raised = [n for n in res.notes if n.startswith("weights consistency: 内蒙古 hold_last 2025")]
    assert raised and "004 第十条" in raised[0]
