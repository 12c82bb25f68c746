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



def test_tables_solved_in_batches_give_the_results_of_one_batch(monkeypatch):
    """fisher_2x2_many solves the distinct tables in batches of bounded total support (memory); every
    table is solved independently, so the results are bit-identical to solving all at once."""
    import pandas as pd

    from oncoduck.stats import fisher

    rng = np.random.default_rng(3)
    n1, n2 = rng.integers(1, 3_000, 60), rng.integers(1, 3_000, 60)
    a, c = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    tables = pd.DataFrame({"a": a, "b": n1 - a, "c": c, "d": n2 - c})
    distinct = np.unique(tables.to_numpy(), axis=0)
    for alternative in ("two.sided", "less", "greater"):
        monkeypatch.setattr(fisher, "_BATCH_SUPPORT", 10**12)
        assert len(fisher._support_batches(distinct)) == 1
        at_once = fisher.fisher_2x2_many(tables, alternative=alternative)
        monkeypatch.setattr(fisher, "_BATCH_SUPPORT", 2_000)
        batches = fisher._support_batches(distinct)
        assert len(batches) > 10 and batches[0].start == 0 and batches[-1].stop == len(distinct)
        assert all(left.stop == right.start for left, right in zip(batches, batches[1:]))
        pd.testing.assert_frame_equal(fisher.fisher_2x2_many(tables, alternative=alternative), at_once,
                                      check_exact=True)
