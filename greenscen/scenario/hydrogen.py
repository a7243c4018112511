"""The ``hydrogen:`` block of a scenario: electrolyser, hydrogen storage and demand (units in names).

The electrolyser is the load of one user (``hydrogen.user``, category ``hydrogen_fuel``, with
no ``load:`` of its own): its power is a decision of the sizing LP (``greenscen.model.hydrogen``).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ElectrolyserSpec(_Model):
    """Electrolyser plant: costs, capacity (null = optimise), minimum stable load, consumption."""

    capex_yuan_per_kw: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_yuan_per_kw_year: float = Field(0.0, ge=0)
    capacity_mw: float | None = Field(None, ge=0)
    min_mw: float = Field(0.0, ge=0)
    max_mw: float | None = Field(None, ge=0)
    specific_consumption_kwh_per_kg: float = Field(53.0, gt=30, le=200)
    # part-load curve: [[load share of capacity, kWh/kg], ...], load shares increasing to 1
    part_load_curve: list[tuple[float, float]] | None = None
    min_load_share: float = Field(0.0, ge=0, lt=1)
    may_stop: bool = False
    stack_cost_yuan_per_kw: float = Field(0.0, ge=0)
    stack_life_hours: float | None = Field(None, gt=0)
    stack_life_years: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _consistent(self):
        problems = []
        if self.stack_life_hours is not None and self.stack_life_years is not None:
            problems.append("stack_life_hours / stack_life_years: expected one of them, found both")
        if self.stack_cost_yuan_per_kw > 0 and self.stack_life_hours is None and self.stack_life_years is None:
            problems.append("stack_cost_yuan_per_kw: expected stack_life_hours or stack_life_years "
                            "with it, found neither")
        if self.max_mw is not None and self.min_mw > self.max_mw:
            problems.append(f"min_mw: expected at most max_mw {self.max_mw}, found {self.min_mw}")
        curve = self.part_load_curve
        if curve is not None:
            shares = [s for s, _ in curve]
            if len(curve) < 2 or any(b <= a for a, b in zip(shares, shares[1:], strict=False)) or shares[-1] != 1.0:
                problems.append("part_load_curve: expected at least two [load share, kWh/kg] points "
                                f"with load shares increasing to 1.0, found shares {shares}")
            elif shares[0] <= 0 or any(e <= 30 for _, e in curve):
                problems.append(f"part_load_curve: expected load shares > 0 and kWh/kg > 30, found {curve}")
            else:
                out = [s / e for s, e in curve]  # kg/h per kW of capacity at each point
                if self.may_stop:  # the relaxation's hull runs through 0 (stopped)
                    shares, out = [0.0, *shares], [0.0, *out]
                slopes = [(out[i + 1] - out[i]) / (shares[i + 1] - shares[i]) for i in range(len(out) - 1)]
                if any(b > a * (1 + 1e-9) for a, b in zip(slopes, slopes[1:], strict=False)):
                    problems.append(
                        "part_load_curve: expected output (kg/h) concave in power so the curve is "
                        "an LP (marginal kg per kWh falling with load), found marginal outputs "
                        f"{[round(1000 * s, 4) for s in slopes]} kg/MWh rising")
                if abs(curve[-1][1] - self.specific_consumption_kwh_per_kg) > 1e-9:
                    problems.append(
                        "part_load_curve: expected the full-load point to equal "
                        f"specific_consumption_kwh_per_kg {self.specific_consumption_kwh_per_kg}, "
                        f"found {curve[-1][1]}")
                if curve[0][0] > self.min_load_share + 1e-12 and not self.may_stop:
                    problems.append(f"part_load_curve: expected a first point at or below "
                                    f"min_load_share {self.min_load_share}, found {curve[0][0]}")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class HydrogenStorageSpec(_Model):
    """Hydrogen storage (compressed gas): capex per kg, compression energy, capacity (null = optimise)."""

    capex_yuan_per_kg: float = Field(ge=0)
    lifetime_years: float = Field(gt=0)
    fixed_om_share_per_year: float = Field(0.0, ge=0, lt=1)
    compression_kwh_per_kg: float = Field(0.0, ge=0, le=20)
    capacity_kg: float | None = Field(None, ge=0)
    max_kg: float | None = Field(None, ge=0)


class HydrogenDemandSpec(_Model):
    """What the hydrogen serves: an annual demand (t/yr) delivered flat or within a band, or a price."""

    annual_t: float | None = Field(None, gt=0)
    profile: Literal["flat", "band", "annual"] = "flat"
    min_share: float = Field(1.0, ge=0, le=1)  # band: delivery >= min_share x mean (synthesis min load)
    max_share: float = Field(1.0, ge=1)  # band: delivery <= max_share x mean
    price_yuan_per_kg: float | None = Field(None, gt=0)
    max_t: float | None = Field(None, gt=0)
    # how delivery moves through time, relative (scaled to annual_t): 24 values by hour of
    # day, 168 by hour of week (Monday 00:00 first), or an hourly profile file (csv, column)
    shape: list[float] | None = None
    csv: str | None = None
    column: str | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.annual_t is None) == (self.price_yuan_per_kg is None):
            raise ValueError("expected exactly one of annual_t (a demand) or price_yuan_per_kg "
                             f"(a market), found annual_t={self.annual_t}, "
                             f"price_yuan_per_kg={self.price_yuan_per_kg}")
        if self.profile == "band" and self.min_share > 1:
            raise ValueError(f"min_share: expected at most 1, found {self.min_share}")
        shaped = self.shape is not None or self.csv is not None
        if self.shape is not None and self.csv is not None:
            raise ValueError("expected shape (24 or 168 values) or csv (an hourly file), not both; "
                             f"found shape ({len(self.shape)} values) and csv={self.csv!r}")
        if self.column is not None and self.csv is None:
            raise ValueError(f"column: names a column of csv, but no csv is given (found column={self.column!r})")
        if shaped and self.annual_t is None:
            raise ValueError("shape/csv: a delivery shape needs annual_t (a demand), not a price")
        if shaped and self.profile == "annual":
            raise ValueError("shape/csv: expected profile flat (delivery follows the shape) or band "
                             "(delivery within min_share..max_share of it); found profile annual, "
                             "which has no per-step delivery to shape")
        if self.shape is not None:
            if len(self.shape) not in (24, 168):
                raise ValueError(f"shape: expected 24 values (hour of day) or 168 (hour of week), "
                                 f"found {len(self.shape)}")
            if not all(math.isfinite(v) for v in self.shape) or min(self.shape) < 0 or sum(self.shape) <= 0:
                raise ValueError(f"shape: expected values >= 0, not all 0; found min {min(self.shape)}, "
                                 f"sum {sum(self.shape)}")
        return self


class HydrogenSpec(_Model):
    """The hydrogen chain of a project: the electrolyser user, storage and demand."""

    user: str
    electrolyser: ElectrolyserSpec
    storage: HydrogenStorageSpec | None = None
    demand: HydrogenDemandSpec
