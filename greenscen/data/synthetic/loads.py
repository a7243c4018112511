"""Synthetic per-unit load shapes of industrial consumers for the typical year.

Each ``<shape>_load(index, rng)`` returns a Series on ``index`` in per unit of the
shape's own peak (max exactly 1.0, min > 0). The shapes are stylised assumptions about
how such plants draw power, not metered data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from greenscen.data.synthetic.weather import gaussian_ar1

# 2025 public holidays and make-up working days (调休) of the State Council General
# Office notice of November 2024, entered from memory and not checked against the
# notice here: an assumption.
HOLIDAYS_2025 = (
    ("2025-01-01", "2025-01-01"),
    ("2025-01-28", "2025-02-04"),
    ("2025-04-04", "2025-04-06"),
    ("2025-05-01", "2025-05-05"),
    ("2025-05-31", "2025-06-02"),
    ("2025-10-01", "2025-10-08"),
)
MAKEUP_WORKDAYS_2025 = ("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")


def normalise_to_peak(values: np.ndarray, index: pd.DatetimeIndex) -> pd.Series:
    """Return ``values / max(values)`` as a Series named ``load_pu`` (max exactly 1.0)."""
    values = np.asarray(values, dtype=float)
    if values.min() <= 0:
        raise ValueError("a load shape must stay above zero")
    return pd.Series(values / values.max(), index=index, name="load_pu")


def working_days(index: pd.DatetimeIndex) -> np.ndarray:
    """Return a boolean per timestamp: Monday-Friday or a make-up day, and not a holiday."""
    day = index.normalize()
    working = index.dayofweek < 5
    for start, end in HOLIDAYS_2025:
        working &= ~((day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end)))
    working |= day.isin(pd.to_datetime(list(MAKEUP_WORKDAYS_2025)))
    return np.asarray(working)


def _days(index: pd.DatetimeIndex) -> np.ndarray:
    return index.dayofyear.to_numpy() - 1


def electrolyser_load(index: pd.DatetimeIndex, rng: np.random.Generator) -> pd.Series:
    """Alkaline electrolyser plant (4 trains): near-flat high load with maintenance.

    Normal operation 0.95 of rating with a slow daily AR(1) swing (sd 0.02) and hourly
    noise (sd 0.01); one train of four out (0.72) on four one-day stack inspections; a
    five-day annual overhaul in May with one train held at its minimum (0.25 of plant
    rating); never below the alkaline minimum load of about 20 % of rating
    (REFERENCE_DATA.md, published).
    """
    days = _days(index)
    level = 0.95 + 0.02 * gaussian_ar1(days.max() + 1, 0.8, rng)[days]
    level = level + 0.01 * gaussian_ar1(len(index), 0.5, rng)
    level = np.minimum(level, 1.0)
    for day in (45, 140, 230, 320):  # stack inspections, one train out
        level[days == day] = np.minimum(level[days == day], 0.72)
    overhaul = (days >= 150) & (days < 155)
    level[overhaul] = 0.25 + 0.005 * rng.standard_normal(overhaul.sum())
    return normalise_to_peak(np.maximum(level, 0.2), index)


def aluminium_load(index: pd.DatetimeIndex, rng: np.random.Generator) -> pd.Series:
    """Electrolytic aluminium smelter: potlines draw an almost constant current.

    0.985 plus an hourly AR(1) ripple (phi 0.9, sd 0.004), kept inside [0.97, 1.0].
    """
    level = 0.985 + 0.004 * gaussian_ar1(len(index), 0.9, rng)
    return normalise_to_peak(np.clip(level, 0.97, 1.0), index)


def data_centre_load(index: pd.DatetimeIndex, rng: np.random.Generator) -> pd.Series:
    """Data centre: steady IT load times a cooling overhead that follows the weather.

    IT load 0.80 with a mild afternoon rise (+3 %) and noise; PUE 1.12 (free cooling)
    rising 0.012 per K of outdoor air above 10 degC, the air temperature being a generic
    Inner Mongolia cycle (mean 6 degC, seasonal +-17 K, diurnal +-6 K).
    """
    hour = index.hour.to_numpy() + 0.5
    doy = index.dayofyear.to_numpy()
    it = 0.80 * (1.0 + 0.03 * np.cos(2 * np.pi * (hour - 15.0) / 24.0))
    it = it * (1.0 + 0.01 * gaussian_ar1(len(index), 0.9, rng))
    temp_c = 6.0 - 17.0 * np.cos(2 * np.pi * (doy - 15) / 365.0)
    temp_c = temp_c + 6.0 * np.cos(2 * np.pi * (hour - 15.0) / 24.0)
    pue = 1.12 + 0.012 * np.maximum(temp_c - 10.0, 0.0)
    return normalise_to_peak(it * pue, index)


def polysilicon_load(index: pd.DatetimeIndex, rng: np.random.Generator) -> pd.Series:
    """Polysilicon (modified Siemens process): base plant plus batch-cycling reactors.

    A base of 0.65 (hydrogenation, distillation, cooling) plus ten reduction-furnace
    groups, each cycling through batches of 80-100 h in which its power rises linearly
    from 0.55 to 1.0 of its rating as the rods grow, then about 6 h at 0.05 for cooling,
    harvest and recharging; groups start at random phases.
    """
    n = len(index)
    furnaces = np.zeros(n)
    n_groups = 10
    for _ in range(n_groups):
        profile: list[np.ndarray] = []
        while sum(len(p) for p in profile) < n + 200:
            batch_h = int(rng.integers(80, 101))
            profile.append(np.linspace(0.55, 1.0, batch_h))
            profile.append(np.full(6, 0.05))
        cycle = np.concatenate(profile)
        offset = int(rng.integers(0, 100))
        furnaces += cycle[offset : offset + n]
    level = 0.65 + 0.35 * furnaces / n_groups
    level = level * (1.0 + 0.005 * rng.standard_normal(n))
    return normalise_to_peak(level, index)


def two_shift_factory_load(index: pd.DatetimeIndex, rng: np.random.Generator) -> pd.Series:
    """Manufacturing plant on two shifts, 08:00-24:00 on working days.

    Production hours at about 0.95 with dips at the 12:00 lunch break and the 16:00 shift
    change and a 07:00 warm-up at 0.5; nights, weekends and 2025 public holidays keep a
    base of about 0.2 (lighting, compressors, HVAC); make-up working days count as
    working days.
    """
    hour = index.hour.to_numpy()
    by_hour = np.full(24, 0.2)
    by_hour[7] = 0.5
    by_hour[8:24] = 0.95
    by_hour[12] = 0.80
    by_hour[16] = 0.85
    working = working_days(index)
    level = np.where(working, by_hour[hour], 0.2)
    noise_sd = np.where(level > 0.4, 0.02, 0.015)
    level = level + noise_sd * gaussian_ar1(len(index), 0.6, rng)
    return normalise_to_peak(np.clip(level, 0.15, 1.0), index)


@dataclass(frozen=True)
class LoadShapeSpec:
    """One bundled load shape: names, the category it stands for, seed and builder.

    ``spec_category`` is the scenario schema's user category a plant of this kind would
    typically declare (``greenscen.scenario.USER_CATEGORIES``).
    """

    shape_id: str
    name_en: str
    name_zh: str
    spec_category: str
    seed: int
    build: Callable[[pd.DatetimeIndex, np.random.Generator], pd.Series]
    note: str = ""


LOAD_SHAPES: tuple[LoadShapeSpec, ...] = (
    LoadShapeSpec(
        shape_id="electrolyser",
        name_en="Alkaline water electrolysis (hydrogen)",
        name_zh="碱性电解水制氢",
        spec_category="hydrogen_fuel",
        seed=201,
        build=electrolyser_load,
        note="a fixed shape; a flexible electrolyser is better modelled as a dispatchable load",
    ),
    LoadShapeSpec(
        shape_id="aluminium",
        name_en="Electrolytic aluminium smelter",
        name_zh="电解铝",
        spec_category="electrolytic_aluminium",
        seed=202,
        build=aluminium_load,
        note="a key industry with a green-power share obligation (发改办能源〔2024〕598号)",
    ),
    LoadShapeSpec(
        shape_id="data_centre",
        name_en="Data centre",
        name_zh="数据中心",
        spec_category="data_centre",
        seed=203,
        build=data_centre_load,
        note="new hub data centres: 80 % green-power share from 2025 (发改办能源〔2025〕669号)",
    ),
    LoadShapeSpec(
        shape_id="polysilicon",
        name_en="Polysilicon plant",
        name_zh="多晶硅",
        spec_category="polysilicon",
        seed=204,
        build=polysilicon_load,
        note="a key industry with a green-power share obligation from 2025 (发改办能源〔2025〕669号)",
    ),
    LoadShapeSpec(
        shape_id="two_shift_factory",
        name_en="Two-shift manufacturing plant",
        name_zh="两班制工厂",
        spec_category="new_load",
        seed=205,
        build=two_shift_factory_load,
        note="weekday two-shift pattern with 2025 public holidays (calendar: assumption)",
    ),
)
