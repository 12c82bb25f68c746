"""Mutational and CNV burden between the groups of each declared comparison with `burden`: Wilcoxon
rank-sum as R wilcox.test (exact when no ties and n < 50), Kruskal-Wallis for 3+ groups; TMB under the
study's own definition, CNV burden as lim2021 defines it (oncoduck.stats.declared.burden_tests).
Computed here in Python; stats.stat_burden_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import burden_columns, burden_tests


def model(dbt, session):
    dbt.config(materialized="table")
    tmb = dbt.ref("fct_sample_burden").filter("is_study_definition").project(burden_columns("tmb"))
    cnv = dbt.ref("fct_sample_cnv_burden").project(burden_columns("cnv"))
    return burden_tests(dbt.ref("int_comparisons").df(), dbt.ref("int_comparison_members").df(), tmb.df(), cnv.df())
