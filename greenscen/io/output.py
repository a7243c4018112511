"""Write an output folder whole or not at all, never mixing old and new results.

``output_dir(path, overwrite)`` yields a fresh temporary folder beside ``path``; when the
``with`` block ends without an exception the temporary folder replaces ``path`` in two
renames, otherwise it is deleted and ``path`` is left exactly as it was.

An existing ``path`` is replaced only when ``overwrite`` is true *and* it is a folder that
greenscen wrote (it holds the marker file ``.greenscen-output``) and holds nothing a user
added. A user's own folder is never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from greenscen.errors import ScenarioError

OUTPUT_MARKER = ".greenscen-output"
_HELD: set[Path] = set()  # output folders this process holds the lock of


def _check_replaceable(path: Path, overwrite: bool) -> None:
    if not path.exists():
        return
    if not path.is_dir():
        raise ScenarioError(
            f"--out: expected a folder to write results to, found an existing file {path}"
        )
    entries = list(path.iterdir())
    if not entries:
        return
    if not (path / OUTPUT_MARKER).exists():
        raise ScenarioError(
            f"--out: the folder {path} exists and was not written by greenscen; "
            "choose a new or empty folder (nothing was written)"
        )
    if not overwrite:
        raise ScenarioError(
            f"--out: the folder {path} already holds greenscen results; pass --overwrite to "
            "replace them or choose another folder (nothing was written)"
        )
    listed = set((path / OUTPUT_MARKER).read_text(encoding="utf-8").split())
    foreign = sorted(e.name for e in entries if e.name != OUTPUT_MARKER and e.name not in listed)
    if foreign:
        raise ScenarioError(
            f"--out: the folder {path} holds files greenscen did not write "
            f"({', '.join(foreign[:5])}); move them or choose another folder (nothing was written)"
        )


def _writable_ancestor(path: Path) -> None:
    """Raise a ScenarioError unless ``path`` could be created: its nearest existing ancestor
    must be a folder this process may write to (a read-only place is refused up front)."""
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ScenarioError(f"--out: expected a folder path, found {parent} is a file, so "
                            f"{path} cannot be created (nothing was written)")  # fmt: skip
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ScenarioError(f"--out: expected a folder greenscen may write to, found {parent} "
                            f"is not writable (nothing was written)")  # fmt: skip


def check_output_dir(path: str | os.PathLike, overwrite: bool = False) -> None:
    """Raise a ScenarioError now, before any work, when results could not be written to ``path``."""
    target = Path(path).resolve()
    _check_replaceable(target, overwrite)
    _writable_ancestor(target)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def output_lock(path: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of output folder ``path``: a second run writing there fails cleanly.

    The lock is a file ``.<name>.lock`` beside the folder holding the owner's pid; one left by
    a process that no longer runs is taken over. Re-entrant within a process.
    """
    target = Path(path).resolve()
    if target in _HELD:
        yield
        return
    lock = target.with_name(f".{target.name}.lock")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
                break
            except FileExistsError:
                try:
                    owner = int(lock.read_text(encoding="utf-8").strip() or 0)
                except (OSError, ValueError):
                    owner = 0
                if owner and _pid_alive(owner):
                    raise ScenarioError(
                        f"--out: another greenscen run (pid {owner}) is writing {target}; wait "
                        "for it or choose another folder (nothing was written)"
                    ) from None
                lock.unlink(missing_ok=True)  # left by a run that ended without cleaning up
        else:
            raise ScenarioError(f"--out: cannot take the lock {lock} (nothing was written)")
    except OSError as exc:
        raise ScenarioError(f"--out: cannot write to {target.parent}: {exc.strerror} "
                            "(nothing was written)") from None  # fmt: skip
    with os.fdopen(fd, "w") as fh:
        fh.write(str(os.getpid()))
    _HELD.add(target)
    try:
        yield
    finally:
        _HELD.discard(target)
        lock.unlink(missing_ok=True)


@contextmanager
def output_dir(path: str | os.PathLike, overwrite: bool = False) -> Iterator[Path]:
    """Yield a temporary folder that atomically becomes ``path`` on success.

    Parameters
    ----------
    path : path-like
        The folder the results should end up in.
    overwrite : bool
        Replace an earlier greenscen output folder at ``path``.
    """
    target = Path(path).resolve()
    with output_lock(target):
        _check_replaceable(target, overwrite)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        except OSError as exc:
            raise ScenarioError(f"--out: cannot write to {target.parent}: {exc.strerror} "
                                "(nothing was written)") from None  # fmt: skip
        yield from _fill(tmp, target)


def _fill(tmp: Path, target: Path) -> Iterator[Path]:
    """Yield ``tmp``; then move it in place of ``target`` whole, or delete it on any error."""
    try:
        yield tmp
        names = sorted(p.name for p in tmp.iterdir())
        (tmp / OUTPUT_MARKER).write_text("\n".join(names) + "\n", encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:  # disk full, permissions changed meanwhile: a user's problem
        shutil.rmtree(tmp, ignore_errors=True)
        raise ScenarioError(f"--out: cannot write the results to {target}: "
                            f"{exc.strerror or exc} (nothing was written)") from None  # fmt: skip
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, payload) -> None:
    """Write ``payload`` as UTF-8 JSON (non-ASCII kept readable), indent 2."""
    path.write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8"
    )


def _json_default(obj):
    import numpy as np
    import pandas as pd

    if isinstance(obj, (np.integer,)):
        return int(obj)
    if isinstance(obj, (np.floating,)):
        return float(obj)
    if isinstance(obj, (np.bool_,)):
        return bool(obj)
    if isinstance(obj, (pd.Timestamp,)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")
