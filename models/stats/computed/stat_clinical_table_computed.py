""""Table 1" per declared comparison with `clinical` in its analyses: every patient attribute
(clinical values and rule-derived attributes) summarised per declared group with its test across groups,
under the comparison's declared alternative where a one-sided test is defined.
Computed here in Python; stats.stat_clinical_table (SQL) types it under a contract."""
from oncoduck.stats.declared import clinical_table, clinical_value_counts, comparison_members, member_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "clinical"),
                                 "clinical", one_per_patient=True)
    # counted per comparison x group x value in the engine: at 300k patients the 5.7M patient x attribute rows
    # were the Spark driver's peak
    counts = clinical_value_counts(session, dbt.ref("stg_study__clinical_attributes"), dbt.ref("int_entity_attributes"),
                                   members)
    # the declared groups and alternative (int_comparisons) choose each test, not the groups that have a value
    return clinical_table(counts, comparisons)
