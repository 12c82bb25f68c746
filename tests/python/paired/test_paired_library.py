"""oncoduck.stats.paired on small hand-made inputs: status counts, the private-label permutation (it
must absorb a global excess of private mutations on one side), BH families and determinism."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oncoduck.stats.paired import (
    MCNEMAR_COLUMNS, SIGNED_RANK_COLUMNS, cna_distribution_tests, mcnemar_tests, paired_measures, paired_status_counts,
    signed_rank_tests,
)
from oncoduck.stats.tidy import no_rows


def test_status_counts_shared_private_and_both():
    # 3 pairs, 2 features. pair 0: f0 shared; pair 1: f0 private a and private b (different variants) -> both;
    # pair 2: f1 private b only, f0 private a only.
    both, a_only, b_only = paired_status_counts(
        3, 2, pair=np.array([1, 1, 2, 2]), side=np.array([0, 1, 1, 0]), feature=np.array([0, 0, 1, 0]),
        shared_pair=np.array([0]), shared_feature=np.array([0]))
    assert both.tolist() == [[2, 0]]
    assert a_only.tolist() == [[1, 0]]
    assert b_only.tolist() == [[0, 1]]


def _pairs_with_global_excess(n_pairs=30, genes=40, a_rate=3, b_rate=9, hot_gene_pairs=12, seed=1):
    """Every pair has a_rate private mutations on side a and b_rate on side b drawn over `genes` genes;
    gene G_HOT is additionally private to side b in `hot_gene_pairs` pairs (a true side-b gene)."""
    rng = np.random.default_rng(seed)
    rows = []
    for p in range(n_pairs):
        sa, sb = f"P{p}-A", f"P{p}-B"
        for g in rng.choice(genes, a_rate, replace=False):
            rows.append((sa, sb, f"G{g}", "private_a"))
        for g in rng.choice(genes, b_rate, replace=False):
            rows.append((sa, sb, f"G{g}", "private_b"))
        rows.append((sa, sb, "G_SHARED", "shared"))
        if p < hot_gene_pairs:
            rows.append((sa, sb, "G_HOT", "private_b"))
    variants = pd.DataFrame(rows, columns=["sample_id_a", "sample_id_b", "hugo_symbol", "concordance"]).assign(
        study_id="s", pair_rule="primary_metastasis")
    pairs = variants[["study_id", "pair_rule", "sample_id_a", "sample_id_b"]].drop_duplicates().assign(
        side_a="primary", side_b="metastasis")
    return variants, pairs


def test_permutation_absorbs_the_global_excess_but_keeps_a_real_gene():
    variants, pairs = _pairs_with_global_excess()
    out = mcnemar_tests(variants, pairs, None, n_permutations=500, seed=7).set_index("feature")
    background = out.drop(index=["G_HOT", "G_SHARED"])
    # plain McNemar sees side b "enriched" in many background genes; the permutation does not
    assert (background["n_b_only"] > background["n_a_only"]).mean() > 0.7
    # 40 null genes: plain McNemar calls 10 of them at 0.05, the permutation ~ 5 % (here 1)
    assert (background["p_value"] < 0.05).sum() >= 8
    assert (background["permutation_p_greater"] < 0.05).sum() <= 3
    assert out.loc["G_HOT", "p_value"] < 0.01
    assert out.loc["G_HOT", "permutation_p_greater"] < 0.01
    assert out.loc["G_SHARED", "n_both"] == 30 and np.isnan(out.loc["G_SHARED", "p_value"])
    assert (out["permutation_expected"].drop(index=["G_HOT", "G_SHARED"]) > 0).all()


def test_permutation_is_reproducible_with_the_seed_and_pathways_aggregate_genes():
    variants, pairs = _pairs_with_global_excess()
    sets = pd.DataFrame({"collection": "c", "gene_set": ["S1", "S1", "S2"], "gene": ["G_HOT", "G1", "G2"]})
    first = mcnemar_tests(variants, pairs, sets, n_permutations=200, seed=3)
    again = mcnemar_tests(variants, pairs, sets, n_permutations=200, seed=3)
    pd.testing.assert_frame_equal(first, again)
    # a warehouse scan returns rows in no fixed order: the same rows shuffled give the same permutation p
    shuffled = mcnemar_tests(variants.sample(frac=1, random_state=5), pairs.sample(frac=1, random_state=6), sets,
                             n_permutations=200, seed=3)
    pd.testing.assert_frame_equal(first, shuffled)
    s1 = first[(first["feature_level"] == "pathway") & (first["feature"] == "S1")].iloc[0]
    genes = variants[variants["hugo_symbol"].isin(["G_HOT", "G1"])]
    per_pair = genes.groupby(["sample_id_a"])["concordance"].agg(set)
    assert s1["n_b_only"] == sum(c == {"private_b"} for c in per_pair)
    assert s1["n_a_only"] == sum(c == {"private_a"} for c in per_pair)
    assert set(first["bh_family"].dropna().str.split(":").str[0]) == {
        "s x primary_metastasis x gene", "s x primary_metastasis x pathway c"}


def test_signed_rank_tests_orientation_and_r_method_string():
    values = pd.DataFrame({"study_id": "s", "pair_rule": "primary_metastasis", "side_a": "primary",
                           "side_b": "metastasis", "measure": "n_private",
                           "value_a": [1.0, 2, 3, 4, 5], "value_b": [2.5, 4.1, 6.9, 8.2, 9.6]})
    row = signed_rank_tests(values).iloc[0]
    assert row["statistic"] == 15 and row["exact"]  # all differences b - a positive
    assert row["p_value"] == 0.0625  # R: wilcox.test(b, a, paired = TRUE)$p.value
    assert row["method"] == "Wilcoxon signed rank exact test"


def test_cna_distribution_drops_empty_categories():
    calls = pd.DataFrame({"study_id": "s", "pair_rule": "r", "side_a": "primary", "side_b": "metastasis",
                          "side": ["a", "b", "a", "b"], "hugo_symbol": ["G1", "G1", "G2", "G2"],
                          "n_gain": [3, 0, 0, 0], "n_loss": [0, 0, 0, 0], "n_neutral": [20, 22, 23, 22]})
    out = cna_distribution_tests(calls).set_index("feature")
    assert out.loc["G1", "df"] == 1  # loss column empty on both sides -> 2 x 2 (with Yates, as R)
    assert np.isnan(out.loc["G2", "p_value"]) and out.loc["G2", "reason"]
    assert out.loc["all_genes", "n_a"] == 46


def test_a_build_without_pairs_gets_the_typed_empty_tables_at_once():
    """Without a pair (fct_sample_pair_concordance empty) stat_paired_mcnemar returns no_rows(MCNEMAR_COLUMNS)
    before pulling variants, and paired_measures returns before shaping the marts: the same tables as the full
    path gives."""
    variants, pairs = _pairs_with_global_excess()
    no_pairs, no_variants = pairs.iloc[:0], variants.iloc[:0]
    pd.testing.assert_frame_equal(mcnemar_tests(no_variants, no_pairs, None, n_permutations=10, seed=1),
                                  no_rows(MCNEMAR_COLUMNS), check_index_type=False)
    burden = pd.DataFrame({"study_id": ["s"], "sample_id": ["x"], "tmb_per_mb": [1.0]})
    values = paired_measures(no_pairs.assign(both_sequenced=True, n_mutations_a=1, n_mutations_b=1, n_private_a=0,
                                             n_private_b=0), burden, burden.iloc[:0])
    assert values.empty
    pd.testing.assert_frame_equal(signed_rank_tests(values), no_rows(SIGNED_RANK_COLUMNS), check_index_type=False)
