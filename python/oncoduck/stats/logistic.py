"""Logistic regression = R ``glm(family = binomial)`` via statsmodels."""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

__all__ = ["logistic_regression"]


def _glm_fit_logit(X: np.ndarray, y: np.ndarray, epsilon: float = 1e-8, maxit: int = 25):
    """Port of R stats::glm.fit for binomial/logit with unit weights."""
    mu = (y + 0.5) / 2
    eta = np.log(mu / (1 - mu))
    dev_fn = lambda m: 2 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y / m, 1)), 0)  # noqa: E731
                                  + np.where(y < 1, (1 - y) * np.log(np.where(y < 1, (1 - y) / (1 - m), 1)), 0))
    devold = dev_fn(mu)
    converged = False
    for _ in range(maxit):
        mu_eta = mu * (1 - mu)
        z = eta + (y - mu) / mu_eta
        w = np.sqrt(mu_eta)  # mu.eta^2 / variance = mu (1 - mu)
        Q, R = np.linalg.qr(X * w[:, None])
        coef = np.linalg.solve(R, Q.T @ (z * w))
        eta = X @ coef
        mu = 1 / (1 + np.exp(-eta))
        dev = dev_fn(mu)
        if abs(dev - devold) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        devold = dev
    Rinv = np.linalg.inv(R)
    se = np.sqrt(np.sum(Rinv**2, axis=1))
    return coef, se, converged


def logistic_regression(
    df: pd.DataFrame, outcome: str, covariates: list[str], reference: dict[str, object] | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """R ``glm(outcome ~ covariates, family = binomial)`` coefficient table with odds ratios.

    R's ``glm.fit`` IRLS is replicated (start ``mustart = (y + 0.5) / 2``, stop when
    ``|dev - devold| / (|dev| + 0.1) < 1e-8``, max 25 iterations, covariance from the
    last weighted least-squares fit -- i.e. weights of the previous iterate, as R):
    because R stops at a loose tolerance, matching its *iteration* (not the exact
    MLE, which statsmodels' GLM gives) is what makes coefficients and SEs agree
    with R to 1e-9 (tested).  CIs are **Wald** intervals, i.e. R
    ``confint.default`` (``coef +- qnorm(1 - alpha/2) se``), NOT the profile
    likelihood ``confint.glm``.  Categorical covariates: treatment contrasts with
    the first sorted level (or ``reference[col]``) as baseline, columns named
    ``colLevel`` like R.  Rows with NA dropped.  Columns: ``term, coef, se, z, p,
    odds_ratio, or_low, or_high, reason``.  Separation / singular fits return NaN rows
    with a reason instead of raising.
    """
    from .survival import _design  # same dummy coding as cox()

    X = _design(df, covariates, reference)
    data = pd.concat([pd.to_numeric(df[outcome], errors="coerce").rename("_y"), X], axis=1).dropna()
    y = data["_y"].to_numpy(float)
    Xm = sm.add_constant(data[X.columns].to_numpy(float), has_constant="add")
    names = ["(Intercept)"] + list(X.columns)
    empty = pd.DataFrame({"term": names, "coef": np.nan, "se": np.nan, "z": np.nan, "p": np.nan,
                          "odds_ratio": np.nan, "or_low": np.nan, "or_high": np.nan})
    if y.size == 0 or np.unique(y).size < 2:
        return empty.assign(reason="outcome has fewer than 2 distinct values")
    try:
        b, se, converged = _glm_fit_logit(Xm, y)
    except np.linalg.LinAlgError as exc:
        return empty.assign(reason=f"fit failed: {exc}")
    z = b / se
    q = stats.norm.ppf(1 - (1 - conf_level) / 2)
    reason = None if converged else "IRLS did not converge in 25 iterations"
    if not np.all(np.isfinite(se)) or np.any(np.abs(b) > 15):
        reason = "possible separation (huge coefficient or infinite SE)"
    return pd.DataFrame({
        "term": names, "coef": b, "se": se, "z": z, "p": 2 * stats.norm.sf(np.abs(z)),
        "odds_ratio": np.exp(b), "or_low": np.exp(b - q * se), "or_high": np.exp(b + q * se), "reason": reason,
    })
