"""pCR by group as logistic regression (R glm binomial, Wald CIs) for declared comparisons with
`response`: odds ratio of each group against the first declared group."""
from oncoduck.stats.declared import comparison_members, logistic_by_group


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    members = comparison_members(comparisons, dbt.ref("int_comparison_members").df(), "response", one_per_patient=True)
    response = dbt.ref("fct_response").df()[["study_id", "patient_id", "pcr"]]
    response["pcr"] = response["pcr"].map({"Yes": 1.0, "No": 0.0})
    return logistic_by_group(members.merge(response, on=["study_id", "patient_id"]), "pcr")
