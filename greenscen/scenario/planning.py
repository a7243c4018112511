"""The ``planning:`` block of a sizing scenario: a horizon of years for one design.

With ``planning: {last_year: 2035}`` (``first_year`` defaults to the scenario's ``year``) the
project is sized once for every year from ``first_year`` to ``last_year`` under each year's
rules (``greenscen.model.multiyear``); users with ``online_from`` in a later year form the
commissioning batches (三(一), 三(四)). Without the block a scenario is one year, as before.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class PlanningSpec(BaseModel):
    """A planning horizon: first and last year (inclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_year: int | None = None  # None: the scenario's year
    last_year: int = Field(description="the horizon's last year (inclusive)")
    max_regimes: int = Field(40, ge=1, description="refuse horizons with more distinct regimes")

    @model_validator(mode="after")
    def _ordered(self):
        if self.first_year is not None and self.last_year < self.first_year:
            raise ValueError(f"expected last_year >= first_year {self.first_year}, "
                             f"found {self.last_year}")  # fmt: skip
        return self

    def years(self, scenario_year: int) -> list[int]:
        """Return the horizon's years (first_year defaults to ``scenario_year``)."""
        return list(range(self.first_year or scenario_year, self.last_year + 1))
