"""One exception family for everything a user can get wrong or a model can refuse.

Messages name the file and the field, what was expected and what was found, so that
a user never has to read a traceback from inside Pyomo or pandas.
"""

from __future__ import annotations

from collections.abc import Iterable


class GreenscenError(Exception):
    """Base class of every error greenscen raises on purpose."""

    exit_code = 1


class ScenarioError(GreenscenError):
    """A scenario (or a file it points to) is invalid. Carries every problem found.

    Parameters
    ----------
    problems : list of str
        One line per problem, each naming the field, what was expected and what was found.
    source : str, optional
        The file the problems were found in.
    """

    exit_code = 2

    def __init__(self, problems: Iterable[str] | str, source: str | None = None):
        if isinstance(problems, str):
            problems = [problems]
        self.problems = list(problems)
        self.source = source
        where = f" in {source}" if source else ""
        if len(self.problems) == 1:
            msg = f"invalid input{where}: {self.problems[0]}"
        else:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            msg = f"{len(self.problems)} problems{where}:\n{lines}"
        super().__init__(msg)


class DataError(ScenarioError):
    """A data file (profile CSV, weights table) is unreadable or malformed."""


class InfeasibleError(GreenscenError):
    """The optimisation model has no solution; the message lists the rules in play."""

    def __init__(self, message: str, rules_in_play: Iterable[str] = (), diagnosis: Iterable[str] = ()):
        self.base_message = message
        self.rules_in_play = list(rules_in_play)
        self.diagnosis = list(diagnosis)
        if self.rules_in_play:
            message += "\nRules in play:\n" + "\n".join(f"  - {r}" for r in self.rules_in_play)
        if self.diagnosis:
            message += "\nWhat would have to give (least relaxation, elastic LP):\n" + "\n".join(
                f"  - {d}" for d in self.diagnosis
            )
        super().__init__(message)


class SolverError(GreenscenError):
    """The solver stopped without a usable answer for a reason other than infeasibility."""


class Interrupted(GreenscenError):
    """A solve was stopped on request (Ctrl-C, SIGTERM, a widget's cancel); nothing was written."""

    exit_code = 130


class ComplianceError(GreenscenError):
    """The solved dispatch breaks a rule beyond tolerance when checked independently."""

    def __init__(self, message: str, failed: Iterable[str] = ()):
        self.failed = list(failed)
        super().__init__(message)


NO_FEASIBLE_DESIGN = (
    "the scenario has no feasible design: the rules in play cannot all be met "
    "with the given technologies, capacities and bounds"
)
_OPTIMAL_STATUSES = {"optimal", "convergencecriteriasatisfied"}
_INFEASIBLE_STATUSES = {"infeasible", "infeasibleorunbounded", "primalinfeasibleorunbounded",
                        "proveninfeasible", "locallyinfeasible"}  # fmt: skip


def check_solver_status(
    status: object,
    infeasible_message: str = NO_FEASIBLE_DESIGN,
    rules_in_play: Iterable[str] = (),
    what: str = "solution",
) -> None:
    """Map a solver's verdict to greenscen's errors; the one mapping for every solve path.

    ``status`` is a HiGHS model status string (``"Optimal"``, ``"Infeasible"``, ``"Primal
    infeasible or unbounded"``, ...) or a Pyomo termination condition (``optimal``,
    ``infeasibleOrUnbounded``, ...). Return when optimal; raise :class:`InfeasibleError`
    (with ``rules_in_play``) when infeasible, :class:`SolverError` otherwise.

    >>> check_solver_status("Optimal")
    >>> check_solver_status("Time limit reached")
    Traceback (most recent call last):
    ...
    greenscen.errors.SolverError: HiGHS stopped without an optimal solution: Time limit reached
    """
    name = getattr(status, "name", str(status))  # an enum member or its text
    key = "".join(name.split()).lower().rsplit(".", 1)[-1]
    if key in _OPTIMAL_STATUSES:
        return
    if key in _INFEASIBLE_STATUSES:
        raise InfeasibleError(infeasible_message, list(rules_in_play))
    raise SolverError(f"HiGHS stopped without an optimal {what}: {name}")
