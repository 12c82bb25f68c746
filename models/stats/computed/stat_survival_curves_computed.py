"""Kaplan-Meier tables (R survfit defaults) per declared comparison with `survival`, per endpoint in
fct_survival, per group.
Computed here in Python; stats.stat_survival_curves (SQL) types it under a contract."""
from oncoduck.stats.declared import survival_curves, survival_times


def model(dbt, session):
    dbt.config(materialized="table")
    return survival_curves(survival_times(dbt.ref("int_comparisons").df(), dbt.ref("int_comparison_members").df(),
                                        dbt.ref("fct_survival").df()))
