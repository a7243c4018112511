"""Solve one variant of a study on a worker, reusing a built session per model structure.

Runs wherever the variant is sent: in the calling process (serial runs), in a Dask worker
process of a local cluster or of a remote one. Each process keeps a few built
:class:`~greenscen.session.SizingSession` objects, one per *structure*: two variants share a
structure when they differ only in values a session re-solves without a rebuild (the tweaks of
``greenscen.tweaks.TWEAKS``: costs, rule limits, the connection, the year); any other change (a
site, a user, the resolution) is a structure of its own. A variant of a known structure is a
``session.update(...)`` of the cached session, so its model is not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import time
from collections import OrderedDict

from greenscen.errors import GreenscenError
from greenscen.scenario.load import LoadedScenario
from greenscen.session import SizingSession, error_status
from greenscen.tweaks import TWEAKS, variant

# Built sessions kept per process (least recently used dropped): a full-year fast-mode
# session holds two LPs in HiGHS, ~100-200 MB.
MAX_SESSIONS = 3
# One HiGHS thread per worker: the workers are the parallelism.
HIGHS_OPTIONS = {"threads": 1}
_SESSIONS: OrderedDict[tuple, SizingSession] = OrderedDict()


def _get(node: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return None, False
        node = node[key]
    return node, True


def _drop(node: dict, path: tuple[str, ...]) -> None:
    for key in path[:-1]:
        node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            return
    if isinstance(node, dict):
        node.pop(path[-1], None)


def tweak_values(ls: LoadedScenario) -> dict:
    """Return the tweak values a scenario gives (tweaks whose path it holds, not None)."""
    data = ls.resolved_dict()
    out = {}
    for name, tw in TWEAKS.items():
        value, present = _get(data, tw.path)
        if present and (value is not None or name == "connection_mw"):
            out[name] = value
    return out


def structure_key(ls: LoadedScenario, solve_mode: str) -> str:
    """Return a key equal for scenarios a session can switch between by tweaks alone."""
    data = ls.resolved_dict()
    present = sorted(tweak_values(ls))
    for tw in TWEAKS.values():
        _drop(data, tw.path)
    data.pop("name", None)
    data.pop("description", None)
    blob = json.dumps([solve_mode, present, data, str(ls.base_dir)], sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _session(ls: LoadedScenario, solve_mode: str) -> tuple[SizingSession, bool]:
    key = (structure_key(ls, solve_mode),)
    if key in _SESSIONS:
        _SESSIONS.move_to_end(key)
        return _SESSIONS[key], False
    s = SizingSession(ls, solve_mode=solve_mode, highs_options=HIGHS_OPTIONS, diagnose=True)
    _SESSIONS[key] = s
    while len(_SESSIONS) > MAX_SESSIONS:
        _SESSIONS.popitem(last=False)
    return s, True


def clear_sessions() -> None:
    """Forget the sessions this process holds (tests; memory)."""
    _SESSIONS.clear()


def _one_line(exc: BaseException) -> str:
    return " | ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def solve_variant(base: LoadedScenario, solve_mode: str, variant_id: str, policy: str,
                  inputs: dict, overrides: dict, digest: str) -> dict:  # fmt: skip
    """Return the table row of one variant: its inputs, then the result or status and reason.

    ``status`` is ``solved``, ``infeasible`` (no design meets the rules; ``message`` gives the
    elastic diagnosis), ``invalid`` (the variant's values are bad input) or ``error``.
    """
    from greenscen.compare import result_row

    t0 = time.perf_counter()
    head = {"variant": variant_id, "policy": policy, **inputs}
    built = False
    try:
        ls = variant(base, overrides)
        session, built = _session(ls, solve_mode)
        values = tweak_values(ls)
        res = session.update(**values)
        row = head | result_row(res) | {"message": ""}
        row["solve_s"] = float(session.log[-1]["solve_s"])
        row["rebuilt"] = bool(session.log[-1]["rebuilt"])
    except GreenscenError as exc:
        row = head | {"status": error_status(exc), "message": _one_line(exc)}
    except Exception as exc:  # noqa: BLE001 - a study records any failure as a row and goes on
        row = head | {"status": "error", "message": f"{type(exc).__name__}: {_one_line(exc)}"}
    row.pop("scenario", None)
    row["built"] = built
    row["wall_s"] = time.perf_counter() - t0
    row["worker_pid"] = os.getpid()
    # peak resident memory of this worker process so far (Linux reports KiB)
    row["worker_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["digest"] = digest
    return row
