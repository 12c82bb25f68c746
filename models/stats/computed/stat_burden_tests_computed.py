"""Mutational and CNV burden between the groups of each declared comparison with `burden`: Wilcoxon
rank-sum as R wilcox.test (exact when no ties and n < 50), Kruskal-Wallis for 3+ groups; TMB under the
study's own definition, CNV burden as lim2021 defines it (oncoduck.stats.declared.burden_tests).
Computed here in Python; stats.stat_burden_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import burden_tests


def model(dbt, session):
    dbt.config(materialized="table")
    return burden_tests(dbt.ref("landing_comparisons").df(), dbt.ref("int_comparison_members").df(),
                        dbt.ref("fct_sample_burden").df(), dbt.ref("fct_sample_cnv_burden").df())
