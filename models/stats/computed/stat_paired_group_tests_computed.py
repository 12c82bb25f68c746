"""Paired and longitudinal measures tested by the groups of each comparison that declares `paired` or
`longitudinal` (oncoduck.stats.declared.paired_group_tests): signed-rank within each group, the change
compared between groups (yi2024: bTMB and mTBI change by HER2 group), and pairs whose samples lie in two
groups (a comparison grouped by timepoint or sample type) paired across them.
Computed here in Python; stats.stat_paired_group_tests (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import PAIRED_GROUP_COLUMNS, comparison_members, member_rows, paired_group_tests, undeclared
from oncoduck.stats.paired import paired_measure_inputs, paired_measures
from oncoduck.stats.tidy import no_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "paired", "longitudinal"):
        return no_rows(PAIRED_GROUP_COLUMNS)
    all_members = member_rows(dbt.ref("int_comparison_members"), comparisons, "paired", "longitudinal")
    members = pd.concat([comparison_members(comparisons, all_members, analysis)
                         for analysis in ("paired", "longitudinal")]).drop_duplicates(
        ["study_id", "comparison", "sample_study_id", "sample_id"])
    # dbt finds a Python model's refs only outside starred arguments
    inputs = paired_measure_inputs(dbt.ref("fct_sample_pair_concordance"), dbt.ref("fct_sample_burden"),
                                   dbt.ref("fct_sample_cnv_burden"), dbt.ref("fct_longitudinal_ctdna"))
    values = paired_measures(*inputs)
    samples = dbt.ref("dim_sample").project("study_id, sample_id, patient_id").df()
    return paired_group_tests(values, members, comparisons, samples)
