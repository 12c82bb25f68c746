"""The exact Wilcoxon distributions (distributions.pwilcox and psignrank) and wilcox.test's exact p-values agree
with R (fixtures made by r/wilcox_exact.R; each case holds its R call) up to R's exact limit, 49 per group."""
import pytest

from oncoduck.stats.distributions import psignrank, pwilcox
from oncoduck.stats.wilcoxon import wilcoxon_rank_sum, wilcoxon_signed_rank

from stats_rhelp import close, load

CASES = load("wilcox_exact.json")


def cases(name):
    return [pytest.param(c, id=c["call"]) for c in CASES if c["name"] == name]


@pytest.mark.parametrize("c", cases("pwilcox"))
def test_pwilcox_equals_r(c):
    i = c["input"]
    close(pwilcox(i["q"], int(i["m"]), int(i["n"]), i["lower_tail"]), c["result"]["p"], msg=c["call"])


@pytest.mark.parametrize("c", cases("psignrank"))
def test_psignrank_equals_r(c):
    i = c["input"]
    close(psignrank(i["q"], int(i["n"]), i["lower_tail"]), c["result"]["p"], msg=c["call"])


@pytest.mark.parametrize("c", cases("ranksum_exact") + cases("signrank_exact"))
def test_exact_wilcoxon_tests_equal_r(c):
    i, r = c["input"], c["result"]
    test = wilcoxon_rank_sum if c["name"] == "ranksum_exact" else wilcoxon_signed_rank
    res = test(i["x"], i["y"], i["alternative"])
    assert res.exact and res.method == r["method"]
    close(res.statistic, r["statistic"], msg=c["call"])
    close(res.p_value, r["p_value"], msg=c["call"])
