"""Profile file formats beyond plain CSV: Excel workbooks and sub-hourly meter data.

``greenscen.data.user_csv`` reads every profile through these: the first sheet of an .xlsx
workbook as text rows (openpyxl), and regular 5-30 minute data averaged to hourly means.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from greenscen.errors import DataError

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def excel_rows(path: Path, source: str, wanted: str) -> list[list[str]]:
    """Return the first sheet of an Excel workbook as rows of text cells (openpyxl)."""
    import datetime as dt

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file
        raise DataError(f"cannot read the Excel workbook{wanted}: {exc}", source) from None

    def text(v) -> str:
        if v is None:
            return ""
        if isinstance(v, dt.datetime):
            return v.strftime("%Y-%m-%d %H:%M")
        return str(v)

    sheet = book.worksheets[0]
    rows = [[text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def average_sub_hourly(index: pd.DatetimeIndex, values: np.ndarray):
    """Return hourly means of regular 5/10/15/20/30-minute data, and a notice; else as given.

    Meter data come every 15 or 30 minutes; the model's step is an hour (or more), so powers
    are averaged over each whole hour. Hours with missing sub-steps are left for the regular
    step check to report.
    """
    if len(index) < 2:
        return index, values, ""
    steps = pd.TimedeltaIndex(index[1:] - index[:-1])
    step = steps[0]
    minutes = step.total_seconds() / 60
    if not (0 < minutes < 60 and 60 % minutes == 0 and (steps == step).all()):
        return index, values, ""
    per_hour = int(60 // minutes)
    series = pd.Series(values, index=index)
    hours = series.index.floor("h")
    counts = series.groupby(hours).size()
    if (counts != per_hour).any():
        return index, values, ""
    means = series.groupby(hours).mean()
    means.index.name = index.name
    notice = (f"{int(minutes)}-minute data averaged to {len(means)} hourly values "
              f"({per_hour} per hour)")  # fmt: skip
    return pd.DatetimeIndex(means.index), means.to_numpy(dtype=float), notice
