"""Agreement with R survival 3.5-3 / glm (fixtures made by r/survival.R)."""
import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.logistic import logistic_regression
from oncoduck.stats.survival import cox, kaplan_meier, km_median, logrank

from stats_rhelp import close, load

CASES = {c["name"]: c for c in load("survival.json")}


def frame(c):
    i = c["input"]
    return pd.DataFrame({k: i[k] for k in ("time", "status", "grp", "age", "sex") if k in i})


@pytest.mark.parametrize("name", [n for n in CASES if n.startswith("km_")])
def test_km_curves_and_median(name):
    c = CASES[name]
    d = frame(c)
    ctype = {"km_3groups_log-log": "log-log", "km_3groups_plain": "plain"}.get(name, "log")
    grp = d["grp"] if "grp" in d else None
    km = kaplan_meier(d.time, d.status, grp, conf_type=ctype)
    med = km_median(d.time, d.status, grp, conf_type=ctype)
    for j, cur in enumerate(c["result"]["curves"]):
        part = km[km.group == (cur["stratum"].split("=")[-1] if grp is not None else "all")]
        for k in ("time", "n_risk", "n_event", "n_censor", "surv", "std_err", "lower", "upper"):
            close(part[k].to_numpy(), cur[k], msg=f"{c['call']} {cur['stratum']} {k}")
    for k in ("median", "lower", "upper"):
        close(med[k].to_numpy(), c["result"]["median"][k], msg=f"{c['call']} median {k}")


@pytest.mark.parametrize("name", ["survdiff_AB", "survdiff_ABC"])
def test_logrank(name):
    c = CASES[name]
    d = frame(c)
    if c["result"]["subset"] == "AB":
        d = d[d.grp != "C"]
    r = logrank(d.time, d.status, d.grp)
    close(r.chisq, c["result"]["chisq"], msg=c["call"])
    close(r.df, c["result"]["df"])
    close(r.p_value, c["result"]["p_value"], msg=c["call"])
    close(r.table.observed, c["result"]["observed"])
    close(r.table.expected, c["result"]["expected"])


@pytest.mark.parametrize("name,covs", [("cox_uni_grp", ["grp"]), ("cox_uni_age", ["age"]),
                                       ("cox_multi", ["grp", "age", "sex"])])
def test_cox_efron(name, covs):
    c = CASES[name]
    r = c["result"]
    res = cox(frame(c), "time", "status", covs)
    co = res.coefficients
    assert list(co.term) == list(np.atleast_1d(r["term"]))
    for k, v in (("coef", "coef"), ("se", "se"), ("p", "p"), ("hr_low", "hr_low"), ("hr_high", "hr_high")):
        close(co[k].to_numpy(), r[v], msg=f"{c['call']} {k}")
    close([res.loglik_null, res.loglik], r["loglik"], msg="loglik")
    close([res.lr_chisq, res.wald_chisq, res.score_chisq], [r["lr"], r["wald"], r["score"]], msg="global tests")
    close([res.lr_p, res.wald_p, res.score_p], [r["lr_p"], r["wald_p"], r["score_p"]], msg="global p")


def test_glm_binomial():
    c = CASES["glm_binomial"]
    r = c["result"]
    res = logistic_regression(frame(c), "status", ["age", "sex"])
    assert list(res.term) == list(r["term"])
    # glm.fit iteration replicated (R stops at epsilon = 1e-8), so agreement is to rounding
    for k in ("coef", "se", "p", "ci_low", "ci_high"):
        col = {"ci_low": "or_low", "ci_high": "or_high"}.get(k, k)
        got = np.log(res[col].to_numpy()) if k.startswith("ci") else res[col].to_numpy()
        close(got, r[k], rtol=1e-9, msg=f"glm {k}")


def test_survival_degenerate():
    r = logrank([1, 2, 3], [0, 0, 0], ["a", "b", "a"])
    assert r.reason and np.isnan(r.p_value)
    res = cox(pd.DataFrame({"t": [1, 2, 3], "e": [0, 0, 0], "x": [1.0, 2.0, 3.0]}), "t", "e", ["x"])
    assert res.reason == "no events"
