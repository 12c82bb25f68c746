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
(stratify_by HR_STATUS_DERIVED: negative 7 HER2-low / 36 HER2-zero, positive 61 / 16 patients).

Comparisons of three or more groups take R's generalized Cochran-Mantel-Haenszel test (mantelhaen.test of an
I x 2 x K table). Its reference values, the 2 x 2 x K cases of R's conditional continuity correction and tiny
p, and qr()'s rank rule (R's refusal "singular matrix 'a' in solve") are in fixtures/stratified.json, written
by r/stratified.R (R 4.2.2), each case with the exact R call next to its numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import pandas as pd

from oncoduck.stats.stratified import (ALL_GROUPS, SINGULAR, _cmh_moments, _qr_rank, cochran_mantel_haenszel,
                                       generalized_cochran_mantel_haenszel, stratified_enrichment)
from oncoduck_testing import query
from stats_rhelp import close, load

CASES = load("stratified.json")
BY_NAME = {c["name"]: c for c in CASES}


def cases(prefix, error=None):
    """The fixture cases named ``prefix...``; ``error``: True for R's refusals only, False for its values only."""
    return [pytest.param(c, id=c["name"]) for c in CASES if c["name"].startswith(prefix)
            and (error is None or ("error" in c["result"]) == error)]


def _tables(case):
    """The fixture's column-major R array (dim I, J, K) as K row-major I x J tables."""
    i, j, k = case["dim"]
    return np.array(case["values"], dtype=float).reshape(k, j, i).transpose(0, 2, 1)


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


@pytest.mark.parametrize("c", cases("m2x2x2_"))
def test_cmh_continuity_correction_and_small_p_as_r(c):
    """R subtracts 0.5 only when |DELTA| >= 0.5 (method "without continuity correction" otherwise), and its p
    is the upper tail (1e-35 here, not 1 - cdf = 0)."""
    got, want = cochran_mantel_haenszel(_tables(c)), c["result"]
    for name in ("statistic", "p_value", "odds_ratio", "ci_low", "ci_high"):
        close(got[name], want[name], rtol=1e-9, msg=f"{c['call']} {name}")
    assert got["method"].startswith(want["method"]), c["call"]


@pytest.mark.parametrize("c", cases("g", error=False))
def test_generalized_cmh_equals_r_mantelhaen_test(c):
    got, want = generalized_cochran_mantel_haenszel(_tables(c)), c["result"]
    for name in ("statistic", "p_value"):
        close(got[name], want[name], rtol=1e-9, msg=f"{c['call']} {name}")
    assert got["df"] == want["df"] and got["reason"] is None
    assert got["method"].startswith(want["method"] + " (mantelhaen.test, generalized")


@pytest.mark.parametrize("c", cases("g", error=True))
def test_generalized_cmh_where_r_refuses_is_nan_with_a_reason(c):
    """R: "singular matrix 'a' in solve"; here NaN, the reason saying why, and R's own rank rule agrees."""
    assert c["result"]["error"] == "singular matrix 'a' in solve"
    tables = _tables(c)
    got = generalized_cochran_mantel_haenszel(tables, ["a", "b", "c"])
    assert math.isnan(got["statistic"]) and math.isnan(got["p_value"]), c["call"]
    assert got["reason"].startswith(SINGULAR)
    assert _qr_rank(_cmh_moments(tables)[1]) < got["df"]
    expected = {"g3x2x2_singular_disconnected": "no stratum links the groups {'a', 'b'} | {'c'}",
                "g3x2x2_singular_empty_group": "group(s) 'c' have no member in a stratum with both altered",
                "g3x2x2_singular_no_variation": "no stratum has both altered and unaltered members"}[c["name"]]
    assert expected in got["reason"]


@pytest.mark.parametrize("c", cases("qr_rank_"))
def test_rank_is_r_qr_rank(c):
    p = c["dim"][0]
    assert _qr_rank(np.array(c["values"], dtype=float).reshape(p, p, order="F")) == c["result"]["rank"], c["call"]


