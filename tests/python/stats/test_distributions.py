"""oncoduck.stats.distributions gives bit for bit what scipy.stats gives, edge values included: the statistics
moved to it from scipy.stats (for its import time) without one value changing."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from oncoduck.stats import distributions as dist

RNG = np.random.default_rng(20261208)
EDGES = np.array([-np.inf, -1e300, -40.0, -8.5, -1.0, -1e-300, 0.0, 1e-300, 1e-12, 0.5, 1.0, 2.0, 3.84, 38.0,
                  1e6, 1e300, np.inf, np.nan])
POINTS = np.concatenate([EDGES, RNG.normal(0, 3, 400), RNG.exponential(20, 400)])
DEGREES = np.array([-1.0, 0.0, 1e-3, 0.5, 1.0, 2.0, 3.0, 7.5, 30.0, 1e4, 1e8, np.inf, np.nan])


def _same(got, expected):
    np.testing.assert_array_equal(np.asarray(got), np.asarray(expected), strict=True)


@pytest.mark.parametrize("df", DEGREES)
def test_chi2_and_t_tails_equal_scipy(df):
    with np.errstate(all="ignore"):
        _same(dist.chi2_sf(POINTS, df), stats.chi2.sf(POINTS, df))
        _same(dist.t_cdf(POINTS, df), stats.t.cdf(POINTS, df))
        _same(dist.t_sf(POINTS, df), stats.t.sf(POINTS, df))


def test_normal_functions_equal_scipy():
    quantiles = np.concatenate([[-0.1, 0.0, 1e-300, 1e-20, 0.025, 0.5, 0.975, 1 - 1e-16, 1.0, 1.1, np.nan],
                                RNG.random(400)])
    _same(dist.norm_cdf(POINTS), stats.norm.cdf(POINTS))
    _same(dist.norm_sf(POINTS), stats.norm.sf(POINTS))
    _same(dist.norm_ppf(quantiles), stats.norm.ppf(quantiles))
    # scalars in, scalars out, as the callers use them with float()
    assert type(dist.chi2_sf(3.84, 1)) is type(stats.chi2.sf(3.84, 1))
    assert dist.norm_ppf(0.975) == stats.norm.ppf(0.975) and dist.t_sf(2.0, 5) == stats.t.sf(2.0, 5)


def test_hypergeometric_functions_equal_scipy_over_whole_supports_and_beyond():
    tables = [(0, 0, 0), (1, 0, 1), (10, 3, 4), (50, 25, 25), (2000, 31, 977), (10**6, 1234, 50_000),
              *[tuple(sorted(RNG.integers(0, 300, 3))) for _ in range(200)]]
    for drawn, good, total in ((d, g, t) for g, d, t in tables):
        low, high = max(0, drawn - (total - good)), min(good, drawn)
        k = np.arange(low, high + 1)
        _same(dist.hypergeom_logpmf(k, total, good, drawn), stats.hypergeom.logpmf(k, total, good, drawn))
        around = np.concatenate([np.arange(low - 2, high + 3), [-np.inf, np.inf, np.nan, low + 0.5]])
        _same(dist.hypergeom_cdf(around, total, good, drawn), stats.hypergeom.cdf(around, total, good, drawn))
        _same(dist.hypergeom_sf(around, total, good, drawn), stats.hypergeom.sf(around, total, good, drawn))


@pytest.mark.parametrize("values", [
    [], [3.0], [2, 2, 2], [3, 1, 2], [1.5, np.nan, 0.2], [0.0, -0.0, 1.0], [np.inf, -np.inf, 1.0, np.inf],
    list(RNG.integers(0, 5, 300)), list(RNG.normal(size=300)), list(np.round(RNG.normal(size=300), 1)),
])
def test_average_ranks_equal_scipy(values):
    _same(dist.rankdata(values), stats.rankdata(values))
