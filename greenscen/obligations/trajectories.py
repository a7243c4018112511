"""Trajectories of a province's weights to a horizon year by named methods.

Every method takes the known values of one province and kind (a Series indexed by year, as from
:func:`greenscen.obligations.weights.history`) and returns the projected years only; the
dispatcher :func:`project` joins history and projection into one frame whose ``status`` is
``published`` / ``suspect`` for history and ``projected`` for the rest, with the method's name.

Methods
-------
hold_last
    Hold the last published value.
linear_to_target
    Straight line from the last published value to a target in a target year, held after it;
    never below the last published value. Default target: the national guidance of about 40%
    total and 25.9% non-hydro by 2030 (NEA consultation draft 2021, ``data/national_guidance.yaml``).
regional_step
    Regionally differentiated step increase (004 第十一条): each year the weight rises by a base
    step plus a share of its gap to the national path, so provinces further below the national
    level rise faster, up to a cap (30% non-hydro, the highest 2025 level).
user_path
    Values given by the user for some years, linear in between and held after the last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from greenscen.errors import ScenarioError
from greenscen.obligations.data import load_yaml
from greenscen.obligations.weights import KINDS, history

DEFAULT_HORIZON = 2035


def _last(known: pd.Series) -> tuple[int, float]:
    known = known.dropna()
    if known.empty:
        raise ScenarioError(
            "trajectory: expected at least one published weight to start from, found none"
        )
    return int(known.index[-1]), float(known.iloc[-1])


def hold_last(known: pd.Series, horizon: int = DEFAULT_HORIZON) -> pd.Series:
    """Return the last known value held for every year after it up to ``horizon`` (fraction)."""
    y0, v0 = _last(known)
    years = np.arange(y0 + 1, horizon + 1)
    return pd.Series(v0, index=years, dtype=float)


def linear_to_target(
    known: pd.Series, target: float, target_year: int, horizon: int = DEFAULT_HORIZON
) -> pd.Series:
    """Return a straight line from the last known value to ``target`` in ``target_year``, then held.

    Parameters
    ----------
    known : Series
        Known weights (fraction) indexed by year.
    target : float
        Weight to reach (fraction), e.g. 0.40 total by 2030.
    target_year : int
        Year the target is reached; later years hold it.
    horizon : int
        Last year of the projection.

    Notes
    -----
    A weight never falls: a province already above the target holds its last value.
    """
    y0, v0 = _last(known)
    years = np.arange(y0 + 1, horizon + 1)
    if target_year <= y0:
        path = np.full(len(years), target, dtype=float)
    else:
        frac = np.clip((years - y0) / (target_year - y0), 0.0, 1.0)
        path = v0 + frac * (target - v0)
    return pd.Series(np.maximum(path, v0), index=years, dtype=float)


def national_path(
    kind: str, horizon: int = DEFAULT_HORIZON, guidance: Mapping | None = None
) -> pd.Series:
    """Return the national weight path: 2023 outturn, linear to the 2030 guidance, then held."""
    g = guidance or load_yaml("national_guidance.yaml")
    start = g["national_outturn_2023"][kind]
    tgt = g["target_2030"]
    return pd.concat(
        [
            pd.Series({2023: start}),
            linear_to_target(pd.Series({2023: start}), tgt[kind], tgt["year"], horizon),
        ]
    )


def regional_step(
    known: pd.Series,
    national: pd.Series,
    base_step: float,
    gap_factor: float,
    cap: float,
    horizon: int = DEFAULT_HORIZON,
) -> pd.Series:
    """Return a stepwise path: each year ``w += base_step + gap_factor * max(0, national - w)``.

    Parameters
    ----------
    known : Series
        Known weights (fraction) indexed by year.
    national : Series
        National weight (fraction) by year; years beyond it hold its last value.
    base_step : float
        Increase every province gets each year (fraction, 0.005 = half a point).
    gap_factor : float
        Share of the gap to the national weight closed each year (provinces further below rise
        faster, 004 第十一条).
    cap : float
        Ceiling of the step increase (fraction); a province above the cap holds its value.
    horizon : int
        Last year of the projection.
    """
    y0, w = _last(known)
    out = {}
    for year in range(y0 + 1, horizon + 1):
        nat = float(national.iloc[0] if year < national.index.min() else national.iloc[-1])
        if year in national.index:
            nat = float(national.loc[year])
        step = base_step + gap_factor * max(0.0, nat - w)
        w = max(w, min(cap, w + step))
        out[year] = w
    return pd.Series(out, dtype=float)


def user_path(
    known: pd.Series, path: Mapping[int, float], horizon: int = DEFAULT_HORIZON
) -> pd.Series:
    """Return the user's values, linear between given years and held after the last one."""
    if not path:
        raise ScenarioError("user_path: expected at least one {year: weight} entry, found none")
    y0, v0 = _last(known)
    anchors = pd.Series(
        {y0: v0, **{int(y): float(v) for y, v in path.items() if int(y) > y0}}
    ).sort_index()
    years = np.arange(y0 + 1, horizon + 1)
    values = np.interp(years, anchors.index.to_numpy(float), anchors.to_numpy(float))
    return pd.Series(values, index=years, dtype=float)


