"""Fisher's noncentral hypergeometric is summed only where R's exp(d - max(d)) is not 0 (stats/fisher.py
Tables.dn). Outside that window every probability must be exactly 0 when computed over the whole
support as R does, and inside it the probabilities must be R's."""

from __future__ import annotations

import numpy as np
import pytest

from oncoduck.stats._rzeroin import DBL_EPSILON
from oncoduck.stats.fisher import _Tables


def _full_support_dn(tables: _Tables, t: int, ncp: float) -> np.ndarray:
    """R dnhyper(ncp) over the whole support of table t, as stats:::fisher.test computes it."""
    lo, size = tables.off[t], tables.size[t]
    d = tables.logdc[lo:lo + size] + np.log(ncp) * tables.sup[lo:lo + size]
    e = np.exp(d - d.max())
    return e / e.sum()


@pytest.mark.parametrize("ncp", [DBL_EPSILON, 1e-3, 0.5, 1.0, 3.0, 1e3, 1 / DBL_EPSILON])
def test_windowed_probabilities_equal_the_whole_support(ncp):
    # cohort-sized tables (altered / not altered x two groups), small ones and one-point supports
    a = np.array([3, 40, 2_000, 5, 0, 7, 25_000, 1])
    b = np.array([10, 60, 48_000, 0, 4, 7, 25_000, 0])
    c = np.array([1, 35, 2_600, 9, 3, 0, 24_000, 0])
    d = np.array([12, 70, 47_400, 2, 5, 9, 26_000, 0])
    tables = _Tables(a, b, c, d)
    t = np.arange(a.size)
    probabilities, support, segment, _ = tables.dn(t, np.full(t.size, ncp))
    windows_shorter = 0
    for i in t:
        full = _full_support_dn(tables, i, ncp)
        windowed = np.zeros_like(full)
        positions = (support[segment == i] - tables.lo[i]).astype(int)
        windowed[positions] = probabilities[segment == i]
        outside = np.ones(full.size, bool)
        outside[positions] = False
        assert (full[outside] == 0.0).all(), f"table {i}: a probability left out of the window is not 0"
        np.testing.assert_allclose(windowed, full, rtol=1e-12, atol=0)
        windows_shorter += positions.size < full.size
    assert windows_shorter > 0, "no window was shorter than its support: the test does not reach the tails"
