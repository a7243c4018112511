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
    _check_replaceable(target, overwrite)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
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
