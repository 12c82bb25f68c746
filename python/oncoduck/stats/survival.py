"""Survival analysis matching R ``survival`` (3.5): survfit (KM), quantile/print
median, survdiff (log-rank) and coxph (Efron ties).

All functions are pure; time/event arrays in, tidy DataFrames or dataclasses out.
Rows with missing/non-finite time or missing event are dropped (R: na.omit; note
maftools additionally drops ``-Inf`` times, which this rule covers).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from .multiple import bh_adjust

__all__ = [
    "kaplan_meier", "km_median", "logrank", "LogrankResult", "cox", "CoxResult", "cox_zph", "survival_screen",
]

_TOL = float(np.sqrt(np.finfo(float).eps))


def _clean(time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike | None = None):
    t = np.asarray(time, float)
    e = np.asarray(pd.to_numeric(pd.Series(np.asarray(event, dtype=object)), errors="coerce"), float)
    ok = np.isfinite(t) & np.isfinite(e)
    if group is not None:
        g = pd.Series(np.asarray(group, dtype=object))
        ok &= g.notna().to_numpy()
        return t[ok], e[ok].astype(float), g[ok].to_numpy()
    return t[ok], e[ok].astype(float), None


def _km_one(t: np.ndarray, e: np.ndarray, conf_int: float, conf_type: str = "log") -> pd.DataFrame:
    order = np.argsort(t, kind="stable")
    t, e = t[order], e[order]
    ut, inv = np.unique(t, return_inverse=True)
    n_event = np.bincount(inv, weights=(e > 0).astype(float), minlength=ut.size)
    n_tot = np.bincount(inv, minlength=ut.size).astype(float)
    n_risk = t.size - np.concatenate([[0.0], np.cumsum(n_tot)[:-1]])
    n_censor = n_tot - n_event
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1 - n_event / n_risk)
        # Greenwood, on the log scale (survfit's std.err, logse = TRUE)
        std_err = np.sqrt(np.cumsum(n_event / (n_risk * (n_risk - n_event))))
        lower, upper = _confint(surv, std_err, conf_int, conf_type)
    return pd.DataFrame({
        "time": ut, "n_risk": n_risk, "n_event": n_event, "n_censor": n_censor,
        "surv": surv, "std_err": std_err, "lower": lower, "upper": upper,
    })


def _confint(p: np.ndarray, se: np.ndarray, conf_int: float, conf_type: str) -> tuple[np.ndarray, np.ndarray]:
    """Port of survival:::survfit_confint (logse = TRUE) for "log", "log-log", "plain"."""
    z = stats.norm.ppf(1 - (1 - conf_int) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if conf_type == "log":
            xx = np.where(p == 0, np.nan, p)
            return np.exp(np.log(xx) - z * se), np.minimum(np.exp(np.log(xx) + z * se), 1)
        if conf_type == "log-log":
            xx = np.where((p == 0) | (p == 1), np.nan, p)
            se2 = z * se / np.log(xx)
            return np.exp(-np.exp(np.log(-np.log(xx)) - se2)), np.exp(-np.exp(np.log(-np.log(xx)) + se2))
        if conf_type == "plain":
            se2 = se * p * z
            return np.maximum(p - se2, 0), np.minimum(p + se2, 1)
    raise ValueError(f"conf_type must be 'log', 'log-log' or 'plain', got {conf_type!r}")


def kaplan_meier(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike | None = None, conf_int: float = 0.95,
    conf_type: str = "log",
) -> pd.DataFrame:
    """Kaplan-Meier table = R ``survfit(Surv(time, event) ~ group)`` defaults.

    One row per distinct observed time (event or censoring) per group, columns
    ``group, time, n_risk, n_event, n_censor, surv, std_err, lower, upper``.
    ``std_err`` is survfit's ``$std.err`` i.e. the Greenwood standard error of
    ``-log S`` (``sqrt(cumsum(d / (n (n - d))))``; Inf once ``n == d``); CI is
    ``conf.type = "log"`` (default): ``S exp(-+ z se)``, upper capped at 1, NA where
    S = 0; ``conf_type = "log-log"`` / ``"plain"`` port the other survfit_confint branches.
    (``summary.survfit`` prints ``std.err * surv`` instead.)
    """
    t, e, g = _clean(time, event, group)
    if g is None:
        out = _km_one(t, e, conf_int, conf_type)
        out.insert(0, "group", "all")
        return out
    parts = []
    for lev in sorted(pd.unique(g), key=str):
        m = g == lev
        part = _km_one(t[m], e[m], conf_int, conf_type)
        part.insert(0, "group", lev)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def _approx_const_f1(xs: np.ndarray, idx: np.ndarray, p: float) -> float:
    """R approx(xs, idx, p, method = "constant", f = 1)$y for increasing xs (NA dropped)."""
    ok = ~np.isnan(xs)
    xs, idx = xs[ok], idx[ok]
    if xs.size == 0 or p < xs[0] or p > xs[-1]:
        return np.nan
    j = int(np.searchsorted(xs, p, side="left"))  # first xs >= p
    return float(idx[j])


def _findq(x: np.ndarray, y: np.ndarray, p: float, tol: float = _TOL) -> float:
    """Port of survival:::findq (R survival 3.5) for one probability."""
    if np.all(np.isnan(y)) or np.nanmax(y) < p:
        return np.nan
    xmax = x[-1]
    dups = pd.Series(y).duplicated().to_numpy()
    x, y = x[~dups], y[~dups]
    n = y.size
    ids = np.arange(1, n + 1, dtype=float)
    i1 = _approx_const_f1(y + tol, ids, p)
    i2 = _approx_const_f1(y - tol, ids, p)
    xi = lambda i: x[int(i) - 1] if np.isfinite(i) else np.nan  # noqa: E731
    q = (xi(i1) + xi(i2)) / 2
    if p == 0:
        q = x[0]
    if not np.isnan(y[-1]) and abs(p - y[-1]) < tol:
        q = (xi(i1) + xmax) / 2
    return float(q)


def km_median(
    time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike | None = None,
    conf_int: float = 0.95, prob: float = 0.5, conf_type: str = "log",
) -> pd.DataFrame:
    """Median survival and CI as R ``print(survfit(...))`` / ``quantile.survfit``.

    Port of ``survival:::doquant``/``findq``: on ``y = c(0, 1 - S)``,
    ``x = c(0, time)`` the quantile is ``(x[indx1] + x[indx2]) / 2`` with
    ``indx1/2`` the first points where ``y +- tol >= p`` (``tol = sqrt(eps)``) --
    i.e. the first time with S <= 0.5, and the midpoint to the next time when S
    equals 0.5 over an interval; if the curve ends exactly at 0.5 the midpoint with
    the last time.  ``lower``/``upper`` apply the same rule to the CI curves
    (1 - lower, 1 - upper); NaN where the curve never reaches 0.5 (R: NA).
    Columns: ``group, n, events, median, lower, upper``.
    """
    km = kaplan_meier(time, event, group, conf_int, conf_type)
    rows = []
    for g, d in km.groupby("group", sort=False):
        x = np.concatenate([[0.0], d.time.to_numpy()])
        rows.append({
            "group": g, "n": float(d.n_risk.iloc[0]), "events": float(d.n_event.sum()),
            "median": _findq(x, np.concatenate([[0.0], 1 - d.surv.to_numpy()]), prob),
            "lower": _findq(x, np.concatenate([[0.0], 1 - d.lower.to_numpy()]), prob),
            "upper": _findq(x, np.concatenate([[0.0], 1 - d.upper.to_numpy()]), prob),
        })
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class LogrankResult:
    chisq: float
    df: int
    p_value: float
    table: pd.DataFrame = field(repr=False)  # group, n, observed, expected
    reason: str | None = None


def logrank(time: npt.ArrayLike, event: npt.ArrayLike, group: npt.ArrayLike) -> LogrankResult:
    """Log-rank test = R ``survdiff(Surv(time, event) ~ group)`` (rho = 0).

    Per distinct event time: ``E_g += d n_g / n``,
    ``V_gh += d (n - d) / (n (n - 1)) (n_g delta_gh - n_g n_h / n)``;
    ``chisq = (O - E)[-1]' V[-1,-1]^{-1} (O - E)[-1]`` over groups with E > 0,
    ``df = #groups with E > 0 - 1``.  Group order = sorted levels (R factor order).
    Fewer than 2 groups with expected events -> chisq 0/NaN p with a reason.
    """
    t, e, g = _clean(time, event, group)
    levels = sorted(pd.unique(g), key=str)
    G = len(levels)
    gi = pd.Categorical(g, categories=levels).codes
    ut, inv = np.unique(t, return_inverse=True)
    T = ut.size
    d_tg = np.zeros((T, G))
    c_tg = np.zeros((T, G))
    np.add.at(d_tg, (inv, gi), (e > 0).astype(float))
    np.add.at(c_tg, (inv, gi), 1.0)
    n_tg = c_tg[::-1].cumsum(0)[::-1]  # at risk: time >= t
    d = d_tg.sum(1)
    n = n_tg.sum(1)
    ev = d > 0
    d, n, n_tg, d_tg = d[ev], n[ev], n_tg[ev], d_tg[ev]
    O = d_tg.sum(0)
    E = (d[:, None] * n_tg / n[:, None]).sum(0)
    with np.errstate(invalid="ignore", divide="ignore"):
        kk = np.where(n > 1, d * (n - d) / (n * (n - 1)), 0.0)
    V = np.diag((kk[:, None] * n_tg).sum(0)) - np.einsum("t,tj,tk->jk", kk / n, n_tg, n_tg)
    tab = pd.DataFrame({"group": levels, "n": c_tg.sum(0), "observed": O, "expected": E})
    keep = E > 0
    df = int(keep.sum()) - 1
    if df < 1:
        return LogrankResult(0.0, max(df, 0), np.nan, tab, "fewer than 2 groups with expected events")
    diff = (O - E)[keep][1:]
    vv = V[np.ix_(keep, keep)][1:, 1:]
    try:
        chi = float(np.sum(np.linalg.solve(vv, diff) * diff))
    except np.linalg.LinAlgError:
        return LogrankResult(np.nan, df, np.nan, tab, "singular variance matrix")
    return LogrankResult(chi, df, float(stats.chi2.sf(chi, df)), tab)


# ---------------------------------------------------------------------------
# Cox proportional hazards, Efron ties -- port of survival's coxfit6 iteration.
def _efron(beta: np.ndarray, X: np.ndarray, t_desc_order, ev_struct):
    """log partial likelihood, score and information (Efron) at beta."""
    rep, den, a, c2, dxsum, detasum = _efron_terms(beta, t_desc_order, ev_struct)
    loglik = float(detasum.sum() - np.log(den).sum())
    u = dxsum.sum(0) - a.sum(0)
    imat = c2.sum(0) - np.einsum("ti,tj->ij", a, a)
    return loglik, u, imat


def _efron_terms(beta: np.ndarray, t_desc_order, ev_struct):
    """Per-term pieces of the Efron sums at beta.

    One row per (death-time block, k = 0..d-1): ``rep`` = index of the block among
    the death-time blocks (descending time), ``den`` = S0 - (k/d) dS0, ``a`` = weighted
    mean of x, ``c2`` = weighted mean of x x'; plus per-block sums of x and eta over
    the deaths (``dxsum``, ``detasum``).
    """
    Xs, ev, first_of_time, ut_idx = t_desc_order
    eta = Xs @ beta
    r = np.exp(eta)
    p = Xs.shape[1]
    # risk sums over time >= t: cumulative sums in descending time, taken at the
    # last row of each tied time block
    S0c = np.cumsum(r)
    S1c = np.cumsum(r[:, None] * Xs, axis=0)
    S2c = np.cumsum(r[:, None, None] * Xs[:, :, None] * Xs[:, None, :], axis=0)
    blk_end, dpos, dcount, dS0, dS1, dS2, dxsum, detasum = ev_struct(r, Xs, eta)
    S0 = S0c[blk_end]
    S1 = S1c[blk_end]
    S2 = S2c[blk_end]
    # expand each tied-death block into its d terms k = 0..d-1
    rep = np.repeat(np.arange(dcount.size), dcount.astype(int))
    k = np.arange(rep.size) - np.repeat(np.cumsum(dcount) - dcount, dcount.astype(int))
    frac = k / dcount[rep]
    den = S0[rep] - frac * dS0[rep]
    a = (S1[rep] - frac[:, None] * dS1[rep]) / den[:, None]
    c2 = (S2[rep] - frac[:, None, None] * dS2[rep]) / den[:, None, None]
    return rep, den, a, c2, dxsum, detasum


def _prep(time: np.ndarray, event: np.ndarray, X: np.ndarray):
    order = np.lexsort((-event, -time))  # descending time
    ts, es, Xs = time[order], event[order], X[order]
    # block = tied time; end of block in descending order = last row with that time
    ut_desc, start = np.unique(-ts, return_index=True)
    ends = np.concatenate([start[1:], [ts.size]]) - 1
    blk = np.repeat(np.arange(start.size), np.diff(np.concatenate([start, [ts.size]])))
    deaths = es > 0
    dcount_all = np.bincount(blk, weights=deaths.astype(float), minlength=start.size)
    has = dcount_all > 0

    def ev_struct(r, Xm, eta):
        w = deaths.astype(float)
        dS0 = np.bincount(blk, weights=w * r, minlength=start.size)[has]
        dS1 = np.stack([np.bincount(blk, weights=w * r * Xm[:, j], minlength=start.size) for j in range(Xm.shape[1])], 1)[has]
        dS2 = np.zeros((start.size, Xm.shape[1], Xm.shape[1]))
        np.add.at(dS2, blk[deaths], (r[deaths, None, None] * Xm[deaths, :, None] * Xm[deaths, None, :]))
        dx = np.stack([np.bincount(blk, weights=w * Xm[:, j], minlength=start.size) for j in range(Xm.shape[1])], 1)[has]
        de = np.bincount(blk, weights=w * eta, minlength=start.size)[has]
        return ends[has], None, dcount_all[has], dS0, dS1, dS2[has], dx, de

    return (Xs, deaths, None, None), ev_struct


@dataclass(frozen=True)
class CoxResult:
    coefficients: pd.DataFrame  # term, coef, hr, se, z, p, hr_low, hr_high
    loglik_null: float
    loglik: float
    lr_chisq: float
    lr_p: float
    wald_chisq: float
    wald_p: float
    score_chisq: float
    score_p: float
    df: int
    n: int
    n_event: int
    iterations: int
    converged: bool
    reason: str | None = None


def _design(df: pd.DataFrame, covariates: list[str], reference: dict[str, object] | None) -> pd.DataFrame:
    cols = {}
    reference = reference or {}
    for c in covariates:
        s = df[c]
        if s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype) or s.dtype == bool:
            if isinstance(s.dtype, pd.CategoricalDtype):
                levels = [lv for lv in s.cat.categories if (s == lv).any()]
            else:
                levels = sorted(pd.unique(s.dropna()), key=str)
            ref = reference.get(c, levels[0])
            for lv in levels:
                if lv != ref:
                    cols[f"{c}{lv}"] = (s == lv).astype(float).where(s.notna())
        else:
            cols[c] = s.astype(float)
    return pd.DataFrame(cols, index=df.index)


def _cox_data(df: pd.DataFrame, time: str, event: str, covariates: list[str], reference: dict[str, object] | None):
    """Complete-case time, event, design matrix and column names, as used by ``cox``."""
    X = _design(df, covariates, reference)
    data = pd.concat([df[[time, event]].apply(pd.to_numeric, errors="coerce"), X], axis=1).replace([np.inf, -np.inf], np.nan).dropna()
    return data[time].to_numpy(float), data[event].to_numpy(float), data[X.columns].to_numpy(float), list(X.columns)


def cox(
    df: pd.DataFrame,
    time: str,
    event: str,
    covariates: list[str],
    reference: dict[str, object] | None = None,
    conf_int: float = 0.95,
    eps: float = 1e-9,
    iter_max: int = 20,
) -> CoxResult:
    """Cox model = R ``coxph(Surv(time, event) ~ covariates)`` with Efron ties.

    Reimplements survival's ``coxfit6`` Newton-Raphson exactly: start at 0,
    convergence when ``|1 - loglik_old / loglik_new| <= eps`` (1e-9, R's
    ``coxph.control``), step-halving when the likelihood decreases, coefficients
    returned from the converged iterate (so they equal R's to ~1e-10, not just
    the true MLE).  Categorical covariates use treatment contrasts with the first
    sorted level (or ``reference[col]``) as baseline -- column names ``colLevel``
    as R.  HR CI = ``exp(coef -+ qnorm(1 - (1 - conf)/2) se)`` as
    ``summary.coxph``; Wald, likelihood-ratio and score (log-rank) global tests.
    Rows with any NA are dropped.  No events / singular information -> NaN + reason.
    """
    tt, ee, Xm, names = _cox_data(df, time, event, covariates, reference)
    p = Xm.shape[1]
    nan_res = lambda why: CoxResult(  # noqa: E731
        pd.DataFrame({"term": names, "coef": np.nan, "hr": np.nan, "se": np.nan, "z": np.nan, "p": np.nan,
                      "hr_low": np.nan, "hr_high": np.nan}),
        np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, p, int(tt.size), int((ee > 0).sum()), 0, False, why)
    if p == 0 or (ee > 0).sum() == 0:
        return nan_res("no events" if p else "no covariates")
    Xc = Xm - Xm.mean(0)  # coxph centres covariates
    prep, ev_struct = _prep(tt, ee, Xc)
    beta = np.zeros(p)
    try:
        loglik, u, imat = _efron(beta, Xc, prep, ev_struct)
        loglik0 = loglik
        inv = np.linalg.inv(imat)
        score = float(u @ inv @ u)
        newbeta = beta + inv @ u
        halving = False
        converged = False
        it = 0
        for it in range(1, iter_max + 1):
            newlk, nu, nimat = _efron(newbeta, Xc, prep, ev_struct)
            if abs(1 - loglik / newlk) <= eps and not halving:
                loglik, u, imat, beta = newlk, nu, nimat, newbeta
                converged = True
                break
            if it == iter_max:
                loglik, u, imat, beta = newlk, nu, nimat, newbeta
                break
            if newlk < loglik:
                halving = True
                newbeta = (newbeta + beta) / 2
            else:
                halving = False
                loglik, u, imat, beta = newlk, nu, nimat, newbeta
                newbeta = newbeta + np.linalg.solve(imat, u)
        var = np.linalg.inv(imat)
    except np.linalg.LinAlgError:
        return nan_res("singular information matrix")
    se = np.sqrt(np.diag(var))
    z = beta / se
    q = stats.norm.ppf(1 - (1 - conf_int) / 2)
    coefs = pd.DataFrame({
        "term": names, "coef": beta, "hr": np.exp(beta), "se": se, "z": z,
        "p": 2 * stats.norm.sf(np.abs(z)),
        "hr_low": np.exp(beta - q * se), "hr_high": np.exp(beta + q * se),
    })
    wald = float(beta @ np.linalg.solve(var, beta))
    lr = 2 * (loglik - loglik0)
    return CoxResult(coefs, loglik0, loglik, lr, float(stats.chi2.sf(lr, p)), wald, float(stats.chi2.sf(wald, p)),
                     score, float(stats.chi2.sf(score, p)), p, int(tt.size), int((ee > 0).sum()), it, converged)


_ZPH_TRANSFORMS = ("km", "rank", "identity", "log")


def _zph_time(tt: np.ndarray, ee: np.ndarray, transform: str) -> np.ndarray:
    """cox.zph's ``ttimes`` (per observation) for a named transform."""
    if transform == "identity":
        return tt.copy()
    if transform == "rank":
        return stats.rankdata(tt, method="average")
    if transform == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(tt)
    # km: 1 - S(t-) of the pooled KM (survfitKM + findInterval(left.open = TRUE))
    km = _km_one(tt, ee, 0.95)
    idx = np.searchsorted(km["time"].to_numpy(), tt, side="left")  # number of curve times < t
    return 1 - np.concatenate([[1.0], km["surv"].to_numpy()])[idx]


