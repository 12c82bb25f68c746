"""Paired and longitudinal measures tested by the groups of each comparison that declares `paired` or
`longitudinal` (oncoduck.stats.declared.paired_group_tests): signed-rank within each group, the change
compared between groups (yi2024: bTMB and mTBI change by HER2 group), and pairs whose samples lie in two
groups (a comparison grouped by timepoint or sample type) paired across them.
Computed here in Python; stats.stat_paired_group_tests (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import comparison_members, paired_group_tests
from oncoduck.stats.paired import paired_measures


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    all_members = dbt.ref("int_comparison_members").df()
    members = pd.concat([comparison_members(comparisons, all_members, analysis)
                         for analysis in ("paired", "longitudinal")]).drop_duplicates(
        ["study_id", "comparison", "sample_study_id", "sample_id"])
    pairs = dbt.ref("fct_sample_pair_concordance").df()
    burden = dbt.ref("fct_sample_burden").df()
    burden = burden[burden["is_study_definition"]]
    values = paired_measures(pairs, burden, dbt.ref("fct_sample_cnv_burden").df(), dbt.ref("fct_longitudinal_ctdna").df())
    samples = dbt.ref("dim_sample").df()[["study_id", "sample_id", "patient_id"]]
    return paired_group_tests(values, members, comparisons, samples)
