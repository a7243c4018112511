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
    level rise faster, up to a ceiling that is itself rising: 30% non-hydro in 2025 (the highest
    2025 level), plus ``cap_rise_per_year`` each later year (004 第十一条 「地域別の加重上昇メカニズム」:
    weights keep rising, so the 2025 maximum is not a permanent ceiling).

Consistency (004 第十条: the total weight covers every renewable, the non-hydro weight all but
hydro, so total >= non-hydro in every year): :func:`project_many` and :func:`project_pair` raise
a projected total that falls below the same year's non-hydro value (published or projected) to
it and flag the row; :func:`consistency_problems` lists every contradiction.
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
    cap_year: int = 2025,
    cap_rise_per_year: float = 0.0,
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
        Ceiling of the step increase in ``cap_year`` (fraction); a province above it holds.
    horizon : int
        Last year of the projection.
    cap_year, cap_rise_per_year : int, float
        The ceiling in year ``y`` is ``cap + cap_rise_per_year * max(0, y - cap_year)``.
    """
    y0, w = _last(known)
    out = {}
    for year in range(y0 + 1, horizon + 1):
        nat = float(national.iloc[0] if year < national.index.min() else national.iloc[-1])
        if year in national.index:
            nat = float(national.loc[year])
        step = base_step + gap_factor * max(0.0, nat - w)
        ceiling = cap + cap_rise_per_year * max(0, year - cap_year)
        w = max(w, min(ceiling, w + step))
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
            "cap_year": rs.get("cap_year", 2025),
            "cap_rise_per_year": rs.get(f"cap_rise_per_year_{kind}", 0.0),
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
        for spec in methods:
            if spec.get("provinces") and prov not in spec["provinces"]:
                continue  # a user path written for another province
            pair = project_pair(
                weights,
                prov,
                spec["method"],
                horizon=horizon,
                params={k: dict(spec.get(k) or {}) for k in KINDS},
            )
            pair["label"] = spec.get("label") or spec["method"]
            frames.append(pair)
    return pd.concat(frames, ignore_index=True)


def project_pair(
    weights: pd.DataFrame,
    province: str,
    method: str,
    horizon: int = DEFAULT_HORIZON,
    params: Mapping[str, Mapping] | None = None,
) -> pd.DataFrame:
    """Return :func:`project` of both kinds with every projected total >= that year's non-hydro.

    A projected total below the non-hydro weight of the same year (published, expected or
    projected by the same method) contradicts 004 第十条 (the total includes the non-hydro
    weight); it is raised to the non-hydro value and its ``flag`` says so. Other rows have an
    empty ``flag``.
    """
    params = params or {}
    frames = {
        kind: project(weights, province, kind, method, horizon=horizon, **dict(params.get(kind) or {}))
        for kind in KINDS
    }
    nh = frames["non_hydro"].drop_duplicates("year", keep="last").set_index("year")["value"]
    tot = frames["total"].copy()
    tot["flag"] = ""
    below = (tot["status"] == "projected") & (tot["value"] < tot["year"].map(nh).fillna(-1.0))
    tot.loc[below, "flag"] = [
        f"projected total {v:.1%} < non-hydro {nh[y]:.1%}: raised to non-hydro (004 第十条)"
        for v, y in zip(tot.loc[below, "value"], tot.loc[below, "year"], strict=True)
    ]
    tot.loc[below, "value"] = tot.loc[below, "year"].map(nh)
    frames["non_hydro"]["flag"] = ""
    return pd.concat([tot, frames["non_hydro"]], ignore_index=True)


def consistency_problems(weights: pd.DataFrame, trajectories: pd.DataFrame | None = None) -> list[str]:
    """Return every place where total < non-hydro in the table or in a set of trajectories.

    Table rows (published, expected, suspect) are checked year by year; trajectory rows are
    checked per province, label and year (after :func:`project_pair`, only an unflagged
    contradiction remains). Projections flagged as raised are listed too, so a brief can say
    which projected values were corrected.
    """
    out = []
    known = weights[weights["status"] != "missing"]
    wide = known.pivot_table(index=["province", "year"], columns="kind", values="value")
    for (prov, year), row in wide.iterrows():
        t, n = row.get("total"), row.get("non_hydro")
        if pd.notna(t) and pd.notna(n) and t < n - 1e-12:
            out.append(f"{prov} {year}: table total {t:.1%} < non-hydro {n:.1%}")
    if trajectories is not None:
        col = "label" if "label" in trajectories else "method"
        for (prov, lab), g in trajectories.groupby(["province", col], sort=False):
            w = g.drop_duplicates(["year", "kind"], keep="last").pivot(
                index="year", columns="kind", values="value"
            )
            for year, row in w.iterrows():
                t, n = row.get("total"), row.get("non_hydro")
                if pd.notna(t) and pd.notna(n) and t < n - 1e-12:
                    out.append(f"{prov} {lab} {year}: total {t:.1%} < non-hydro {n:.1%}")
            if "flag" in g:
                out += [f"{prov} {lab} {y}: {f}" for y, f in zip(g["year"], g["flag"], strict=True) if f]
    return out
