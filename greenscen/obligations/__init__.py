"""Consumption obligations: provincial weights, trajectories, ledgers, compliance plan (SPEC B-D).

Modules, one concept each:

- :mod:`~greenscen.obligations.weights` — provincial weights with provenance (bundled + user CSV)
- :mod:`~greenscen.obligations.trajectories` — projections by named methods
- :mod:`~greenscen.obligations.carryover` — carry-over rules (004 第二十二条, 000 (十一))
- :mod:`~greenscen.obligations.ledger` — obligated-entity ledger and guaranteed-purchase allocation
- :mod:`~greenscen.obligations.enterprise` — sector green shares, bundled/unbundled, parks
- :mod:`~greenscen.obligations.prices` — route price paths
- :mod:`~greenscen.obligations.plan` — least-cost compliance plan (Pyomo + HiGHS)
- :mod:`~greenscen.obligations.carbon` — grid emission factors and reductions
- :mod:`~greenscen.obligations.scenario` — YAML schema and loading
- :mod:`~greenscen.obligations.run` — orchestrator; :mod:`~greenscen.obligations.cli` — CLI
- :mod:`~greenscen.obligations.charts` — brief charts (en / zh)

Policy numbers live in ``data/`` (YAML/CSV with clause and status), never in the code.
Names below are imported lazily so that ``import greenscen.obligations`` stays cheap.
"""

from __future__ import annotations

_LAZY = {
    "load_weights": "weights",
    "project": "trajectories",
    "project_many": "trajectories",
    "EntityYear": "ledger",
    "Volumes": "ledger",
    "entity_ledger": "ledger",
    "allocate_guaranteed": "ledger",
    "enterprise_ledger": "enterprise",
    "sector_target": "enterprise",
    "target_path": "enterprise",
    "PlanProblem": "plan",
    "solve_plan": "plan",
    "single_route_costs": "plan",
    "emission_factor": "carbon",
    "load_obligations_scenario": "scenario",
    "run_obligations": "run",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"greenscen.obligations.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'greenscen.obligations' has no attribute {name!r}")
