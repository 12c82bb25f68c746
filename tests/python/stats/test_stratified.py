"""Strata (issue 19, Build 1: "stratify_by: runs every test within each stratum and adds the stratified test
(Cochran-Mantel-Haenszel for 2x2xK ...)"). R reference values (R 4.2.2, mantelhaen.test, default
correct = TRUE), the tables written as R arrays (column-major: c(a11, a21, a12, a22) per stratum):

    mantelhaen.test(array(c(3,31,4,5, 13,4,48,12), dim = c(2,2,2)))
        # X-squared 1.9555146409279502, p 0.16199383297927161, OR 0.44164232756683891,
        # CI 0.16537626632097485 - 1.1794192107354216
    mantelhaen.test(array(c(2,0,5,36, 1,0,60,16), dim = c(2,2,2)))
        # X-squared 4.4357726531082502, p 0.0351932867561092, OR Inf, CI NaN NaN
    mantelhaen.test(array(c(0,6,0,5, 3,3,0,6, 6,0,2,4, 5,1,6,0, 2,0,5,0), dim = c(2,2,5)))
        # X-squared 3.9285714285714288, p 0.047472255142918106, OR 7, CI 1.026712688461668 - 47.725133380222566

The first two are the demo's TP53 and ZFHX3 mutation tables of zhang2022's her2_low_vs_zero_by_hr
(stratify_by HR_STATUS_DERIVED: negative 7 HER2-low / 36 HER2-zero, positive 61 / 16 patients)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from oncoduck.stats.stratified import cochran_mantel_haenszel
from oncoduck_testing import query


def _r_array(values, k):
    """R's column-major 2 x 2 x K array as K row-major 2 x 2 tables."""
    return np.array(values, dtype=float).reshape(k, 2, 2).transpose(0, 2, 1)


@pytest.mark.parametrize("values, k, expected", [
    ([3, 31, 4, 5, 13, 4, 48, 12], 2,
     (1.9555146409279502, 0.16199383297927161, 0.44164232756683891, 0.16537626632097485, 1.1794192107354216)),
    ([2, 0, 5, 36, 1, 0, 60, 16], 2, (4.4357726531082502, 0.0351932867561092, math.inf, math.nan, math.nan)),
    ([0, 6, 0, 5, 3, 3, 0, 6, 6, 0, 2, 4, 5, 1, 6, 0, 2, 0, 5, 0], 5,
     (3.9285714285714288, 0.047472255142918106, 7.0, 1.026712688461668, 47.725133380222566)),
])
def test_cmh_equals_r_mantelhaen_test(values, k, expected):
    got = cochran_mantel_haenszel(_r_array(values, k))
    for name, want in zip(("statistic", "p_value", "odds_ratio", "ci_low", "ci_high"), expected):
        if math.isnan(want):
            assert math.isnan(got[name]), name
        else:
            assert got[name] == pytest.approx(want, rel=1e-9), name


def test_no_variance_is_a_reason_not_a_number():
    got = cochran_mantel_haenszel(np.array([[[3, 0], [4, 0]], [[1, 0], [2, 0]]]))  # everyone altered
    assert math.isnan(got["p_value"]) and "variance 0" in got["reason"]
    assert "no stratum" in cochran_mantel_haenszel(np.zeros((0, 2, 2)))["reason"]


def test_every_analysis_runs_within_each_stratum(demo_warehouse):
    members = dict(((c, g), n) for c, g, n in query(demo_warehouse, """select comparison, group_label, count(*)
        from intermediate.int_comparison_members where parent_comparison = 'her2_low_vs_zero_by_hr'
        group by all"""))
    assert members == {
        ("her2_low_vs_zero_by_hr", "her2_low"): 68, ("her2_low_vs_zero_by_hr", "her2_zero"): 52,
        ("her2_low_vs_zero_by_hr [HR_STATUS_DERIVED=negative]", "her2_low"): 7,
        ("her2_low_vs_zero_by_hr [HR_STATUS_DERIVED=negative]", "her2_zero"): 36,
        ("her2_low_vs_zero_by_hr [HR_STATUS_DERIVED=positive]", "her2_low"): 61,
        ("her2_low_vs_zero_by_hr [HR_STATUS_DERIVED=positive]", "her2_zero"): 16}
    # the sub-comparisons are tested like declared ones (genes: Fisher per stratum; survival)
    for table in ("stat_enrichment", "stat_survival_tests"):
        tested = {c for (c,) in query(demo_warehouse, f"""select distinct comparison from stats.{table}
            where comparison like 'her2_low_vs_zero_by_hr%'""")}
        assert tested == {c for c, _ in members}, table


def test_cmh_rows_of_the_demo_equal_r(demo_warehouse):
    rows = query(demo_warehouse, """select n_strata, altered1, n1, altered2, n2, statistic, p_value, odds_ratio,
            ci_low, ci_high from stats.stat_enrichment_stratified
        where comparison = 'her2_low_vs_zero_by_hr' and alteration_type = 'mutation' and feature = 'TP53'""")
    assert len(rows) == 1
    n_strata, a1, n1, a2, n2, statistic, p, odds_ratio, low, high = rows[0]
    assert (n_strata, a1, n1, a2, n2) == (2, 16, 68, 35, 52)
    for got, want in zip((statistic, p, odds_ratio, low, high), (1.9555146409279502, 0.16199383297927161,
                                                                 0.44164232756683891, 0.16537626632097485,
                                                                 1.1794192107354216)):
        assert got == pytest.approx(want, rel=1e-9)
