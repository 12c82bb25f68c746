"""Somatic interactions (co-occurrence / mutual exclusivity) among the 25 most altered genes of each declared
comparison with `interactions` in its analyses, for each alteration type: mutation, cna (amplification or
deep deletion: co-amplification), any. Pairwise Fisher over the members profiled for the alteration,
members not profiled for a gene left out of its pairs, q = BH over the unique pairs (maftools adjusts over
all ordered pairs and the diagonal: a documented, deliberate difference).
Computed here in Python; stats.stat_somatic_interactions (SQL) types it under a contract."""
import pandas as pd

from oncoduck.stats.declared import (ALTERED_WHEN, INTERACTION_TOP_GENES, comparison_members, gene_interactions,
                                     interaction_members, member_rows, most_mutated_gene_rows, sql_text_list)


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    profiles = comparison_members(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "interactions"),
                                  "interactions")
    # the genes of the members' assays only: bridge_assay_gene lists every assay's (115k rows with the reference
    # assays), which took a tenth of a second to pull and filter in a 10-sample build
    assays = profiles["assay_id"].dropna().unique()
    coverage = dbt.ref("bridge_assay_gene").filter(
        f"assay_id in ({sql_text_list(assays)})" if len(assays) else "false").project("assay_id, hugo_symbol").df()
    parts = []
    for alteration in ALTERED_WHEN:
        # only the rows of the genes the test can pick leave DuckDB
        altered = most_mutated_gene_rows(session, dbt.ref("int_sample_gene_alterations"),
                                         interaction_members(profiles, alteration), ["comparison"],
                                         INTERACTION_TOP_GENES, alteration=alteration)
        parts.append(gene_interactions(profiles, altered, coverage, alteration))
    return pd.concat(parts, ignore_index=True)
