"""Shared helpers for the R-agreement tests."""
import json
from pathlib import Path

import numpy as np

FIX = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


def load(name: str) -> list[dict]:
    return json.loads((FIX / name).read_text())


def rnum(v):
    """JSON from jsonlite(na = "string"): "NA"/"NaN" -> nan, "Inf"/"-Inf" -> +-inf."""
    if v is None or v in ("NA", "NaN"):
        return np.nan
    if v == "Inf":
        return np.inf
    if v == "-Inf":
        return -np.inf
    return float(v)


def close(actual, expected, rtol=1e-9, msg=""):
    """R agreement: relative tolerance; exact-zero / None(NA) / Inf expected values compared exactly."""
    a = np.atleast_1d(np.asarray(actual, dtype=float))
    e = np.atleast_1d(np.asarray([rnum(v) for v in np.atleast_1d(np.asarray(expected, dtype=object))], dtype=float))
    assert a.shape == e.shape, f"{msg}: shape {a.shape} vs {e.shape}"
    both_nan = np.isnan(a) & np.isnan(e)
    assert np.array_equal(np.isnan(a), np.isnan(e)), f"{msg}: NA pattern {a} vs {e}"
    inf = np.isinf(e)
    assert np.array_equal(a[inf], e[inf]), f"{msg}: Inf {a} vs {e}"
    m = ~both_nan & ~inf
    zero = m & (e == 0)
    assert np.all(np.abs(a[zero]) <= 1e-300), f"{msg}: zero {a} vs {e}"
    nz = m & (e != 0)
    np.testing.assert_allclose(a[nz], e[nz], rtol=rtol, atol=0, err_msg=msg)


