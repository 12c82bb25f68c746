"""A comparison that declares `longitudinal` or `paired` is tested by its groups (stat_paired_group_tests;
before issue 19 the two analyses were accepted and did nothing per comparison). Yi 2024 reports bTMB and
mTBI change by HER2 group; the demo's yi2024 study declares it (her2_low_vs_zero_ctdna_change) and its
timepoint comparison (baseline_vs_on_treatment, groups = the pairs' sides).

R reference values (R 4.2.2), from the demo's fct_longitudinal_ctdna joined to dim_patient.her2_category
(36 HER2-low, 4 HER2-zero patients), written out as d:
    lo <- d[d$her2_category == "low", ]; ze <- d[d$her2_category == "zero", ]
    wilcox.test(lo$mtbi_on_treatment, lo$mtbi_baseline, paired = TRUE)              # V 182, p 0.016752589581301439
    wilcox.test(lo$btmb_on_treatment - lo$btmb_baseline,
                ze$btmb_on_treatment - ze$btmb_baseline)                             # W 30,  p 0.051100455169759119
    wilcox.test(d$mtbi_baseline, d$mtbi_on_treatment, paired = TRUE, alternative = "greater")
                                                                                     # V 589, p 0.0076334191935529816
"""

from __future__ import annotations

import pytest

from oncoduck_testing import query


def _row(warehouse, comparison, measure, test, group=None):
    rows = query(warehouse, f"""select statistic, p_value, alternative from stats.stat_paired_group_tests
        where comparison = '{comparison}' and measure = '{measure}' and test = '{test}'
          and coalesce(group_label, '') = '{group or ''}'""")
    assert len(rows) == 1, rows
    return rows[0]


def test_mtbi_within_her2_low_equals_r(demo_warehouse):
    statistic, p, alternative = _row(demo_warehouse, "her2_low_vs_zero_ctdna_change", "mtbi", "within_group", "her2_low")
    assert (statistic, alternative) == (182, "two.sided")
    assert p == pytest.approx(0.016752589581301439, rel=1e-9)


def test_btmb_change_between_her2_groups_equals_r(demo_warehouse):
    statistic, p, _ = _row(demo_warehouse, "her2_low_vs_zero_ctdna_change", "tmb_per_mb", "change_between_groups")
    assert statistic == 30 and p == pytest.approx(0.051100455169759119, rel=1e-9)


def test_timepoint_groups_are_tested_paired_with_the_declared_alternative(demo_warehouse):
    statistic, p, alternative = _row(demo_warehouse, "baseline_vs_on_treatment", "mtbi", "paired_between_groups")
    assert (statistic, alternative) == (589, "greater")
    assert p == pytest.approx(0.0076334191935529816, rel=1e-9)


def test_every_comparison_declaring_paired_or_longitudinal_has_rows(demo_warehouse):
    declared = {c for (c,) in query(demo_warehouse, """select distinct comparison from landing.landing_comparisons
        where ';' || analyses || ';' like '%;paired;%' or ';' || analyses || ';' like '%;longitudinal;%'""")}
    tested = {c for (c,) in query(demo_warehouse, "select distinct comparison from stats.stat_paired_group_tests")}
    assert declared == tested == {"baseline_vs_on_treatment", "her2_low_vs_zero_ctdna_change", "metastasis_vs_primary"}


def test_a_study_whose_comparison_groups_are_the_pair_sides_alone():
    """Only paired_between_groups rows (no within-group pair): the table keeps every column (the incremental
    build rebuilt paul2020 alone and stopped on a missing group_label)."""
    import pandas as pd

    from oncoduck.stats.declared import PAIRED_GROUP_COLUMNS, paired_group_tests

    values = pd.DataFrame({"study_id": "s", "pair_rule": "primary_metastasis", "side_a": "primary",
                           "side_b": "metastasis", "sample_id_a": ["P1", "P2", "P3"], "sample_id_b": ["M1", "M2", "M3"],
                           "measure": "n_mutations", "value_a": [1.0, 2.0, 3.0], "value_b": [2.0, 4.0, 7.0]})
    members = pd.DataFrame({"study_id": "s", "comparison": "c", "unit": "sample",
                            "sample_id": ["P1", "P2", "P3", "M1", "M2", "M3"], "patient_id": ["1", "2", "3"] * 2,
                            "group_label": ["primary"] * 3 + ["metastasis"] * 3, "group_order": [2] * 3 + [1] * 3})
    comparisons = pd.DataFrame({"study_id": ["s"], "comparison": ["c"], "alternative": ["greater"]})
    samples = members[["study_id", "sample_id", "patient_id"]]
    out = paired_group_tests(values, members, comparisons, samples)
    assert list(out.columns) == PAIRED_GROUP_COLUMNS
    row = out.iloc[0]
    assert (row["test"], row["group1"], row["group2"], row["n_pairs"]) == ("paired_between_groups", "metastasis",
                                                                         "primary", 3)
    assert row["median1"] == 4.0 and row["median2"] == 2.0 and row["alternative"] == "greater"
