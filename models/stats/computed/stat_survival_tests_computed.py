"""Survival between the groups of each comparison with `survival` (int_comparisons: the declared ones and, for
one with stratify_by, each stratum's sub-comparison): KM median and CI per group
(R print.survfit), log-rank (R survdiff) and, with stratify_by, the stratified log-rank, a Cox model of
group + covariates + strata (R coxph's Newton-Raphson, Efron ties) with one row per term against the
declared reference (group) and reference levels (covariates), and its proportional-hazards check (R cox.zph);
patients once per comparison. Covariates and strata are int_entity_attributes values (a sample's over its
patient's).
Computed here in Python; stats.stat_survival_tests (SQL) types it under a contract."""
from oncoduck.stats.declared import (SURVIVAL_TIME_COLUMNS, declared_attribute_rows, member_rows, survival_tests,
                                     survival_times)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    attributes = declared_attribute_rows(dbt.ref("int_entity_attributes"), comparisons, "survival")
    members = member_rows(dbt.ref("int_comparison_members"), comparisons, "survival")
    times = survival_times(comparisons, members, dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df(), attributes)
    return survival_tests(times, comparisons)
