"""McNemar tests per gene and per gene set (stg_study__gene_sets: the shared sets and the study's own) on
paired mutation status (R mcnemar.test, continuity correction) per study x pair rule, with the permutation p
that controls for the global excess of private mutations on one side (paul2020; scheme in
oncoduck.stats.paired). The number of permutations and the seed are model config (_paired_stats.yml).
Computed here in Python; stats.stat_paired_mcnemar (SQL) types it under a contract."""
from oncoduck.stats.declared import study_rows
from oncoduck.stats.paired import DEFAULT_PERMUTATIONS, DEFAULT_SEED, MCNEMAR_COLUMNS, mcnemar_tests
from oncoduck.stats.tidy import no_rows


def model(dbt, session):
    dbt.config(materialized="table")
    n_permutations = int(dbt.config.get("n_permutations") or DEFAULT_PERMUTATIONS)
    seed = int(dbt.config.get("permutation_seed") or DEFAULT_SEED)
    pairs = dbt.ref("fct_sample_pair_concordance").filter("both_sequenced").project(
        "study_id, pair_rule, side_a, side_b, sample_id_a, sample_id_b").df()
    if pairs.empty:
        return no_rows(MCNEMAR_COLUMNS)
    # the variant rows of the studies with pairs, only what the test counts
    variants = study_rows(dbt.ref("int_pair_variants_compared"), pairs["study_id"],
                          "is_comparable and hugo_symbol is not null",
                          ["study_id", "pair_rule", "sample_id_a", "sample_id_b", "hugo_symbol", "concordance"])
    gene_sets = dbt.ref("stg_study__gene_sets").df().rename(columns={"hugo_symbol": "gene",
                                                                      "declaring_study_id": "study_id"})
    return mcnemar_tests(variants, pairs, gene_sets, n_permutations=n_permutations, seed=seed)
