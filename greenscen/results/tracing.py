"""Green tracing: each user's share of the self-consumed renewable energy (SPEC A rule 10).

Clause 五(五): the project's self-consumption (自发自用电量) is the traced green energy; each
internal user gets a share of each time step's self-consumption in proportion to its
consumption in that step (小时级新能源发用电量匹配), and certificates (1 GEC = 1 MWh) follow
the traced energy.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from greenscen.results.metrics import require_columns, self_consumption_mw

USER_PREFIX = "load_mw:"
GREEN_PREFIX = "green_mw:"


def user_names(hourly: pd.DataFrame) -> list[str]:
    """Return the users of the dispatch, from its ``load_mw:<user>`` columns, in order.

    A dispatch without per-user columns has one user, ``"all"``, whose load is ``load_mw``.
    """
    users = [c[len(USER_PREFIX) :] for c in hourly.columns if c.startswith(USER_PREFIX)]
    return users or ["all"]


def user_loads(hourly: pd.DataFrame) -> pd.DataFrame:
    """Return the per-user loads [MW], one column per user named as in :func:`user_names`."""
    users = [c for c in hourly.columns if c.startswith(USER_PREFIX)]
    if not users:
        return pd.DataFrame({"all": hourly["load_mw"].astype(float)}, index=hourly.index)
    loads = hourly[users].astype(float)
    loads.columns = [c[len(USER_PREFIX) :] for c in users]
    return loads


def trace_green(hourly: pd.DataFrame) -> pd.DataFrame:
    """Return each user's traced green power per step, ``green_mw:<user>`` [MW] (五(五)).

    ``green_u[t] = sc[t] · L_u[t] / L[t]`` where ``sc`` is the self-consumption of
    :func:`~greenscen.results.metrics.self_consumption_mw` and ``L = load_mw`` the total
    load; 0 in steps where ``L[t] <= 0``. Hourly matching: the split follows each step's
    shares, not the annual ones.

    Parameters
    ----------
    hourly : DataFrame
        Hourly dispatch with ``load_mw``, ``import_mw`` and ``load_mw:<user>`` [MW].

    Returns
    -------
    DataFrame
        One ``green_mw:<user>`` column per user [MW] on the dispatch's index.

    Examples
    --------
    >>> import pandas as pd
    >>> h = pd.DataFrame({"load_mw": [40.0], "import_mw": [10.0],
    ...                   "load_mw:a": [30.0], "load_mw:b": [10.0]})
    >>> trace_green(h).iloc[0].tolist()
    [22.5, 7.5]
    """
    require_columns(hourly, "load_mw", "import_mw")
    load = hourly["load_mw"].astype(float).to_numpy()
    sc = self_consumption_mw(hourly).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(load > 0.0, sc / np.where(load > 0.0, load, 1.0), 0.0)
    loads = user_loads(hourly)
    green = loads.mul(factor, axis=0)
    green.columns = [GREEN_PREFIX + u for u in loads.columns]
    return green


def tracing_summary(hourly: pd.DataFrame, mwh_per_certificate: float = 1.0) -> pd.DataFrame:
    """Return each user's traced green energy and certificates over the horizon (五(五)).

    Parameters
    ----------
    hourly : DataFrame
        Hourly dispatch with ``duration_h`` [h], ``load_mw``, ``import_mw`` and
        ``load_mw:<user>`` [MW].
    mwh_per_certificate : float
        Energy per green certificate [MWh]; 1 GEC = 1 MWh.

    Returns
    -------
    DataFrame
        Indexed by ``user``: ``load_mwh``, ``green_mwh`` (Σ green_u·Δt), ``green_share``
        (green / load, NaN for a user without load), ``certificates`` (whole certificates,
        ``floor(green_mwh / mwh_per_certificate + 1e-9)``; the 1e-9 keeps 2.9999999999 from
        losing a certificate to rounding) and ``remainder_mwh`` (traced energy not yet a
        whole certificate).
    """
    if not mwh_per_certificate > 0:
        raise ValueError(f"mwh_per_certificate: expected a number > 0, found {mwh_per_certificate}")
    require_columns(hourly, "duration_h")
    dt = hourly["duration_h"].astype(float)
    loads = user_loads(hourly)
    green = trace_green(hourly)
    rows = []
    for user, gcol in zip(loads.columns, green.columns, strict=True):
        load_mwh = float((loads[user] * dt).sum())
        green_mwh = float((green[gcol] * dt).sum())
        certs = max(0, math.floor(green_mwh / mwh_per_certificate + 1e-9))
        rows.append(
            {
                "user": user,
                "load_mwh": load_mwh,
                "green_mwh": green_mwh,
                "green_share": green_mwh / load_mwh if load_mwh > 0 else float("nan"),
                "certificates": certs,
                "remainder_mwh": max(0.0, green_mwh - certs * mwh_per_certificate),
            }
        )
    return pd.DataFrame(rows).set_index("user")
