"""R agreement for the paired tests: signed-rank with ties and zeros (exact and normal, with and without
continuity correction), mcnemar.test with and without correction, chisq.test on 2 x 3 CNA tables, and
the signed-rank over the 6 TCGA BRCA MC3 primary/metastasis pairs. Fixtures: r/paired.R (each case
records its R call) -> fixtures/paired_htests.json."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from oncoduck.stats.contingency import chisq_test, mcnemar
from oncoduck.stats.wilcoxon import wilcoxon_signed_rank

FIXTURES = Path(__file__).parent / "fixtures"
CASES = json.loads((FIXTURES / "paired_htests.json").read_text())


def r_method(result) -> str:
    """R's method string: R >= 4.0 says "exact test" when the exact distribution is used (the library's
    method string omits "exact"; oncoduck.stats.paired.signed_rank_tests writes R's)."""
    return result.method.replace("signed rank test", "signed rank exact test") if result.exact else result.method


def _num(v):
    return np.nan if v in ("NA", "NaN", None) else float(v)


def _cases(prefix: str) -> list[dict]:
    return [c for c in CASES if c["name"].startswith(prefix)]


@pytest.mark.parametrize("case", _cases("signrank_"), ids=lambda c: c["name"])
def test_signed_rank_matches_r(case):
    inp, res = case["input"], case["result"]
    exact = {"NULL": None, "TRUE": True, "FALSE": False}[inp["exact"]]
    ours = wilcoxon_signed_rank(inp["x"], inp["y"], alternative=inp["alternative"], correct=inp["correct"], exact=exact)
    expected_p = _num(res["p_value"])
    if case["name"].startswith("signrank_all_zero"):
        # Documented deviation of the library: every difference zero -> p = NaN with a reason. R gives
        # V = 0 and p = NaN, except one-sided with correction where z = -0.5 / 0 = -Inf gives p = 1.
        assert np.isnan(ours.p_value) and ours.reason, case["call"]
        return
    assert ours.statistic == pytest.approx(_num(res["statistic"]), rel=1e-12), case["call"]
    assert ours.p_value == pytest.approx(expected_p, rel=1e-9), case["call"]
    assert r_method(ours) == res["method"], case["call"]


def test_signed_rank_cases_cover_ties_zeros_exact_and_normal():
    methods = {c["result"]["method"] for c in _cases("signrank_")}
    assert {"Wilcoxon signed rank exact test", "Wilcoxon signed rank test with continuity correction",
            "Wilcoxon signed rank test"} <= methods
    names = {c["name"].split("_two.sided")[0].split("_greater")[0] for c in _cases("signrank_")}
    assert {"signrank_ties_no_zeros", "signrank_zeros_no_ties", "signrank_counts_ties_zeros", "signrank_exact_small"} <= names


@pytest.mark.parametrize("case", _cases("mcnemar_"), ids=lambda c: c["name"])
def test_mcnemar_matches_r(case):
    inp, res = case["input"], case["result"]
    ours = mcnemar(np.array(inp["table"], float), correct=inp["correct"])
    expected_p = _num(res["p_value"])
    if np.isnan(expected_p):
        assert np.isnan(ours.p_value) and ours.reason
        return
    assert ours.statistic == pytest.approx(_num(res["statistic"]), rel=1e-12, abs=1e-300), case["call"]
    assert ours.df == _num(res["df"])
    assert ours.p_value == pytest.approx(expected_p, rel=1e-9), case["call"]


@pytest.mark.parametrize("case", _cases("chisq_"), ids=lambda c: c["name"])
def test_cna_distribution_chisq_matches_r(case):
    ours = chisq_test(np.array(case["input"]["table"], float))
    assert ours.statistic == pytest.approx(_num(case["result"]["statistic"]), rel=1e-10)
    assert ours.p_value == pytest.approx(_num(case["result"]["p_value"]), rel=1e-9)


@pytest.mark.parametrize("case", _cases("tcga_brca_mc3_"), ids=lambda c: c["name"])
def test_tcga_pairs_signed_rank_matches_r(case):
    """The numbers are the warehouse's (tests/python/paired/fixtures/tcga_brca_mc3_pairs.csv, checked
    against a TCGA build in test_tcga_pairs.py); R ran on the same numbers."""
    inp, res = case["input"], case["result"]
    ours = wilcoxon_signed_rank(inp["x"], inp["y"], alternative=inp["alternative"])
    assert ours.statistic == _num(res["statistic"])
    assert ours.p_value == pytest.approx(_num(res["p_value"]), rel=1e-9)
    assert r_method(ours) == res["method"]
