"""cox_zph agreement with R survival 3.5-3 cox.zph (fixtures made by r/cox_zph.R)."""
import json

import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.survival import cox_zph

from stats_rhelp import FIX, close

FIXT = json.loads((FIX / "cox_zph.json").read_text())
DATA = {k: pd.DataFrame(v) for k, v in FIXT["data"].items()}
CASES = {c["name"]: c for c in FIXT["cases"]}


def test_fixture_covers_spec():
    names = set(CASES)
    for tr in ("km", "rank", "identity", "log"):
        assert {f"uni_age_{tr}", f"uni_sex_{tr}", f"grp_age_terms_{tr}", f"grp_age_cols_{tr}", f"lung_{tr}"} <= names
    assert CASES["grp_age_terms_km"]["result"]["df"][0] == 2  # 3-level factor, terms = TRUE


@pytest.mark.parametrize("name", list(CASES))
def test_cox_zph_matches_r(name):
    c = CASES[name]
    r = c["result"]
    out = cox_zph(DATA[c["data"]], "time", "status", c["covariates"], transform=c["transform"],
                  terms=c["terms"], global_test=c["global"])
    assert list(out.term) == list(np.atleast_1d(r["term"])), c["call"]
    assert list(out.df) == [int(v) for v in np.atleast_1d(r["df"])], c["call"]
    close(out.chisq.to_numpy(), r["chisq"], rtol=1e-9, msg=f"{c['call']} chisq")
    close(out.p.to_numpy(), r["p"], rtol=1e-9, msg=f"{c['call']} p")
    assert out.reason.isna().all()
    assert list(out.columns) == ["term", "chisq", "df", "p", "method", "reason"]


def _small(**kw):
    d = pd.DataFrame({"time": [1.0, 2, 3, 4, 5, 6], "status": [1, 0, 1, 1, 0, 1], "x": [1.0, 3, 2, 5, 4, 6]})
    return d.assign(**kw)


@pytest.mark.parametrize("frame,covs,transform,why", [
    (_small(status=0), ["x"], "km", "no events"),
    (_small(time=[0.0, 2, 3, 4, 5, 6]), ["x"], "log", "non-finite transformed event times"),
    (_small(x2=lambda d: 2 * d.x), ["x", "x2"], "km", "singular information matrix"),  # R drops x2 (NA coef)
    (_small(c=1.0), ["x", "c"], "km", "singular information matrix"),
])
def test_degenerate_nan_with_reason(frame, covs, transform, why):
    out = cox_zph(frame, "time", "status", covs, transform=transform)
    assert out.chisq.isna().all() and out.p.isna().all()
    assert out.reason.str.startswith(why).all()
    assert list(out.term) == covs + ["GLOBAL"]


def test_bad_transform_raises():
    with pytest.raises(ValueError):
        cox_zph(_small(), "time", "status", ["x"], transform="sqrt")
