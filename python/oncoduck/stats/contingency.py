"""Contingency-table, k-sample and correlation tests matching R ``stats``.

* ``kruskal``            = R ``kruskal.test``
* ``chisq_test``         = R ``chisq.test`` on a matrix (Yates only for 2x2)
* ``mcnemar``            = R ``mcnemar.test``
* ``fisher_freeman_halton`` = R ``fisher.test`` on an r x c table: **exact for 2 x c**
  (the shape of "altered / not altered x k groups"), with R's relErr rule; other
  shapes fall back to a documented Monte-Carlo estimate (not exact).
* ``pearson`` / ``spearman`` = R ``cor.test`` (see the Spearman note on AS 89).

Degenerate inputs never raise: the result carries ``p_value = NaN`` and a ``reason``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.special import gammaln

from ._libraries import load
from .distributions import chi2_sf, norm_ppf, rankdata, t_cdf, t_sf

__all__ = [
    "TestResult", "kruskal", "chisq_test", "mcnemar", "fisher_freeman_halton", "pearson", "spearman",
]

_REL_ERR = 1 + 1e-7


@dataclass(frozen=True)
class TestResult:
    statistic: float
    p_value: float
    df: float | None
    method: str
    reason: str | None = None
    estimate: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    expected: np.ndarray | None = field(default=None, repr=False)
    any_expected_lt5: bool | None = None
    exact: bool | None = None


def kruskal(values: npt.ArrayLike, groups: npt.ArrayLike) -> TestResult:
    """R ``kruskal.test(values, groups)``.

    Rows with NA value or group are dropped; ``H = (12 / (n (n+1)) sum(R_g^2 / n_g) - 3 (n+1))
    / (1 - sum(t^3 - t) / (n^3 - n))``, ``df = k - 1`` (k = groups present),
    ``p = pchisq(H, df, lower = FALSE)``.  Fewer than 2 groups -> NaN + reason.
    """
    v = pd.Series(np.asarray(values, float))
    g = pd.Series(np.asarray(groups, dtype=object))
    ok = v.notna() & g.notna() & np.isfinite(v)
    v, g = v[ok].reset_index(drop=True), g[ok].reset_index(drop=True)
    method = "Kruskal-Wallis rank sum test"
    n = v.size
    k = g.nunique()
    if k < 2:
        return TestResult(np.nan, np.nan, None, method, "all observations are in the same group" if n else "no observations")
    r = pd.Series(rankdata(v))
    sums = r.groupby(g).sum()
    lens = r.groupby(g).size()
    st = float((sums**2 / lens).sum())
    ties = v.value_counts().to_numpy(float)
    denom = 1 - np.sum(ties**3 - ties) / (n**3 - n)
    if not denom > 0:
        return TestResult(np.nan, np.nan, k - 1, method, "all values tied")
    H = (12 * st / (n * (n + 1)) - 3 * (n + 1)) / denom
    return TestResult(float(H), float(chi2_sf(H, k - 1)), float(k - 1), method)


def chisq_test(table: npt.ArrayLike, correct: bool = True) -> TestResult:
    """R ``chisq.test(matrix, correct = TRUE)`` (no simulation).

    ``E = outer(rowSums, colSums) / n``; Yates only for 2x2 with
    ``YATES = min(0.5, abs(x - E))`` (R's minimum over all cells);
    ``X2 = sum((|x - E| - YATES)^2 / E)``, ``df = (r-1)(c-1)``.
    Returns ``expected`` and ``any_expected_lt5`` (R's "approximation may be
    incorrect" warning condition).  A zero row/column margin -> NaN + reason
    (R would return NaN with a warning); drop empty rows/columns first if that is
    what you mean.
    """
    x = np.asarray(table, float)
    method = "Pearson's Chi-squared test"
    if x.ndim != 2 or min(x.shape) < 2:
        return TestResult(np.nan, np.nan, None, method, "table must have at least 2 rows and 2 columns")
    if (x < 0).any() or not np.isfinite(x).all():
        return TestResult(np.nan, np.nan, None, method, "invalid counts")
    n = x.sum()
    sr, sc = x.sum(1), x.sum(0)
    E = np.outer(sr, sc) / n if n > 0 else np.full(x.shape, np.nan)
    df = float((x.shape[0] - 1) * (x.shape[1] - 1))
    if n == 0 or (sr == 0).any() or (sc == 0).any():
        return TestResult(np.nan, np.nan, df, method, "zero row or column total", expected=E)
    yates = 0.0
    if correct and x.shape == (2, 2):
        yates = float(min(0.5, np.abs(x - E).min()))
        if yates > 0:
            method += " with Yates' continuity correction"
    X2 = float(np.sum((np.abs(x - E) - yates) ** 2 / E))
    return TestResult(X2, float(chi2_sf(X2, df)), df, method, expected=E,
                      any_expected_lt5=bool((E < 5).any()))


def mcnemar(table: npt.ArrayLike, correct: bool = True) -> TestResult:
    """R ``mcnemar.test(matrix, correct = TRUE)``.

    Continuity correction (``|x - t(x)| - 1``) only for 2x2 and only when the table
    is not symmetric; ``X2 = sum over upper triangle of y^2 / (x + t(x))``,
    ``df = r (r - 1) / 2``.  Zero discordant pairs -> NaN + reason (R: NaN).
    """
    x = np.asarray(table, float)
    method = "McNemar's Chi-squared test"
    if x.ndim != 2 or x.shape[0] != x.shape[1] or x.shape[0] < 2:
        return TestResult(np.nan, np.nan, None, method, "table must be square with at least 2 rows")
    r = x.shape[0]
    df = r * (r - 1) / 2
    if correct and r == 2 and (x - x.T != 0).any():
        y = np.abs(x - x.T) - 1
        method += " with continuity correction"
    else:
        y = x - x.T
    s = x + x.T
    iu = np.triu_indices(r, 1)
    if (s[iu] == 0).any():
        return TestResult(np.nan, np.nan, df, method, "no discordant pairs for some cell pair (0/0)")
    X2 = float(np.sum(y[iu] ** 2 / s[iu]))
    return TestResult(X2, float(chi2_sf(X2, df)), df, method)


# ---------------------------------------------------------------------------
# Fisher-Freeman-Halton
def _lchoose(n: np.ndarray, k: np.ndarray) -> np.ndarray:
    return gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)


def _ffh_2xc(row1: np.ndarray, colsum: np.ndarray, max_nodes: int) -> float | None:
    """Exact 2 x c Fisher-Freeman-Halton p-value (R's relErr 1 + 1e-7 rule).

    Column-by-column enumeration with network-algorithm style bounds: for a partial
    table the exact max/min of the remaining log-probability (DP over columns) decide
    whether all completions count (their mass is a Vandermonde binomial) or none do.
    Returns None when more than ``max_nodes`` partial tables would be needed.
    """
    order = np.argsort(-colsum, kind="stable")
    nj = colsum[order].astype(np.int64)
    c = nj.size
    m = int(row1.sum())
    N = int(nj.sum())
    lognorm = float(_lchoose(np.array(N), np.array(m)))
    xobs = row1[order].astype(np.int64)
    lp_obs = float(np.sum(_lchoose(nj, xobs))) - lognorm
    thr = lp_obs + np.log(_REL_ERR)
    # suffix DP: best/worst sum of lchoose(n_i, x_i) over columns j.. with sum x = r
    suffix_n = np.concatenate([np.cumsum(nj[::-1])[::-1], [0]])
    R = m
    NEG = -np.inf
    MAX = np.full((c + 1, R + 1), NEG)
    MIN = np.full((c + 1, R + 1), np.inf)
    MAX[c, 0] = MIN[c, 0] = 0.0
    for j in range(c - 1, -1, -1):
        xs = np.arange(0, min(nj[j], R) + 1)
        lc = _lchoose(np.full(xs.size, nj[j]), xs)
        for r in range(R + 1):
            ok = xs <= r
            prevmax = MAX[j + 1, r - xs[ok]]
            prevmin = MIN[j + 1, r - xs[ok]]
            if ok.any():
                MAX[j, r] = np.max(lc[ok] + prevmax)
                MIN[j, r] = np.min(lc[ok] + prevmin)
    # breadth-first over columns
    p = 0.0
    rem = np.array([m], np.int64)
    L = np.array([0.0])
    nodes = 0
    eps_tol = 1e-7 * max(1.0, abs(thr))
    for j in range(c):
        # decide current nodes
        mx = MAX[j, rem] + L - lognorm
        mn = MIN[j, rem] + L - lognorm
        allin = mx <= thr - eps_tol * 0  # all completions at most threshold
        none = mn > thr
        if allin.any():
            mass = L[allin] + _lchoose(np.full(allin.sum(), suffix_n[j]), rem[allin].astype(float)) - lognorm
            p += float(np.sum(np.exp(mass)))
        keep = ~(allin | none)
        rem, L = rem[keep], L[keep]
        if rem.size == 0:
            break
        if j == c - 1:
            # last column fully determined: x = rem
            lp = L + _lchoose(np.full(rem.size, nj[j]), rem.astype(float)) - lognorm
            p += float(np.sum(np.exp(lp[lp <= thr])))
            break
        # the budget (R's FEXACT workspace idea): the children of this column are counted before they are
        # made, so the enumeration never holds more than max_nodes of them (a 2 x 7 table of n = 1,979 once
        # took 18.6 GB here before the limit was checked); beyond it, Monte Carlo
        if nodes + int(np.minimum(rem, nj[j]).sum()) + rem.size > max_nodes:
            return None
        xs = np.arange(0, nj[j] + 1)
        rr = np.repeat(rem, xs.size)
        LL = np.repeat(L, xs.size)
        xx = np.tile(xs, rem.size)
        valid = (xx <= rr) & (rr - xx <= suffix_n[j + 1])
        rem = (rr - xx)[valid]
        L = (LL + _lchoose(np.full(xx.size, nj[j]), xx.astype(float)))[valid]
        nodes += rem.size
    return min(p, 1.0)


def fisher_freeman_halton(
    table: npt.ArrayLike, max_nodes: int = 5_000_000, n_resamples: int = 100_000, seed: int = 20240601
) -> TestResult:
    """Fisher's exact test for an r x c table (R ``fisher.test(table)``, r x c branch).

    * 2 x c (and r x 2, transposed): **exact** -- same p-value definition as R's
      network algorithm FEXACT (sum of null table probabilities <= observed x
      (1 + 1e-7)), computed by bounded enumeration.  Agrees with R to ~1e-12.
    * larger r x c, or when the enumeration would exceed ``max_nodes`` partial tables (the budget, R's
      workspace idea: the children of a column are counted before they are made, so memory stays near
      max_nodes x 40 bytes; R itself stops with "FEXACT error 7 ... workspace" on such tables):
      **Monte-Carlo, not exact** -- ``scipy.stats.fisher_exact`` with
      ``MonteCarloMethod(n_resamples, rng=seed)`` (reproducible, standard error
      about sqrt(p (1-p) / n_resamples)); ``exact=False`` and the method string say so, with the seed.

    Rows/columns with zero totals are dropped first (they do not change the
    conditional distribution).  Fewer than 2 non-empty rows or columns -> p = 1
    (only one table has those margins), as R.
    """
    x = np.asarray(table, float)
    method = "Fisher's Exact Test for Count Data (r x c)"
    if x.ndim != 2 or (x < 0).any() or not np.isfinite(x).all() or (np.round(x) != x).any():
        return TestResult(np.nan, np.nan, None, method, "invalid table")
    x = x[x.sum(1) > 0][:, x.sum(0) > 0].astype(np.int64)
    if x.size == 0:
        return TestResult(np.nan, np.nan, None, method, "empty table")
    if min(x.shape) < 2:
        return TestResult(np.nan, 1.0, None, method, exact=True)
    if x.shape[1] == 2 and x.shape[0] > 2:
        x = x.T
    if x.shape[0] == 2:
        p = _ffh_2xc(x[0], x.sum(0), max_nodes)
        if p is not None:
            return TestResult(np.nan, p, None, method, exact=True)
    load("scipy.stats")  # only here: its import costs over a second (distributions.py)
    from scipy import stats

    res = stats.fisher_exact(
        x, method=stats.MonteCarloMethod(n_resamples=n_resamples, rng=np.random.default_rng(seed))
    )
    # scipy returns the p-value of some tables (every resample as extreme as the observed one) as an array of
    # shape (1,), not a scalar: .item() reads either
    return TestResult(np.nan, np.asarray(res.pvalue).item(), None,
                      method + f" -- Monte-Carlo p-value ({n_resamples} resamples, seed {seed}, NOT exact)",
                      exact=False)


# ---------------------------------------------------------------------------
def _clean_pairs(x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    xa, ya = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    return xa[ok], ya[ok]


def _t_p(t: float, df: float, alt: str) -> float:
    if alt == "less":
        return float(t_cdf(t, df))
    if alt == "greater":
        return float(t_sf(t, df))
    return float(2 * min(t_cdf(t, df), t_sf(t, df)))


def pearson(x: npt.ArrayLike, y: npt.ArrayLike, alternative: str = "two.sided", conf_level: float = 0.95) -> TestResult:
    """R ``cor.test(x, y, method = "pearson")``: t = sqrt(n-2) r / sqrt(1 - r^2) on n-2 df;
    Fisher-z CI (``tanh(atanh(r) +- qnorm((1+conf)/2) / sqrt(n-3))``, only n >= 4)."""
    xa, ya = _clean_pairs(x, y)
    n = xa.size
    method = "Pearson's product-moment correlation"
    if n < 3:
        return TestResult(np.nan, np.nan, None, method, "not enough finite observations (n < 3)")
    if np.std(xa) == 0 or np.std(ya) == 0:
        return TestResult(np.nan, np.nan, n - 2, method, "zero variance")
    r = float(np.corrcoef(xa, ya)[0, 1])
    df = n - 2
    t = np.sqrt(df) * r / np.sqrt(1 - r**2)
    p = _t_p(float(t), df, alternative)
    lo = hi = None
    if n > 3:
        z = np.arctanh(r)
        s = 1 / np.sqrt(n - 3)
        if alternative == "less":
            lo, hi = -1.0, float(np.tanh(z + s * norm_ppf(conf_level)))
        elif alternative == "greater":
            lo, hi = float(np.tanh(z - s * norm_ppf(conf_level))), 1.0
        else:
            q = norm_ppf((1 + conf_level) / 2)
            lo, hi = float(np.tanh(z - s * q)), float(np.tanh(z + s * q))
    return TestResult(float(t), p, float(df), method, estimate=r, ci_low=lo, ci_high=hi)


def spearman(x: npt.ArrayLike, y: npt.ArrayLike, alternative: str = "two.sided") -> TestResult:
    """R ``cor.test(x, y, method = "spearman", exact = FALSE)``.

    rho = Pearson correlation of the (average) ranks; ``S = (n^3 - n)(1 - rho)/6``;
    p from R's non-exact branch: ``r = 1 - S / ((n^3 - n)/6)``,
    ``pt(r / sqrt((1 - r^2)/(n - 2)), n - 2)`` (tails chosen as R does).

    APPROXIMATION NOTE: with *no ties and n < 1290* R's default (exact = NULL) uses
    algorithm AS 89 (exact enumeration n <= 9, Edgeworth series otherwise); that is
    NOT reproduced -- such inputs get the t approximation and ``exact=False``.
    With ties (R warns and uses the same t approximation) the p-value matches R.
    """
    xa, ya = _clean_pairs(x, y)
    n = xa.size
    method = "Spearman's rank correlation rho (t approximation)"
    if n < 3:
        return TestResult(np.nan, np.nan, None, method, "not enough finite observations (n < 3)")
    rx, ry = rankdata(xa), rankdata(ya)
    if np.std(rx) == 0 or np.std(ry) == 0:
        return TestResult(np.nan, np.nan, None, method, "zero variance")
    rho = float(np.corrcoef(rx, ry)[0, 1])
    S = (n**3 - n) * (1 - rho) / 6
    den = (n * (n**2 - 1)) / 6
    ties = min(np.unique(xa).size, np.unique(ya).size) < n

    def pspear(q: float, lower_tail: bool) -> float:
        r = 1 - q / den
        t = r / np.sqrt((1 - r**2) / (n - 2))
        return float(t_sf(t, n - 2) if lower_tail else t_cdf(t, n - 2))

    if alternative == "greater":
        p = pspear(S, True)
    elif alternative == "less":
        p = pspear(S, False)
    else:
        p = pspear(S, False) if S > (n**3 - n) / 6 else pspear(S, True)
        p = min(2 * p, 1.0)
    reason = None if ties or n >= 1290 else "R would use exact AS 89 here (no ties, n < 1290); t approximation returned"
    return TestResult(float(S), p, None, method, reason=reason, estimate=rho, exact=False)
