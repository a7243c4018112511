"""Quarterly monitoring of an enterprise's green share (000 二(三), 004 第十九条).

000 二(三): 「电网企业按季度报送重点用能企业的用电量和绿电交易电量，并同步按季度统计重点用能企业的绿证持有量」;
004 第十九条: the targets are monitored every quarter (四半期ごとにモニタリング). Per quarter ``q``::

    share[q]     = (direct[q] + trading[q] + certificates[q]) / load[q]
    ytd_share[q] = sum_{p <= q} green[p] / sum_{p <= q} load[p]

``direct`` is the sizing run's hourly self-consumed green energy (load − import, 五(五)),
``load`` its hourly load, ``trading`` and ``certificates`` the MWh the firm buys per quarter. A
quarter *lags* when its year-to-date share is below the annual target (the quarterly report is
what a grid company sends; the assessment stays annual, 004 第八条).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.carbon_hourly import step_energies_mwh


def _four(values: Sequence[float] | None, name: str) -> np.ndarray:
    if values is None:
        return np.zeros(4)
    v = np.asarray(values, dtype=float)
    if v.shape != (4,) or (v < 0).any():
        raise ScenarioError(f"monitoring.{name}: expected 4 quarterly MWh values >= 0, found {list(v)}")
    return v


def quarterly_green_share(
    hourly: pd.DataFrame,
    target_share: float,
    trading_mwh: Sequence[float] | None = None,
    certificates_mwh: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Return per quarter: load, direct, trading, certificates (MWh), share, YTD share, lagging.

    Parameters
    ----------
    hourly : DataFrame
        A sizing result's hourly frame (``duration_h``, ``load_mw``, ``import_mw``).
    target_share : float
        The year's minimum green share (fraction).
    trading_mwh, certificates_mwh : 4 values each, optional
        Green power traded and certificates bought per quarter, MWh.
    """
    e = step_energies_mwh(hourly)
    q = e.groupby(e.index.quarter)[["load_mwh", "direct_mwh"]].sum().reindex(range(1, 5), fill_value=0.0)
    q.index.name = "quarter"
    q["trading_mwh"] = _four(trading_mwh, "trading_mwh")
    q["certificates_mwh"] = _four(certificates_mwh, "certificates_mwh")
    q["green_mwh"] = q["direct_mwh"] + q["trading_mwh"] + q["certificates_mwh"]
    with np.errstate(invalid="ignore", divide="ignore"):
        q["share"] = q["green_mwh"] / q["load_mwh"]
        q["ytd_share"] = q["green_mwh"].cumsum() / q["load_mwh"].cumsum()
    q["target_share"] = float(target_share)
    q["lagging"] = q["ytd_share"] < float(target_share) - 1e-12
    q["catch_up_mwh"] = np.maximum(
        0.0, float(target_share) * q["load_mwh"].cumsum() - q["green_mwh"].cumsum()
    )
    return q
