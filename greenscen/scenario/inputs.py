"""Turn a validated scenario into model inputs: time index, loads (MW), capacity factors, prices.

Every series is indexed by the study's time steps (local time). Bundled profiles hold a
typical non-leap year of 8760 hours, placed on the scenario's year (in a leap year 29
February is left out, so the year has 365 days), as is a user's file of one calendar year.
A user's file of any other whole-day horizon (a month, several years) is studied on its own
dates, with the bundled profiles mapped onto them by month, day and hour; ``horizon`` says
which and scales the horizon's totals to a year (``greenscen.base.horizon``). At ``time.resolution_h = n`` consecutive n-hour blocks are averaged
(powers) and each step carries ``duration_h = n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.base.horizon import HOURS_PER_YEAR, Horizon, horizon_of, is_calendar_year
from greenscen.errors import DataError, ScenarioError
from greenscen.scenario.load import LoadedScenario

__all__ = ["HOURS_PER_YEAR", "ModelInputs", "build_inputs", "check_export_price", "year_index"]


@dataclass(frozen=True)
class ModelInputs:
    """Time series a sizing model needs, all on one DatetimeIndex.

    Attributes
    ----------
    load_mw : DataFrame
        One column per user, MW (step averages).
    cf : DataFrame
        One column per renewable technology, capacity factor (per unit of installed MW).
    duration_h : Series
        Length of each step in hours.
    energy_price_yuan_per_mwh, export_price_yuan_per_mwh : Series
        Grid energy price (time of use) and export price per step.
    h2_demand_shape : Series, optional
        Relative hydrogen delivery per step (``hydrogen.demand.shape`` or ``csv``; any scale,
        the model scales it to the annual demand); None: flat.
    """

    load_mw: pd.DataFrame
    cf: pd.DataFrame
    duration_h: pd.Series
    energy_price_yuan_per_mwh: pd.Series
    export_price_yuan_per_mwh: pd.Series
    horizon: Horizon | None = None
    h2_demand_shape: pd.Series | None = None

    @property
    def h2_shape_values(self) -> np.ndarray | None:
        """``h2_demand_shape`` as an array (None: flat delivery)."""
        return None if self.h2_demand_shape is None else self.h2_demand_shape.to_numpy(dtype=float)

    @property
    def annual_scale(self) -> float:
        """8760 h / horizon hours (``greenscen.base.horizon``); 1 for inputs built by hand."""
        return self.horizon.annual_scale if self.horizon is not None else 1.0

    @property
    def index(self) -> pd.DatetimeIndex:
        return self.load_mw.index

    @property
    def total_load_mw(self) -> pd.Series:
        return self.load_mw.sum(axis=1).rename("load_mw")

    @property
    def load_mwh(self) -> float:
        return float((self.total_load_mw * self.duration_h).sum())

    def aggregate(self, hours: int) -> ModelInputs:
        """Return these inputs averaged over consecutive blocks of ``hours`` steps (hourly base)."""
        return _aggregate(self, hours)


def year_index(year: int) -> pd.DatetimeIndex:
    """Return the 8760 hourly time stamps of ``year`` (29 February left out), named ``time``."""
    idx = pd.date_range(f"{year}-01-01 00:00", f"{year}-12-31 23:00", freq="h", name="time")
    idx = idx[~((idx.month == 2) & (idx.day == 29))]
    assert len(idx) == HOURS_PER_YEAR
    return idx


def _user_path(ls: LoadedScenario, rel: str) -> Path:
    p = Path(rel)
    return p if p.is_absolute() else ls.base_dir / p


def _user_profiles(ls: LoadedScenario) -> dict[str, pd.Series]:
    """Return every profile file of the scenario, read once: {field (file): series}."""
    from greenscen.data import read_profile_csv

    sc, out = ls.scenario, {}
    for i, user in enumerate(sc.users):
        if user.load is not None and user.load.csv is not None:
            series = read_profile_csv(_user_path(ls, user.load.csv), column=user.load.column, kind="load")
            out[f"users[{i}].load.csv ({user.load.csv})"] = series
    given = dict(sc.site.csv or {})
    unknown = sorted(set(given) - {"wind", "pv"})
    if unknown:
        raise ScenarioError(f"site.csv: expected technologies wind, pv; found {unknown}", source=ls.source)
    for tech, rel in given.items():
        out[f"site.csv.{tech} ({rel})"] = read_profile_csv(_user_path(ls, rel), kind="capacity factor")
    demand = sc.hydrogen.demand if sc.hydrogen is not None else None
    if demand is not None and demand.csv is not None:
        out[f"hydrogen.demand.csv ({demand.csv})"] = read_profile_csv(
            _user_path(ls, demand.csv), column=demand.column, kind="load")
    return out


def _h2_demand_shape(ls: LoadedScenario, idx: pd.DatetimeIndex,
                     profiles: dict[str, pd.Series]) -> pd.Series | None:  # fmt: skip
    """Return the relative hydrogen delivery per hour (None: flat), from shape or csv."""
    demand = ls.scenario.hydrogen.demand if ls.scenario.hydrogen is not None else None
    if demand is None or (demand.shape is None and demand.csv is None):
        return None
    if demand.csv is not None:
        where = f"hydrogen.demand.csv ({demand.csv})"
        values = profiles[where].to_numpy(dtype=float)
        if not np.any(values > 0):
            raise ScenarioError(f"{where}: expected a hydrogen delivery above 0 in some hour, found 0 "
                                "in every hour", source=ls.source)  # fmt: skip
    else:
        shape = np.asarray(demand.shape, dtype=float)
        at = idx.hour if len(shape) == 24 else idx.dayofweek * 24 + idx.hour
        values = shape[np.asarray(at)]
        if not np.any(values > 0):  # a 168-value shape on a horizon of its zero days only
            raise ScenarioError("hydrogen.demand.shape: expected a delivery above 0 in some hour of the "
                                f"horizon, found 0 in every hour of {_span(idx)}", source=ls.source)
    return pd.Series(values, index=idx, name="h2_demand_shape")


def _span(index: pd.DatetimeIndex) -> str:
    days = len(index) / 24
    return f"{index[0]:%Y-%m-%d %H:%M} to {index[-1]:%Y-%m-%d %H:%M} ({days:,.0f} days)"


def horizon_index(ls: LoadedScenario, profiles: dict[str, pd.Series]) -> tuple[pd.DatetimeIndex, bool]:
    """Return the hourly steps of the study and whether they are a typical year.

    Bundled profiles and a user's files of one calendar year are a typical year, placed on
    the scenario's year (:func:`year_index`). A user's file of any other whole-day horizon
    sets the study's dates; every other user file must then have the same dates (bundled
    profiles are mapped onto them by month, day and hour, see :func:`typical_positions`).
    """
    dated = {k: s.index for k, s in profiles.items() if not is_calendar_year(s.index)}
    if not dated:
        return year_index(ls.scenario.year), True
    ref_key, ref = next(iter(dated.items()))
    for key, series in profiles.items():
        if key == ref_key:
            continue
        if not series.index.equals(ref):
            raise ScenarioError(
                f"{key}: expected the same dates as {ref_key}, {_span(ref)}; found "
                f"{_span(series.index)} (give every profile file the same whole days)",
                source=ls.source,
            )
    return pd.DatetimeIndex(ref, name="time"), False


def typical_positions(idx: pd.DatetimeIndex) -> np.ndarray:
    """Return the hour of the typical (bundled, 8760 h) year each time stamp takes its value from.

    Same month, day and hour; 29 February takes 28 February's values.
    """
    day = np.where((idx.month == 2) & (idx.day == 29), 28, idx.day)
    ref = pd.to_datetime(pd.DataFrame({"year": 2025, "month": idx.month, "day": day, "hour": idx.hour}))
    return ((ref - pd.Timestamp("2025-01-01")) // pd.Timedelta(hours=1)).to_numpy(dtype=int)


def _load_profiles(ls: LoadedScenario, idx: pd.DatetimeIndex, profiles: dict[str, pd.Series],
                   pos: np.ndarray) -> pd.DataFrame:  # fmt: skip
    from greenscen.data import load_shape

    cols = {}
    for i, user in enumerate(ls.scenario.users):
        spec = user.load
        where = f"users[{i}].load"
        if spec is None:  # the electrolyser user: its load is a decision of the LP
            cols[user.name] = np.zeros(len(idx))
            continue
        if spec.csv is not None:
            values = profiles[f"{where}.csv ({spec.csv})"].to_numpy(dtype=float)
        else:
            try:
                shape = load_shape(spec.shape).to_numpy(dtype=float)
            except DataError as exc:
                raise ScenarioError([f"{where}.shape: {p}" for p in exc.problems],
                                    source=ls.source) from None  # fmt: skip
            # annual_mwh is a typical year's energy: the horizon takes the shape's hours
            if spec.peak_mw is not None:
                values = shape[pos] / shape.max() * spec.peak_mw
            else:
                values = shape[pos] / shape.sum() * spec.annual_mwh
        if user.online_from is not None:
            values = np.where(idx < pd.Timestamp(user.online_from), 0.0, values)
        if not np.any(values > 0):
            found = "0 MW in every hour" + (
                f" once online_from {user.online_from} is applied" if user.online_from else "")
            what = f"{where}.csv ({spec.csv})" if spec.csv is not None else where
            raise ScenarioError(
                f"{what}: expected a load above 0 MW in some hour of the horizon for user "
                f"{user.name!r}, found {found}; remove the user or give its load",
                source=ls.source,
            )
        cols[user.name] = values
    return pd.DataFrame(cols, index=idx)


def _capacity_factors(ls: LoadedScenario, idx: pd.DatetimeIndex, profiles: dict[str, pd.Series],
                      pos: np.ndarray) -> pd.DataFrame:  # fmt: skip
    from greenscen.data import site_capacity_factors

    sc = ls.scenario
    techs = [t for t in ("wind", "pv") if getattr(sc.technologies, t) is not None]
    given = dict(sc.site.csv or {})
    bundled = None
    if sc.site.name is not None:
        try:
            bundled = site_capacity_factors(sc.site.name)
        except DataError as exc:
            raise ScenarioError([f"site.name: {p}" for p in exc.problems], source=ls.source) from None
    cols = {}
    for tech in techs:
        if tech in given:
            cols[tech] = profiles[f"site.csv.{tech} ({given[tech]})"].to_numpy(dtype=float)
        elif bundled is not None and tech in bundled:
            cols[tech] = bundled[tech].to_numpy(dtype=float)[pos]
        else:
            raise ScenarioError(
                f"site: no capacity-factor profile for {tech}; give site.name or site.csv.{tech}",
                source=ls.source,
            )
    return pd.DataFrame(cols, index=idx)


def _tou_prices(price, idx: pd.DatetimeIndex) -> np.ndarray:
    if isinstance(price, (int, float)):
        return np.full(len(idx), float(price))
    by_hour = np.zeros(24)
    for period in price.values():
        by_hour[period.hours] = period.price
    return by_hour[idx.hour]


def build_inputs(ls: LoadedScenario) -> ModelInputs:
    """Return the model inputs of a loaded scenario at its time resolution."""
    sc = ls.scenario
    profiles = _user_profiles(ls)
    idx, typical_year = horizon_index(ls, profiles)
    pos = np.arange(len(idx)) if typical_year else typical_positions(idx)
    load = _load_profiles(ls, idx, profiles, pos)
    cf = _capacity_factors(ls, idx, profiles, pos)
    hourly = ModelInputs(
        load_mw=load,
        cf=cf,
        duration_h=pd.Series(1.0, index=idx, name="duration_h"),
        energy_price_yuan_per_mwh=pd.Series(
            _tou_prices(sc.tariff.energy_price_yuan_per_mwh, idx), index=idx, name="energy_price"
        ),
        export_price_yuan_per_mwh=pd.Series(
            float(sc.tariff.export_price_yuan_per_mwh), index=idx, name="export_price"
        ),
        horizon=horizon_of(idx, 1.0, typical_year),
        h2_demand_shape=_h2_demand_shape(ls, idx, profiles),
    )
    if sc.time.resolution_h > 1:
        return _aggregate(hourly, sc.time.resolution_h)
    return hourly


def _aggregate(inp: ModelInputs, hours: int) -> ModelInputs:
    if hours == 1:
        return inp
    n = len(inp.index)
    if n % hours:
        raise ScenarioError(f"time.resolution_h: {n} steps do not split into blocks of {hours}")
    groups = np.arange(n) // hours
    new_index = inp.index[::hours]

    def avg(obj):
        out = obj.groupby(groups).mean()
        out.index = new_index
        return out

    dur = inp.duration_h.groupby(groups).sum()
    dur.index = new_index
    return ModelInputs(
        load_mw=avg(inp.load_mw),
        cf=avg(inp.cf),
        duration_h=dur.rename("duration_h"),
        energy_price_yuan_per_mwh=avg(inp.energy_price_yuan_per_mwh),
        export_price_yuan_per_mwh=avg(inp.export_price_yuan_per_mwh),
        horizon=inp.horizon,
        h2_demand_shape=avg(inp.h2_demand_shape) if inp.h2_demand_shape is not None else None,
    )


def check_export_price(inputs: ModelInputs, td_charge_yuan_per_mwh: float, source: str | None = None) -> None:
    """Raise ScenarioError when exporting pays more than importing costs in some step.

    The project settles net at its connection point (五(二)): it cannot import and export in
    the same step. The LP keeps import and export apart without a binary variable, which is
    exact only while the export price never exceeds the import price (energy + T&D).
    """
    margin = inputs.export_price_yuan_per_mwh - inputs.energy_price_yuan_per_mwh - td_charge_yuan_per_mwh
    if (margin > 1e-9).any():
        worst = margin.idxmax()
        raise ScenarioError(
            "tariff.export_price_yuan_per_mwh: expected at most the import price (energy price + "
            f"T&D charge) in every step, found {inputs.export_price_yuan_per_mwh[worst]:g} yuan/MWh "
            f"against {inputs.energy_price_yuan_per_mwh[worst] + td_charge_yuan_per_mwh:g} at "
            f"{worst:%H:%M}; simultaneous import and export would pay",
            source=source,
        )
