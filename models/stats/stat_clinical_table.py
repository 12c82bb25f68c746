""""Table 1" per declared comparison with `clinical` in its analyses: every patient attribute
(clinical values and rule-derived attributes) summarised per group with its test across groups."""
from oncoduck.stats.declared import clinical_table


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    wanted = comparisons.loc[comparisons["analyses"].str.contains("clinical"), ["study_id", "comparison"]].drop_duplicates()
    members = dbt.ref("int_comparison_members").df().merge(wanted, on=["study_id", "comparison"])
    members = members.drop_duplicates(["study_id", "comparison", "patient_id"])
    attributes = dbt.ref("int_entity_attributes").df()
    attributes = attributes[(attributes["level"] == "patient") & ~attributes["attribute"].str.endswith("_RULE_ID")]
    numbers = dbt.ref("stg_study__clinical_attributes").df()
    numbers = numbers.loc[numbers["level"] == "patient", ["study_id", "patient_id", "attribute", "value_number"]]
    values = attributes.merge(numbers, on=["study_id", "patient_id", "attribute"], how="left")
    table = members.merge(values[["study_id", "patient_id", "attribute", "value_text", "value_number"]],
                          on=["study_id", "patient_id"])
    return clinical_table(table)
