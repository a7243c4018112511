"""Typical days: the reduced time grid fast mode sizes on (tsam clustering, day weights).

Each typical day is the mean of its member days, so every annual energy is kept exactly;
``TimeGrid.sequence`` keeps the year's day order for linked storage
(``greenscen.model.components.define_linked_storage``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from greenscen.base.params import SizingParams
from greenscen.errors import ScenarioError
from greenscen.model.timegrid import TimeGrid
from greenscen.scenario.inputs import ModelInputs

EXTREME_DAYS = 3  # the highest-load day and the lowest-output day of each technology
MIN_DAYS = EXTREME_DAYS + 1


def cluster_days(inputs: ModelInputs, n_periods: int) -> np.ndarray:
    """Return the tsam cluster of each day of the year (``n_periods`` + the extreme days)."""
    import tsam

    steps = steps_per_day(inputs)
    n_days = len(inputs.index) // steps
    if n_days < MIN_DAYS:
        raise ScenarioError(
            f"--mode fast: expected a horizon of at least {MIN_DAYS} days to pick typical days "
            f"from (one + {EXTREME_DAYS} extreme days); found {n_days} day(s) from "
            f"{inputs.index[0]:%Y-%m-%d}; use --mode exact, which solves a horizon this short "
            "in seconds"
        )
    data = pd.DataFrame({"load_mw": inputs.total_load_mw.to_numpy(dtype=float)}, index=inputs.index)
    for k in inputs.cf.columns:
        data[f"cf:{k}"] = inputs.cf[k].to_numpy(dtype=float)
    extremes = tsam.ExtremeConfig(
        method="append", max_period=["load_mw"], min_period=list(data.columns[1:])
    )
    shape = inputs.h2_shape_values
    if shape is not None:
        days = shape[: n_days * steps].reshape(n_days, steps)
        if np.any(days != days[0]):
            # a hydrogen delivery that differs between days (a weekly shape, a csv) is a
            # feature of the day too: weekend days then fall in clusters of their own, and
            # linked storage carries the weekend's hydrogen through the year's day sequence
            # (not an extreme period: the extreme days stay those of load and output)
            data["h2_shape"] = shape
    res = tsam.aggregate(data, min(n_periods, n_days - EXTREME_DAYS), period_duration=24,
                         extremes=extremes)  # fmt: skip
    return np.asarray(res.cluster_assignments, dtype=int)[:n_days]


def steps_per_day(inputs: ModelInputs) -> int:
    """Return the number of time steps in a day of the inputs."""
    return int(round(24 / float(inputs.duration_h.iloc[0])))


def typical_day_grid(
    inputs: ModelInputs,
    params: SizingParams,
    n_periods: int,
    extra_days=(),
    days: np.ndarray | None = None,
) -> TimeGrid:
    """Return a grid of ``n_periods`` (+ extreme) typical days, weighted by their day counts.

    Each day in ``extra_days`` (day numbers of the year) is a typical day of its own; ``days``
    is the clustering of :func:`cluster_days`, computed when not given.
    """
    steps = steps_per_day(inputs)
    days = cluster_days(inputs, n_periods) if days is None else np.array(days)
    n_days = len(days)
    for d in sorted({int(d) for d in extra_days if 0 <= d < n_days}):
        days[d] = days.max() + 1
    used, seq = np.unique(days, return_inverse=True)  # renumber the clusters 0..p-1
    counts = np.bincount(seq, minlength=len(used)).astype(float)

    def typical(values: np.ndarray) -> np.ndarray:
        per_day = values[: n_days * steps].reshape(n_days, steps)
        sums = np.zeros((len(used), steps))
        np.add.at(sums, seq, per_day)
        return (sums / counts[:, None]).ravel()

    n = len(used) * steps
    period = np.repeat(np.arange(len(used)), steps)
    window = period if params.policy.peak_valley_window != "Y" else np.zeros(n, dtype=int)
    return TimeGrid(
        load_mw=typical(inputs.total_load_mw.to_numpy(dtype=float)),
        cf={k: typical(inputs.cf[k].to_numpy(dtype=float)) for k in inputs.cf.columns},
        duration_h=typical(inputs.duration_h.to_numpy(dtype=float)),
        weight=np.repeat(counts, steps) * inputs.annual_scale,  # day counts, scaled to a year
        period=period,
        window=window,
        energy_price=typical(inputs.energy_price_yuan_per_mwh.to_numpy(dtype=float)),
        export_price=typical(inputs.export_price_yuan_per_mwh.to_numpy(dtype=float)),
        sequence=seq,
        h2_shape=None if inputs.h2_demand_shape is None else typical(inputs.h2_shape_values),
    )
