"""Linear models for declared comparisons with `linear`: R lm(outcome ~ group + covariates) by statsmodels OLS,
t-based CIs; one row per term, each group's coefficient its difference from the declared reference group
(default: the first group). The outcome and covariates are int_entity_attributes values (a sample's over its
patient's); each patient once unless the outcome is measured per sample.
Computed here in Python; stats.stat_linear_models (SQL) types it under a contract."""
from oncoduck.stats.declared import (declared_attribute_rows, linear_inputs, linear_models, member_rows, no_model_rows,
                                      undeclared)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "linear"):
        return no_model_rows()
    attributes = declared_attribute_rows(dbt.ref("int_entity_attributes"), comparisons, "linear")
    data = linear_inputs(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "linear"), attributes)
    return linear_models(data, comparisons)
