"""The study horizon: the days a profile covers and the factor that turns its totals into a year.

Capital costs are annualised (capital recovery factor, yuan per year); operating costs and
energies are sums over the horizon. To compare the two, every horizon total is multiplied by
``annual_scale = 8760 h / horizon hours``: a one-month study's grid costs count twelve-odd
times, a two-year profile's half. A year is 365 days (8760 h), the length of the bundled
typical year and of every scenario year (29 February is left out of a typical year); a
leap year's 8784 h therefore scale by 8760 / 8784 = 0.99727.

Annual rules (export ratio, self-consumption share, generation-to-load ratio, utilisation)
are ratios of energies, so the scale cancels in them. Over a horizon of several calendar
years greenscen holds each annual rule on the horizon's totals (the LP has one row per rule,
as for one year) and reports each calendar year's values beside it (``summary.json``
``horizon.by_calendar_year``): a multi-year profile is read as a sample of years whose sum the
rule bounds, not as years each bound on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

HOURS_PER_YEAR = 8760  # a year of the model: 365 days


@dataclass(frozen=True)
class Horizon:
    """The days a study covers (local time) and how its totals scale to a year.

    Attributes
    ----------
    start : Timestamp
        Start of the first step (00:00 of the first day).
    end : Timestamp
        End of the last step (00:00 of the day after the last).
    hours : float
        Hours the steps cover (Σ Δt; a 29 February left out of the data is not counted).
    typical_year : bool
        True when the profiles are one typical year placed on the scenario's year (the
        bundled profiles, or a user's file of one calendar year); False when the study runs
        on the profiles' own dates.
    """

    start: pd.Timestamp
    end: pd.Timestamp
    hours: float
    typical_year: bool

    @property
    def days(self) -> float:
        """Days of the horizon (hours / 24)."""
        return self.hours / 24.0

    @property
    def annual_scale(self) -> float:
        """8760 h / horizon hours: the factor turning a horizon total into a year's."""
        return HOURS_PER_YEAR / self.hours

    @property
    def calendar_years(self) -> list[int]:
        """The calendar years the horizon touches."""
        return list(range(self.start.year, (self.end - pd.Timedelta(hours=1)).year + 1))

    def describe(self) -> str:
        """Return a one-line statement of the horizon, e.g. for the CLI."""
        last = self.end - pd.Timedelta(days=1)
        what = "typical year" if self.typical_year else "profile dates"
        days = f"{self.days:,.0f} day" + ("s" if self.days != 1 else "")
        return (f"horizon {self.start:%Y-%m-%d} to {last:%Y-%m-%d} ({days}, "
                f"{what}); annual figures = horizon totals x {self.annual_scale:.6g} "
                f"(8760 h / {self.hours:,.0f} h)")  # fmt: skip

    def to_dict(self) -> dict:
        """Return the ``summary.json`` ``horizon`` block (dates as text, last day inclusive)."""
        return {
            "statement": self.describe(),
            "start": f"{self.start:%Y-%m-%d %H:%M}",
            "end": f"{self.end - pd.Timedelta(hours=1):%Y-%m-%d %H:%M}",
            "days": round(self.days, 6),
            "hours": round(self.hours, 6),
            "annual_scale": self.annual_scale,
            "typical_year": self.typical_year,
            "note": ("costs per year: capex annuities + operating costs over the horizon x "
                     "annual_scale; energy per year likewise (energy_horizon: horizon totals); "
                     "annual rules held on the horizon's totals"),  # fmt: skip
        }


def horizon_of(index: pd.DatetimeIndex, duration_h, typical_year: bool) -> Horizon:
    """Return the horizon of step starts ``index`` with durations ``duration_h`` (h)."""
    dur = pd.Series(duration_h, index=index, dtype=float)
    end = index[-1] + pd.Timedelta(hours=float(dur.iloc[-1]))
    return Horizon(start=index[0], end=end, hours=float(dur.sum()), typical_year=typical_year)


def is_calendar_year(index: pd.DatetimeIndex) -> bool:
    """True when hourly ``index`` is one calendar year, 1 Jan 00:00 to 31 Dec 23:00, 8760 h.

    A leap year counts when its 29 February is left out (the typical-year reading).
    """
    if len(index) != HOURS_PER_YEAR:
        return False
    first, last = index[0], index[-1]
    return (first.month, first.day, first.hour, first.minute) == (1, 1, 0, 0) and (
        last.year == first.year and (last.month, last.day, last.hour) == (12, 31, 23)
    )
