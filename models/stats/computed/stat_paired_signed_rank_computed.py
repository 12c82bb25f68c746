"""Paired Wilcoxon signed-rank tests (R wilcox.test(b, a, paired = TRUE), two-sided) per study x pair
rule x measure: coding mutations per side, private mutations per side, TMB, CNV burden and, for
pre/on-treatment plasma pairs, mTBI. One row per test (oncoduck.stats.paired.signed_rank_tests).
Computed here in Python; stats.stat_paired_signed_rank (SQL) types it under a contract."""
from oncoduck.stats.paired import paired_measure_inputs, paired_measures, signed_rank_tests


def model(dbt, session):
    dbt.config(materialized="table")
    # dbt finds a Python model's refs only outside starred arguments
    inputs = paired_measure_inputs(dbt.ref("fct_sample_pair_concordance"), dbt.ref("fct_sample_burden"),
                                   dbt.ref("fct_sample_cnv_burden"), dbt.ref("fct_longitudinal_ctdna"))
    return signed_rank_tests(paired_measures(*inputs))