def test_generalized_cmh_refuses_what_r_refuses():
    with pytest.raises(ValueError, match="must be > 1"):  # R: sample size in each stratum must be > 1
        generalized_cochran_mantel_haenszel(np.array([[[1, 0], [0, 0], [0, 0]], [[2, 3], [1, 4], [0, 5]]]))
    assert "no stratum" in generalized_cochran_mantel_haenszel(np.zeros((0, 3, 2)))["reason"]


def _declared(study, name, groups, strata):
    """int_comparisons rows of a comparison declared with stratify_by X and its sub-comparisons."""
    rows = []
    for comparison, stratum in [(name, None)] + [(f"{name} [X={s}]", s) for s in strata]:
        for order, label in enumerate(groups, start=1):
            rows.append({"study_id": study, "comparison": comparison, "parent_comparison": name,
                         "stratum": None if stratum is None else f"X={stratum}",
                         "stratify_by": "X" if stratum is None else None, "n_groups": len(groups),
                         "group_order": order, "group_label": label})
    return rows


def _frequencies(study, name, feature, groups, case=None, strata=None, tables=None):
    """Frequency rows of ``feature``: the fixture case's strata as the sub-comparisons ``strata``."""
    tables = _tables(BY_NAME[case]) if case else np.asarray(tables, dtype=float)
    rows = []
    for stratum, table in zip(strata, tables):
        for order, (label, (altered, unaltered)) in enumerate(zip(groups, table), start=1):
            if altered + unaltered:  # a group without members in a stratum has no frequency row there
                rows.append({"study_id": study, "comparison": f"{name} [X={stratum}]", "group_label": label,
                             "group_order": order, "feature_level": "gene", "feature": feature,
                             "alteration_type": "mutation", "n_profiled": int(altered + unaltered),
                             "n_altered": int(altered)})
    return rows


