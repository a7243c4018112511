"""The sites and the plant assumptions the synthetic profiles are built from.

Every number here is an **assumption** chosen to look like Inner Mongolia, not a
measurement: coordinates and altitudes are approximate city values, the climate
parameters are rounded climate-normal-like values entered from general knowledge, and the
full-load-hour targets sit inside the ranges that ``shared/reference/REFERENCE_DATA.md``
itself labels as assumptions (wind 2,400-2,800 h/yr, utility PV 1,500-1,700 h/yr).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

TYPICAL_YEAR = 2025
HOURS_PER_YEAR = 8760
TIMEZONE = "Asia/Shanghai"  # China keeps UTC+8 all year (no daylight saving)
PVLIB_TIMEZONE = "Etc/GMT-8"  # fixed UTC+8, same wall clock as Asia/Shanghai

PV_TARGET_SOURCE = (
    "REFERENCE_DATA.md: utility PV full-load hours, Inner Mongolia, about 1,500-1,700 h/yr "
    "(status there: assumption)"
)
WIND_TARGET_SOURCE = (
    "REFERENCE_DATA.md: wind full-load hours, Inner Mongolia, about 2,400-2,800 h/yr "
    "(status there: assumption)"
)


def typical_year_index() -> pd.DatetimeIndex:
    """Return the 8760 hour-beginning timestamps of the typical year, local time (naive).

    Returns
    -------
    pandas.DatetimeIndex
        ``2025-01-01 00:00`` ... ``2025-12-31 23:00`` hourly, named ``time``, no time zone
        attached; the wall clock is China Standard Time (UTC+8).
    """
    return pd.date_range(
        f"{TYPICAL_YEAR}-01-01 00:00", periods=HOURS_PER_YEAR, freq="h", name="time"
    )


@dataclass(frozen=True)
class SiteSpec:
    """One site: location, an assumed climate, and its calibration targets.

    Temperatures in degC, amplitudes in K, the clear-sky index is dimensionless
    (daily GHI / clear-sky GHI), targets are full-load hours per year (h).
    """

    site_id: str
    name_en: str
    name_zh: str
    latitude: float
    longitude: float
    altitude_m: float
    seed: int
    temp_mean_c: float
    temp_seasonal_amplitude_k: float
    temp_diurnal_amplitude_k: float
    clear_index_mean: float
    clear_index_seasonal_amplitude: float
    pv_tilt_deg: float
    pv_snow_loss_percent: float
    pv_target_full_load_hours: float
    wind_weibull_shape: float
    wind_target_full_load_hours: float
    note: str = ""


@dataclass(frozen=True)
class PvSystemSpec:
    """A fixed-tilt, south-facing utility PV plant modelled PVWatts-style.

    The capacity basis is the DC nameplate (MWp): capacity factors are AC energy at the
    plant's grid connection per MWp installed, the basis of Chinese PV utilisation-hour
    statistics and of PV capex quoted in yuan/W (both assumptions, not verified here).
    """

    surface_azimuth_deg: float = 180.0
    albedo: float = 0.2
    dc_ac_ratio: float = 1.2
    gamma_pdc_per_k: float = -0.0035
    eta_inv_nom: float = 0.96
    ac_loss_fraction: float = 0.01
    temperature_model: str = "open_rack_glass_polymer"
    # pvlib.pvsystem.pvwatts_losses arguments in percent; snow is set per site.
    dc_losses_percent: dict = field(
        default_factory=lambda: {
            "soiling": 3.0,
            "shading": 1.0,
            "mismatch": 2.0,
            "wiring": 2.0,
            "connections": 0.5,
            "lid": 1.5,
            "nameplate_rating": 1.0,
            "age": 0.0,
            "availability": 1.0,
        }
    )


@dataclass(frozen=True)
class CloudModelSpec:
    """Parameters of the daily-plus-hourly clear-sky-index model (dimensionless)."""

    beta_concentration: float = 6.0
    daily_ar1: float = 0.5
    hourly_ar1: float = 0.8
    hourly_sigma_max: float = 0.35
    clear_index_cap: float = 1.1
    coldest_day_of_year: int = 15


@dataclass(frozen=True)
class WindFarmSpec:
    """A wind farm of one turbine type fed by a synthetic hub-height wind speed.

    The monthly scale factors shape the season (windy spring, calm late summer), the
    diurnal amplitude makes hub-height wind stronger at night (the night-time low-level
    jet that makes Chinese wind output anti-peak), both assumptions.
    """

    turbine_type: str = "E-141/4200"
    hub_height_m: float = 120.0
    hourly_ar1: float = 0.97
    slow_anomaly_window_h: int = 720
    diurnal_amplitude: float = 0.08
    diurnal_peak_hour: float = 2.0
    monthly_scale_factor: tuple[float, ...] = (
        1.04,
        1.06,
        1.12,
        1.18,
        1.10,
        0.96,
        0.86,
        0.83,
        0.92,
        1.00,
        1.06,
        1.05,
    )
    wake_curve: str = "dena_mean"
    availability: float = 0.97
    electrical_loss_fraction: float = 0.02
    smoothing: str = "Staffell_Pfenninger"


SITES: tuple[SiteSpec, ...] = (
    SiteSpec(
        site_id="ordos",
        name_en="Ordos",
        name_zh="鄂尔多斯",
        latitude=39.6,
        longitude=109.8,
        altitude_m=1400.0,
        seed=101,
        temp_mean_c=6.5,
        temp_seasonal_amplitude_k=15.5,
        temp_diurnal_amplitude_k=6.0,
        clear_index_mean=0.79,
        clear_index_seasonal_amplitude=0.07,
        pv_tilt_deg=37.0,
        pv_snow_loss_percent=0.5,
        pv_target_full_load_hours=1650.0,
        wind_weibull_shape=2.0,
        wind_target_full_load_hours=2400.0,
        note="western Inner Mongolia (蒙西), PV-rich; Ordos plateau",
    ),
    SiteSpec(
        site_id="baotou",
        name_en="Baotou",
        name_zh="包头",
        latitude=40.65,
        longitude=109.84,
        altitude_m=1050.0,
        seed=102,
        temp_mean_c=7.2,
        temp_seasonal_amplitude_k=17.0,
        temp_diurnal_amplitude_k=6.0,
        clear_index_mean=0.80,
        clear_index_seasonal_amplitude=0.07,
        pv_tilt_deg=37.0,
        pv_snow_loss_percent=0.5,
        pv_target_full_load_hours=1650.0,
        wind_weibull_shape=2.0,
        wind_target_full_load_hours=2400.0,
        note="western Inner Mongolia (蒙西), industrial city on the Yellow River",
    ),
    SiteSpec(
        site_id="xilingol",
        name_en="Xilingol (Xilinhot)",
        name_zh="锡林郭勒(锡林浩特)",
        latitude=43.95,
        longitude=116.07,
        altitude_m=990.0,
        seed=103,
        temp_mean_c=2.6,
        temp_seasonal_amplitude_k=20.5,
        temp_diurnal_amplitude_k=6.5,
        clear_index_mean=0.755,
        clear_index_seasonal_amplitude=0.07,
        pv_tilt_deg=40.0,
        pv_snow_loss_percent=1.5,
        pv_target_full_load_hours=1500.0,
        wind_weibull_shape=2.2,
        wind_target_full_load_hours=2800.0,
        note="central-east Inner Mongolia grassland, wind-rich",
    ),
)

PV_SYSTEM = PvSystemSpec()
CLOUD_MODEL = CloudModelSpec()
WIND_FARM = WindFarmSpec()


def site_spec(site_id: str) -> SiteSpec:
    """Return the :class:`SiteSpec` with this id (KeyError names the known ids)."""
    for site in SITES:
        if site.site_id == site_id:
            return site
    raise KeyError(f"unknown site {site_id!r}; known: {', '.join(s.site_id for s in SITES)}")
