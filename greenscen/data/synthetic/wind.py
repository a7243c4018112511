"""Hourly wind capacity factors: synthetic hub-height wind -> a real turbine power curve.

Chain:

1. a standard-normal AR(1) ``z`` with hourly autocorrelation 0.97 (weather systems of a
   day or two), :func:`~greenscen.data.synthetic.weather.gaussian_ar1`;
2. Weibull wind speed at hub height, ``v = c(t) (-ln(1 - Phi(z)))**(1/k)``, whose scale
   ``c(t) = c0 x season x day cycle`` (:func:`~greenscen.data.synthetic.weather.wind_scale_modulation`);
3. farm wake losses as a wind-speed reduction, ``windpowerlib.wake_losses.reduce_wind_speed``
   (dena mean wind-efficiency curve);
4. the manufacturer power curve of one turbine type from windpowerlib's bundled oedb
   turbine library (``windpowerlib.WindTurbine``), smoothed for the spread of speeds across
   a farm with ``windpowerlib.power_curves.smooth_power_curve`` (Staffell-Pfenninger) and
   corrected for air density (``windpowerlib.density.barometric``, the site's altitude
   pressure from ``pvlib.atmosphere.alt2pres``) by ``windpowerlib.power_output.power_curve``;
5. availability and electrical losses.

Calibration finds ``c0`` (m/s) with ``scipy.optimize.brentq`` so that the annual full-load
hours equal the site target.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import pvlib
from scipy import optimize
from windpowerlib import density, power_curves, power_output, wake_losses

from greenscen.data.synthetic.sites import SiteSpec, WindFarmSpec
from greenscen.data.synthetic.weather import weibull_from_gaussian, wind_scale_modulation

# Height (m above ground) of the air temperature the density correction starts from.
TEMPERATURE_HEIGHT_M = 2.0


@dataclass(frozen=True)
class TurbineCurve:
    """A turbine's power curve: wind speed (m/s) against power (W), and its rating (W)."""

    turbine_type: str
    wind_speed_m_s: pd.Series
    power_w: pd.Series
    nominal_power_w: float


def load_turbine_curve(turbine_type: str, hub_height_m: float) -> TurbineCurve:
    """Return the oedb power curve of ``turbine_type`` bundled with windpowerlib.

    ``windpowerlib.WindTurbine`` reads the library's own copy of the oedb turbine data; if
    that fails (older windpowerlib versions try to download it), the curve is read from
    the package file ``windpowerlib/oedb/power_curves.csv`` directly.
    """
    try:
        from windpowerlib import WindTurbine

        turbine = WindTurbine(turbine_type=turbine_type, hub_height=hub_height_m)
        curve = turbine.power_curve
        nominal = float(turbine.nominal_power)
    except Exception as exc:  # noqa: BLE001 - any failure falls back to the bundled CSV
        warnings.warn(f"windpowerlib.WindTurbine failed ({exc}); reading oedb CSV", stacklevel=2)
        path = resources.files("windpowerlib") / "oedb" / "power_curves.csv"
        table = pd.read_csv(str(path), index_col=0)
        row = table.loc[table["turbine_type"] == turbine_type].iloc[0]
        curve = _curve_from_oedb_row(row)
        nominal = float(curve["value"].max())
    if curve is None or nominal <= 0:
        raise ValueError(f"no power curve for turbine type {turbine_type!r} in windpowerlib")
    return TurbineCurve(
        turbine_type=turbine_type,
        wind_speed_m_s=curve["wind_speed"].astype(float).reset_index(drop=True),
        power_w=curve["value"].astype(float).reset_index(drop=True),
        nominal_power_w=nominal,
    )


def _curve_from_oedb_row(row: pd.Series) -> pd.DataFrame:
    values = row.drop(labels=["turbine_type"]).dropna()
    speeds = pd.to_numeric(pd.Series(values.index), errors="coerce")
    keep = speeds.notna().to_numpy()
    # oedb power curves are in kW
    return pd.DataFrame(
        {"wind_speed": speeds[keep].to_numpy(), "value": values.to_numpy()[keep] * 1000.0}
    )


