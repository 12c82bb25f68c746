"""Mutational and CNV burden between the groups of each declared comparison with `burden`: Wilcoxon
rank-sum as R wilcox.test (exact when no ties and n < 50), Kruskal-Wallis for 3+ groups; TMB under the
study's own definition, CNV burden as lim2021 defines it (oncoduck.stats.declared.burden_tests).
Computed here in Python; stats.stat_burden_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import burden_columns, burden_tests, member_rows, member_studies, study_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = member_rows(dbt.ref("int_comparison_members"), comparisons, "burden")
    studies = member_studies(members)
    tmb = study_rows(dbt.ref("fct_sample_burden"), studies, "is_study_definition", burden_columns("tmb"))
    cnv = study_rows(dbt.ref("fct_sample_cnv_burden"), studies, columns=burden_columns("cnv"))
    return burden_tests(comparisons, members, tmb, cnv)
