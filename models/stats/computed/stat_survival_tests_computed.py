"""Survival between the groups of each declared comparison with `survival` in its analyses: KM
median and CI per group (R print.survfit), log-rank (R survdiff), Cox HR vs the first group (R coxph,
Efron ties). One row per test; patients once per comparison."""
from oncoduck.stats.declared import survival_tests


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    wanted = comparisons.loc[comparisons["analyses"].str.contains("survival"), ["study_id", "comparison"]].drop_duplicates()
    members = dbt.ref("int_comparison_members").df().merge(wanted, on=["study_id", "comparison"])
    times = dbt.ref("fct_survival").df()[["study_id", "patient_id", "endpoint", "time_months", "event"]]
    patients = members.drop_duplicates(["study_id", "comparison", "patient_id"])
    return survival_tests(patients.merge(times, on=["study_id", "patient_id"]))
