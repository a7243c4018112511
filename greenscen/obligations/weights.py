"""Provincial consumption responsibility weights (消纳责任权重) with provenance per value.

The bundled table is ``data/weights_provincial.csv``, a byte-for-byte copy of the reference
table ``shared/reference/provincial_weights_seen.csv``: 2023 complete for 30 provinces (发改办能源
〔2023〕569号), 2020-2021 for nine provinces, fragments for 2022 and 2024-2026. A supplement
(``data/weights_supplement.csv``) adds the Sichuan 2021 values written in seed 002 三(一).

Values keep their status: ``published``, ``expected`` (a next-year 预期 value such as 2026 in
发改办能源〔2025〕669号, not binding yet), ``suspect`` (kept flagged, never corrected here: the
Shandong 2021 reprint has total < non-hydro) or, for a value that is absent, ``missing`` with a NaN
value. A user CSV with the same columns extends or corrects the table; its rows win.

The tidy ("long") form has one row per province, year and kind (``total`` / ``non_hydro``):
columns ``province, year, kind, value, status, source, origin``; ``value`` is a fraction (0.23).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable

import pandas as pd

from greenscen.errors import DataError
from greenscen.obligations.data import data_path

CSV_COLUMNS = ["province", "year", "total_weight", "non_hydro_weight", "status", "source"]
KINDS = ("total", "non_hydro")
# expected = a value a notice gives for the following year as 预期 (e.g. 2026 in 发改办能源〔2025〕669号):
# published as an expectation, not binding until that year's notice.
ROW_STATUSES = ("published", "expected", "suspect", "assumption")

# The 31 provincial-level regions of the mainland; the weights cover 30 (西藏 has none).
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆",
)  # fmt: skip

# ASCII names for file names and English labels.
PINYIN = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi", "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "上海": "Shanghai", "江苏": "Jiangsu",
    "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong",
    "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia",
    "新疆": "Xinjiang",
}  # fmt: skip

_PCT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*%\s*$")


def parse_share(text) -> float:
    """Return a share as a fraction from ``"23.0%"`` or ``0.23``; NaN for an empty cell.

    Raises ``ValueError`` with what was found when the text is neither.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan
    s = str(text).strip()
    if s == "" or s.lower() == "nan":
        return math.nan
    m = _PCT.match(s)
    if m:
        value = float(m.group(1)) / 100.0
    else:
        try:
            value = float(s)
        except ValueError:
            raise ValueError(f"expected a share like 23.0% or 0.23, found {s!r}") from None
        if value > 1.0:
            raise ValueError(
                f"expected a share like 23.0% or 0.23, found {s!r} (a number above 1 needs a % sign)"
            )
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"expected a share between 0% and 100%, found {s!r}")
    return value


def _read_raw(path: str | os.PathLike) -> pd.DataFrame:
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read the weights CSV: {exc}", source=str(path)) from exc


def read_weights_csv(path: str | os.PathLike, origin: str = "user") -> pd.DataFrame:
    """Return a weights CSV in tidy form after checking every row; raise one DataError listing all.

    Parameters
    ----------
    path : path-like
        CSV with columns ``province, year, total_weight, non_hydro_weight, status, source``;
        weights as ``23.0%`` or ``0.23``, empty when not known.
    origin : str
        Label stored in the ``origin`` column (``bundled``, ``supplement``, ``user``).
    """
    raw = _read_raw(path)
    problems: list[str] = []
    missing_cols = [c for c in CSV_COLUMNS if c not in raw.columns]
    if missing_cols:
        raise DataError(
            f"columns: expected {', '.join(CSV_COLUMNS)}, missing {', '.join(missing_cols)}",
            source=str(path),
        )
    rows = []
    for i, rec in enumerate(raw.to_dict("records"), start=2):  # line 1 is the header
        where = f"line {i}"
        prov = rec["province"].strip()
        if prov not in PROVINCES:
            problems.append(
                f"{where} province: expected a provincial region such as 内蒙古, found {prov!r}"
            )
        try:
            year = int(rec["year"])
            if not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            problems.append(
                f"{where} year: expected a year between 2000 and 2100, found {rec['year']!r}"
            )
            year = None
        status = rec["status"].strip()
        if status not in ROW_STATUSES:
            problems.append(
                f"{where} status: expected one of {', '.join(ROW_STATUSES)}, found {status!r}"
            )
        source = rec["source"].strip()
        if not source:
            problems.append(
                f"{where} source: expected the document or page the value comes from, found nothing"
            )
        values = {}
        for kind, col in zip(KINDS, ("total_weight", "non_hydro_weight"), strict=True):
            try:
                values[kind] = parse_share(rec[col])
            except ValueError as exc:
                problems.append(f"{where} {col}: {exc}")
                values[kind] = math.nan
        for kind in KINDS:
            v = values[kind]
            rows.append(
                {
                    "province": prov,
                    "year": year,
                    "kind": kind,
                    "value": v,
                    "status": "missing" if math.isnan(v) else status,
                    "source": source,
                    "origin": origin,
                }
            )
    if problems:
        raise DataError(problems, source=str(path))
    df = pd.DataFrame(
        rows, columns=["province", "year", "kind", "value", "status", "source", "origin"]
    )
    dup = df.duplicated(["province", "year", "kind"], keep=False)
    if dup.any():
        keys = sorted(
            {f"{p} {y}" for p, y in zip(df.loc[dup, "province"], df.loc[dup, "year"], strict=True)}
        )
        raise DataError([f"duplicate rows for {k}" for k in keys], source=str(path))
    df["year"] = df["year"].astype(int)
    return df


