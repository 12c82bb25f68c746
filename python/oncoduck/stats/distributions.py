"""The distribution functions the statistics read, on ``scipy.special``: the same special functions
``scipy.stats`` calls for them, with its answers outside the parameter ranges (NaN), so every value is
bit-identical to ``scipy.stats`` (tests/python/stats/test_distributions.py holds them to it). The hypergeometric
tails call the private Boost functions of ``scipy.special`` that ``scipy.stats.hypergeom`` calls (constraints.txt
pins scipy; the test fails if a new version renames them).

Why not ``scipy.stats`` itself: importing it takes over a second of single-core Python (its hundred
distribution classes are built at import), which every build paid before its first statistic, beside the SQL
models and holding the GIL; ``scipy.special`` takes a fraction of that. The exact Wilcoxon distributions are R's
(pwilcox and psignrank, from their exact counts; tests/python/stats/test_wilcoxon_exact.py holds them to R's
values). The one test only ``scipy.stats`` has (Monte Carlo Fisher-Freeman-Halton) imports it where it runs.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy import special
from scipy.special import _ufuncs  # the Boost hypergeometric tails scipy.stats calls


def chi2_sf(x, df):
    """Upper tail of the chi-squared distribution (``scipy.stats.chi2.sf``): 1 at and below 0, 0 at infinity, NaN
    where ``df`` is not positive or ``x`` is NaN."""
    x, df = np.asarray(x, dtype=float), np.asarray(df, dtype=float)
    tail = np.where(x <= 0, 1.0, np.where(x == np.inf, 0.0, special.chdtrc(df, x)))
    return _nan_where(~(df > 0) | np.isnan(x), tail)


def norm_cdf(z):
    """Standard normal distribution function (``scipy.stats.norm.cdf``)."""
    return special.ndtr(np.asarray(z, dtype=float))


def norm_sf(z):
    """Standard normal upper tail (``scipy.stats.norm.sf``)."""
    return special.ndtr(-np.asarray(z, dtype=float))


def norm_ppf(q):
    """Standard normal quantile (``scipy.stats.norm.ppf``); NaN outside [0, 1]."""
    q = np.asarray(q, dtype=float)
    return _nan_where((q < 0) | (q > 1), special.ndtri(np.clip(q, 0, 1)))


def t_cdf(x, df):
    """Student's t distribution function (``scipy.stats.t.cdf``): 0 and 1 at the infinities, NaN where ``df`` is
    not positive or ``x`` is NaN."""
    x, df = np.asarray(x, dtype=float), np.asarray(df, dtype=float)
    value = np.where(x == -np.inf, 0.0, np.where(x == np.inf, 1.0, special.stdtr(df, x)))
    return _nan_where(~(df > 0) | np.isnan(x), value)


def t_sf(x, df):
    """Student's t upper tail (``scipy.stats.t.sf``); NaN where ``df`` <= 0."""
    return t_cdf(-np.asarray(x, dtype=float), df)


def hypergeom_logpmf(k, total, good, drawn):
    """log P(K = k) for K the number of ``good`` items among ``drawn`` taken from ``total`` (counts;
    ``scipy.stats.hypergeom.logpmf(k, total, good, drawn)``), for k inside its support: a sum of log beta
    functions, added in scipy's order. NaN where there is no such draw (``total`` 0, or ``good`` or ``drawn``
    outside 0..total)."""
    k, total, good, drawn = (np.asarray(a, dtype=float) for a in (k, total, good, drawn))
    bad = total - good
    value = (special.betaln(good + 1, 1) + special.betaln(bad + 1, 1) + special.betaln(total - drawn + 1, drawn + 1)
             - special.betaln(k + 1, good - k + 1) - special.betaln(drawn - k + 1, bad - drawn + k + 1)
             - special.betaln(total + 1, 1))
    return _nan_where(~_draw_exists(total, good, drawn), value)


def hypergeom_cdf(k, total, good, drawn):
    """P(K <= k) for the draw of hypergeom_logpmf (``scipy.stats.hypergeom.cdf``): scipy's own Boost function
    inside the support, 0 below it, 1 from its top; NaN where there is no such draw."""
    k, low, high, valid, args = _hypergeom_support(k, total, good, drawn)
    inside = np.clip(_ufuncs._hypergeom_cdf(np.clip(k, low, high), *args), 0, 1)
    return _nan_where(~valid, np.where(k < low, 0.0, np.where(k >= high, 1.0, inside)))


def hypergeom_sf(k, total, good, drawn):
    """P(K > k) for the draw of hypergeom_logpmf (``scipy.stats.hypergeom.sf``): scipy's own Boost function inside
    the support, 1 below it, 0 from its top; NaN where there is no such draw."""
    k, low, high, valid, args = _hypergeom_support(k, total, good, drawn)
    inside = np.clip(_ufuncs._hypergeom_sf(np.clip(k, low, high), *args), 0, 1)
    return _nan_where(~valid, np.where(k < low, 1.0, np.where(k >= high, 0.0, inside)))


