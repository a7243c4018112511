"""Fingerprints of the bundled scenarios' LPs: a new technology family leaves other LPs unchanged.

Each fingerprint hashes the LP's matrix A (CSC), costs, column and row bounds and the names
and positions of its blocks, computed before the hydrogen families were added (branch h2,
first commit). A scenario without a ``hydrogen:`` block must build exactly that LP.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from greenscen.model.lp import build_lp
from greenscen.model.timegrid import full_grid
from greenscen.run import resolve
from greenscen.scenario.load import load_sizing_scenario

REPO = Path(__file__).resolve().parents[2]
FINGERPRINTS = {
    "general_multiuser_grid": "f4fc11cdd081abc2",
    "hydrogen_grid_2027": "2fa9b5951510cab5",
    "hydrogen_grid_2028": "557bdb365cfeaf8f",
    "hydrogen_off_grid": "f10868e5bc8a19a8",
    "peak_valley_storage": "124d3a975b7bd949",
}


def lp_fingerprint(lp) -> str:
    """Return a short sha256 of the LP's A, c, bounds and block layout."""
    h = hashlib.sha256()
    A = lp.A.tocsc()
    A.sort_indices()
    for a in (A.indptr, A.indices, np.round(A.data, 9), np.round(lp.c, 9),
              lp.col_lb, lp.col_ub, lp.row_lb, lp.row_ub):  # fmt: skip
        h.update(np.ascontiguousarray(a).tobytes())
    h.update(repr(sorted((k, v.start, v.stop) for k, v in lp.cols.items())).encode())
    h.update(repr(sorted((k, v.start, v.stop) for k, v in lp.rows.items())).encode())
    return h.hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(FINGERPRINTS))
def test_bundled_lp_unchanged(name):
    ls = load_sizing_scenario(str(REPO / "scenarios" / f"{name}.yaml"))
    _, inputs, params = resolve(ls)
    assert lp_fingerprint(build_lp(params, full_grid(inputs, params))) == FINGERPRINTS[name]