def hub_air_density_kg_m3(temp_air_c: pd.Series, site: SiteSpec, farm: WindFarmSpec) -> pd.Series:
    """Return air density at hub height (kg/m3) from site pressure and air temperature.

    Pressure at the ground from the site altitude (``pvlib.atmosphere.alt2pres``),
    temperature lapsed to hub height at -6.5 K/km, then ``windpowerlib.density.barometric``.
    """
    pressure_pa = pvlib.atmosphere.alt2pres(site.altitude_m)
    temp_hub_k = temp_air_c + 273.15 - 0.0065 * (farm.hub_height_m - TEMPERATURE_HEIGHT_M)
    rho = density.barometric(pressure_pa, TEMPERATURE_HEIGHT_M, farm.hub_height_m, temp_hub_k)
    return pd.Series(np.asarray(rho, dtype=float), index=temp_air_c.index, name="rho")


@dataclass(frozen=True)
class WindInputs:
    """Everything the wind chain needs except the Weibull scale ``c0``."""

    z: np.ndarray
    modulation: np.ndarray
    air_density_kg_m3: pd.Series
    curve: TurbineCurve
    smoothed_speed_m_s: pd.Series
    smoothed_power_w: pd.Series


def prepare_wind_inputs(
    index: pd.DatetimeIndex,
    z: np.ndarray,
    temp_air_c: pd.Series,
    site: SiteSpec,
    farm: WindFarmSpec,
) -> WindInputs:
    """Return the scale-independent parts of the wind chain for one site."""
    curve = load_turbine_curve(farm.turbine_type, farm.hub_height_m)
    smooth = power_curves.smooth_power_curve(
        curve.wind_speed_m_s, curve.power_w, standard_deviation_method=farm.smoothing
    )
    return WindInputs(
        z=z,
        modulation=wind_scale_modulation(index, farm),
        air_density_kg_m3=hub_air_density_kg_m3(temp_air_c, site, farm),
        curve=curve,
        smoothed_speed_m_s=smooth["wind_speed"].astype(float),
        smoothed_power_w=smooth["value"].astype(float),
    )


def hub_wind_speed(inputs: WindInputs, site: SiteSpec, scale_m_s: float) -> np.ndarray:
    """Return the free-stream hub-height wind speed (m/s) for Weibull scale ``scale_m_s``."""
    return weibull_from_gaussian(inputs.z, scale_m_s * inputs.modulation, site.wind_weibull_shape)


def wind_capacity_factor(
    inputs: WindInputs, site: SiteSpec, farm: WindFarmSpec, scale_m_s: float
) -> pd.Series:
    """Return the farm's AC output per unit of installed capacity (dimensionless, 0..1).

    Parameters
    ----------
    inputs : WindInputs
        Gaussian driver, modulation, air density (kg/m3) and the (smoothed) power curve.
    site : SiteSpec
        Gives the Weibull shape ``k`` (dimensionless).
    farm : WindFarmSpec
        Wake curve name, availability and electrical loss (fractions).
    scale_m_s : float
        Annual-mean Weibull scale ``c0`` at hub height (m/s).
    """
    index = inputs.air_density_kg_m3.index
    speed = pd.Series(hub_wind_speed(inputs, site, scale_m_s), index=index)
    waked = wake_losses.reduce_wind_speed(speed, wind_efficiency_curve_name=farm.wake_curve)
    power = power_output.power_curve(
        waked,
        inputs.smoothed_speed_m_s,
        inputs.smoothed_power_w,
        density=inputs.air_density_kg_m3,
        density_correction=True,
    )
    cf = np.asarray(power, dtype=float) / inputs.curve.nominal_power_w
    cf = np.clip(cf, 0.0, 1.0) * farm.availability * (1.0 - farm.electrical_loss_fraction)
    return pd.Series(cf, index=index, name="wind")


def calibrate_wind(
    inputs: WindInputs, site: SiteSpec, farm: WindFarmSpec, target_full_load_hours: float
) -> tuple[pd.Series, float]:
    """Return the capacity factors hitting ``target_full_load_hours`` and the scale ``c0``.

    ``c0`` (m/s) is found with ``scipy.optimize.brentq`` over [3, 14] m/s, where full-load
    hours rise monotonically with ``c0`` for any onshore power curve.
    """

    def excess(scale: float) -> float:
        cf = wind_capacity_factor(inputs, site, farm, scale)
        return float(cf.sum()) - target_full_load_hours

    scale = optimize.brentq(excess, 3.0, 14.0, xtol=1e-8)
    return wind_capacity_factor(inputs, site, farm, scale), float(scale)
