"""Per-gene survival screen for declared comparisons with `survival`, within each group of the comparison:
mutated vs wild-type members of the group's most mutated genes (>= 5 mutated, top 20, as maftools survGroup
on the group's cohort), log-rank and Cox, BH over the group's genes.
Computed here in Python; stats.stat_survival_gene_screen (SQL) types it under a contract."""
from oncoduck.stats.declared import (SCREEN_MIN_MUTATED, SCREEN_TOP_GENES, SURVIVAL_TIME_COLUMNS, comparison_members,
                                     gene_survival_screen, member_rows, most_mutated_gene_rows, with_member_data)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    members = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "survival"),
                                 "survival", one_per_patient=True)
    times = dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df()
    screened = with_member_data(members, times, keys=("patient_id",))
    # only the rows of the genes the screen can pick leave DuckDB
    mutated = most_mutated_gene_rows(session, dbt.ref("int_sample_gene_alterations"), screened,
                                     ["comparison", "group_label", "endpoint"], SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
    return gene_survival_screen(screened, mutated)
