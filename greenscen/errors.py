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


class ComplianceError(GreenscenError):
    """The solved dispatch breaks a rule beyond tolerance when checked independently."""

    def __init__(self, message: str, failed: Iterable[str] = ()):
        self.failed = list(failed)
        super().__init__(message)