def cox_zph(
    df: pd.DataFrame,
    time: str,
    event: str,
    covariates: list[str],
    reference: dict[str, object] | None = None,
    transform: str = "km",
    terms: bool = True,
    global_test: bool = True,
) -> pd.DataFrame:
    """Proportional-hazards test = R ``cox.zph(coxph(Surv(time, event) ~ covariates,
    ties = "efron"), transform, terms)$table`` (survival >= 3.0 score test).

    Port of ``survival:::cox.zph`` + its C routine ``zph1``: the Cox model is fitted
    by :func:`cox` (same data rules: complete cases, treatment contrasts); with
    ``g(t)`` = the transformed time (``"km"``: ``1 - S(t-)``, the left-continuous
    pooled Kaplan-Meier; ``"rank"``: average ranks of all times; ``"identity"``;
    ``"log"``) centred by its mean over the event rows, the score ``U`` and the
    2p x 2p information ``I`` of the model with coefficients ``beta + theta g(t)`` are
    evaluated at ``(beta_hat, theta = 0)`` with Efron tie handling.  For a term with
    design columns J (all of a factor's dummies when ``terms=True``; each column alone
    when ``terms=False``) ``chisq = u' I[K,K]^{-1} u``, ``K = (1..p, p+J)``,
    ``u = (0, U_theta[J])``, ``df = |J|``; the ``GLOBAL`` row uses all columns
    (``df = p``); ``p = pchisq(chisq, df, lower = FALSE)``.  Columns ``term, chisq, df,
    p, method, reason``.  No events / no covariates / singular fit or information /
    non-finite ``g`` (e.g. ``"log"`` with times <= 0) -> NaN with a reason (never raises
    for data problems).  Not ported: strata, case weights, (start, stop] data,
    ``singledf``, user transform functions, Breslow ties.
    """
    if transform not in _ZPH_TRANSFORMS:
        raise ValueError(f"transform must be one of {_ZPH_TRANSFORMS}, got {transform!r}")
    method = f'cox.zph score test (transform = "{transform}"), Efron ties'
    if terms:
        groups = [(c, list(_design(df, [c], reference).columns)) for c in covariates]
    else:
        groups = [(n, [n]) for n in _design(df, covariates, reference).columns]
    tt, ee, Xm, names = _cox_data(df, time, event, covariates, reference)
    nvar = len(names)
    col = {n: i for i, n in enumerate(names)}
    idx = [[col[n] for n in cols] for _, cols in groups]
    labels = [g for g, _ in groups] + (["GLOBAL"] if global_test else [])
    dfs = [len(j) for j in idx] + ([nvar] if global_test else [])

    def table(chisq, reasons):
        chisq = np.asarray(chisq, float)
        dd = np.asarray(dfs, float)
        with np.errstate(invalid="ignore"):
            pv = np.where(np.isnan(chisq) | (dd == 0), np.nan, stats.chi2.sf(chisq, np.maximum(dd, 1)))
        return pd.DataFrame({"term": labels, "chisq": chisq, "df": np.asarray(dfs, int), "p": pv,
                             "method": method, "reason": reasons})

    def all_nan(why):
        return table([np.nan] * len(labels), [why] * len(labels))

    fit = cox(df, time, event, covariates, reference)
    if fit.reason is not None:
        return all_nan(fit.reason)
    beta = fit.coefficients["coef"].to_numpy(float)
    if not np.all(np.isfinite(beta)):
        return all_nan("non-finite Cox coefficients")
    ev = ee > 0
    ttimes = _zph_time(tt, ee, transform)
    with np.errstate(invalid="ignore"):
        gtime = ttimes - ttimes[ev].mean()
    if not np.all(np.isfinite(gtime[ev])):
        return all_nan(f'non-finite transformed event times (transform = "{transform}")')
    # g at each death time, in the descending order of _prep's death blocks
    ut_d, first = np.unique(tt[ev], return_index=True)
    g_blk = gtime[ev][first][::-1]
    Xc = Xm - Xm.mean(0)  # zph1 / coxph centring
    prep, ev_struct = _prep(tt, ee, Xc)
    rep, den, a, c2, dxsum, _ = _efron_terms(beta, prep, ev_struct)
    gk = g_blk[rep]
    u2 = (g_blk[:, None] * dxsum).sum(0) - (gk[:, None] * a).sum(0)
    v = c2 - a[:, :, None] * a[:, None, :]  # per-term weighted covariance
    i11 = v.sum(0)
    i12 = (gk[:, None, None] * v).sum(0)
    i22 = ((gk * gk)[:, None, None] * v).sum(0)
    imat = np.block([[i11, i12], [i12.T, i22]])
    u = np.concatenate([np.zeros(nvar), u2])
    chisq, reasons = [], []
    sets = idx + ([list(range(nvar))] if global_test else [])
    for jj in sets:
        if not jj:
            chisq.append(np.nan)
            reasons.append("term has no design columns")
            continue
        kk = list(range(nvar)) + [nvar + j for j in jj]
        uk, ik = u[kk], imat[np.ix_(kk, kk)]
        # R solve(): error when the reciprocal 1-norm condition number < .Machine$double.eps
        with np.errstate(all="ignore"):
            try:
                rcond = 1 / np.linalg.cond(ik, 1)
                ok = np.isfinite(rcond) and rcond >= np.finfo(float).eps
                val = float(np.linalg.solve(ik, uk) @ uk) if ok else np.nan
            except np.linalg.LinAlgError:
                ok, val = False, np.nan
        chisq.append(val)
        reasons.append(None if ok else "singular information matrix")
    return table(chisq, reasons)


