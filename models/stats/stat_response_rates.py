"""Response rates by group (ORR, DCR, pCR) for declared comparisons with `response` in their
analyses: counts per group and Fisher tests (R fisher.test), BH within comparison x rate."""
from oncoduck.stats.declared import response_rates


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    wanted = comparisons.loc[comparisons["analyses"].str.contains("response"), ["study_id", "comparison"]].drop_duplicates()
    members = dbt.ref("int_comparison_members").df().merge(wanted, on=["study_id", "comparison"])
    members = members.drop_duplicates(["study_id", "comparison", "patient_id"])
    response = dbt.ref("fct_response").df()
    response["pcr"] = response["pcr"].map({"Yes": 1.0, "No": 0.0})
    for column in ("is_objective_response", "is_disease_control"):
        response[column] = response[column].map({True: 1.0, False: 0.0})
    data = members.merge(response[["study_id", "patient_id", "is_objective_response", "is_disease_control", "pcr"]],
                         on=["study_id", "patient_id"])
    return response_rates(data, comparisons)
