"""Kaplan-Meier tables (R survfit defaults) by ctDNA clearance and mTBI group per endpoint, for the
curves of yi2024's survival figure.
Computed here in Python; stats.stat_longitudinal_survival_curves (SQL) types it under a contract."""
from oncoduck.stats.declared import SURVIVAL_TIME_COLUMNS
from oncoduck.stats.paired import LONGITUDINAL_CTDNA_COLUMNS, longitudinal_survival_curves


def model(dbt, session):
    dbt.config(materialized="table")
    ctdna = dbt.ref("fct_longitudinal_ctdna").project(", ".join(LONGITUDINAL_CTDNA_COLUMNS)).df()
    survival = dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df()
    return longitudinal_survival_curves(ctdna, survival)
