"""Logistic regression = R ``glm(family = binomial)`` via statsmodels (the fit:
:func:`oncoduck.stats.models.logistic_model`); this module keeps the coefficient table with R's column names."""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["logistic_regression"]


def logistic_regression(
    df: pd.DataFrame, outcome: str, covariates: list[str], reference: dict[str, object] | None = None,
    conf_level: float = 0.95,
) -> pd.DataFrame:
    """R ``glm(outcome ~ covariates, family = binomial)`` coefficient table with odds ratios.

    statsmodels' GLM IRLS run as R's ``glm.fit`` (start ``mustart = (y + 0.5) / 2``, stop when
    ``|dev - devold| / (|dev| + 0.1) < 1e-8``, max 25 iterations, covariance from the last weighted
    least-squares fit -- i.e. weights of the previous iterate, as R): because R stops at a loose tolerance,
    matching its *iteration* (not the exact MLE) is what makes coefficients and SEs agree with R to 1e-9
    (tested).  CIs are **Wald** intervals, i.e. R ``confint.default`` (``coef +- qnorm(1 - alpha/2) se``),
    NOT the profile likelihood ``confint.glm``.  Text, categorical and boolean covariates: treatment
    contrasts with the first sorted level (or ``reference[col]``) as baseline, columns named ``colLevel``
    like R.  Rows with NA dropped.  Columns: ``term, coef, se, z, p, odds_ratio, or_low, or_high, reason``.
    An empty or one-valued outcome, separation (infinite coefficients) and singular fits return NaN rows
    with a reason instead of raising.
    """
    from .models import logistic_model

    categorical = {c for c in covariates if not pd.api.types.is_numeric_dtype(df[c].dtype) or df[c].dtype == bool}
    tidy = logistic_model(df, outcome, covariates, reference, conf_level, categorical)
    names = [f"{t}{lv}" if lv is not None else t for t, lv in zip(tidy["term"], tidy["level"])]
    return pd.DataFrame({
        "term": names, "coef": tidy["estimate"].to_numpy(float), "se": tidy["std_error"].to_numpy(float),
        "z": tidy["statistic"].to_numpy(float), "p": tidy["p_value"].to_numpy(float),
        "odds_ratio": tidy["exp_estimate"].to_numpy(float), "or_low": tidy["exp_ci_low"].to_numpy(float),
        "or_high": tidy["exp_ci_high"].to_numpy(float),
        "reason": tidy["reason"].to_numpy(object) if len(tidy) else np.array([], dtype=object),
    })
