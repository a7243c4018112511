"""The sizing session: one built model per scenario, re-solved after each change of a value.

Every front end goes through it: :func:`greenscen.run.run_scenario` (the CLI, notebooks,
benchmarks), the widgets, :func:`greenscen.compare.compare_scenarios` and sweeps.

A change is written the way a planner thinks of it (a tweak: the export cap, a storage capex,
the connection capacity, the year; see :data:`greenscen.tweaks.TWEAKS`), applied to the
scenario as an in-memory override, resolved again (rules and typed parameters, cheap) and
passed to the *built* model as ``set_param`` / ``fix_capacity`` calls, so the model is not
rebuilt (Calliope's mutable-parameter backend is the pattern). Only a change that alters the
model's structure (a rule coming into or out of force with a new year, say) rebuilds it, and
the session counts and reports that.

The solve modes (exact arrays, exact Pyomo, fast) share one face
(:class:`~greenscen.model.core.SolveModel`) and return the same
:class:`~greenscen.model.core.Solution`; each solve gives a full
:class:`~greenscen.results.result.SizingResult` of the changed scenario, whose compliance
table checks against the changed limits and whose costs use the changed prices.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable

import pandas as pd

from greenscen.base.params import SizingParams
from greenscen.errors import GreenscenError, InfeasibleError, ScenarioError
from greenscen.model.core import SolveModel
from greenscen.model.lp import default_values
from greenscen.progress import Progress, no_progress
from greenscen.results.result import SizingResult
from greenscen.rules import ResolvedRules
from greenscen.scenario.inputs import ModelInputs
from greenscen.tweaks import TWEAKS, fixed_capacities, model_skeleton, tweak_overrides, variant

ModelFactory = Callable[[ModelInputs, SizingParams, ResolvedRules], SolveModel]
SOLVE_MODES = ("exact", "fast")
BACKENDS = ("arrays", "pyomo")


def model_factory(solve_mode: str = "exact", highs_options: dict | None = None,
                  backend: str = "arrays") -> ModelFactory:  # fmt: skip
    """Return the factory of a solve mode: (inputs, params, rules) -> a :class:`SolveModel`.

    ``exact`` with ``backend`` ``arrays`` (the LP in a persistent HiGHS instance) or ``pyomo``
    (the same LP compiled to Pyomo, solved through appsi); ``fast`` sizes on typical days and
    verifies the full year (``greenscen.model.fast``).
    """
    if solve_mode not in SOLVE_MODES:
        raise ValueError(f"solve mode must be one of {SOLVE_MODES}, got {solve_mode!r}")
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    if solve_mode == "fast":
        from greenscen.model.fast import FastSizingModel as cls
    elif backend == "pyomo":
        from greenscen.model.pyomo_backend import PyomoSizingModel as cls
    else:
        from greenscen.model.core import SizingModel as cls

    def build(inputs: ModelInputs, params: SizingParams, rules: ResolvedRules) -> SolveModel:
        return cls(inputs, params, [x.describe() for x in rules.rules], highs_options=highs_options)

    return build


class SizingSession:
    """A scenario, its built model and the values changed so far; ``update`` re-solves.

    Parameters
    ----------
    scenario : path, "bundled:<name>", LoadedScenario or None (the bundled default)
    solve_mode : {"exact", "fast"}
        Which model to build (see :func:`model_factory`); ignored when ``factory`` is given.
    resolution_h : int, optional
        Aggregate the time series to this step (hours) for speed, e.g. 4 in a notebook.
    factory : callable, optional
        Builds the model from (inputs, params, rules); for a custom or reduced model.
    backend : {"arrays", "pyomo"}
        Exact mode only (see :func:`model_factory`).
    diagnose : bool
        When a solve is infeasible, solve the elastic LP to say which rules would have to
        give way, where and by how much (about one more solve).
    progress : callable, optional
        ``progress(stage, event)`` around the build, solve and verify stages (see
        ``greenscen.progress``).
    """

    def __init__(self, scenario=None, solve_mode: str = "exact", resolution_h: int | None = None,
                 factory: ModelFactory | None = None, highs_options: dict | None = None,
                 backend: str = "arrays", diagnose: bool = False,
                 progress: Progress = no_progress):  # fmt: skip
        from greenscen.run import resolve

        self.progress = progress
        self.base = variant(scenario, resolution_h=resolution_h)
        self.solve_mode, self.backend, self.diagnose = solve_mode, backend, diagnose
        self.factory = factory or model_factory(solve_mode, highs_options, backend)
        self.rules, self.inputs, self.params = resolve(self.base)
        self.loaded = self.base
        self.values: dict[str, object] = {}
        self.builds = 0
        self.solves = 0
        self.log: list[dict] = []
        self.result: SizingResult | None = None
        self._build()

    @property
    def mode(self) -> str:
        """The solve mode (alias of ``solve_mode``)."""
        return self.solve_mode

    def _build(self) -> None:
        t0 = time.perf_counter()
        self.progress("build", "start")
        self.model = self.factory(self.inputs, self.params, self.rules)
        self.progress("build", "end")
        self.build_s = time.perf_counter() - t0
        self.builds += 1
        self._applied = default_values(self.params)
        self._fixed = fixed_capacities(self.params)

    def current(self, name: str):
        """Return the scenario value of tweak ``name`` now in force (None when absent)."""
        tw = TWEAKS[name]
        node = self.loaded.resolved_dict()
        for key in tw.path[:-1]:
            node = (node or {}).get(key) or {}
        value = node.get(tw.path[-1]) if isinstance(node, dict) else None
        if value is None and tw.path[0] == "rules":
            return self._applied.get(name)
        return value

    def available(self) -> list[str]:
        """Return the tweaks this scenario's model can take without a rebuild (and the year)."""
        g = self.params.grid
        out = []
        for name, tw in TWEAKS.items():
            if tw.path[0] == "rules":
                ok = name in self._applied
            elif name in ("connection_mw", "td_charge_yuan_per_mwh"):
                ok = g is not None
            elif name == "export_price_yuan_per_mwh":
                ok = bool(g and g.allow_export and self._export_base())
            elif tw.path[0] == "technologies":
                ok = getattr(self.base.scenario.technologies, tw.path[1]) is not None
            else:
                ok = True
            if ok:
                out.append(name)
        return out

    def _export_base(self) -> float:
        return float(self.base.scenario.tariff.export_price_yuan_per_mwh)

    def _export_scale(self, ls) -> float | None:
        g = self.params.grid
        if g is None or not g.allow_export or not self._export_base():
            return None
        return float(ls.scenario.tariff.export_price_yuan_per_mwh) / self._export_base()

    def _apply(self, ls) -> tuple[ResolvedRules, SizingParams, bool]:
        """Send the changed values to the model; return rules, params and whether it rebuilt."""
        from greenscen.base.params import sizing_params
        from greenscen.run import resolve_rules_of

        rules = resolve_rules_of(ls)
        same_data = True
        if ls.scenario.year != self.loaded.scenario.year:
            # the time series move to the new calendar year: results and charts carry its dates
            from greenscen.scenario.inputs import build_inputs

            new = build_inputs(ls)
            same_data = _same_series(new, self.inputs)
            self.inputs = new
        params = sizing_params(ls, rules, self.inputs)
        rebuilt = not same_data or model_skeleton(params) != model_skeleton(self.params)
        if rebuilt:  # a new structure: build it, then send it what differs from the scenario
            self.rules, self.params = rules, params
            self._build()
        wanted = default_values(params)
        scale = self._export_scale(ls)
        if scale is not None:
            wanted["export_price_scale"] = scale
        for name, value in wanted.items():
            if self._applied.get(name) != value:
                self.model.set_param(name, value)
                self._applied[name] = value
        for name, value in fixed_capacities(params).items():
            if self._fixed.get(name) != value:
                self.model.fix_capacity(name, value)
                self._fixed[name] = value
        self.model.rules_in_play = [x.describe() for x in rules.rules]
        self.rules, self.params = rules, params
        return rules, params, rebuilt

    def update(self, **changes) -> SizingResult:
        """Set tweak values (see ``TWEAKS``; None restores the scenario's own), re-solve, return the result.

        >>> s = SizingSession("bundled:default", resolution_h=24)  # doctest: +SKIP
        >>> s.update(self_consumption_min=0.6).ratios()["self_consumption_share"] >= 0.6  # doctest: +SKIP
        True
        """
        from greenscen.run import assemble_result

        values = dict(self.values)
        for name, value in changes.items():
            if value is None and name != "connection_mw":
                values.pop(name, None)
            else:
                values[name] = value
        ls = variant(self.base, tweak_overrides(values)) if values else self.base
        t0 = time.perf_counter()
        rules, params, rebuilt = self._apply(ls)
        t1 = time.perf_counter()
        self.progress("solve", "start")
        try:
            sol = self._solve()
        except BaseException:
            self.progress("solve", "fail")
            raise
        self.progress("solve", "end")
        t2 = time.perf_counter()
        self.values, self.loaded = values, ls
        self.solves += 1
        inputs = self.inputs
        scale = self._export_scale(ls)
        if scale is not None and scale != 1.0:
            inputs = dataclasses.replace(
                inputs, export_price_yuan_per_mwh=inputs.export_price_yuan_per_mwh * scale
            )
        session = {"changes": dict(changes), "rebuilt": rebuilt, "apply_s": t1 - t0,
                   "solve_s": t2 - t1, "builds": self.builds}  # fmt: skip
        extra = dict(sol.extra) | {"session": session}
        self.progress("verify", "start")
        self.result = assemble_result(ls, rules, inputs, params, sol, self.solve_mode, extra)
        self.progress("verify", "end")
        self.log.append(session | {"total_s": time.perf_counter() - t0})
        return self.result

    def _solve(self):
        try:
            return self.model.solve()
        except InfeasibleError as exc:
            if not self.diagnose:
                raise
            from greenscen.model.diagnose import diagnose

            clauses = {r.name: r.clause for r in self.rules.rules}
            lines = diagnose(self.inputs, self.params, self._applied, clauses)
            raise InfeasibleError(exc.base_message, exc.rules_in_play, lines) from None

    def cancel(self) -> None:
        """Stop a solve running in another thread; it raises :class:`~greenscen.errors.Interrupted`."""
        cancel = getattr(self.model, "cancel", None)
        if cancel is None:
            raise GreenscenError(f"a {type(self.model).__name__} solve cannot be cancelled")
        cancel()

    def solve(self) -> SizingResult:
        """Solve with the values set so far (the first solve of a new session)."""
        return self.update()

    def sweep(self, name: str, values: Iterable, restore: bool = True) -> pd.DataFrame:
        """Return one row per value of tweak ``name`` (capacities, costs, ratios, compliance).

        Each value is a re-solve of the same model. A value with no feasible design gives a
        row with ``status = "infeasible"``, a value that is bad input (outside a rule's
        range, say) ``status = "invalid"``, any other solver failure ``status = "error"``;
        ``message`` says why. The tweak's previous value is restored afterwards.
        """
        from greenscen.compare import result_row

        if name not in TWEAKS:
            raise KeyError(f"unknown tweak {name!r}; expected one of {sorted(TWEAKS)}")
        before = self.values.get(name)
        rows = []
        for v in values:
            n_log = len(self.log)
            try:
                row = result_row(self.update(**{name: v}))
            except GreenscenError as exc:
                row = {"scenario": self.base.scenario.name, "status": error_status(exc),
                       "message": str(exc)}  # fmt: skip
            solve_s = self.log[-1]["solve_s"] if len(self.log) > n_log else None
            rows.append({name: v, **row, "solve_s": solve_s})
        if restore:
            self.values.pop(name, None)
            if before is not None:
                self.values[name] = before
        return pd.DataFrame(rows)


def _same_series(a: ModelInputs, b: ModelInputs) -> bool:
    """True when two inputs hold the same values step by step (only their dates may differ)."""
    import numpy as np

    return (len(a.index) == len(b.index)
            and np.array_equal(a.load_mw.to_numpy(), b.load_mw.to_numpy())
            and np.array_equal(a.cf.to_numpy(), b.cf.to_numpy())
            and np.array_equal(a.duration_h.to_numpy(), b.duration_h.to_numpy())
            and np.array_equal(a.energy_price_yuan_per_mwh.to_numpy(),
                               b.energy_price_yuan_per_mwh.to_numpy())
            and np.array_equal(a.index.normalize().dayofyear, b.index.normalize().dayofyear))  # fmt: skip


def error_status(exc: BaseException) -> str:
    """Return a result row's status for an error: infeasible, invalid (bad input) or error."""
    if isinstance(exc, InfeasibleError):
        return "infeasible"
    if isinstance(exc, ScenarioError):
        return "invalid"
    return "error"
