"""Read and check a user's hourly profile CSV (a time column plus value columns).

Every mistake a user can make in such a file becomes one :class:`~greenscen.errors.DataError`
that names the file, the column, what was expected and what was found, with line numbers
as a spreadsheet shows them (the header is line 1, the first data row line 2).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from greenscen.data.profile_formats import EXCEL_SUFFIXES, average_sub_hourly, excel_rows
from greenscen.errors import DataError

HOURS_PER_YEAR = 8760
HOURS_PER_LEAP_YEAR = 8784
TIME_COLUMN = "time"
# Header names read as the time column (case-insensitive): English and Chinese meter exports.
TIME_ALIASES = ("time", "datetime", "date_time", "timestamp", "时间", "日期时间", "时刻", "数据时间")
MISSING_TOKENS = frozenset({"", "nan", "na", "n/a", "#n/a", "null", "none"})
ENCODINGS = ("utf-8-sig", "gb18030")  # Excel in China often saves CSV as GBK
LOCAL_TIMEZONE = "Asia/Shanghai"
MAX_LISTED = 5
OFFSET_PATTERN = r"(?:Z|[+-]\d{2}:?\d{2})$"

ProfileKind = Literal["capacity factor", "load"]
_KINDS = {
    "capacity factor": "capacity factor",
    "capacity_factor": "capacity factor",
    "cf": "capacity factor",
    "load": "load",
}


def _line(position: int) -> int:
    """Spreadsheet line of the data row at 0-based ``position`` (header is line 1)."""
    return position + 2


def _lines(positions: np.ndarray) -> str:
    shown = ", ".join(str(_line(int(p))) for p in positions[:MAX_LISTED])
    more = len(positions) - MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def _decode(path: Path, source: str, wanted: str) -> str:
    if not path.exists():
        raise DataError(f"file not found{wanted}", source)
    if path.is_dir():
        raise DataError(f"expected a CSV file, found a folder{wanted}", source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read the file{wanted}: {exc.strerror or exc}", source) from None
    if b"\x00" in raw[:4096]:
        raise DataError(
            f"expected a text CSV file or an .xlsx workbook, found binary data{wanted} "
            "(an old .xls workbook? save it as .xlsx or CSV)",
            source,
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DataError(f"cannot decode the file as UTF-8 or GB18030 text{wanted}", source)


_DECIMAL_COMMA = re.compile(r"^\s*([-+]?\d*),(\d+)\s*$")


def _read_text_table(path: Path, source: str, column: str | None) -> pd.DataFrame:
    """Return every cell as text, one row per data line (blank lines kept as empty rows).

    CSV (UTF-8 or GB18030; ',' or, from comma-decimal Excel, ';' with decimal commas) or the
    first sheet of an Excel workbook (.xlsx).
    """
    wanted = f" (looking for column {column!r})" if column else ""
    if path.suffix.lower() in EXCEL_SUFFIXES and path.is_file():
        return _table_from_rows(excel_rows(path, source, wanted), source, wanted)
    text = _decode(path, source, wanted)
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    # Excel in comma-decimal locales writes ';' between fields and ',' as the decimal mark
    semicolons = ";" in first and "," not in first
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolons else ","))
        if semicolons:
            rows = [[_DECIMAL_COMMA.sub(r"\1.\2", cell) for cell in row] for row in rows]
    except csv.Error as exc:
        raise DataError(f"cannot read the file as CSV{wanted}: {exc}", source) from None
    return _table_from_rows(rows, source, wanted)


def _table_from_rows(rows: list[list[str]], source: str, wanted: str) -> pd.DataFrame:
    """Return the text table of ``rows`` (the first is the header), checked for shape."""
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()  # trailing blank lines
    if not rows:
        raise DataError(f"the file is empty{wanted}", source)
    header = [cell.strip() for cell in rows[0]]
    while header and header[-1] == "":
        header.pop()  # trailing commas after the last name
    if not header:
        raise DataError(f"expected a header line naming the columns{wanted}; found none", source)
    width = len(header)
    body = []
    for position, row in enumerate(rows[1:]):
        if len(row) > width and any(cell.strip() for cell in row[width:]):
            raise DataError(
                f"line {_line(position)} has {len(row)} fields but the header names {width} "
                f"({', '.join(repr(h) for h in header)}){wanted}",
                source,
            )
        body.append((row + [""] * width)[:width])
    names = [name or f"(unnamed column {i + 1})" for i, name in enumerate(header)]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise DataError(
            f"column name(s) {', '.join(map(repr, repeated))} appear more than "
            f"once in the header{wanted}",
            source,
        )
    cells = list(zip(*body, strict=True)) if body else [()] * width
    table = {name: list(values) for name, values in zip(names, cells, strict=True)}
    # Spreadsheets add empty, nameless columns; ignore them.
    for i, name in enumerate(header):
        if name == "" and not any(cell.strip() for cell in table[names[i]]):
            del table[names[i]]
    return pd.DataFrame({name: pd.Series(values, dtype=object) for name, values in table.items()})


def _pick_columns(table: pd.DataFrame, source: str, column: str | None) -> tuple[str, str]:
    columns = list(table.columns)
    time_col = next((c for c in columns if c.strip().lower() in TIME_ALIASES), None)
    values = [c for c in columns if c != time_col]
    hint = ""
    if len(columns) == 1 and any(sep in columns[0] for sep in (";", "\t")):
        hint = " (the file seems to use ';' or tabs; save it comma-separated)"
    if time_col is None:
        want = f" for column {column!r}" if column else ""
        raise DataError(
            f"expected a time column ({', '.join(map(repr, TIME_ALIASES))}){want}; found columns "
            f"{', '.join(repr(c) for c in columns) or 'none'}{hint}",
            source,
        )
    if column is not None:
        if column not in values:
            raise DataError(
                f"column {column!r} not found; available value columns: "
                f"{', '.join(repr(c) for c in values) or 'none'}",
                source,
            )
        return time_col, column
    if len(values) == 1:
        return time_col, values[0]
    if not values:
        raise DataError(f"expected a value column besides {time_col!r}; found none", source)
    raise DataError(
        f"several value columns ({', '.join(repr(c) for c in values)}); "
        "pass column=... to choose one",
        source,
    )


def _parse_values(raw: pd.Series, column: str) -> tuple[np.ndarray, list[str]]:
    text = raw.str.strip()
    missing = text.str.lower().isin(MISSING_TOKENS).to_numpy()
    numbers = pd.to_numeric(text.where(~missing), errors="coerce").to_numpy(dtype=float)
    problems = []
    if missing.any():
        where = np.flatnonzero(missing)
        problems.append(
            f"column {column!r}: expected a number in every row; found {len(where)} empty or "
            f"NaN cell(s) at line(s) {_lines(where)}"
        )
    bad = np.flatnonzero(~missing & ~np.isfinite(numbers))
    if len(bad):
        problems.append(
            f"column {column!r}: expected finite numbers; found {raw.iloc[bad[0]]!r} at line "
            f"{_line(bad[0])}" + (f" ({len(bad)} such cells)" if len(bad) > 1 else "")
        )
    return numbers, problems


def _parse_times(raw: pd.Series, column: str) -> tuple[pd.DatetimeIndex | None, list[str]]:
    text = raw.str.strip()
    missing = text.str.lower().isin(MISSING_TOKENS).to_numpy()
    if missing.any():
        where = np.flatnonzero(missing)
        return None, [
            f"column {column!r}: expected a date-time in every row; found "
            f"{len(where)} empty cell(s) at line(s) {_lines(where)}"
        ]
    # Bare numbers (hour counters, Excel serial days) would be read as odd dates.
    numeric = np.flatnonzero(text.str.fullmatch(r"[-+]?\d+(\.\d*)?").to_numpy())
    if len(numeric):
        return None, [
            f"column {column!r}: expected date-times like '2025-01-01 00:00'; found "
            f"the number {raw.iloc[numeric[0]]!r} at line {_line(numeric[0])}"
        ]
    has_offset = text.str.contains(OFFSET_PATTERN).to_numpy()
    if has_offset.any() and not has_offset.all():
        first = int(np.flatnonzero(has_offset != has_offset[0])[0])
        return None, [
            f"column {column!r}: expected all date-times with a time-zone offset or "
            f"none; found {raw.iloc[0]!r} at line 2 but {raw.iloc[first]!r} at line "
            f"{_line(first)}"
        ]
    aware = bool(has_offset.any())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # 31.12.2027 23:00 (European spreadsheets) is day first; ISO dates are year first
            dayfirst = bool(text.str.match(r"\d{1,2}\.\d{1,2}\.\d{4}").all())
            times = pd.to_datetime(text, errors="coerce", utc=aware, dayfirst=dayfirst)
            if times.isna().any():
                times = pd.to_datetime(text, errors="coerce", utc=aware, format="mixed")
        except (ValueError, TypeError, OverflowError):
            times = pd.Series(pd.NaT, index=text.index)
    bad = np.flatnonzero(times.isna().to_numpy())
    if len(bad):
        return None, [
            f"column {column!r}: expected date-times like '2025-01-01 00:00'; found "
            f"{raw.iloc[bad[0]]!r} at line {_line(bad[0])}"
            + (f" ({len(bad)} such cells)" if len(bad) > 1 else "")
        ]
    index = pd.DatetimeIndex(times)
    if aware:
        # Explicit offsets are honoured: the series is returned in China local time (UTC+8).
        index = index.tz_convert(LOCAL_TIMEZONE).tz_localize(None)
    return index.rename(TIME_COLUMN), []


def _is_feb29(index: pd.DatetimeIndex) -> np.ndarray:
    return np.asarray((index.month == 2) & (index.day == 29))


def _base_step(steps: pd.TimedeltaIndex) -> pd.Timedelta:
    """Return the step the data are meant to have: an hour, or the usual 5-30 minute step."""
    hour = pd.Timedelta(hours=1)
    if not len(steps):
        return hour
    usual = pd.Series(steps).value_counts().idxmax()
    minutes = usual.total_seconds() / 60
    return usual if 0 < minutes < 60 and 60 % minutes == 0 else hour


def _check_steps(index: pd.DatetimeIndex, column: str) -> list[str]:
    # Timedelta arithmetic keeps this independent of the index unit (pandas 3 uses us).
    steps = pd.TimedeltaIndex(index[1:] - index[:-1])
    base = _base_step(steps)
    # A leap year whose 29 February the user already removed leaves one 24 h + step; allow it.
    after = index[1:]
    feb29_removed = (after.month == 3) & (after.day == 1) & (after.hour == 0) & after.is_leap_year
    regular = (steps == base) | (feb29_removed & (steps == pd.Timedelta(hours=24) + base))
    odd = np.flatnonzero(~np.asarray(regular))
    if not len(odd):
        return []
    # Report a backwards or repeated step first: it explains the gaps around it.
    backwards = np.flatnonzero(np.asarray(steps <= pd.Timedelta(0)))
    i = int(backwards[0]) if len(backwards) else int(odd[0])
    step = steps[i]
    prev, this = index[i], index[i + 1]
    where = f"line {_line(i + 1)}: {this:%Y-%m-%d %H:%M} follows {prev:%Y-%m-%d %H:%M}"
    if step == pd.Timedelta(0):
        found = f"a duplicate timestamp at {where}"
    elif step < pd.Timedelta(0):
        found = f"timestamps out of order at {where}"
    elif step < base:
        found = f"a {_duration(step)} step at {where}"
    else:
        found = f"a gap of {_duration(step)} at {where}"
    total = f" ({len(odd)} irregular steps in all)" if len(odd) > 1 else ""
    expected = "hourly steps" if base == pd.Timedelta(hours=1) else f"{_duration(base)} steps"
    return [f"column {column!r}: expected regular {expected}; found {found}{total}"]


def _check_whole_days(index: pd.DatetimeIndex, column: str) -> list[str]:
    """Return a problem unless regular ``index`` covers whole days, 00:00 to 24:00."""
    steps = pd.TimedeltaIndex(index[1:] - index[:-1])
    base = _base_step(steps)
    first, end = index[0], index[-1] + base
    span = f"{len(index)} rows from {first:%Y-%m-%d %H:%M} to {index[-1]:%Y-%m-%d %H:%M}"
    expected = f"column {column!r}: expected whole days (from 00:00 to 24:00)"
    if first != first.normalize():
        return [f"{expected}; found {span}: the first day {first:%Y-%m-%d} starts at "
                f"{first:%H:%M}, not 00:00"]  # fmt: skip
    if end != end.normalize():
        return [f"{expected}; found {span}: the last day {index[-1]:%Y-%m-%d} ends at "
                f"{end:%H:%M}, not 24:00 ({_duration(end - end.normalize())} of 24 h)"]  # fmt: skip
    return []


def _duration(step: pd.Timedelta) -> str:
    minutes = int(step.total_seconds() // 60)
    if minutes % 60:
        return f"{minutes} min"
    return f"{minutes // 60} h"


def _check_range(values: np.ndarray, column: str, kind: str) -> list[str]:
    if kind == "capacity factor":
        outside = np.flatnonzero((values < 0.0) | (values > 1.0))
        if not len(outside):
            return []
        hint = ""
        if values.max() > 1.0 and values.max() <= 100.0 and values.min() >= 0.0:
            hint = "; these look like percent: divide by 100"
        elif values.max() > 100.0:
            hint = "; these look like power: divide by the installed capacity"
        first = int(outside[0])
        return [
            f"column {column!r}: expected capacity factors in [0, 1] (per unit of installed "
            f"capacity); found {len(outside)} value(s) outside, first {values[first]:g} at "
            f"line {_line(first)}{hint}"
        ]
    negative = np.flatnonzero(values < 0.0)
    if not len(negative):
        return []
    first = int(negative[0])
    return [
        f"column {column!r}: expected loads >= 0; found {len(negative)} negative value(s), "
        f"first {values[first]:g} at line {_line(first)}"
    ]


def read_profile_csv(
    path: str | Path, column: str | None = None, kind: ProfileKind = "capacity factor"
) -> pd.Series:
    """Return one hourly profile of whole days from a user's CSV file or workbook, checked.

    The file needs a ``time`` column of date-times at regular hourly steps (hour-beginning,
    China local time UTC+8; offsets such as ``+00:00``, if present, are converted to UTC+8;
    5-30 minute data are averaged to hours) and one or more value columns. It may cover any
    whole number of days: a month, a year, several years (``greenscen.base.horizon``). One
    calendar leap year (8784 rows from 1 January) loses 29 February with a warning, so it reads
    as a typical year of 8760 hours; over any other horizon every day is kept.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, with or without BOM, or GB18030/GBK).
    column : str, optional
        The value column to read; may be omitted when the file has exactly one.
    kind : {"capacity factor", "load"}
        ``"capacity factor"``: per unit of installed capacity, every value in [0, 1].
        ``"load"``: any unit (MW or per unit), every value >= 0.

    Returns
    -------
    pandas.Series
        Float values named after ``column``, on a DatetimeIndex named ``time`` of hourly
        timestamps covering whole days (8760 for one calendar year).

    Raises
    ------
    greenscen.errors.DataError
        If the file cannot be read, the column is missing, cells are empty, non-numeric or
        not date-times, the steps are not hourly (a gap), the rows do not make whole days,
        or values are out of range. The message names the file, the column, and the first offending line.
    """
    kind_key = _KINDS.get(str(kind).strip().lower())
    if kind_key is None:
        raise ValueError(f"kind must be 'capacity factor' or 'load', got {kind!r}")
    path = Path(path)
    source = str(path)
    table = _read_text_table(path, source, column)
    time_col, value_col = _pick_columns(table, source, column)
    if table.empty:
        raise DataError(
            f"column {value_col!r}: expected hourly rows for whole days; found none", source
        )
    index, time_problems = _parse_times(table[time_col], time_col)
    values, value_problems = _parse_values(table[value_col], value_col)
    if time_problems or value_problems:
        raise DataError(time_problems + value_problems, source)

    index, values, notice = average_sub_hourly(index, values)
    if notice:
        warnings.warn(f"{source}: column {value_col!r}: {notice}", UserWarning, stacklevel=2)
    problems = _check_steps(index, time_col)
    feb29 = _is_feb29(index)
    calendar_leap_year = (len(index) == HOURS_PER_LEAP_YEAR and feb29.sum() == 24
                          and index[0] == pd.Timestamp(index[0].year, 1, 1))  # fmt: skip
    if not problems and calendar_leap_year:
        warnings.warn(
            f"{source}: column {value_col!r} holds a leap year ({HOURS_PER_LEAP_YEAR} rows); "
            f"29 February was dropped to give {HOURS_PER_YEAR} hours",
            UserWarning,
            stacklevel=2,
        )
        index, values = index[~feb29], values[~feb29]
    if not problems:
        problems += _check_whole_days(index, time_col)
    problems += _check_range(values, value_col, kind_key)
    if problems:
        raise DataError(problems, source)
    return pd.Series(values, index=index, name=value_col, dtype=float)