def _default_params(method: str, kind: str, horizon: int) -> dict:
    g = load_yaml("national_guidance.yaml")
    if method == "linear_to_target":
        return {"target": g["target_2030"][kind], "target_year": g["target_2030"]["year"]}
    if method == "regional_step":
        rs = g["regional_step"]
        return {
            "national": national_path(kind, horizon, g),
            "base_step": rs[f"base_step_{kind}"],
            "gap_factor": rs["gap_factor"],
            "cap": rs[f"cap_{kind}"],
        }
    return {}


METHODS: dict[str, Callable[..., pd.Series]] = {
    "hold_last": hold_last,
    "linear_to_target": linear_to_target,
    "regional_step": regional_step,
    "user_path": user_path,
}


def project(
    weights: pd.DataFrame,
    province: str,
    kind: str,
    method: str,
    horizon: int = DEFAULT_HORIZON,
    include_suspect: bool = False,
    **params,
) -> pd.DataFrame:
    """Return history plus projection of one province and kind to ``horizon``.

    Parameters
    ----------
    weights : DataFrame
        Tidy weights from :func:`~greenscen.obligations.weights.load_weights`.
    province, kind : str
        Province name (e.g. ``内蒙古``) and ``total`` or ``non_hydro``.
    method : str
        One of ``hold_last``, ``linear_to_target``, ``regional_step``, ``user_path``.
    horizon : int
        Last year (default 2035).
    include_suspect : bool
        Anchor on suspect values too (default no).
    **params
        Method parameters; missing ones come from ``data/national_guidance.yaml``.

    Returns
    -------
    DataFrame
        Columns ``province, kind, year, value, status, method``; history keeps its status
        (``published`` / ``suspect``), projected years have status ``projected``.
    """
    if method not in METHODS:
        raise ScenarioError(
            f"trajectory method: expected one of {', '.join(METHODS)}, found {method!r}"
        )
    if kind not in KINDS:
        raise ScenarioError(f"trajectory kind: expected one of {', '.join(KINDS)}, found {kind!r}")
    known = history(weights, province, kind, include_suspect=include_suspect)
    if known.empty:
        raise ScenarioError(
            f"trajectory of {province} {kind}: expected at least one published weight, found none"
        )
    merged = {**_default_params(method, kind, horizon), **params}
    projected = METHODS[method](known, horizon=horizon, **merged)
    hist_rows = weights[
        (weights["province"] == province)
        & (weights["kind"] == kind)
        & (weights["status"] != "missing")
    ]
    hist = pd.DataFrame(
        {
            "year": hist_rows["year"].to_numpy(int),
            "value": hist_rows["value"].to_numpy(float),
            "status": hist_rows["status"].to_numpy(str),
        }
    )
    proj = pd.DataFrame(
        {
            "year": projected.index.astype(int),
            "value": projected.to_numpy(float),
            "status": "projected",
        }
    )
    out = pd.concat([hist, proj], ignore_index=True).sort_values("year", ignore_index=True)
    out.insert(0, "kind", kind)
    out.insert(0, "province", province)
    out["method"] = method
    return out


def project_many(
    weights: pd.DataFrame,
    provinces: Sequence[str],
    methods: Sequence[Mapping],
    horizon: int = DEFAULT_HORIZON,
) -> pd.DataFrame:
    """Return :func:`project` for every province, kind and method spec, with a ``label`` column.

    Each spec is ``{"method": name, "label": optional, "total": {params}, "non_hydro": {params},
    "provinces": optional list}``; a spec with ``provinces`` applies to those only. Parameters not
    given come from the bundled national guidance.
    """
    frames = []
    for prov in provinces:
        for kind in KINDS:
            for spec in methods:
                if spec.get("provinces") and prov not in spec["provinces"]:
                    continue  # a user path written for another province
                params = dict(spec.get(kind) or {})
                df = project(weights, prov, kind, spec["method"], horizon=horizon, **params)
                df["label"] = spec.get("label") or spec["method"]
                frames.append(df)
    return pd.concat(frames, ignore_index=True)
