"""Wilcoxon rank-sum and signed-rank tests matching R ``stats::wilcox.test`` (R 4.2 rules)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .distributions import norm_cdf, norm_sf, psignrank, pwilcox, rankdata

__all__ = ["WilcoxonResult", "wilcoxon_rank_sum", "wilcoxon_signed_rank"]


@dataclass(frozen=True)
class WilcoxonResult:
    statistic: float  # W (rank sum) or V (signed rank), as printed by R
    p_value: float
    alternative: str
    method: str
    n_x: int
    n_y: int | None = None
    exact: bool | None = None
    reason: str | None = None


def _alt(alternative: str) -> str:
    alt = alternative.replace("-", ".").replace("_", ".")
    if alt not in ("two.sided", "less", "greater"):
        raise ValueError(f"alternative must be two.sided/less/greater, got {alternative!r}")
    return alt


def _normal_p(z0: float, sigma: float, alt: str, correct: bool) -> float:
    """R: z <- (STATISTIC - mean - CORRECTION) / SIGMA, continuity CORRECTION by side."""
    corr = 0.0
    if correct:
        corr = {"two.sided": float(np.sign(z0)) * 0.5, "greater": 0.5, "less": -0.5}[alt]
    z = (z0 - corr) / sigma
    if alt == "less":
        return float(norm_cdf(z))
    if alt == "greater":
        return float(norm_sf(z))
    return float(2 * min(norm_cdf(z), norm_sf(z)))


def _exact_p(statistic: float, centre: float, alt: str, cdf) -> float:
    """R wilcox.test's exact p-value of ``statistic`` from ``cdf(q, lower_tail)`` (pwilcox or psignrank):
    less P(S <= s), greater P(S >= s), two-sided twice the tail on the statistic's side of ``centre``, at most 1."""
    if alt == "less":
        return cdf(statistic, True)
    if alt == "greater":
        return cdf(statistic - 1, False)
    return min(2 * (cdf(statistic - 1, False) if statistic > centre else cdf(statistic, True)), 1.0)


def wilcoxon_rank_sum(
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    alternative: str = "two.sided",
    correct: bool = True,
    exact: bool | None = None,
) -> WilcoxonResult:
    """Two-sample Wilcoxon rank-sum test = R ``wilcox.test(x, y, alternative, correct, exact)``.

    R rules: non-finite values dropped; ``W = sum(rank(c(x, y))[x]) - n_x (n_x + 1) / 2``;
    ``exact`` defaults to ``n_x < 50 && n_y < 50``; the exact p (R's ``pwilcox``,
    distributions.pwilcox, and R's two-sided doubling and clipping) is used only when there are no ties; otherwise the
    normal approximation with tie-corrected variance
    ``n_x n_y / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))`` and continuity
    correction ``sign(z) * 0.5`` (two-sided) / ``+-0.5`` (one-sided).

    Deliberate difference from R: ``n_x == n_y == 1`` returns ``p = NaN`` with a
    reason (R would report p = 1); ``n == 0`` in either group (R: error) and zero
    variance (all values tied) also give NaN + reason.
    """
    alt = _alt(alternative)
    xa = np.asarray(x, float)
    ya = np.asarray(y, float)
    xa = xa[np.isfinite(xa)]
    ya = ya[np.isfinite(ya)]
    nx, ny = xa.size, ya.size
    method = "Wilcoxon rank sum test"
    if nx == 0 or ny == 0:
        return WilcoxonResult(np.nan, np.nan, alt, method, nx, ny, None, "not enough (non-missing) observations")
    r = rankdata(np.concatenate([xa, ya]))
    W = float(r[:nx].sum() - nx * (nx + 1) / 2)
    if nx == 1 and ny == 1:
        return WilcoxonResult(W, np.nan, alt, method, nx, ny, None, "only one observation per group")
    if exact is None:
        exact = nx < 50 and ny < 50
    _, counts = np.unique(r, return_counts=True)
    ties = counts.size != r.size
    if exact and not ties:
        p = _exact_p(W, nx * ny / 2, alt, lambda q, lower_tail: pwilcox(q, nx, ny, lower_tail))
        return WilcoxonResult(W, p, alt, "Wilcoxon rank sum exact test", nx, ny, True)  # R >= 4.0 wording
    N = nx + ny
    sigma = np.sqrt((nx * ny / 12) * ((N + 1) - np.sum(counts**3 - counts) / (N * (N - 1))))
    if not sigma > 0:
        return WilcoxonResult(W, np.nan, alt, method, nx, ny, False, "zero variance (all values tied)")
    p = _normal_p(W - nx * ny / 2, float(sigma), alt, correct)
    if correct:
        method += " with continuity correction"
    return WilcoxonResult(W, p, alt, method, nx, ny, False)


def wilcoxon_signed_rank(
    x: npt.ArrayLike,
    y: npt.ArrayLike | None = None,
    alternative: str = "two.sided",
    correct: bool = True,
    exact: bool | None = None,
    mu: float = 0.0,
) -> WilcoxonResult:
    """Signed-rank test = R ``wilcox.test(x, y, paired = TRUE)`` (or one-sample when ``y`` is None).

    R rules: pairs with a non-finite member dropped; ``d = x - y - mu``; zeros
    removed (``ZEROES``); ``V = sum(rank(|d|)[d > 0])``; exact (R's ``psignrank``,
    distributions.psignrank, on the non-zero differences) only when
    ``n < 50``, no ties and no zeros; otherwise normal approximation with
    ``sigma^2 = n(n+1)(2n+1)/24 - sum(t^3 - t)/48`` and continuity correction.

    Degenerate: no non-zero differences -> ``p = NaN`` with reason (R: NaN/error).
    """
    alt = _alt(alternative)
    xa = np.asarray(x, float)
    if y is not None:
        ya = np.asarray(y, float)
        ok = np.isfinite(xa) & np.isfinite(ya)
        d = xa[ok] - ya[ok]
        method = "Wilcoxon signed rank test"
    else:
        d = xa[np.isfinite(xa)]
        method = "Wilcoxon signed rank test"
    n_pairs = d.size
    d = d - mu
    zeroes = bool(np.any(d == 0))
    d = d[d != 0]
    n = d.size
    if n == 0:
        return WilcoxonResult(np.nan, np.nan, alt, method, n_pairs, None, None,
                              "no non-zero differences" if n_pairs else "not enough (non-missing) observations")
    r = rankdata(np.abs(d))
    V = float(r[d > 0].sum())
    if exact is None:
        exact = n < 50
    _, counts = np.unique(r, return_counts=True)
    ties = counts.size != r.size
    if exact and not ties and not zeroes:
        p = _exact_p(V, n * (n + 1) / 4, alt, lambda q, lower_tail: psignrank(q, n, lower_tail))
        return WilcoxonResult(V, p, alt, "Wilcoxon signed rank exact test", n_pairs, None, True)  # R >= 4.0 wording
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24 - np.sum(counts**3 - counts) / 48)
    if not sigma > 0:
        return WilcoxonResult(V, np.nan, alt, method, n_pairs, None, False, "zero variance")
    p = _normal_p(V - n * (n + 1) / 4, float(sigma), alt, correct)
    if correct:
        method += " with continuity correction"
    return WilcoxonResult(V, p, alt, method, n_pairs, None, False)