def _merge(base: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``extra`` replace rows of ``base`` with the same province, year and kind.

    An empty value in ``extra`` does not erase a known value of ``base`` (a correction CSV that
    gives only the non-hydro weight keeps the published total).
    """
    extra = extra[~((extra["status"] == "missing") & _has_value(base, extra))]
    key = ["province", "year", "kind"]
    keep = ~base.set_index(key).index.isin(extra.set_index(key).index)
    return pd.concat([base[keep], extra], ignore_index=True)


def _has_value(base: pd.DataFrame, extra: pd.DataFrame) -> pd.Series:
    known = set(
        map(tuple, base.loc[base["status"] != "missing", ["province", "year", "kind"]].to_numpy())
    )
    return pd.Series(
        [(p, y, k) in known for p, y, k in extra[["province", "year", "kind"]].to_numpy()],
        index=extra.index,
    )


def load_weights(
    user_csv: str | os.PathLike | None = None, include_supplement: bool = True
) -> pd.DataFrame:
    """Return the bundled weights (tidy form), extended or corrected by ``user_csv``.

    Parameters
    ----------
    user_csv : path-like, optional
        A CSV with the bundled columns; its rows replace bundled rows of the same province and
        year (origin ``user``).
    include_supplement : bool
        Add the values written in the seed documents (Sichuan 2021, seed 002 三(一)).

    Returns
    -------
    DataFrame
        Columns ``province, year, kind, value, status, source, origin``, sorted; ``value`` is a
        fraction, NaN with status ``missing`` where the source leaves a cell empty.
    """
    df = read_weights_csv(data_path("weights_provincial.csv"), origin="bundled")
    if include_supplement:
        df = _merge(df, read_weights_csv(data_path("weights_supplement.csv"), origin="supplement"))
    if user_csv is not None:
        df = _merge(df, read_weights_csv(user_csv, origin="user"))
    return df.sort_values(["province", "year", "kind"], ignore_index=True)


def weights_grid(
    weights: pd.DataFrame,
    provinces: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """Return every province x year x kind, with absent values as NaN and status ``missing``."""
    provinces = list(provinces) if provinces is not None else sorted(weights["province"].unique())
    years = list(years) if years is not None else sorted(weights["year"].unique())
    idx = pd.MultiIndex.from_product(
        [provinces, years, list(KINDS)], names=["province", "year", "kind"]
    )
    out = weights.set_index(["province", "year", "kind"]).reindex(idx).reset_index()
    absent = out["status"].isna()
    out.loc[absent, "status"] = "missing"
    out.loc[absent, "source"] = ""
    out.loc[absent, "origin"] = ""
    return out


def weights_wide(weights: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return one year as a table indexed by province: total, non_hydro, their statuses, source."""
    sub = weights[weights["year"] == year]
    wide = sub.pivot(index="province", columns="kind", values="value")
    status = sub.pivot(index="province", columns="kind", values="status").add_suffix("_status")
    source = sub.groupby("province")["source"].first()
    return pd.concat([wide, status, source], axis=1).reindex(
        columns=[*KINDS, "total_status", "non_hydro_status", "source"]
    )


def lookup_weight(
    weights: pd.DataFrame, province: str, year: int, kind: str
) -> tuple[float, str, str]:
    """Return ``(value, status, source)`` for one province, year and kind; NaN/missing if absent."""
    hit = weights[
        (weights["province"] == province) & (weights["year"] == year) & (weights["kind"] == kind)
    ]
    if hit.empty:
        return math.nan, "missing", ""
    row = hit.iloc[0]
    return float(row["value"]), str(row["status"]), str(row["source"])


def history(
    weights: pd.DataFrame, province: str, kind: str, include_suspect: bool = False
) -> pd.Series:
    """Return the known values of one province and kind as a Series indexed by year.

    Suspect values are left out unless ``include_suspect`` (trajectories anchor on published data).
    """
    ok = {"published", "expected", "assumption"} | ({"suspect"} if include_suspect else set())
    sub = weights[
        (weights["province"] == province) & (weights["kind"] == kind) & weights["status"].isin(ok)
    ]
    return pd.Series(
        sub["value"].to_numpy(float), index=sub["year"].to_numpy(int), name=kind
    ).sort_index()
