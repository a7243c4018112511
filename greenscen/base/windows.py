"""Peak-valley windows (四(三)): which steps share a window, and the rate of a power in each.

Pure functions on pandas and numpy objects, used by the model (one ``p_max``/``p_min`` pair per
window), by the typed parameters (the default limit is the load's own largest rate) and by the
independent compliance check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

WINDOWS = ("D", "M", "Y")


def window_ids(index: pd.DatetimeIndex, window: str) -> np.ndarray:
    """Return an integer window id per step: calendar day (D), month (M) or one window (Y)."""
    if window == "D":
        key = index.normalize()
    elif window == "M":
        key = index.to_period("M")
    elif window == "Y":
        return np.zeros(len(index), dtype=int)
    else:
        raise ValueError(f"window must be D, M or Y, got {window!r}")
    return pd.factorize(key)[0]


def window_labels(index: pd.DatetimeIndex, window: str) -> pd.DatetimeIndex:
    """Return, for each time step, the start of its peak-valley window (四(三)).

    Parameters
    ----------
    index : DatetimeIndex
        Step start times.
    window : {"D", "M", "Y"}
        ``"D"`` calendar day (grid practice), ``"M"`` calendar month, ``"Y"`` the whole horizon
        (one window, labelled by the first step's day; a year for a full-year run).
    """
    if window not in WINDOWS:
        raise ValueError(f"window: expected one of {list(WINDOWS)}, found {window!r}")
    index = pd.DatetimeIndex(index)
    days = index.normalize()
    if window == "D":
        return days
    if window == "M":
        return days - pd.to_timedelta(np.asarray(index.day) - 1, unit="D")
    return pd.DatetimeIndex([days.min()] * len(index))


def window_extremes(power: pd.Series, window: str = "D") -> pd.DataFrame:
    """Return the largest and smallest power of each window, ``max_mw`` and ``min_mw`` [MW]."""
    labels = window_labels(power.index, window)
    g = power.astype(float).groupby(pd.Index(labels, name="window"), sort=True)
    return pd.DataFrame({"max_mw": g.max(), "min_mw": g.min()})


def peak_valley_rate(power: pd.Series, window: str = "D", zero_tol_mw: float = 1e-3) -> pd.Series:
    """Return the peak-valley difference rate ``(max − min) / max`` of each window (四(三)).

    峰谷差率: Chinese grid practice computes it per day on the exchange power ``P`` (or on the
    load, for the planned value).

    Sign policy. ``P = import − export`` is negative in export hours, and the rule is applied to
    ``P`` as it is, with no absolute value and no clipping:

    - ``max > zero_tol_mw``: rate ``= (max − min) / max``. Under this formula any export hour
      on a day with import makes the rate greater than 1 (``min < 0`` so ``max − min > max``).
    - ``max <= zero_tol_mw`` and ``min >= −zero_tol_mw``: no exchange in the window, rate 0.
    - ``max <= zero_tol_mw`` and ``min < −zero_tol_mw``: an export-only window. The rate is
      undefined (the peak is not positive); it is returned as ``+inf``. The project's stated
      reading is that such a window breaks any limit, and the optimisation model forbids it.

    Parameters
    ----------
    power : Series
        Step-average power [MW] on a DatetimeIndex of step starts.
    window : {"D", "M", "Y"}
        Calendar day, calendar month or the whole horizon (see :func:`window_labels`).
    zero_tol_mw : float
        Powers within ``±zero_tol_mw`` [MW] of 0 count as 0 when deciding the cases above.

    Returns
    -------
    Series
        ``peak_valley_rate`` [-], one value per window, indexed by the window's start.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.Series([10.0, 5.0, 0.0, -2.0], index=pd.date_range("2026-01-01", periods=4, freq="12h"))
    >>> peak_valley_rate(p).tolist()
    [0.5, inf]
    """
    ext = window_extremes(power, window)
    mx, mn = ext["max_mw"].to_numpy(), ext["min_mw"].to_numpy()
    positive = mx > zero_tol_mw
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(positive, (mx - mn) / np.where(positive, mx, 1.0), 0.0)
    rate = np.where(~positive & (mn < -zero_tol_mw), np.inf, rate)
    return pd.Series(rate, index=ext.index, name="peak_valley_rate")


def load_peak_valley_limit(load_mw: pd.Series, window: str = "D") -> float:
    """Return the load's own largest peak-valley rate over the windows (四(三), default limit).

    The planned maximum peak-valley difference rate of rule 6 defaults to the largest
    ``(max L − min L) / max L`` of the declared total load over the windows (``"D"``: the
    largest daily rate of the year). 0 for an empty or all-zero load.
    """
    if len(load_mw) == 0:
        return 0.0
    return float(peak_valley_rate(load_mw, window).max())
