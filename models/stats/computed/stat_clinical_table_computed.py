""""Table 1" per declared comparison with `clinical` in its analyses: every patient attribute
(clinical values and rule-derived attributes) summarised per declared group with its test across groups,
under the comparison's declared alternative where a one-sided test is defined.
Computed here in Python; stats.stat_clinical_table (SQL) types it under a contract."""
from oncoduck.stats.declared import (clinical_table, comparison_members, member_rows, member_studies, study_rows,
                                     with_member_data)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "clinical"),
                                 "clinical", one_per_patient=True)
    studies = member_studies(members)
    # only the columns clinical_table reads: at 100k patients there are 1.9M patient x attribute rows
    attributes = study_rows(dbt.ref("int_entity_attributes"), studies, "level = 'patient' and right(attribute, 8) <> '_RULE_ID'",
                            ["study_id", "patient_id", "attribute", "value_text"])
    numbers = study_rows(dbt.ref("stg_study__clinical_attributes"), studies, "level = 'patient'",
                         ["study_id", "patient_id", "attribute", "value_number"])
    values = attributes.merge(numbers, on=["study_id", "patient_id", "attribute"], how="left")
    table = with_member_data(
        members[["study_id", "comparison", "sample_study_id", "patient_id", "group_label", "group_order"]], values,
        keys=("patient_id",))
    # the declared groups and alternative (int_comparisons) choose each test, not the groups that have a value
    return clinical_table(table, comparisons)
