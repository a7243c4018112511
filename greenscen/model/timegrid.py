"""The time grid a sizing LP is written on: steps with durations, weights, periods and windows.

The full year at its own resolution is one grid (:func:`full_grid`); typical periods are
another (``greenscen.model.fast``). Every constraint family reads only a grid, so one
formulation serves both.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from greenscen.base.params import SizingParams
from greenscen.base.windows import window_ids
from greenscen.scenario.inputs import ModelInputs


@dataclass(frozen=True)
class TimeGrid:
    """Steps of a model: durations (h), weights (year hours per step hour), periods, windows.

    ``weight`` carries the typical days' day counts and the horizon's scaling to a year
    (``greenscen.base.horizon``), so Σ Δt·w = 8760 h on every grid of a scenario.
    """

    load_mw: np.ndarray
    cf: dict[str, np.ndarray]
    duration_h: np.ndarray
    weight: np.ndarray
    period: np.ndarray  # storage is cyclic within each period (one period = the year)
    window: np.ndarray  # peak-valley window id per step
    energy_price: np.ndarray  # yuan/MWh
    export_price: np.ndarray  # yuan/MWh
    sequence: np.ndarray | None = None  # typical period of each day of the year (storage linking)
    h2_shape: np.ndarray | None = None  # relative hydrogen delivery per step (None: flat)

    @property
    def n(self) -> int:
        return len(self.duration_h)

    @property
    def year_h(self) -> np.ndarray:
        """Hours of the year each step stands for (Δt · weight)."""
        return self.duration_h * self.weight

    @property
    def load_mwh(self) -> float:
        """Energy of the load in the year the grid stands for (MWh per year)."""
        return float(self.load_mw @ self.year_h)

    def previous_step(self) -> np.ndarray:
        """Return the index of each step's predecessor, wrapping around within its period."""
        n = self.n
        prev = np.arange(n) - 1
        starts = np.flatnonzero(np.r_[True, self.period[1:] != self.period[:-1]])
        ends = np.r_[starts[1:], n] - 1
        prev[starts] = ends
        return prev


def full_grid(inputs: ModelInputs, params: SizingParams) -> TimeGrid:
    """Return the time grid of the inputs as they are (one cyclic period).

    Every step weighs ``inputs.annual_scale`` (8760 h / horizon hours, 1 for one year): the
    horizon's energies and operating costs then count per year, like the annualised capex.
    """
    n = len(inputs.index)
    return TimeGrid(
        load_mw=inputs.total_load_mw.to_numpy(dtype=float),
        cf={k: inputs.cf[k].to_numpy(dtype=float) for k in inputs.cf.columns},
        duration_h=inputs.duration_h.to_numpy(dtype=float),
        weight=np.full(n, inputs.annual_scale),
        period=np.zeros(n, dtype=int),
        window=window_ids(inputs.index, params.policy.peak_valley_window),
        energy_price=inputs.energy_price_yuan_per_mwh.to_numpy(dtype=float),
        export_price=inputs.export_price_yuan_per_mwh.to_numpy(dtype=float),
        h2_shape=inputs.h2_shape_values,
    )
