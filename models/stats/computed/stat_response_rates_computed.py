"""Response rates by group (ORR, DCR, pCR) for declared comparisons with `response` in their
analyses: counts per group and Fisher tests (R fisher.test), BH within comparison x rate.
Computed here in Python; stats.stat_response_rates (SQL) types it under a contract."""
from oncoduck.stats.declared import (ENRICHMENT_COLUMNS, comparison_members, member_rows, response_rates, undeclared,
                                      with_member_data)
from oncoduck.stats.tidy import no_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "response"):
        return no_rows(ENRICHMENT_COLUMNS)
    members = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "response"),
                                 "response", one_per_patient=True)
    response = dbt.ref("fct_response").project("study_id, patient_id, is_objective_response, is_disease_control, pcr").df()
    response["pcr"] = response["pcr"].map({"Yes": 1.0, "No": 0.0})
    for column in ("is_objective_response", "is_disease_control"):
        response[column] = response[column].map({True: 1.0, False: 0.0})
    data = with_member_data(members, response[["study_id", "patient_id", "is_objective_response",
                                               "is_disease_control", "pcr"]], keys=("patient_id",))
    return response_rates(data, comparisons)
