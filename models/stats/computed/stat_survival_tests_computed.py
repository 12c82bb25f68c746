"""Survival between the groups of each declared comparison with `survival`: KM median and CI per group
(R print.survfit), log-rank (R survdiff), Cox HR vs the first group (R coxph, Efron ties) and its
proportional-hazards check (R cox.zph); patients once per comparison.
Computed here in Python; stats.stat_survival_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import survival_tests, survival_times


def model(dbt, session):
    dbt.config(materialized="table")
    return survival_tests(survival_times(dbt.ref("landing_comparisons").df(), dbt.ref("int_comparison_members").df(),
                                        dbt.ref("fct_survival").df()))
