"""Per-gene survival screen for declared comparisons with `survival`, within each group of the comparison:
mutated vs wild-type members of the group's most mutated genes (>= 5 mutated, top 20, as maftools survGroup
on the group's cohort), log-rank and Cox, BH over the group's genes.
Computed here in Python; stats.stat_survival_gene_screen (SQL) types it under a contract."""
from oncoduck.stats.declared import (SCREEN_MIN_MUTATED, SCREEN_TOP_GENES, comparison_members, gene_survival_screen,
                                     most_mutated_gene_rows, with_member_data)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = comparison_members(comparisons, dbt.ref("int_comparison_members").df(), "survival", one_per_patient=True)
    times = dbt.ref("fct_survival").df()[["study_id", "patient_id", "endpoint", "time_months", "event"]]
    screened = with_member_data(members, times, keys=("patient_id",))
    # only the rows of the genes the screen can pick leave DuckDB
    mutated = most_mutated_gene_rows(session, dbt.ref("int_sample_gene_alterations"), screened,
                                     ["comparison", "group_label", "endpoint"], SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
    return gene_survival_screen(screened, mutated)
