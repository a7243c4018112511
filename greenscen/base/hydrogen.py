"""Typed, annualised parameters of a scenario's hydrogen chain (``hydrogen:``), for the model.

Money is annualised here, as in :mod:`greenscen.base.params`: an electrolyser MW costs
CRF(r, n)·capex + fixed O&M per year, plus its stacks: a stack life in *years* adds the
replacements within the plant life (present value at r, annualised over the plant life) as a
cost per MW and year; a life in *operating hours* makes the stack a cost per MWh the
electrolyser consumes (stack cost per MW / life hours, at full load), since how often it is
replaced depends on the dispatch.
"""

from __future__ import annotations

from dataclasses import dataclass

KW_PER_MW = 1000.0
KG_PER_T = 1000.0


@dataclass(frozen=True)
class HydrogenParams:
    """The electrolyser, hydrogen storage and demand as the LP takes them.

    ``segments`` are the part-load curve's lines h2 <= a·p + b·cap (a kg/MWh, b kg/h per MW of
    capacity); without a curve, h2 = p·1000/kWh_per_kg exactly.
    """

    user: str
    cost_yuan_per_mw_year: float
    stack_yuan_per_mwh: float
    stack_yuan_per_mw_year: float
    capacity_mw: float | None
    min_mw: float
    max_mw: float | None
    kwh_per_kg: float
    segments: tuple[tuple[float, float], ...] | None
    min_load_share: float
    may_stop: bool
    storage_cost_yuan_per_kg_year: float | None  # None: no hydrogen storage
    compression_kwh_per_kg: float
    storage_kg: float | None
    storage_max_kg: float | None
    demand_kg_per_year: float | None  # None: sold at a price
    demand_profile: str  # flat, band or annual
    demand_min_share: float
    demand_max_share: float
    price_yuan_per_kg: float | None
    max_kg_per_year: float | None


def _segments(spec) -> tuple[tuple[float, float], ...] | None:
    """Return the lines (a kg/MWh, b kg/h per MW) through consecutive part-load points."""
    curve = spec.part_load_curve
    if curve is None:
        return None
    pts = [(s, KW_PER_MW * s / e) for s, e in curve]  # (share, kg/h per MW of capacity)
    if spec.may_stop:
        pts = [(0.0, 0.0), *pts]
    out = []
    for (s0, h0), (s1, h1) in zip(pts, pts[1:], strict=False):
        a = (h1 - h0) / (s1 - s0)  # kg/h per MW of power = kg/MWh
        out.append((a, h0 - a * s0))
    return tuple(out)


def hydrogen_params(spec, rate: float, crf) -> HydrogenParams | None:
    """Return the HydrogenParams of a ``hydrogen:`` spec (None when there is none)."""
    if spec is None:
        return None
    el, st, d = spec.electrolyser, spec.storage, spec.demand
    stack_year = 0.0
    if el.stack_life_years is not None and el.stack_cost_yuan_per_kw > 0:
        k, pv = 1, 0.0
        while k * el.stack_life_years < el.lifetime_years - 1e-9:
            pv += el.stack_cost_yuan_per_kw / (1 + rate) ** (k * el.stack_life_years)
            k += 1
        stack_year = crf(rate, el.lifetime_years) * pv * KW_PER_MW
    stack_mwh = 0.0
    if el.stack_life_hours is not None:
        stack_mwh = el.stack_cost_yuan_per_kw * KW_PER_MW / el.stack_life_hours
    cost = (crf(rate, el.lifetime_years) * el.capex_yuan_per_kw + el.fixed_om_yuan_per_kw_year) * KW_PER_MW
    sto_cost = None
    if st is not None:
        sto_cost = st.capex_yuan_per_kg * (crf(rate, st.lifetime_years) + st.fixed_om_share_per_year)
    return HydrogenParams(
        user=spec.user,
        cost_yuan_per_mw_year=cost + stack_year,
        stack_yuan_per_mwh=stack_mwh,
        stack_yuan_per_mw_year=stack_year,
        capacity_mw=el.capacity_mw,
        min_mw=el.min_mw,
        max_mw=el.max_mw,
        kwh_per_kg=el.specific_consumption_kwh_per_kg,
        segments=_segments(el),
        min_load_share=el.min_load_share,
        may_stop=el.may_stop,
        storage_cost_yuan_per_kg_year=sto_cost,
        compression_kwh_per_kg=st.compression_kwh_per_kg if st else 0.0,
        storage_kg=st.capacity_kg if st else None,
        storage_max_kg=st.max_kg if st else None,
        demand_kg_per_year=d.annual_t * KG_PER_T if d.annual_t is not None else None,
        demand_profile=d.profile,
        demand_min_share=d.min_share,
        demand_max_share=d.max_share,
        price_yuan_per_kg=d.price_yuan_per_kg,
        max_kg_per_year=d.max_t * KG_PER_T if d.max_t is not None else None,
    )
