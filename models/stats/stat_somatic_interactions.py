"""Somatic interactions (co-occurrence / mutual exclusivity) among the 25 most altered genes of
each declared comparison with `interactions` in its analyses: pairwise Fisher over the members,
samples not profiled for a gene left out of its pairs, q = BH over the unique pairs (maftools
adjusts over all ordered pairs and the diagonal: a documented, deliberate difference)."""
from oncoduck.stats.declared import (INTERACTION_TOP_GENES, comparison_members, gene_interactions, interaction_members,
                                     most_mutated_gene_rows)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    profiles = comparison_members(comparisons, dbt.ref("int_comparison_sample_profiles").df(), "interactions")
    # only the rows of the genes the test can pick leave DuckDB
    mutated = most_mutated_gene_rows(session, dbt.ref("int_sample_gene_alterations"), interaction_members(profiles),
                                     ["comparison"], INTERACTION_TOP_GENES)
    return gene_interactions(profiles, mutated, dbt.ref("bridge_assay_gene").df())
