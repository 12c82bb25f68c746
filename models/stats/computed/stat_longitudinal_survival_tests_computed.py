"""Survival by ctDNA clearance (persistent vs cleared) and by mTBI group (baseline and on-treatment,
high >= cut-off vs low) for pre/on-treatment plasma pairs (yi2024): KM median and CI per group (R
survfit), log-rank (survdiff), Cox HR vs the first group (coxph, Efron). One row per test.
Computed here in Python; stats.stat_longitudinal_survival_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import SURVIVAL_TIME_COLUMNS
from oncoduck.stats.paired import LONGITUDINAL_CTDNA_COLUMNS, longitudinal_survival_tests


def model(dbt, session):
    dbt.config(materialized="table")
    ctdna = dbt.ref("fct_longitudinal_ctdna").project(", ".join(LONGITUDINAL_CTDNA_COLUMNS)).df()
    survival = dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df()
    return longitudinal_survival_tests(ctdna, survival)