def _hypergeom_support(k, total, good, drawn):
    """k, the support's bounds, whether the draw exists (and k is a number), and the Boost functions' arguments
    (good, drawn, total), as scipy's discrete distributions prepare them."""
    k, total, good, drawn = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (k, total, good, drawn)))
    low, high = np.maximum(drawn - (total - good), 0), np.minimum(good, drawn)
    return k, low, high, _draw_exists(total, good, drawn) & ~np.isnan(k), (good, drawn, total)


def _draw_exists(total, good, drawn):
    return (total > 0) & (good >= 0) & (drawn >= 0) & (good <= total) & (drawn <= total)


def pwilcox(q: float, m: int, n: int, lower_tail: bool = True) -> float:
    """R's ``pwilcox(q, m, n, lower.tail)``: P(W <= q), or P(W > q), for the Wilcoxon rank-sum statistic W of
    samples of sizes ``m`` and ``n`` without ties, from the exact counts of W (_wilcox_counts). As R does, it sums
    the probabilities over the shorter tail (the distribution is symmetric about m n / 2) and takes the other side
    as 1 minus that sum."""
    q = math.floor(q + 1e-7)
    if q < 0:
        return 0.0 if lower_tail else 1.0
    if q >= m * n:
        return 1.0 if lower_tail else 0.0
    counts = _wilcox_counts(m, n) / float(math.comb(m + n, n))
    if q <= m * n / 2:
        p = float(np.sum(counts[:q + 1]))
    else:
        p, lower_tail = float(np.sum(counts[:m * n - q])), not lower_tail
    return p if lower_tail else 0.5 - p + 0.5


def psignrank(q: float, n: int, lower_tail: bool = True) -> float:
    """R's ``psignrank(q, n, lower.tail)``: P(V <= q), or P(V > q), for the Wilcoxon signed-rank statistic V of
    ``n`` non-zero differences without ties: the subsets of the ranks 1..n with each sum, over 2^n, summed over the
    shorter tail as R does (the distribution is symmetric about n (n + 1) / 4)."""
    q = round(q + 1e-7)  # R: R_forceint, the nearest whole number
    top = n * (n + 1) // 2
    if q < 0:
        return 0.0 if lower_tail else 1.0
    if q >= top:
        return 1.0 if lower_tail else 0.0
    counts = _signrank_counts(n) * math.exp(-n * math.log(2))
    if q <= n * (n + 1) / 4:
        p = float(np.sum(counts[:q + 1]))
    else:
        p, lower_tail = float(np.sum(counts[:top - q])), not lower_tail
    return p if lower_tail else 0.5 - p + 0.5


@lru_cache(maxsize=64)
def _wilcox_counts(m: int, n: int) -> np.ndarray:
    """How many orderings of m x's among n y's give each W = 0..m n (W: the pairs with the x above the y). With i
    x's and j y's, the largest value is an x (above all j y's: W - j over i - 1 and j) or a y (W over i and
    j - 1)."""
    previous = [np.ones(1)] * (n + 1)  # i = 0: W = 0 only
    for i in range(1, m + 1):
        current = [np.ones(1)]  # j = 0
        for j in range(1, n + 1):
            counts = np.zeros(i * j + 1)
            counts[j:] += previous[j]
            counts[:i * (j - 1) + 1] += current[j - 1]
            current.append(counts)
        previous = current
    return previous[n]


@lru_cache(maxsize=64)
def _signrank_counts(n: int) -> np.ndarray:
    """How many subsets of the ranks 1..n have each sum V = 0..n (n + 1) / 2."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for rank in range(1, n + 1):
        counts[rank:] = counts[rank:] + counts[:-rank]
    return counts


def rankdata(values) -> np.ndarray:
    """Ranks 1..n of ``values`` (flattened), ties given their mean rank (``scipy.stats.rankdata``, method
    'average'); all NaN when a value is NaN, as scipy's default nan_policy gives."""
    values = np.ravel(np.asarray(values))
    if values.size and values.dtype.kind == "f" and np.isnan(values).any():
        return np.full(values.size, np.nan)
    order = np.argsort(values, kind="mergesort")
    ordered = values[order]
    starts = np.concatenate([[True], ordered[1:] != ordered[:-1]]) if values.size else np.zeros(0, dtype=bool)
    tie_group = np.cumsum(starts) - 1  # 0-based group of each sorted value
    bounds = np.concatenate([np.flatnonzero(starts), [values.size]])  # first sorted position of each group, and n
    mean_rank = (bounds[:-1] + bounds[1:] + 1) / 2.0  # mean of the 1-based positions first+1 .. last+1
    ranks = np.empty(values.size, dtype=float)
    ranks[order] = mean_rank[tie_group]
    return ranks


def _nan_where(condition, values):
    values = np.where(condition, np.nan, values)
    return values[()] if values.ndim == 0 else values
