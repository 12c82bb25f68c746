"""Kaplan-Meier tables (R survfit defaults) per declared comparison with `survival`, per endpoint in
fct_survival, per group.
Computed here in Python; stats.stat_survival_curves (SQL) types it under a contract."""
from oncoduck.stats.declared import comparison_members, survival_curves


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    members = comparison_members(comparisons, dbt.ref("int_comparison_members").df(), "survival", one_per_patient=True)
    times = dbt.ref("fct_survival").df()[["study_id", "patient_id", "endpoint", "time_months", "event"]]
    return survival_curves(members.merge(times, on=["study_id", "patient_id"]))
