"""Survival between the groups of each declared comparison with `survival`: KM median and CI per group
(R print.survfit), log-rank (R survdiff), Cox HR vs the first group (R coxph, Efron ties) and its
proportional-hazards check (R cox.zph); patients once per comparison.
Computed here in Python; stats.stat_survival_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import comparison_members, survival_tests


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    members = comparison_members(comparisons, dbt.ref("int_comparison_members").df(), "survival", one_per_patient=True)
    times = dbt.ref("fct_survival").df()[["study_id", "patient_id", "endpoint", "time_months", "event"]]
    return survival_tests(members.merge(times, on=["study_id", "patient_id"]))