def survival_screen(
    df: pd.DataFrame,
    time: str,
    event: str,
    features: list[str],
    reference: object = 0,
) -> pd.DataFrame:
    """Per-feature survival screen: log-rank (survdiff) + univariable Cox (Efron) for
    each binary/categorical feature column, BH over the features tested.

    ``reference`` is the baseline level of every feature (default 0 = wild type);
    the HR is "other level vs reference" (for 0/1 features: mutant vs WT).
    Features with < 2 levels or no events get NaN and a reason and are excluded
    from the BH family.  One Python iteration per feature (each test vectorised);
    fine for hundreds-thousands of features.  Columns: ``feature, n, n_ref, n_alt,
    logrank_chisq, logrank_p, hr, hr_low, hr_high, cox_wald_p, q_logrank, q_cox, reason``.
    """
    rows = []
    for f in features:
        sub = df[[time, event, f]].dropna()
        levels = pd.unique(sub[f])
        row = {"feature": f, "n": len(sub), "n_ref": int((sub[f] == reference).sum()),
               "n_alt": int((sub[f] != reference).sum())}
        if len(levels) < 2:
            rows.append({**row, "reason": "feature has < 2 levels"})
            continue
        lr = logrank(sub[time], sub[event], sub[f])
        g = np.where(sub[f] == reference, "ref", "alt_" + sub[f].astype(str))
        cx = cox(pd.DataFrame({"t": sub[time], "e": sub[event], "g": g}), "t", "e", ["g"], {"g": "ref"})
        c0 = cx.coefficients.iloc[0]
        rows.append({**row, "logrank_chisq": lr.chisq, "logrank_p": lr.p_value,
                     "hr": c0.hr, "hr_low": c0.hr_low, "hr_high": c0.hr_high, "cox_wald_p": c0.p,
                     "reason": lr.reason or cx.reason})
    out = pd.DataFrame(rows)
    for c in ["logrank_chisq", "logrank_p", "hr", "hr_low", "hr_high", "cox_wald_p"]:
        if c not in out:
            out[c] = np.nan
    out["q_logrank"] = bh_adjust(out["logrank_p"].to_numpy(float))
    out["q_cox"] = bh_adjust(out["cox_wald_p"].to_numpy(float))
    out["bh_family"] = "features tested"
    return out
