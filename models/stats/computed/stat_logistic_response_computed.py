"""Logistic regression of the response for declared comparisons with `response`: R glm(outcome ~ group +
covariates, family = binomial) by statsmodels, Wald CIs; one row per term, each group's odds ratio against the
declared reference group (default: the first group). The outcome is pCR (fct_response) unless the comparison
declares `outcome:` (a binary attribute of int_entity_attributes). A study without pCR gets rows with a reason.
Computed here in Python; stats.stat_logistic_response (SQL) types it under a contract."""
from oncoduck.stats.declared import (declared_attribute_rows, logistic_by_group, member_rows, no_model_rows,
                                      response_outcomes, undeclared)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "response"):
        return no_model_rows()
    response = dbt.ref("fct_response").project("study_id, patient_id, pcr").df()
    response["pcr"] = response["pcr"].map({"Yes": 1.0, "No": 0.0})
    attributes = declared_attribute_rows(dbt.ref("int_entity_attributes"), comparisons, "response")
    outcomes = response_outcomes(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "response"),
                                 response, attributes)
    return logistic_by_group(outcomes, "pcr", comparisons)
