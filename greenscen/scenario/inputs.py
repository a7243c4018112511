"""Turn a validated scenario into model inputs: time index, loads (MW), capacity factors, prices.

Every series is indexed by the scenario year's time steps (local time). Bundled profiles
hold a typical non-leap year of 8760 hours; in a leap year 29 February is left out, so every
year has 365 days. At ``time.resolution_h = n`` consecutive n-hour blocks are averaged
(powers) and each step carries ``duration_h = n``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.errors import DataError, ScenarioError
from greenscen.scenario.load import LoadedScenario

HOURS_PER_YEAR = 8760


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
    """

    load_mw: pd.DataFrame
    cf: pd.DataFrame
    duration_h: pd.Series
    energy_price_yuan_per_mwh: pd.Series
    export_price_yuan_per_mwh: pd.Series

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


def _load_profiles(ls: LoadedScenario, idx: pd.DatetimeIndex) -> pd.DataFrame:
    from greenscen.data import load_shape, read_profile_csv

    cols = {}
    for i, user in enumerate(ls.scenario.users):
        spec = user.load
        where = f"users[{i}].load"
        if spec.csv is not None:
            series = read_profile_csv(_user_path(ls, spec.csv), column=spec.column, kind="load")
            values = series.to_numpy(dtype=float)
        else:
            try:
                shape = load_shape(spec.shape).to_numpy(dtype=float)
            except DataError as exc:
                raise ScenarioError([f"{where}.shape: {p}" for p in exc.problems],
                                    source=ls.source) from None  # fmt: skip
            if spec.peak_mw is not None:
                values = shape / shape.max() * spec.peak_mw
            else:
                values = shape / shape.sum() * spec.annual_mwh
        if user.online_from is not None:
            values = np.where(idx < pd.Timestamp(user.online_from), 0.0, values)
        if not np.any(values > 0):
            found = "0 MW in every hour" + (
                f" once online_from {user.online_from} is applied" if user.online_from else "")
            what = f"{where}.csv ({spec.csv})" if spec.csv is not None else where
            raise ScenarioError(
                f"{what}: expected a load above 0 MW in some hour of the year for user "
                f"{user.name!r}, found {found}; remove the user or give its load",
                source=ls.source,
            )
        cols[user.name] = values
    return pd.DataFrame(cols, index=idx)


def _capacity_factors(ls: LoadedScenario, idx: pd.DatetimeIndex) -> pd.DataFrame:
    from greenscen.data import read_profile_csv, site_capacity_factors

    sc = ls.scenario
    techs = [t for t in ("wind", "pv") if getattr(sc.technologies, t) is not None]
    given = dict(sc.site.csv or {})
    unknown = sorted(set(given) - {"wind", "pv"})
    if unknown:
        raise ScenarioError(f"site.csv: expected technologies wind, pv; found {unknown}", source=ls.source)
    bundled = None
    if sc.site.name is not None:
        try:
            bundled = site_capacity_factors(sc.site.name)
        except DataError as exc:
            raise ScenarioError([f"site.name: {p}" for p in exc.problems], source=ls.source) from None
    cols = {}
    for tech in techs:
        if tech in given:
            cols[tech] = read_profile_csv(_user_path(ls, given[tech]), kind="capacity factor").to_numpy(float)
        elif bundled is not None and tech in bundled:
            cols[tech] = bundled[tech].to_numpy(dtype=float)
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
    idx = year_index(sc.year)
    load = _load_profiles(ls, idx)
    cf = _capacity_factors(ls, idx)
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
