"""Kaplan-Meier tables (R survfit defaults) per declared comparison with `survival`, per endpoint in
fct_survival, per group.
Computed here in Python; stats.stat_survival_curves (SQL) types it under a contract."""
from oncoduck.stats.declared import SURVIVAL_TIME_COLUMNS, member_rows, survival_curves, survival_times


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = member_rows(dbt.ref("int_comparison_members"), comparisons, "survival")
    return survival_curves(survival_times(comparisons, members, dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df()))
