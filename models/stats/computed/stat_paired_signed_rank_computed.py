"""Paired Wilcoxon signed-rank tests (R wilcox.test(b, a, paired = TRUE), two-sided) per study x pair
rule x measure: coding mutations per side, private mutations per side, TMB, CNV burden and, for
pre/on-treatment plasma pairs, mTBI. One row per test (oncoduck.stats.paired.signed_rank_tests).
Computed here in Python; stats.stat_paired_signed_rank (SQL) types it under a contract."""
from oncoduck.stats.paired import paired_measures, signed_rank_tests


def model(dbt, session):
    dbt.config(materialized="table")
    pairs = dbt.ref("fct_sample_pair_concordance").df()
    burden = dbt.ref("fct_sample_burden").df()
    burden = burden[burden["is_study_definition"]]
    cnv = dbt.ref("fct_sample_cnv_burden").df()
    ctdna = dbt.ref("fct_longitudinal_ctdna").df()
    return signed_rank_tests(paired_measures(pairs, burden, cnv, ctdna))