def test_three_groups_get_a_row_per_feature():
    """A comparison of three groups with stratify_by: the generalized test per altered feature (R's values),
    a stratum of one member left out and counted, the singular case NaN with its reason, a never-altered
    feature no row; a two-group comparison beside it keeps its Mantel-Haenszel rows; BH per study."""
    trio, duo = ["a", "b", "c"], ["low", "zero"]
    comparisons = pd.DataFrame(_declared("s1", "trio", trio, [1, 2, 3, 4]) + _declared("s2", "trio", trio, [1, 2])
                               + _declared("s1", "duo", duo, [1, 2]))
    frequencies = pd.DataFrame(
        _frequencies("s1", "trio", "G1", trio, "g3x2x2", [1, 2])
        + _frequencies("s1", "trio", "G1", trio, strata=[4], tables=[[[0, 1], [0, 0], [0, 0]]])  # 1 member
        + _frequencies("s1", "trio", "G4", trio, "g3x2x3_absent_and_constant", [1, 2, 3])
        + _frequencies("s1", "trio", "G3", trio, strata=[1, 2], tables=[[[2, 5], [1, 6], [0, 0]],
                                                                        [[3, 4], [0, 8], [0, 0]]])
        + _frequencies("s1", "trio", "NEVER", trio, strata=[1, 2], tables=[[[0, 5], [0, 6], [0, 3]]] * 2)
        + _frequencies("s2", "trio", "G1", trio, "g3x2x2", [1, 2])
        + _frequencies("s1", "duo", "TP53", duo, strata=[1, 2], tables=_r_array([3, 31, 4, 5, 13, 4, 48, 12], 2)))
    out = stratified_enrichment(comparisons, frequencies).set_index(["study_id", "comparison", "feature"])
    assert sorted(out.index) == [("s1", "duo", "TP53"), ("s1", "trio", "G1"), ("s1", "trio", "G3"),
                                 ("s1", "trio", "G4"), ("s2", "trio", "G1")]  # NEVER: never altered, no row

    g1 = out.loc[("s1", "trio", "G1")]
    assert g1["group1"] == ALL_GROUPS and pd.isna(g1["group2"])  # as stat_enrichment's omnibus rows
    assert (g1["n_strata"], g1["n_strata_dropped"], g1["altered1"], g1["n1"]) == (2, 1, 45, 147)
    assert pd.isna(g1["altered2"]) and pd.isna(g1["n2"])
    assert math.isnan(g1["odds_ratio"]) and math.isnan(g1["ci_low"]) and math.isnan(g1["ci_high"])
    assert g1["method"].startswith("Cochran-Mantel-Haenszel test (mantelhaen.test, generalized: 3 x 2 x K")
    assert pd.isna(g1["reason"])
    for feature, case in (("G1", "g3x2x2"), ("G4", "g3x2x3_absent_and_constant")):
        row = out.loc[("s1", "trio", feature)]
        close(row["statistic"], BY_NAME[case]["result"]["statistic"], msg=case)
        close(row["p_value"], BY_NAME[case]["result"]["p_value"], msg=case)

    g3 = out.loc[("s1", "trio", "G3")]
    assert math.isnan(g3["statistic"]) and math.isnan(g3["p_value"]) and math.isnan(g3["q_value"])
    assert g3["reason"] == f"{SINGULAR}: group(s) 'c' have no member in a stratum with both altered and " \
                           "unaltered members"

    # BH within study x comparison x alteration type x feature level: s1's two p values, s2's one
    p1, p4 = out.loc[("s1", "trio", "G1"), "p_value"], out.loc[("s1", "trio", "G4"), "p_value"]
    assert out.loc[("s1", "trio", "G1"), "q_value"] == pytest.approx(min(2 * p1, p4), rel=1e-12)
    assert out.loc[("s1", "trio", "G4"), "q_value"] == pytest.approx(p4, rel=1e-12)
    assert out.loc[("s2", "trio", "G1"), "q_value"] == out.loc[("s2", "trio", "G1"), "p_value"]

    tp53 = out.loc[("s1", "duo", "TP53")]
    assert (tp53["group1"], tp53["group2"], tp53["altered1"], tp53["n1"], tp53["altered2"], tp53["n2"]) == \
        ("low", "zero", 16, 68, 35, 52)
    close([tp53["statistic"], tp53["p_value"], tp53["odds_ratio"]],
          [1.9555146409279502, 0.16199383297927161, 0.44164232756683891])
    assert tp53["method"] == "Mantel-Haenszel chi-squared test with continuity correction (mantelhaen.test)"


def test_a_two_group_comparison_with_a_group_absent_everywhere_is_a_reason_not_a_silence():
    comparisons = pd.DataFrame(_declared("s1", "duo", ["low", "zero"], [1, 2]))
    frequencies = pd.DataFrame(_frequencies("s1", "duo", "G", ["low", "zero"], strata=[1, 2],
                                            tables=[[[2, 5], [0, 0]], [[1, 3], [0, 0]]]))
    (row,) = stratified_enrichment(comparisons, frequencies).to_dict("records")
    assert (row["group1"], row["group2"], row["n2"]) == ("low", "zero", 0)
    assert math.isnan(row["p_value"]) and "variance 0" in row["reason"]


def test_counts_stay_integers_when_every_row_has_three_groups():
    trio = ["a", "b", "c"]
    out = stratified_enrichment(pd.DataFrame(_declared("s1", "trio", trio, [1, 2])),
                                pd.DataFrame(_frequencies("s1", "trio", "G1", trio, "g3x2x2", [1, 2])))
    assert len(out) == 1 and out["altered2"].isna().all()
    assert all(str(out[c].dtype) == "Int64" for c in ("n_strata", "n_strata_dropped", "altered1", "n1",
                                                      "altered2", "n2"))
    assert str(stratified_enrichment(pd.DataFrame(_declared("s1", "trio", trio, [1])), pd.DataFrame(
        _frequencies("s1", "trio", "NEVER", trio, strata=[1], tables=[[[0, 2], [0, 2], [0, 2]]])))["n2"].dtype) == "Int64"


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
