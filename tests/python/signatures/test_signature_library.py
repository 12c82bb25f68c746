"""The signature, APOBEC and NMF library (oncoduck.stats.signatures / nmf) and the study declarations that
drive them (oncoduck.ingest.analysis_settings), on small simulated inputs with planted answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact
from sklearn.metrics import adjusted_rand_score

from oncoduck.ingest.analysis_settings import DeclarationError, resolve
from oncoduck.paths import PROJECT_ROOT
from oncoduck.simulate.core import with_context
from oncoduck.stats.nmf import nmf_subtypes
from oncoduck.stats.signatures import apobec_tests, cosmic_reference, fit_exposures, signature_exposures


def test_cosmic_reference_is_read_from_sigprofilerassignment_in_cosmic_channel_order():
    reference = cosmic_reference("3.4", "GRCh37", True)
    assert reference.shape[0] == 96 and list(reference.index[:2]) == ["A[C>A]A", "A[C>A]C"]
    assert {"SBS1", "SBS2", "SBS13"} <= set(reference.columns)
    assert np.allclose(reference.sum(), 1.0, atol=1e-3)
    channels = pd.read_csv(PROJECT_ROOT / "seeds" / "reference" / "sbs96_channels.csv")
    assert list(channels["channel"]) == list(reference.index)  # the seed was written from the same file


def test_nnls_recovers_planted_exposures_with_cosine_at_least_0_99():
    """Issue 20: signature fitting recovers planted exposures on a simulated catalogue (cosine >= 0.99)."""
    rng = np.random.default_rng(7)
    names = ["SBS1", "SBS2", "SBS4", "SBS7a", "SBS13"]
    W = cosmic_reference("3.4", "GRCh37", True).loc[:, names].to_numpy()
    planted = rng.dirichlet(np.ones(len(names)), size=40) * 3000
    cosines = []
    for exposures in planted:
        catalogue = rng.poisson(W @ exposures)
        fitted, reconstruction_cosine = fit_exposures(catalogue, W)
        assert reconstruction_cosine > 0.99
        cosines.append(fitted @ exposures / np.linalg.norm(fitted) / np.linalg.norm(exposures))
    assert min(cosines) >= 0.99


def test_signature_exposures_skip_small_catalogues_with_a_reason_and_use_the_exome_reference_for_panels():
    reference = cosmic_reference("3.4", "GRCh37", True)
    big = (reference["SBS2"] * 400).round().astype(int)
    catalogues = pd.concat([
        pd.DataFrame({"study_id": "s", "sample_id": "A", "variant_set": "all_snv", "channel": reference.index, "n_snv": big.to_numpy()}),
        pd.DataFrame({"study_id": "s", "sample_id": "B", "variant_set": "all_snv", "channel": reference.index,
                      "n_snv": [1] * 3 + [0] * 93}),
    ])
    settings = pd.DataFrame({"study_id": "s", "analysis": "signatures",
                             "setting": ["cosmic_version", "variant_set", "min_snvs", "signatures"],
                             "value": ["3.4", "all_snv", "10", "SBS1;SBS2;SBS13"]})
    samples = pd.DataFrame({"study_id": "s", "sample_id": ["A", "B"], "assay_type": "panel", "reference_genome": "hg19"})
    out = signature_exposures(catalogues, settings, samples)
    assert set(out["reference_set"]) == {"COSMIC_v3.4_SBS_GRCh37_exome"}
    a = out[out.sample_id == "A"].set_index("signature_id")
    assert a.loc["SBS2", "relative_exposure"] > 0.95 and a["cosine_similarity"].iloc[0] > 0.99
    b = out[out.sample_id == "B"]
    assert b["exposure"].isna().all() and b["reason"].str.contains("fewer than min_snvs = 10").all()


def test_apobec_test_is_maftools_one_sided_fisher_with_bh_over_samples():
    apobec = pd.DataFrame({"study_id": "s", "sample_id": ["a", "b", "c"], "n_tcw_mutations": [30, 2, 0],
                           "n_apobec_class": [40, 20, 0], "background_c": [900, 500, 0], "background_tcw": [120, 60, 0]})
    out = apobec_tests(apobec).set_index("sample_id")
    for sample in ("a", "b"):  # maftools: matrix(c(tcw, C + tcw_bg, n - tcw, C - tcw_bg), nrow = 2), alternative "g"
        row = apobec.set_index("sample_id").loc[sample]
        table = [[row.n_tcw_mutations, row.n_apobec_class - row.n_tcw_mutations],
                 [row.background_c + row.background_tcw, row.background_c - row.background_tcw]]
        assert out.loc[sample, "p_value"] == pytest.approx(fisher_exact(table, alternative="greater").pvalue, rel=1e-9)
    assert np.isnan(out.loc["c", "p_value"]) and "nothing to test" in out.loc["c", "reason"]
    p = out.loc[["a", "b"], "p_value"].to_numpy()
    assert out.loc["b", "q_value"] == pytest.approx(min(1.0, max(p) ), rel=1e-12)  # BH of 2: the larger p stays


def _planted_blocks(seed: int) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = np.repeat([0, 1, 2], 20)
    genes = 15
    probability = np.full((3, genes), 0.05)
    for k in range(3):
        probability[k, k * 5:(k + 1) * 5] = 0.9
    matrix = (rng.random((60, genes)) < probability[truth]).astype(int)
    return pd.DataFrame(matrix, index=[f"S{i:02d}" for i in range(60)], columns=[f"G{j}" for j in range(genes)]), truth


def test_consensus_nmf_recovers_planted_clusters_and_is_reproducible():
    """Issue 20: NMF recovers planted clusters (adjusted Rand >= 0.9) and is identical across two runs."""
    matrix, truth = _planted_blocks(11)
    diagnostics, clusters = nmf_subtypes(matrix, [2, 3, 4], runs=10, seed=5)
    chosen = clusters[clusters["is_chosen_rank"]]
    assert int(chosen["rank"].iloc[0]) == 3
    assert adjusted_rand_score(truth, chosen["cluster"].to_numpy()) >= 0.9
    assert diagnostics.set_index("rank").loc[3, "cophenetic_correlation"] > 0.95
    again = nmf_subtypes(matrix, [2, 3, 4], runs=10, seed=5)
    pd.testing.assert_frame_equal(clusters, again[1])
    pd.testing.assert_frame_equal(diagnostics, again[0])


def test_nmf_rank_too_large_for_the_matrix_is_reported_not_run():
    matrix, _ = _planted_blocks(3)
    diagnostics, clusters = nmf_subtypes(matrix.iloc[:3], [2, 5], runs=2, seed=1)
    row = diagnostics.set_index("rank").loc[5]
    assert np.isnan(row["cophenetic_correlation"]) and "needs more than 3 samples" in row["reason"]
    assert set(clusters["rank"]) == {2}


def test_declarations_unknown_key_wrong_type_and_defaults(tmp_path):
    config = tmp_path / "oncoduck_study.yml"
    config.write_text("study_id: x\nsignatures:\n  coding_size_mb: 30\n")
    with pytest.raises(DeclarationError, match=r"oncoduck_study.yml:3: signatures.coding_size_mb: unknown key"):
        resolve(config, {"signatures": {"coding_size_mb": 30}})
    config.write_text("nmf:\n  ranks: [1, 2]\n")
    with pytest.raises(DeclarationError, match=r":2: nmf.ranks: expected a non-empty list of whole numbers >= 2"):
        resolve(config, {"nmf": {"ranks": [1, 2]}})
    config.write_text("signatures:\n  variant_set: all_snvs\n")
    with pytest.raises(DeclarationError, match="did you mean 'all_snv'"):
        resolve(config, {"signatures": {"variant_set": "all_snvs"}})
    config.write_text("signatures:\n  signatures: [SBS1, SBS2a]\n")
    with pytest.raises(DeclarationError, match=r":2: signatures.signatures: 'SBS2a' is not a COSMIC v3.4 SBS signature"):
        resolve(config, {"signatures": {"signatures": ["SBS1", "SBS2a"]}})
    config.write_text("reference_fasta: missing.fa\n")
    with pytest.raises(DeclarationError, match="reference_fasta: 'missing.fa' does not exist"):
        resolve(config, {"reference_fasta": "missing.fa"})
    config.write_text("signatures:\n  min_snvs: 5\n")
    rows = {r["setting"]: r for r in resolve(config, {"signatures": {"min_snvs": 5}})}
    assert rows["min_snvs"]["value_source"] == "oncoduck_study.yml" and rows["min_snvs"]["source_line"] == 2
    assert rows["variant_set"] == {"analysis": "signatures", "setting": "variant_set", "value": "all_snv",
                                   "source_line": 1, "value_source": "default"}
    assert "genome" not in rows  # derived from the study's reference genome, not defaulted here
    assert resolve(config, {}) == []  # no block: the analysis does not run


def test_simulated_context_keeps_the_reference_base_in_the_middle_and_plants_apobec():
    n = 4000
    rng = np.random.default_rng(1)
    ref = rng.choice(list("CG"), n)
    alt = np.where(ref == "C", "T", "A")
    maf = pd.DataFrame({"Reference_Allele": ref, "Tumor_Seq_Allele2": alt,
                        "Tumor_Sample_Barcode": np.where(np.arange(n) < n // 2, "hi", "lo")})
    out = with_context(maf, 3, {"hi": 0.9, "lo": 0.0})
    assert (out["CONTEXT"].str.len() == 11).all() and (out["CONTEXT"].str[5] == out["Reference_Allele"]).all()
    plus_tcw = out["CONTEXT"].str[4:7].isin(["TCA", "TCT"])
    minus_tcw = out["CONTEXT"].str[4:7].isin(["TGA", "AGA"])
    motif = (plus_tcw | minus_tcw).groupby(out["Tumor_Sample_Barcode"]).mean()
    assert motif["hi"] > 0.85 and motif["lo"] < 0.2
    assert out.equals(with_context(maf, 3, {"hi": 0.9, "lo": 0.0}))


def test_de_novo_extraction_finds_the_planted_number_of_signatures_and_their_cosmic_names():
    """maftools estimateSignatures / extractSignatures / compareSignatures on a catalogue planted from three
    distinct COSMIC signatures: the rank survey keeps 3 and each extracted signature matches its source."""
    from oncoduck.stats.signatures import extract_de_novo

    rng = np.random.default_rng(3)
    reference = cosmic_reference("3.4", "GRCh37", False)
    planted = ["SBS2", "SBS4", "SBS7a"]
    W = reference.loc[:, planted].to_numpy()
    exposures = rng.dirichlet(np.full(3, 0.3), size=60) * 600
    catalogue = pd.DataFrame(rng.poisson(exposures @ W.T), index=[f"S{i:02d}" for i in range(60)],
                             columns=reference.index)
    out = extract_de_novo(catalogue, [2, 3, 4], runs=6, seed=1, reference=reference)
    signatures = out.drop_duplicates("signature_label")
    assert set(signatures["rank"]) == {3}
    assert set(signatures["best_cosmic_match"]) == set(planted)
    assert (signatures["cosine_similarity"] > 0.95).all()
    assert np.allclose(out.groupby("signature_label")["weight"].sum(), 1.0)
    pd.testing.assert_frame_equal(out, extract_de_novo(catalogue, [2, 3, 4], runs=6, seed=1, reference=reference))


def test_de_novo_extraction_with_too_few_samples_says_why():
    from oncoduck.stats.signatures import extract_de_novo

    reference = cosmic_reference("3.4", "GRCh37", False)
    catalogue = pd.DataFrame([np.ones(96)] * 2, index=["a", "b"], columns=reference.index)
    out = extract_de_novo(catalogue, [2, 3], runs=2, seed=1, reference=reference)
    assert len(out) == 1 and "too few for ranks [2, 3]" in out["reason"].iloc[0]


def test_nmf_cluster_table_gives_every_sample_a_row_per_rank_with_reasons():
    from oncoduck.stats.nmf import nmf_cluster_table

    matrix, truth = _planted_blocks(5)
    altered = matrix.stack().loc[lambda v: v > 0].reset_index()
    altered.columns = ["sample_id", "feature", "value"]
    samples = list(matrix.index) + ["EMPTY"]  # a sequenced sample with nothing altered
    out = nmf_cluster_table(samples, altered, [2, 3, 70], runs=3, seed=1, min_altered_samples=3)
    assert len(out) == 3 * len(samples)
    empty = out[out.sample_id == "EMPTY"]
    assert empty["cluster"].isna().all() and (empty["reason"] == "no kept feature altered: cannot be clustered").sum() == 2
    too_big = out[out["rank"] == 70]
    assert too_big["cluster"].isna().all() and too_big["reason"].str.contains("needs more than 60 samples").all()
    chosen = set(out.loc[out["is_chosen_rank"].fillna(False).astype(bool), "rank"])
    assert len(chosen) == 1 and chosen <= {2, 3}  # never the rank that could not run
