"""Render ``DATA_CARD.md`` from the catalogue entries the generator just computed.

The card is regenerated with the profiles so that the achieved figures it quotes can
never drift from the files it describes.
"""

from __future__ import annotations

from typing import Any

from greenscen.data.synthetic.sites import CLOUD_MODEL, PV_SYSTEM, WIND_FARM

TIME_CONVENTION = {
    "start": "2025-01-01 00:00",
    "periods": 8760,
    "step": "1 h",
    "label": "hour-beginning: each value is the mean over the hour starting at its timestamp",
    "timezone": "China Standard Time, UTC+8 (timestamps are written without an offset)",
}


def _site_rows(sites: list[dict[str, Any]]) -> str:
    rows = [
        "| site | lat, lon | alt. (m) | PV target (h) | PV achieved (h) | irradiance scale "
        "| wind target (h) | wind achieved (h) | Weibull k, c0 (m/s) | mean hub wind (m/s) | seed |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in sites:
        pv, wind = s["pv"], s["wind"]
        rows.append(
            f"| `{s['id']}` {s['name_zh']} | {s['latitude']}, {s['longitude']} | "
            f"{s['altitude_m']:.0f} | {pv['target_full_load_hours']:.0f} | "
            f"{pv['achieved_full_load_hours']:.1f} | {pv['irradiance_scale_calibrated']:.3f} | "
            f"{wind['target_full_load_hours']:.0f} | {wind['achieved_full_load_hours']:.1f} | "
            f"{wind['weibull_shape']}, {wind['weibull_scale_m_s_calibrated']:.2f} | "
            f"{wind['mean_hub_wind_speed_m_s']:.2f} | {s['seed']} |"
        )
    return "\n".join(rows)


def _shape_rows(shapes: list[dict[str, Any]]) -> str:
    rows = [
        "| shape | category | load factor | min (pu) | daily peak-valley rate, max / mean "
        "| seed | method |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in shapes:
        rows.append(
            f"| `{s['id']}` {s['name_zh']} | {s['spec_category']} | {s['load_factor']:.3f} | "
            f"{s['min_pu']:.3f} | {s['daily_peak_valley_rate_max']:.3f} / "
            f"{s['daily_peak_valley_rate_mean']:.3f} | {s['seed']} | {s['method']} |"
        )
    return "\n".join(rows)


def _weather_year_rows(sites: list[dict[str, Any]]) -> str:
    """Return the Markdown table of each site's weather years (full-load hours, h/yr)."""
    lines = ["| Site | Years | PV full-load h: min / mean / max | Wind full-load h: min / mean / max |",
             "|---|---|---|---|"]  # fmt: skip
    for site in sites:
        years = (site.get("weather_years") or {}).get("years") or []
        if not years:
            continue
        pv = [y["pv_full_load_hours"] for y in years]
        wind = [y["wind_full_load_hours"] for y in years]
        lines.append(f"| {site['id']} | {len(years)} | {min(pv):,.0f} / {sum(pv) / len(pv):,.0f} / {max(pv):,.0f} "
                     f"| {min(wind):,.0f} / {sum(wind) / len(wind):,.0f} / {max(wind):,.0f} |")  # fmt: skip
    return "\n".join(lines)


def render_data_card(
    sites: list[dict[str, Any]], shapes: list[dict[str, Any]], versions: dict[str, str]
) -> str:
    """Return the Markdown data card for the given site and shape catalogue entries."""
    losses = ", ".join(f"{k} {v:g} %" for k, v in PV_SYSTEM.dc_losses_percent.items())
    months = ", ".join(f"{f:.2f}" for f in WIND_FARM.monthly_scale_factor)
    version_text = ", ".join(f"{k} {v}" for k, v in versions.items())
    return f"""# Data card: greenscen's bundled hourly profiles

> **Status: assumption.** Every profile here is **synthetic**: made by the documented
> statistical models below, calibrated to assumed annual totals. None is a measurement,
> a reanalysis extract or a plant's metered output. Use them as labelled defaults and
> replace them with site data (see *Replacing a profile*) for any real decision.

This file is written by `python -m greenscen.data.generate_profiles` together with the
profiles; do not edit it by hand.

## Files and conventions
- `sites/<site_id>.csv`: columns `time`, `pv`, `wind`; `sites/sites.yaml` catalogues them.
- `loads/<shape_id>.csv`: columns `time`, `load_pu`; `loads/loads.yaml` catalogues them.
- Time: 8760 rows, `2025-01-01 00:00` to `2025-12-31 23:00`, typical non-leap year,
  China Standard Time (UTC+8, no offset written). Values are **hour-beginning**: the mean
  over the hour that starts at the timestamp.
- `pv`: AC energy at the plant's grid connection per unit of **DC nameplate (MWp)**, with a
  DC/AC ratio of {PV_SYSTEM.dc_ac_ratio}, so the largest value is about {1 / PV_SYSTEM.dc_ac_ratio * (1 - PV_SYSTEM.ac_loss_fraction):.3f}. Chinese PV
  utilisation-hour statistics and PV capex in yuan/W are usually quoted per MWp (assumption,
  not verified here). For a capacity factor per MW of inverter (AC) capacity multiply by
  the DC/AC ratio.
- `wind`: AC output per unit of turbine rating (MW).
- `load_pu`: per unit of the shape's own peak (max exactly 1.0).
- Values rounded to 4 decimals. Full-load hours = sum of the hourly capacity factors.
- Loader: `greenscen.data.site_capacity_factors(site_id)`, `load_shape(shape_id)`,
  `site_info`, `load_shape_info`, `list_sites`, `list_load_shapes`, `read_profile_csv`.

## Sites: calibration targets and achieved full-load hours
Targets are **assumptions**, chosen inside the ranges that
`shared/reference/REFERENCE_DATA.md` itself labels as assumptions: utility PV in Inner
Mongolia about 1,500-1,700 h/yr, wind about 2,400-2,800 h/yr. West (Ordos, Baotou) is given
more sun, Xilingol more wind: the region's PV capacity is concentrated in the west and its wind
capacity in Xilingol, Tongliao and Chifeng (published, 内蒙古日报 2023-05-09, via
REFERENCE_DATA.md), which is taken here as a hint of resource (assumption). Coordinates and altitudes are approximate
city values; the climate parameters (temperature cycle, mean clear-sky index) are rounded
values entered from general knowledge (assumption).

{_site_rows(sites)}

"Achieved" is the sum of the rounded CSV column. The irradiance scale is the calibration
factor on plane-of-array irradiance; a value near 1 means the cloud model alone already gave
about the target.

## Weather years (synthetic, assumption)
Besides the typical year, each site has 10 further **synthetic weather years**,
`sites/weather_years/<site_id>_wyNN.csv.gz` (same columns and convention), addressed in a
scenario as `site.name: <site_id>@wyNN` (e.g. `ordos@wy03`) and listed by
`greenscen.data.list_weather_years(site_id)`. Year k has its own hourly weather (every
random stream seeded with `site.seed * 1000 + k`) and annual full-load hours drawn as
`target x (1 + CV z)`, z standard normal from `default_rng([site.seed, 99])`, with
**CV 3% for PV and 6% for wind: an assumption**, not calibrated against a published series
of these sites (none is in `shared/reference/`); the calibration of each year then meets
its drawn total. Use them to test whether a design sized on the typical year stays
compliant in poorer years, not as a forecast of any particular year.

{_weather_year_rows(sites)}

## Method: PV (per site)
1. Sun position at mid-hour: `pvlib.solarposition.get_solarposition` (pvlib {versions.get("pvlib", "?")}).
2. Clear sky: `pvlib.clearsky.ineichen` with the Linke turbidity of
   `pvlib.clearsky.lookup_linke_turbidity` at the site (pvlib's bundled monthly climatology),
   absolute air mass from `pvlib.atmosphere.get_relative_airmass` and `alt2pres(altitude)`,
   extraterrestrial DNI from `pvlib.irradiance.get_extra_radiation`.
3. Clouds: all-sky GHI = clear-sky GHI x hourly clear-sky index `kc`.
   - Daily index `k_day ~ Beta(m k, (1 - m) k)` with concentration k = {CLOUD_MODEL.beta_concentration:g}
     and a seasonal mean `m(doy) = m0 + a cos(2 pi (doy - {CLOUD_MODEL.coldest_day_of_year}) / 365)`
     (clearest in winter, cloudiest in the July monsoon; `m0`, `a` per site in `sites.yaml`).
     Days persist through a Gaussian copula: a daily AR(1) (phi = {CLOUD_MODEL.daily_ar1:g}) mapped by
     `scipy.stats.beta.ppf(norm.cdf(z))`, so the marginal stays exactly Beta.
   - Hourly: `kc = k_day exp(s e - s^2 / 2)`, `e` an hourly AR(1) (phi = {CLOUD_MODEL.hourly_ar1:g}),
     `s = {CLOUD_MODEL.hourly_sigma_max:g} x 4 k_day (1 - k_day)` (broken-cloud days vary most), `kc` capped at
     {CLOUD_MODEL.clear_index_cap:g}.
4. Decomposition `pvlib.irradiance.erbs`; transposition `pvlib.irradiance.get_total_irradiance`
   (Perez, albedo {PV_SYSTEM.albedo:g}) onto fixed south-facing modules tilted 37 deg (Ordos, Baotou)
   or 40 deg (Xilingol); beam incidence-angle loss `pvlib.iam.physical`.
5. Air temperature: `mean - A_s cos(2 pi (doy - 15)/365) + A_d cos(2 pi (hour - 15)/24)` plus a
   daily AR(1) anomaly (phi 0.7, sd 3 K). Cell temperature `pvlib.temperature.sapm_cell`
   ({PV_SYSTEM.temperature_model}); module wind = hub wind scaled to 10 m by a 1/7 power law.
6. DC: `pvlib.pvsystem.pvwatts_dc` (gamma {PV_SYSTEM.gamma_pdc_per_k:g} /K) less
   `pvlib.pvsystem.pvwatts_losses` ({losses}, snow 0.5 % west / 1.5 % Xilingol).
7. AC: `pvlib.inverter.pvwatts` (nominal efficiency {PV_SYSTEM.eta_inv_nom:g}) rated at 1 / DC/AC ratio
   of the DC nameplate, so clipping happens here; then {PV_SYSTEM.ac_loss_fraction:.0%} AC-side losses.
8. Calibration: one factor on the plane-of-array irradiance, found by `scipy.optimize.brentq`
   so the annual sum equals the target. It acts before the inverter, so no value exceeds the
   inverter limit and nothing is clipped at 1 after the fact.

## Method: wind (per site)
1. Driver: standard-normal AR(1) with hourly autocorrelation {WIND_FARM.hourly_ar1:g}; its
   {WIND_FARM.slow_anomaly_window_h} h periodic running mean is removed and the rest rescaled to unit
   variance, so the typical year's season comes from the modulation, not from a random
   anomalous month (lag-one autocorrelation after this step about 0.96-0.97).
2. Hub-height speed: `v = c(t) (-ln(1 - Phi(z)))^(1/k)`, Weibull with shape k per site and scale
   `c(t) = c0 x season(doy) x (1 + {WIND_FARM.diurnal_amplitude:g} cos(2 pi (hour + 0.5 - {WIND_FARM.diurnal_peak_hour:g}) / 24))`.
   Season: monthly factors Jan-Dec {months} (normalised to mean 1, interpolated daily):
   windy spring and winter, calm late summer; the night maximum stands for the nocturnal
   low-level jet that makes Inner Mongolian wind output higher at night (both assumptions).
3. Wake losses: `windpowerlib.wake_losses.reduce_wind_speed` ({WIND_FARM.wake_curve} curve).
4. Power: turbine **{WIND_FARM.turbine_type}** (hub height {WIND_FARM.hub_height_m:g} m), its power curve from
   windpowerlib's bundled oedb turbine library (`windpowerlib.WindTurbine`; fallback
   `windpowerlib/oedb/power_curves.csv`), smoothed for a farm with
   `windpowerlib.power_curves.smooth_power_curve` ({WIND_FARM.smoothing}) and density-corrected by
   `windpowerlib.power_output.power_curve(density_correction=True)`; hub density from
   `windpowerlib.density.barometric` with the site's pressure `pvlib.atmosphere.alt2pres` and
   the air temperature of PV step 5. A low specific rating (about 270 W/m2) was chosen to resemble
   the large-rotor machines now built in northern China.
5. Availability {WIND_FARM.availability:g}, electrical losses {WIND_FARM.electrical_loss_fraction:.0%}.
6. Calibration: `c0` (m/s) by `scipy.optimize.brentq` so the annual sum equals the target.

## Load shapes
All shapes are stylised **assumptions** about how such plants draw power. Load factor =
mean / peak; daily peak-valley rate = (max - min) / max of each calendar day.

{_shape_rows(shapes)}

`spec_category` is the user category a plant of this kind would typically declare in a
scenario (`greenscen.scenario.USER_CATEGORIES`): an electrolyser making hydrogen-based fuels is
`hydrogen_fuel`, a factory new to the grid `new_load`. The two-shift factory uses the 2025 public holidays and make-up working
days as remembered from the State Council General Office notice (not checked here).

## Random seeds and regeneration
Each site has a seed (table above): stream 0 air temperature, 1 clouds, 2 wind, as
`numpy.random.default_rng([seed, stream])`. Each load shape uses `default_rng(seed)`.
Regenerate everything (profiles, both YAML catalogues and this card) with

    python -m greenscen.data.generate_profiles            # into greenscen/data/
    python -m greenscen.data.generate_profiles --out DIR  # elsewhere

Generated with {version_text}. Other versions of these libraries may change the numbers slightly;
the calibration still hits the targets.

## Replacing a profile
Prepare a CSV with a `time` column (hourly date-times of one year, China local time or with an
explicit offset) and one or more value columns, e.g.

    time,pv
    2025-01-01 00:00,0.0
    2025-01-01 01:00,0.0

and read it with `greenscen.data.read_profile_csv(path, column="pv", kind="capacity factor")`
(or `kind="load"`). It may cover any whole number of days at hourly (or 5-30 minute) steps:
one calendar year is a typical year (a leap year's 8784 rows lose 29 February with a
warning), any other horizon is studied on its own dates; capacity factors must lie in [0, 1] per unit of installed
capacity; loads must be >= 0 in any unit. Every problem is reported as one `DataError` naming
the file, the column and the first offending line. To change the bundled defaults instead,
edit the assumptions in `greenscen/data/synthetic/` and regenerate.

## Known limitations
- Sites are independent random draws: no spatial correlation between Ordos and Baotou, which in
  reality see much of the same weather. PV and wind at a site share only the air temperature
  (and the wind that cools the modules): cloudy and windy spells are not linked.
- No interannual variability: one typical year. No curtailment: the profiles are available
  output, curtailment is for the model to decide.
- Not modelled: snow cover beyond a flat loss, dust storms, icing, turbine cut-out hysteresis,
  degradation, grid outages.
"""
