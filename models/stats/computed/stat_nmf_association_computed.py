"""NMF clusters against the groups of each comparison declaring `nmf` (Fisher's exact test of the groups x
clusters table, R fisher.test: exact for 2 x c, Monte Carlo with a stated seed beyond) and against outcome
(log-rank across the clusters per survival endpoint, R survdiff) (oncoduck.stats.declared.nmf_association).
Computed here in Python; stats.stat_nmf_association types it."""
from oncoduck.stats.declared import (NMF_ASSOCIATION_COLUMNS, SURVIVAL_TIME_COLUMNS, member_rows, nmf_association,
                                      undeclared)
from oncoduck.stats.tidy import no_rows


def model(dbt, session):
    dbt.config(materialized="table")
    comparisons = dbt.ref("int_comparisons").df()
    if undeclared(comparisons, "nmf"):
        return no_rows(NMF_ASSOCIATION_COLUMNS)
    clusters = dbt.ref("fct_sample_nmf_cluster").filter("is_chosen_rank and cluster is not null").project(
        "study_id, sample_id, rank, cluster").df()
    return nmf_association(comparisons, member_rows(dbt.ref("int_comparison_members"), comparisons, "nmf"), clusters,
                           dbt.ref("fct_survival").project(", ".join(SURVIVAL_TIME_COLUMNS)).df())
