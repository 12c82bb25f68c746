"""Regression models as tidy tables: Cox proportional hazards (R coxph's Newton-Raphson in numpy), logistic
regression (statsmodels ``GLM`` binomial) and linear models (statsmodels ``OLS``).

Each returns one row per model term (``MODEL_COLUMNS``): the coefficient, its standard error, Wald CI,
statistic and p, exp(coefficient) with its CI for Cox (hazard ratio) and logistic (odds ratio) models,
n, events, the model as R formula text, the method and a reason where a value is NaN. They agree with
R (tests/python/stats/test_models.py, fixtures made by tests/python/stats/r/models.R):

- :func:`cox_model` = ``coxph(Surv(time, event) ~ terms + strata(s), ties = "efron")``;
- :func:`logistic_model` = ``glm(outcome ~ terms, family = binomial)`` with ``confint.default``;
- :func:`linear_model` = ``lm(outcome ~ terms)`` with ``confint``.

Terms are coded as R's ``model.matrix`` with treatment contrasts (:func:`design_matrix`): a numeric term
is one column; a categorical term one 0/1 column per level other than its reference level, named
term + level (``groupmutant``, R's name). A term is categorical when it is a pandas Categorical (levels in
category order), boolean, or text of which some value is not a number; its default reference level is
the first level (R's first factor level: the first category, or the first in sorted order), or the one
``reference_levels`` names. Rows with a missing value in any column the model uses are left out
(R ``na.omit``).

Nothing raises on data: a term that cannot be estimated has NaN values and a ``reason`` - a constant or
aliased term (R: NA coefficient), a level without data, an infinite estimate (monotone likelihood in Cox,
separation in logistic regression: R reports a huge number with a warning), no events, an outcome that
is not binary or not numeric, no rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import warnings

import numpy as np
import pandas as pd

from ._libraries import load
from .distributions import norm_ppf, norm_sf

__all__ = ["MODEL_COLUMNS", "Design", "DesignColumn", "cox_model", "design_matrix", "linear_model", "logistic_model"]

MODEL_COLUMNS = [
    "term", "level", "reference_level", "estimate", "exp_estimate", "std_error", "ci_low", "ci_high", "exp_ci_low",
    "exp_ci_high", "statistic", "p_value", "n", "events", "formula", "method", "reason",
]

COX_METHOD = "Cox proportional hazards, Efron ties (Newton-Raphson as R coxph); Wald CI and test"
LOGISTIC_METHOD = "logistic regression (statsmodels GLM binomial, IRLS as R glm); Wald CI (confint.default) and z test"
LINEAR_METHOD = "linear model (statsmodels OLS = R lm); t-based CI (confint) and t test"

#: R glm.control(): stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 iterations.
_GLM_EPSILON = 1e-8
_GLM_MAXIT = 25
#: R's check of an infinite coefficient (coxph: control$eps and toler.inf = sqrt(eps)): at convergence the
#: next Newton step of a finite coefficient is nil; that of an infinite one stays about 1 / its spread.
_INF_EPS = 1e-9
_INF_TOLER = np.sqrt(1e-9)
#: aliasing: a column whose residual on the columns before it is below this fraction of its norm (R lm's
#: qr tol = 1e-7)
_ALIAS_TOL = 1e-7


@dataclass(frozen=True)
class DesignColumn:
    """One column of the design matrix: ``name`` (R's column name), the ``term`` it codes, the ``level``
    (categorical terms) and the term's ``reference_level``."""

    name: str
    term: str
    level: str | None = None
    reference_level: str | None = None


@dataclass
class Design:
    """The complete cases (``data``: response columns, ``strata`` and the estimable design columns), the
    estimable ``columns`` and the ``dropped`` ones with the reason, and ``error`` when no model can be fitted
    (every row then carries it)."""

    data: pd.DataFrame
    columns: list[DesignColumn]
    dropped: list[tuple[DesignColumn, str]] = field(default_factory=list)
    order: list[DesignColumn] = field(default_factory=list)  # every column, in R's order
    error: str | None = None

    @property
    def matrix(self) -> np.ndarray:
        return self.data[[c.name for c in self.columns]].to_numpy(float)


def _is_categorical(values: pd.Series) -> bool:
    """R's rule for a data frame column: factors, logicals and text are categorical; here text whose every
    non-missing value is a number counts as numeric (a clinical attribute stored as text)."""
    if isinstance(values.dtype, pd.CategoricalDtype) or pd.api.types.is_bool_dtype(values.dtype):
        return True
    if pd.api.types.is_numeric_dtype(values.dtype):
        return False
    present = values.dropna()
    return bool(pd.to_numeric(present, errors="coerce").isna().any())


def _as_text(values: pd.Series) -> pd.Series:
    """Values as text (booleans as R prints them: TRUE / FALSE), missing kept missing."""
    if pd.api.types.is_bool_dtype(values.dtype):
        values = values.map({True: "TRUE", False: "FALSE"})
    return values.astype(str).astype(object).where(values.notna(), None)


def design_matrix(
    data: pd.DataFrame,
    terms: list[str],
    response: list[str],
    reference_levels: dict[str, object] | None = None,
    strata: list[str] | None = None,
    categorical: set[str] | None = None,
) -> Design:
    """The design of a model of ``response`` on ``terms`` (R ``model.matrix``, treatment contrasts) over the
    complete cases of ``response + terms + strata``.

    ``categorical`` forces terms categorical whatever their values. Levels: a Categorical's categories in
    order (a category without complete cases keeps its column, NaN with a reason, as R's NA coefficient of
    an unused factor level), else the sorted distinct values. A term left with one value (constant) or whose
    column is a linear combination of the intercept, the strata and the columns before it (aliased) is
    dropped with the reason, as R gives it an NA coefficient. A reference level with no complete cases is an
    ``error``: no effect against it can be estimated."""
    reference_levels = {str(k): v for k, v in (reference_levels or {}).items()}
    strata = list(strata or [])
    categorical = set(categorical or ())
    used = list(dict.fromkeys(response + terms + strata))
    frame = data[used].copy()
    kinds = {t: t in categorical or _is_categorical(frame[t]) for t in terms}
    for t in terms:
        if not kinds[t]:
            frame[t] = pd.to_numeric(frame[t], errors="coerce").astype(float)
        elif not isinstance(frame[t].dtype, pd.CategoricalDtype):
            frame[t] = _as_text(frame[t])
    for s in strata:
        frame[s] = _as_text(frame[s])
    for r in response:
        frame[r] = frame[r].replace([np.inf, -np.inf], np.nan)
    complete = frame.dropna(subset=used).reset_index(drop=True)
    columns: dict[str, pd.Series] = {}
    order: list[DesignColumn] = []
    dropped: list[tuple[DesignColumn, str]] = []
    absent = [c for c in terms + strata if len(frame) and frame[c].isna().all()]
    error = f"no values of {', '.join(absent)}" if absent else None
    for t in terms:
        values = complete[t]
        if not kinds[t]:
            col = DesignColumn(t, t)
            order.append(col)
            if values.size and values.nunique() < 2:
                dropped.append((col, f"constant covariate: {t} has one value among the complete cases"))
            else:
                columns[t] = values
            continue
        if isinstance(values.dtype, pd.CategoricalDtype):
            levels = [str(c) for c in values.cat.categories]
            values = _as_text(values.astype(object))
        else:
            levels = sorted(values.unique(), key=str)
        present = set(values)
        declared = reference_levels.get(t)
        reference = str(declared) if declared is not None else next((lv for lv in levels if lv in present),
                                                                    levels[0] if levels else None)
        if declared is not None and str(declared) not in levels:
            error = error or (f"reference level '{declared}' of {t} is not among its levels with data "
                              f"({', '.join(map(str, levels)) or 'none'})")
        elif reference is not None and reference not in present and values.size:
            error = error or f"reference level '{reference}' of {t} has no complete cases"
        others = [lv for lv in levels if lv != reference]
        if not others:
            col = DesignColumn(t, t, None, reference)
            order.append(col)
            dropped.append((col, f"constant covariate: {t} has one level ({reference}) among the complete cases"
                            if values.size else "no complete cases"))
            continue
        for lv in others:
            col = DesignColumn(f"{t}{lv}", t, lv, reference)
            order.append(col)
            if lv not in present:
                dropped.append((col, f"no complete cases with {t} = {lv}"))
            else:
                columns[col.name] = (values == lv).astype(float)
    design = pd.DataFrame(columns, index=complete.index)
    kept = _not_aliased(design, complete, strata)
    for col in order:
        if col.name in design.columns and col.name not in kept:
            dropped.append((col, f"aliased: {col.name} is a linear combination of the intercept"
                                 + (", the strata" if strata else "") + " and the terms before it (R: NA coefficient)"))
    data_out = pd.concat([complete[list(dict.fromkeys(response + strata))], design[kept]], axis=1)
    estimable = [c for c in order if c.name in kept]
    return Design(data_out, estimable, dropped, order, error)


def _not_aliased(design: pd.DataFrame, complete: pd.DataFrame, strata: list[str]) -> list[str]:
    """The design columns that are not linear combinations of the intercept, the strata's indicators and
    the columns kept before them (R: pivoted QR with tol 1e-7, aliased columns last with NA)."""
    if design.empty or len(design) == 0:
        return list(design.columns)
    base = [np.ones(len(design))]
    if strata:
        key = complete[strata].astype(str).agg("\x1f".join, axis=1)
        base += [(key == k).to_numpy(float) for k in sorted(key.unique())[1:]]
    basis = np.column_stack(base)
    kept = []
    for name in design.columns:
        x = design[name].to_numpy(float)
        coef, *_ = np.linalg.lstsq(basis, x, rcond=None)
        resid = x - basis @ coef
        if np.linalg.norm(resid) > _ALIAS_TOL * max(np.linalg.norm(x), 1e-300):
            kept.append(name)
            basis = np.column_stack([basis, x])
    return kept


def _formula(left: str, terms: list[str], strata: list[str] | None = None) -> str:
    right = list(terms) + ([f"strata({', '.join(strata)})"] if strata else [])
    return f"{left} ~ {' + '.join(right) if right else '1'}"


def _rows(design: Design, fitted: dict[str, dict], common: dict, reason_all: str | None,
          intercept: dict | None = None, model_failed: bool = False) -> pd.DataFrame:
    """The tidy rows in R's order: the intercept (glm/lm), then every design column, fitted or NaN with
    its reason (``reason_all`` first when the whole model failed)."""
    rows = [] if intercept is None else [{"term": "(Intercept)", "level": None, "reference_level": None, **intercept}]
    dropped = {c.name: why for c, why in design.dropped}
    for col in design.order:
        values = fitted.get(col.name, {})
        own = dropped.get(col.name) or values.pop("reason", None)
        why = (reason_all or own) if model_failed else (own or reason_all)
        rows.append({"term": col.term, "level": col.level, "reference_level": col.reference_level, **values,
                     "reason": why})
    out = pd.DataFrame(rows).reindex(columns=MODEL_COLUMNS)
    for key, value in common.items():
        out[key] = value
    if reason_all is not None:
        out["reason"] = out["reason"].fillna(reason_all)
    for column in MODEL_COLUMNS:
        if column not in ("term", "level", "reference_level", "formula", "method", "reason"):
            out[column] = out[column].astype(float)
        else:
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    return out


def _nan_model(design: Design, common: dict, why: str, intercept: bool = False) -> pd.DataFrame:
    return _rows(design, {}, common, why, intercept={} if intercept else None, model_failed=True)


def cox_model(
    data: pd.DataFrame,
    time: str,
    event: str,
    terms: list[str],
    reference_levels: dict[str, object] | None = None,
    strata: list[str] | None = None,
    conf_level: float = 0.95,
    categorical: set[str] | None = None,
) -> pd.DataFrame:
    """The rows of :func:`cox_fit`."""
    return cox_fit(data, time, event, terms, reference_levels, strata, conf_level, categorical)[0]


def cox_fit(
    data: pd.DataFrame,
    time: str,
    event: str,
    terms: list[str],
    reference_levels: dict[str, object] | None = None,
    strata: list[str] | None = None,
    conf_level: float = 0.95,
    categorical: set[str] | None = None,
):
    """(rows, fit): the model's rows, and the ``CoxFit`` behind them (None when it was not fitted: no events,
    no estimable term ...), whose log likelihoods and score at 0 give R's global tests (survival.cox).

    Cox model = R ``coxph(Surv(time, event) ~ terms + strata(strata), ties = "efron")``, fitted as coxph fits
    it (:func:`oncoduck.stats.survival.cox_newton_raphson`; strata: a baseline hazard per combination of the
    strata's values).

    Rows as ``MODEL_COLUMNS``: ``estimate`` = log hazard ratio, ``exp_estimate`` = hazard ratio of the level
    against ``reference_level`` (or per unit of a numeric term), Wald CI ``exp(coef -+ z se)`` and z test as
    ``summary.coxph``. A coefficient whose likelihood is monotone (R: "Loglik converged before variable;
    coefficient may be infinite", e.g. a group with no events) is NaN with that reason, found as R finds it:
    the Newton step left at the stopping point, ``|u var|``, is above eps and toler.inf x |coef|. ``event``
    is 0/1 (any non-zero is an event)."""
    from .survival import cox_newton_raphson

    strata = list(strata or [])
    formula = _formula(f"Surv({time}, {event})", terms, strata)
    design = design_matrix(data.assign(**{event: pd.to_numeric(data[event], errors="coerce"),
                                          time: pd.to_numeric(data[time], errors="coerce")}),
                           terms, [time, event], reference_levels, strata, categorical)
    t = design.data[time].to_numpy(float)
    e = (design.data[event].to_numpy(float) != 0).astype(float)
    common = {"n": float(t.size), "events": float(e.sum()), "formula": formula, "method": COX_METHOD}
    if design.error:
        return _nan_model(design, common, design.error), None
    if t.size == 0:
        return _nan_model(design, common, "no complete cases"), None
    if e.sum() == 0:
        return _nan_model(design, common, "no events"), None
    if not design.columns:  # each row says why its term is not estimable
        return _rows(design, {}, common, "no estimable term"), None
    names = [c.name for c in design.columns]
    by_stratum = design.data[strata].astype(str).agg("\x1f".join, axis=1).to_numpy() if strata else None
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            fit = cox_newton_raphson(t, e, design.matrix, by_stratum)
    except np.linalg.LinAlgError as exc:
        return _nan_model(design, common, f"Cox fit failed: {str(exc).splitlines()[0]}"), None
    beta, se = fit.beta, np.sqrt(np.diag(fit.var))
    with np.errstate(all="ignore"):
        step = np.abs(fit.u @ fit.var)  # R coxph's flag of infinite coefficients
    infinite = (step > _INF_EPS) & (step > _INF_TOLER * np.abs(beta)) | ~np.isfinite(step) | ~np.isfinite(beta)
    q = norm_ppf(1 - (1 - conf_level) / 2)
    fitted = {}
    for j, name in enumerate(names):
        if infinite[j]:
            fitted[name] = {"reason": f"monotone likelihood: the hazard ratio of {name} is infinite or zero, not "
                                      f"estimable (R coxph: Loglik converged before variable; coefficient may be "
                                      f"infinite; e.g. no events in a level)"}
            continue
        z = beta[j] / se[j]
        fitted[name] = {"estimate": beta[j], "exp_estimate": np.exp(beta[j]), "std_error": se[j],
                        "ci_low": beta[j] - q * se[j], "ci_high": beta[j] + q * se[j],
                        "exp_ci_low": np.exp(beta[j] - q * se[j]), "exp_ci_high": np.exp(beta[j] + q * se[j]),
                        "statistic": z, "p_value": 2 * norm_sf(abs(z))}
    return _rows(design, fitted, common, None if fit.converged else
                 "Newton-Raphson did not converge in 20 iterations (R coxph: Ran out of iterations and did not converge)"), fit



def _binary_outcome(values: pd.Series) -> tuple[pd.Series, str | None, str | None]:
    """The 0/1 outcome of a logistic model and the level modelled as 1, as R glm reads a response: numbers
    must be 0/1; text with two values is a factor whose first level (sorted) is 0 and the other 1. Returns
    (y, level, reason)."""
    present = values.dropna()
    numbers = pd.to_numeric(present, errors="coerce")
    if present.empty:
        return pd.Series(np.nan, index=values.index), None, "no outcome values (missing for every member)"
    if not numbers.isna().any():
        y = pd.to_numeric(values, errors="coerce").astype(float)
        if not set(numbers.astype(float)) <= {0.0, 1.0}:
            return y, None, "outcome is not binary: numbers other than 0 and 1"
        return y, "1", None
    levels = sorted(present.astype(str).unique())
    if len(levels) > 2:
        shown = ", ".join(levels[:5]) + (" ..." if len(levels) > 5 else "")
        return pd.Series(np.nan, index=values.index), None, f"outcome is not binary: {len(levels)} values ({shown})"
    y = values.map(lambda v: np.nan if pd.isna(v) else float(str(v) == levels[-1])).astype(float)
    return y, levels[-1], None


def logistic_model(
    data: pd.DataFrame,
    outcome: str,
    terms: list[str],
    reference_levels: dict[str, object] | None = None,
    conf_level: float = 0.95,
    categorical: set[str] | None = None,
) -> pd.DataFrame:
    """Logistic regression = R ``glm(outcome ~ terms, family = binomial)``, fitted by statsmodels' GLM IRLS
    with R's start (mu = (y + 0.5) / 2) and R's stopping rule (``glm.control``: |dev - dev_old| / (|dev| + 0.1)
    < 1e-8, 25 iterations): R's standard errors are those of its last weighted least-squares step, so
    running statsmodels to the exact maximum gives SEs ~1e-5 from R's (tested).

    The outcome is 0/1, or text with two values of which the later in sorted order is 1 (R's factor
    response; the frame's ``attrs["outcome_level"]`` names the level modelled as 1). ``exp_estimate`` is the
    odds ratio, Wald CI as ``confint.default`` (not the profile CI of ``confint``), z test. The first row is
    the intercept. A coefficient that separation makes infinite (R warns "fitted probabilities numerically 0
    or 1") is NaN with that reason: at convergence its Newton step stays large; complete separation (the terms
    predict every outcome) leaves no coefficient estimable."""
    load("statsmodels.api")
    import statsmodels.api as sm

    y_all, level, why = _binary_outcome(data[outcome])
    formula = _formula(outcome, terms)
    design = design_matrix(data.assign(**{outcome: y_all}), terms, [outcome], reference_levels, None, categorical)
    y = design.data[outcome].to_numpy(float)
    common = {"n": float(y.size), "events": float(y.sum()), "formula": formula, "method": LOGISTIC_METHOD}
    why = why or design.error or ("no complete cases" if y.size == 0 else None)
    if why is None and np.unique(y).size < 2:
        verb = "is" if y[0] == 1 else "is not"
        why = f"outcome has one value among the complete cases: {outcome} {verb} {level} for all"
    if why:
        out = _nan_model(design, common, why, intercept=True)
        out.attrs["outcome_level"] = level
        return out
    X = np.column_stack([np.ones(y.size), design.matrix]) if design.columns else np.ones((y.size, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fit = sm.GLM(y, X, family=sm.families.Binomial()).fit(
                method="IRLS", maxiter=_GLM_MAXIT, tol=_GLM_EPSILON * 0.1, rtol=_GLM_EPSILON)
        except (np.linalg.LinAlgError, ValueError) as exc:
            return _nan_model(design, common, f"logistic fit failed: {exc}", intercept=True)
        b, se = np.asarray(fit.params, float), np.asarray(fit.bse, float)
        information = -fit.model.hessian(b, observed=False)
        try:
            step = np.abs(np.linalg.lstsq(information, fit.model.score(b), rcond=None)[0])
        except (np.linalg.LinAlgError, ValueError):
            step = np.full(b.shape, np.inf)
    # the Newton step left at convergence: nil for a finite coefficient, about 1 / its spread for one that
    # separation sends to infinity (as R coxph's check of infinite coefficients)
    infinite = ~(step <= 1e-3 * np.maximum(np.abs(b), 1)) | ~np.isfinite(se)
    reason_all = None if fit.converged or infinite.any() else f"IRLS did not converge in {_GLM_MAXIT} iterations"
    if np.allclose(np.asarray(fit.mu, float), y):  # statsmodels' PerfectSeparationWarning
        return _nan_model(design, common, "complete separation: the terms predict the outcome perfectly, no "
                          "coefficient is estimable (R glm: fitted probabilities numerically 0 or 1)", intercept=True)
    q = norm_ppf(1 - (1 - conf_level) / 2)

    def values(j: int, name: str) -> dict:
        if infinite[j]:
            return {"reason": f"quasi-complete separation: the odds ratio of {name} is infinite or zero, not "
                              f"estimable (R glm: fitted probabilities numerically 0 or 1)"}
        if reason_all:
            return {}
        z = b[j] / se[j]
        return {"estimate": b[j], "exp_estimate": np.exp(b[j]), "std_error": se[j], "ci_low": b[j] - q * se[j],
                "ci_high": b[j] + q * se[j], "exp_ci_low": np.exp(b[j] - q * se[j]),
                "exp_ci_high": np.exp(b[j] + q * se[j]), "statistic": z, "p_value": 2 * norm_sf(abs(z))}

    with np.errstate(over="ignore"):
        fitted = {c.name: values(j + 1, c.name) for j, c in enumerate(design.columns)}
        intercept = values(0, "(Intercept)")
    out = _rows(design, fitted, common, reason_all, intercept=intercept)
    out.attrs["outcome_level"] = level
    return out


def linear_model(
    data: pd.DataFrame,
    outcome: str,
    terms: list[str],
    reference_levels: dict[str, object] | None = None,
    conf_level: float = 0.95,
    categorical: set[str] | None = None,
) -> pd.DataFrame:
    """Linear model = R ``lm(outcome ~ terms)`` by statsmodels' OLS (QR): coefficients, standard errors, t
    statistics and p on the residual degrees of freedom, CI as ``confint`` (t quantiles). The first row is
    the intercept; ``exp_*`` and ``events`` are NaN. A non-numeric outcome, or no residual degrees of freedom
    (n <= coefficients), gives NaN rows with the reason."""
    load("statsmodels.api")
    import statsmodels.api as sm

    y_all = pd.to_numeric(data[outcome], errors="coerce")
    text = data[outcome].notna() & y_all.isna()
    formula = _formula(outcome, terms)
    design = design_matrix(data.assign(**{outcome: y_all.astype(float)}), terms, [outcome], reference_levels, None,
                           categorical)
    y = design.data[outcome].to_numpy(float)
    common = {"n": float(y.size), "events": np.nan, "formula": formula, "method": LINEAR_METHOD}
    if text.any():
        why = f"outcome {outcome} is not numeric ({int(text.sum())} text values)"
        return _nan_model(design, common, why, intercept=True)
    if data[outcome].notna().sum() == 0:
        return _nan_model(design, common, "no outcome values (missing for every member)", intercept=True)
    if design.error or y.size == 0:
        return _nan_model(design, common, design.error or "no complete cases", intercept=True)
    X = np.column_stack([np.ones(y.size), design.matrix]) if design.columns else np.ones((y.size, 1))
    if y.size <= X.shape[1]:
        return _nan_model(design, common, f"no residual degrees of freedom: {y.size} complete cases for "
                                          f"{X.shape[1]} coefficients", intercept=True)
    fit = sm.OLS(y, X).fit(method="qr")
    b, se, tv, pv = (np.asarray(a, float) for a in (fit.params, fit.bse, fit.tvalues, fit.pvalues))
    ci = np.asarray(fit.conf_int(alpha=1 - conf_level), float)

    def values(j: int) -> dict:
        return {"estimate": b[j], "std_error": se[j], "ci_low": ci[j, 0], "ci_high": ci[j, 1], "statistic": tv[j],
                "p_value": pv[j]}

    fitted = {c.name: values(j + 1) for j, c in enumerate(design.columns)}
    return _rows(design, fitted, common, None, intercept=values(0))
