"""Meter-style load profiles of any whole-day horizon, written on demand (nothing large is bundled).

Used by the horizon tests; also a script, to make a file to try by hand:

    python tests/horizon_cases.py load.csv --start 2027-01-01 --days 731 --step-min 15

writes a ``时间`` column (step start, local time) and ``负荷_mw`` (MW, step average): a
100 MW base with a daily swing of ±20 MW (peak at 14:00), a seasonal ±10 MW (peak in
January) and ±2 MW of seeded noise.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

TIME_HEADER = "时间"
VALUE_HEADER = "负荷_mw"


def meter_load(start: str, days: int, step_min: int = 15, seed: int = 11) -> pd.Series:
    """Return a load (MW) at ``step_min``-minute steps over ``days`` whole days from ``start``."""
    idx = pd.date_range(start, periods=days * 24 * 60 // step_min, freq=f"{step_min}min")
    hour = idx.hour + idx.minute / 60.0
    daily = 20.0 * np.cos(2 * np.pi * (hour - 14.0) / 24.0)
    seasonal = 10.0 * np.cos(2 * np.pi * (idx.dayofyear - 15) / 365.0)
    noise = np.random.default_rng(seed).uniform(-2.0, 2.0, len(idx))
    return pd.Series(100.0 + daily + seasonal + noise, index=idx, name=VALUE_HEADER)


def write_meter_csv(path: Path, load: pd.Series) -> Path:
    """Write ``load`` as a meter export: ``时间`` as 'YYYY-MM-DD HH:MM', values to 0.001 MW."""
    table = pd.DataFrame({TIME_HEADER: load.index.strftime("%Y-%m-%d %H:%M"),
                          VALUE_HEADER: load.round(3).to_numpy()})  # fmt: skip
    table.to_csv(path, index=False, encoding="utf-8")
    return path


def meter_scenario(folder: Path, csv: Path, name: str = "meter") -> Path:
    """Write a scenario of the bundled default with one user whose load is ``csv``."""
    path = folder / f"{name}.yaml"
    path.write_text(
        f"extends: bundled:default\nname: {name}\nusers:\n"
        f"  - {{name: plant, category: data_centre, load: {{csv: {csv.name}, column: {VALUE_HEADER}}}}}\n",
        encoding="utf-8",
    )
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--start", default="2027-01-01")
    ap.add_argument("--days", type=int, default=731)
    ap.add_argument("--step-min", type=int, default=15)
    a = ap.parse_args()
    write_meter_csv(a.out, meter_load(a.start, a.days, a.step_min))


if __name__ == "__main__":
    main()
