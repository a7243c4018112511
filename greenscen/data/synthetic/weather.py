"""Stochastic weather for the synthetic typical year: temperature, clouds, hub-height wind.

Each function takes the hourly index (or day-of-year numbers) and a numpy ``Generator``
and returns numpy arrays or pandas objects on the same index. The processes are simple,
documented statistical models, not reanalysis data: they reproduce a plausible season,
day-to-day persistence and hourly texture, nothing more.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from greenscen.data.synthetic.sites import CloudModelSpec, SiteSpec, WindFarmSpec

DAYS_PER_YEAR = 365.0


def gaussian_ar1(n: int, phi: float, rng: np.random.Generator) -> np.ndarray:
    """Return a stationary AR(1) series with zero mean and unit variance.

    ``x[t] = phi * x[t-1] + sqrt(1 - phi**2) * e[t]``, ``e ~ N(0, 1)``, ``x[0] ~ N(0, 1)``,
    so every ``x[t]`` is standard normal and the lag-k autocorrelation is ``phi**k``.

    Parameters
    ----------
    n : int
        Number of steps.
    phi : float
        Lag-one autocorrelation, ``0 <= phi < 1`` (dimensionless).
    rng : numpy.random.Generator
        Source of randomness.
    """
    if not 0.0 <= phi < 1.0:
        raise ValueError(f"phi must be in [0, 1), got {phi}")
    shocks = rng.standard_normal(n)
    x = np.empty(n)
    x[0] = shocks[0]
    scale = np.sqrt(1.0 - phi * phi)
    for t in range(1, n):
        x[t] = phi * x[t - 1] + scale * shocks[t]
    return x


def remove_slow_anomaly(x: np.ndarray, window: int) -> np.ndarray:
    """Return ``x`` minus its periodic running mean over ``window`` steps, rescaled to unit sd.

    A typical year should show the climatological season, not a random windy February or
    calm April that a strongly persistent AR(1) produces by chance; removing the
    month-scale running mean (taken as periodic over the year) leaves the hour-to-day
    texture intact and lets the deterministic seasonal modulation set the monthly means.
    The result is a linear filter of Gaussian noise, so it stays Gaussian.
    """
    kernel = np.ones(window) / window
    padded = np.concatenate([x[-window:], x, x[:window]])
    running = np.convolve(padded, kernel, mode="same")[window:-window]
    anomaly = x - running
    return (anomaly - anomaly.mean()) / anomaly.std()


def ambient_temperature_c(
    index: pd.DatetimeIndex, site: SiteSpec, rng: np.random.Generator
) -> pd.Series:
    """Return an hourly air temperature (degC) with season, day cycle and weather noise.

    ``T = mean - A_s cos(2 pi (doy - 15) / 365) + A_d cos(2 pi (hour - 15) / 24) + a_day``:
    coldest in mid-January, warmest in mid-July, daily maximum at 15:00 local time, and a
    daily anomaly ``a_day`` that is AR(1) from day to day (phi 0.7, sd 3 K).
    """
    doy = index.dayofyear.to_numpy()
    hour = index.hour.to_numpy() + 0.5
    seasonal = -site.temp_seasonal_amplitude_k * np.cos(2 * np.pi * (doy - 15) / DAYS_PER_YEAR)
    diurnal = site.temp_diurnal_amplitude_k * np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    n_days = int(doy.max())
    anomaly = 3.0 * gaussian_ar1(n_days, 0.7, rng)[doy - 1]
    return pd.Series(site.temp_mean_c + seasonal + diurnal + anomaly, index=index, name="temp_air")


def daily_clear_sky_index(
    n_days: int, site: SiteSpec, cloud: CloudModelSpec, rng: np.random.Generator
) -> np.ndarray:
    """Return one clear-sky index per day, Beta-distributed with a seasonal mean.

    The mean ``m(doy) = m0 + a cos(2 pi (doy - 15) / 365)`` is highest in winter (dry
    continental air) and lowest in July (summer monsoon). Each day's index is drawn from
    ``Beta(m k, (1 - m) k)`` with concentration ``k`` through a Gaussian copula: a daily
    Gaussian AR(1) ``z`` (lag-one correlation ``cloud.daily_ar1``) is mapped by
    ``Beta.ppf(Phi(z))``, so the marginal is exactly Beta and sunny or cloudy spells persist.
    """
    doy = np.arange(1, n_days + 1)
    mean = site.clear_index_mean + site.clear_index_seasonal_amplitude * np.cos(
        2 * np.pi * (doy - cloud.coldest_day_of_year) / DAYS_PER_YEAR
    )
    a = mean * cloud.beta_concentration
    b = (1.0 - mean) * cloud.beta_concentration
    u = stats.norm.cdf(gaussian_ar1(n_days, cloud.daily_ar1, rng))
    return stats.beta.ppf(u, a, b)


def hourly_clear_sky_index(
    index: pd.DatetimeIndex, site: SiteSpec, cloud: CloudModelSpec, rng: np.random.Generator
) -> pd.Series:
    """Return the hourly clear-sky index ``kc = GHI / GHI_clear`` (dimensionless).

    ``kc = k_day * exp(s e - s**2 / 2)`` where ``k_day`` comes from
    :func:`daily_clear_sky_index`, ``e`` is an hourly Gaussian AR(1)
    (``cloud.hourly_ar1``) and ``s = s_max * 4 k_day (1 - k_day)``: broken-cloud days
    (``k_day`` near 0.5) flicker most, clear and overcast days are smooth. The lognormal
    factor has mean one, so the day keeps its index on average. ``kc`` is capped at
    ``cloud.clear_index_cap`` (cloud enhancement above clear sky is brief and small).
    """
    doy = index.dayofyear.to_numpy()
    k_day = daily_clear_sky_index(int(doy.max()), site, cloud, rng)[doy - 1]
    sigma = cloud.hourly_sigma_max * 4.0 * k_day * (1.0 - k_day)
    e = gaussian_ar1(len(index), cloud.hourly_ar1, rng)
    kc = k_day * np.exp(sigma * e - 0.5 * sigma**2)
    return pd.Series(np.clip(kc, 0.0, cloud.clear_index_cap), index=index, name="kc")


def wind_scale_modulation(index: pd.DatetimeIndex, farm: WindFarmSpec) -> np.ndarray:
    """Return the multiplicative season x day-cycle modulation of the Weibull scale.

    The monthly factors of ``farm.monthly_scale_factor`` are placed at mid-month and
    interpolated linearly (periodically) to each day, normalised to mean one; the day cycle
    is ``1 + A cos(2 pi (hour - h_peak) / 24)`` with its maximum at night.
    """
    months = np.asarray(farm.monthly_scale_factor, dtype=float)
    months = months / months.mean()
    mid_month_doy = np.array([16, 45, 75, 105, 136, 166, 197, 228, 258, 289, 319, 350], float)
    doy = index.dayofyear.to_numpy().astype(float)
    seasonal = np.interp(doy, mid_month_doy, months, period=DAYS_PER_YEAR)
    hour = index.hour.to_numpy() + 0.5
    diurnal = 1.0 + farm.diurnal_amplitude * np.cos(
        2 * np.pi * (hour - farm.diurnal_peak_hour) / 24.0
    )
    return seasonal * diurnal


def weibull_from_gaussian(z: np.ndarray, scale: np.ndarray | float, shape: float) -> np.ndarray:
    """Return Weibull variates (m/s) from standard normal ``z`` by probability transform.

    ``v = c (-ln(1 - Phi(z)))**(1/k)``: monotone in ``z``, so the temporal correlation of
    ``z`` carries over, and for constant ``c`` the values are exactly Weibull(``k``, ``c``).
    ``Phi`` is evaluated as the survival function to keep precision in the upper tail.
    """
    survival = stats.norm.sf(z)
    return np.asarray(scale) * (-np.log(survival)) ** (1.0 / shape)
