"""Somatic interactions (co-occurrence / mutual exclusivity) among the 25 most altered genes of
each declared comparison with `interactions` in its analyses: pairwise Fisher over the members,
samples not profiled for a gene left out of its pairs, q = BH over the unique pairs (maftools
adjusts over all ordered pairs and the diagonal: a documented, deliberate difference)."""
import pandas as pd

from oncoduck.stats.declared import comparison_members, mutated_genes, tidy_result
from oncoduck.stats.interactions import somatic_interactions

TOP_GENES = 25
COLUMNS = ["study_id", "comparison", "gene1", "gene2", "n11", "n10", "n01", "n00", "p_value", "odds_ratio", "ci_low",
           "ci_high", "event", "q_value", "bh_family", "reason"]


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("landing_comparisons").df()
    profiles = comparison_members(comparisons, dbt.ref("int_comparison_sample_profiles").df(), "interactions")
    if profiles.empty:
        return tidy_result(pd.DataFrame(), COLUMNS)
    coverage = dbt.ref("bridge_assay_gene").df()
    # only the mutated rows of the studies with an interactions comparison leave DuckDB
    altered = mutated_genes(dbt.ref("int_sample_gene_alterations"), profiles["study_id"].unique())
    parts = []
    for (study_id, comparison), members in profiles.groupby(["study_id", "comparison"]):
        members = members[members["is_mutation_profiled"]].drop_duplicates("sample_id")
        hits = altered[(altered["study_id"] == study_id) & altered["sample_id"].isin(members["sample_id"])]
        genes = sorted(hits["hugo_symbol"].unique())
        covered = members[["sample_id", "assay_id"]].merge(coverage[coverage["hugo_symbol"].isin(genes)], on="assay_id")
        matrix = covered.assign(v=0.0).pivot_table(index="sample_id", columns="hugo_symbol", values="v", aggfunc="max")
        matrix = matrix.reindex(index=members["sample_id"], columns=genes)  # NaN = not profiled
        hit_matrix = hits.assign(v=1.0).pivot_table(index="sample_id", columns="hugo_symbol", values="v", aggfunc="max")
        matrix = matrix.mask(hit_matrix.reindex_like(matrix).eq(1.0), 1.0)
        result = somatic_interactions(matrix, top=TOP_GENES, maftools_compat=False)
        parts.append(result.assign(study_id=study_id, comparison=comparison))
    return tidy_result(pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(), COLUMNS)
