"""Somatic interactions per declared comparison (stat_somatic_interactions) pick genes as maftools
somaticInteractions does, leave unprofiled members out, and its DuckDB prefilter (most_mutated_gene_rows)
changes nothing.

maftools somaticInteractions(maf, top = 25): pairwise Fisher tests among the 25 most mutated genes. Ties in
the count are broken by gene symbol here (maftools breaks them by its gene summary's order). A member whose
assay does not cover a gene is not in that gene's pairs. The prefilter keeps only the rows of genes the test
can pick: over every mutated gene, the members x genes matrix took 10 GB at 100k samples."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from oncoduck.stats.declared import (INTERACTION_TOP_GENES, gene_interactions, interaction_members,
                                     most_mutated_gene_rows, mutated_genes)

WHOLE_PANEL = [f"S{i:03d}" for i in range(70)]  # assay "wide": every gene
SMALL_PANEL = [f"T{i:03d}" for i in range(10)]  # assay "narrow": G00-G09 only
UNPROFILED = [f"U{i:03d}" for i in range(5)]  # not profiled for mutations
# mutated members per gene (whole-panel members only): G00..G22 distinct counts 40..18; G23-G26 tie at 15
# (ranks 24-27: the tie at rank 24 straddles the top 25); G27 at 3
MUTATED = {**{f"G{i:02d}": 40 - i for i in range(23)}, "G23": 15, "G24": 15, "G25": 15, "G26": 15, "G27": 3}
GENES = [f"G{i:02d}" for i in range(28)]


def _inputs():
    rng = np.random.default_rng(5)
    mutated = {gene: set(rng.choice(WHOLE_PANEL, n, replace=False)) for gene, n in MUTATED.items()}
    mutated["G00"] |= set(SMALL_PANEL[:4])  # covered by the small panel
    alterations = pd.DataFrame(
        [("s", sample, gene, True) for gene, samples in mutated.items() for sample in sorted(samples)]
        + [("s", sample, "G99", False) for sample in WHOLE_PANEL]  # profiled, not mutated
        + [("other", "S000", "G27", True)],  # another study's row
        columns=["study_id", "sample_id", "hugo_symbol", "is_mutated"])
    members = [(s, "wide", True) for s in WHOLE_PANEL] + [(s, "narrow", True) for s in SMALL_PANEL] \
        + [(s, None, False) for s in UNPROFILED]
    profiles = pd.DataFrame(
        [("s", "c", "s", f"P{sample}", sample, assay, profiled) for sample, assay, profiled in members]
        # a second comparison of the same study, over 30 members: its own top 25
        + [("s", "d", "s", f"P{sample}", sample, "wide", True) for sample in WHOLE_PANEL[:30]],
        columns=["study_id", "comparison", "sample_study_id", "patient_id", "sample_id", "assay_id",
                 "is_mutation_profiled"])
    coverage = pd.DataFrame([("wide", g) for g in [*GENES, "G99"]] + [("narrow", g) for g in GENES[:10]],
                            columns=["assay_id", "hugo_symbol"])
    return alterations, profiles, coverage, mutated


def test_interactions_among_the_top_25_genes_of_profiled_members_maftools_somaticinteractions():
    alterations, profiles, coverage, mutated = _inputs()
    relation = duckdb.connect().from_df(alterations)
    result = gene_interactions(profiles, mutated_genes(relation, ["s"]), coverage)
    c = result[result["comparison"] == "c"]
    assert INTERACTION_TOP_GENES == 25
    picked = [f"G{i:02d}" for i in range(23)] + ["G23", "G24"]  # the rank-24 tie: first two by symbol
    assert set(c["gene1"]) | set(c["gene2"]) == set(picked)
    assert len(c) == 25 * 24 // 2  # each unique pair once
    assert (c["gene1"] < c["gene2"]).all()
    totals = c[["n11", "n10", "n01", "n00"]].sum(axis=1)
    both_on_small_panel = c["gene1"].isin(GENES[:10]) & c["gene2"].isin(GENES[:10])
    # small-panel members count only where they are profiled for both genes; unprofiled members never
    assert (totals[both_on_small_panel] == 80).all() and (totals[~both_on_small_panel] == 70).all()
    pair = c[(c["gene1"] == "G00") & (c["gene2"] == "G05")].iloc[0]
    assert pair["n11"] == len(mutated["G00"] & mutated["G05"])
    assert pair["n10"] == len(mutated["G00"] - mutated["G05"])
    assert set(result["comparison"]) == {"c", "d"}


def test_duckdb_prefilter_keeps_every_gene_the_test_can_pick_and_changes_no_result():
    alterations, profiles, coverage, _ = _inputs()
    con = duckdb.connect()
    relation = con.from_df(alterations)
    everything = mutated_genes(relation, ["s"])
    prefiltered = most_mutated_gene_rows(con, relation, interaction_members(profiles), ["comparison"],
                                         INTERACTION_TOP_GENES)
    assert set(prefiltered["study_id"]) == {"s"}
    # comparison c keeps its whole rank-24 tie (G25, G26 too); the profiled-only G99 never
    assert {"G23", "G24", "G25", "G26"} <= set(prefiltered["hugo_symbol"]) and "G99" not in set(prefiltered["hugo_symbol"])
    kept = everything[everything["hugo_symbol"].isin(prefiltered["hugo_symbol"])]
    assert len(prefiltered) == len(kept)  # all of a kept gene's rows
    pd.testing.assert_frame_equal(gene_interactions(profiles, prefiltered, coverage),
                                  gene_interactions(profiles, everything, coverage), check_exact=True)
    assert "oncoduck_screen_members" not in {name for (name,) in con.sql("show tables").fetchall()}


def test_no_comparison_declares_interactions():
    alterations, profiles, coverage, _ = _inputs()
    con = duckdb.connect()
    none = profiles.iloc[0:0]
    prefiltered = most_mutated_gene_rows(con, con.from_df(alterations), interaction_members(none), ["comparison"],
                                         INTERACTION_TOP_GENES)
    assert prefiltered.empty
    result = gene_interactions(none, prefiltered, coverage)
    assert result.empty and "q_value" in result.columns
