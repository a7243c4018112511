"""Hourly PV capacity factors: pvlib clear sky x synthetic clouds -> POA -> PVWatts -> AC.

Chain (all pvlib 0.11+ functions):

1. sun position at mid-hour, ``pvlib.solarposition.get_solarposition``;
2. clear sky, ``pvlib.clearsky.ineichen`` with ``pvlib.clearsky.lookup_linke_turbidity``
   at the site and ``pvlib.atmosphere.alt2pres`` for the site pressure;
3. all-sky GHI = clear-sky GHI x the clear-sky index of
   :func:`~greenscen.data.synthetic.weather.hourly_clear_sky_index`;
4. DNI/DHI from GHI with ``pvlib.irradiance.erbs``;
5. plane of array, ``pvlib.irradiance.get_total_irradiance`` (Perez), beam incidence-angle
   loss ``pvlib.iam.physical``;
6. cell temperature ``pvlib.temperature.sapm_cell`` (open rack, glass/polymer);
7. DC power ``pvlib.pvsystem.pvwatts_dc`` (gamma -0.35 %/K) less
   ``pvlib.pvsystem.pvwatts_losses``;
8. inverter ``pvlib.inverter.pvwatts`` sized at ``1 / dc_ac_ratio`` of the DC nameplate
   (this is where clipping happens), then AC-side losses.

Calibration multiplies the plane-of-array irradiance by one factor, found by root finding
so that the annual full-load hours equal the site target. Because the factor acts before
the inverter, clipping still caps the output and no capacity factor can exceed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pvlib
from scipy import optimize

from greenscen.data.synthetic.sites import PVLIB_TIMEZONE, PvSystemSpec, SiteSpec


@dataclass(frozen=True)
class PvWeather:
    """Sun geometry and all-sky irradiance (W/m2) at the module plane for one site."""

    poa_effective_w_m2: pd.Series
    temp_air_c: pd.Series
    wind_speed_m_s: pd.Series


def plane_of_array_irradiance(
    index: pd.DatetimeIndex,
    site: SiteSpec,
    system: PvSystemSpec,
    clear_sky_index: pd.Series,
) -> pd.Series:
    """Return the effective plane-of-array irradiance (W/m2) for each hour of ``index``.

    Parameters
    ----------
    index : pandas.DatetimeIndex
        Naive hour-beginning local timestamps (UTC+8); each value is the hour's mean.
    site : SiteSpec
        Location, altitude (m) and module tilt (degrees).
    system : PvSystemSpec
        Azimuth (degrees, 180 = south) and ground albedo.
    clear_sky_index : pandas.Series
        GHI / clear-sky GHI per hour, on ``index``.
    """
    # The sun is evaluated at mid-hour so that an hour-beginning value is the hour's mean.
    mid = (index + pd.Timedelta(minutes=30)).tz_localize(PVLIB_TIMEZONE)
    solpos = pvlib.solarposition.get_solarposition(
        mid, site.latitude, site.longitude, altitude=site.altitude_m
    )
    pressure_pa = pvlib.atmosphere.alt2pres(site.altitude_m)
    am_rel = pvlib.atmosphere.get_relative_airmass(solpos["apparent_zenith"])
    am_abs = pvlib.atmosphere.get_absolute_airmass(am_rel, pressure_pa)
    linke = pvlib.clearsky.lookup_linke_turbidity(mid, site.latitude, site.longitude)
    dni_extra = pvlib.irradiance.get_extra_radiation(mid)
    clear = pvlib.clearsky.ineichen(
        solpos["apparent_zenith"], am_abs, linke, altitude=site.altitude_m, dni_extra=dni_extra
    )
    ghi = (clear["ghi"] * clear_sky_index.to_numpy()).fillna(0.0)
    split = pvlib.irradiance.erbs(ghi, solpos["zenith"], mid)
    poa = pvlib.irradiance.get_total_irradiance(
        surface_tilt=site.pv_tilt_deg,
        surface_azimuth=system.surface_azimuth_deg,
        solar_zenith=solpos["apparent_zenith"],
        solar_azimuth=solpos["azimuth"],
        dni=split["dni"].fillna(0.0),
        ghi=ghi,
        dhi=split["dhi"].fillna(0.0),
        dni_extra=dni_extra,
        airmass=am_rel,
        albedo=system.albedo,
        model="perez",
    )
    aoi = pvlib.irradiance.aoi(
        site.pv_tilt_deg, system.surface_azimuth_deg, solpos["apparent_zenith"], solpos["azimuth"]
    )
    iam = pvlib.iam.physical(aoi)
    effective = poa["poa_direct"].fillna(0.0) * iam + poa["poa_diffuse"].fillna(0.0)
    effective = effective.clip(lower=0.0).where(solpos["apparent_zenith"] < 90.0, 0.0)
    return pd.Series(effective.to_numpy(), index=index, name="poa_effective")


def pv_capacity_factor(
    weather: PvWeather, site: SiteSpec, system: PvSystemSpec, irradiance_scale: float = 1.0
) -> pd.Series:
    """Return AC output per unit of DC nameplate (dimensionless, 0..1/dc_ac_ratio).

    Parameters
    ----------
    weather : PvWeather
        Effective POA irradiance (W/m2), air temperature (degC), wind speed (m/s).
    site : SiteSpec
        Gives the snow loss (percent).
    system : PvSystemSpec
        PVWatts parameters: gamma (1/K), losses (percent), DC/AC ratio, inverter efficiency.
    irradiance_scale : float
        Calibration factor on the POA irradiance (dimensionless).
    """
    poa = weather.poa_effective_w_m2 * irradiance_scale
    params = pvlib.temperature.TEMPERATURE_MODEL_PARAMETERS["sapm"][system.temperature_model]
    temp_cell = pvlib.temperature.sapm_cell(
        poa, weather.temp_air_c, weather.wind_speed_m_s, **params
    )
    dc = pvlib.pvsystem.pvwatts_dc(poa, temp_cell, pdc0=1.0, gamma_pdc=system.gamma_pdc_per_k)
    loss_percent = pvlib.pvsystem.pvwatts_losses(
        snow=site.pv_snow_loss_percent, **system.dc_losses_percent
    )
    dc = dc * (1.0 - loss_percent / 100.0)
    ac_rating = 1.0 / system.dc_ac_ratio
    ac = pvlib.inverter.pvwatts(
        dc, pdc0=ac_rating / system.eta_inv_nom, eta_inv_nom=system.eta_inv_nom
    )
    cf = np.clip(np.asarray(ac, dtype=float), 0.0, None) * (1.0 - system.ac_loss_fraction)
    return pd.Series(cf, index=poa.index, name="pv")


def calibrate_pv(
    weather: PvWeather, site: SiteSpec, system: PvSystemSpec, target_full_load_hours: float
) -> tuple[pd.Series, float]:
    """Return the capacity factors hitting ``target_full_load_hours`` and the scale used.

    The irradiance scale is found with ``scipy.optimize.brentq`` on
    ``sum(cf) - target`` over [0.5, 1.5]; a target outside that bracket means the weather
    model and the target disagree, and raises ``ValueError`` rather than forcing it.
    """

    def excess(scale: float) -> float:
        return (
            float(pv_capacity_factor(weather, site, system, scale).sum()) - target_full_load_hours
        )

    scale = optimize.brentq(excess, 0.5, 1.5, xtol=1e-10)
    return pv_capacity_factor(weather, site, system, scale), float(scale)
