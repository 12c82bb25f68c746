"""The per-gene survival screen (stat_survival_gene_screen) picks genes as maftools survGroup does, and
its DuckDB prefilter (most_mutated_gene_rows) changes nothing.

maftools survGroup(maf, top = 20, minSamples = 5): genes with at least 5 mutated samples, the 20 most
mutated of them. Ties in the count are broken by gene symbol here (maftools breaks them by its gene
summary's order). The prefilter keeps only the rows of genes the screen can pick, so that at 100k
samples a few hundred thousand rows reach pandas instead of 7M; the screen's result must not change."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from oncoduck.stats.declared import (SCREEN_MIN_MUTATED, SCREEN_TOP_GENES, gene_survival_screen,
                                     most_mutated_gene_rows, mutated_genes)

N_SAMPLES = 60
# mutated members per gene: G00..G17 distinct counts 40..23; G18-G21 tie at 20 (ranks 19-22: the tie at
# rank 19 straddles the top 20); G22 at 5 (the minimum); G23 at 4 (below it)
MUTATED = {**{f"G{i:02d}": 40 - i for i in range(18)}, "G18": 20, "G19": 20, "G20": 20, "G21": 20, "G22": 5, "G23": 4}


def _inputs():
    rng = np.random.default_rng(11)
    samples = [f"S{i:03d}" for i in range(N_SAMPLES)]
    alterations = pd.DataFrame(
        [("s", sample, gene, True) for gene, n in MUTATED.items() for sample in rng.choice(samples, n, replace=False)]
        + [("s", sample, "G99", False) for sample in samples]  # profiled, not mutated
        + [("other", "X1", "G00", True)],  # another study's row
        columns=["study_id", "sample_id", "hugo_symbol", "is_mutated"])
    # one group: the screen runs per comparison x group x endpoint (issue 19; test_survival_gene_screen_by_group.py)
    times = pd.DataFrame({"study_id": "s", "comparison": "c", "group_label": "g", "group_order": 1, "endpoint": "OS",
                          "sample_study_id": "s", "patient_id": samples, "sample_id": samples, "time_months": rng.exponential(20, N_SAMPLES),
                          "event": rng.integers(0, 2, N_SAMPLES).astype(float)})
    return alterations, times


def test_screen_picks_the_top_20_genes_with_at_least_5_mutated_members_maftools_survgroup():
    alterations, times = _inputs()
    con = duckdb.connect()
    relation = con.from_df(alterations)
    result = gene_survival_screen(times, mutated_genes(relation, ["s"]))
    expected = [f"G{i:02d}" for i in range(18)] + ["G18", "G19"]  # the rank-19 tie: first two by symbol
    assert SCREEN_TOP_GENES == 20 and SCREEN_MIN_MUTATED == 5
    assert list(result["hugo_symbol"]) == expected
    assert list(result["n_mutated"]) == [MUTATED[g] for g in expected]
    assert (result["n"] == N_SAMPLES).all()


def test_duckdb_prefilter_keeps_every_gene_the_screen_can_pick_and_changes_no_result():
    alterations, times = _inputs()
    con = duckdb.connect()
    relation = con.from_df(alterations)
    everything = mutated_genes(relation, ["s"])
    prefiltered = most_mutated_gene_rows(con, relation, times, ["comparison", "group_label", "endpoint"],
                                         SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
    # every gene tied within the top 20 stays (G20, G21 too); below the minimum or profiled-only does not
    assert set(prefiltered["hugo_symbol"]) == {f"G{i:02d}" for i in range(22)}
    assert set(prefiltered["study_id"]) == {"s"}
    kept = everything[everything["hugo_symbol"].isin(prefiltered["hugo_symbol"])]
    assert len(prefiltered) == len(kept)  # all of a kept gene's rows
    pd.testing.assert_frame_equal(gene_survival_screen(times, prefiltered), gene_survival_screen(times, everything),
                                  check_exact=True)
    assert "oncoduck_screen_members" not in {name for (name,) in con.sql("show tables").fetchall()}
