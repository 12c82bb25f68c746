"""The signature marts built by dbt: Ti/Tv against maftools titv() on its brca.maf.gz (real data, ../shared),
SBS96 from a reference FASTA with mismatches refused, and the demo's declared signatures and NMF analyses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oncoduck_testing import SHARED_DATA, query, require_shared_data

ORACLE = SHARED_DATA.parent / "oracle" / "maftools"
SELECTION = ("+fct_sample_titv", "+fct_sample_sbs96", "+fct_sample_apobec", "+stat_apobec_enrichment",
             "+stat_nmf_association", "+fct_nmf_rank_diagnostics")

# a 101-base contig: position p (1-based) is GENOME[p - 1]
GENOME = ("ACGTTCAGGA" "TCTAGCATGC" "AAGTCTTGAC" "CGATGCATTA" "GGCTTCAGAT"
          "TACGATCGTA" "CCTGATCAGT" "AGCTAGCTTG" "ACTGACGTCA" "TGCATGCATG" "A")


def _write_fasta_study(root: Path) -> Path:
    study = root / "fasta_study"
    study.mkdir()
    (study / "ref").mkdir()
    (study / "ref" / "mini.fa").write_text(">chr1 test contig\n" + GENOME[:60] + "\n" + GENOME[60:] + "\n")
    (study / "meta_study.txt").write_text("cancer_study_identifier: fasta_study\nreference_genome: hg19\n")
    (study / "data_clinical_sample.txt").write_text("SAMPLE_ID\tPATIENT_ID\nS1\tP1\n")
    rows = [(25, "C", "T"),   # window 5..45, TCT on the + strand -> T[C>T]T (an APOBEC TCW motif)
            (32, "G", "A"),   # CGA on the + strand: G>A read on the - strand, TCG -> T[C>T]G
            (30, "A", "C"),   # mismatch: the FASTA has C at 30
            (5, "T", "C")]    # window runs off the contig start: no context
    lines = ["Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
             "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode"]
    lines += [f"G{i}\t1\t{pos}\t{pos}\t{r}\t{a}\tMissense_Mutation\tSNP\tS1" for i, (pos, r, a) in enumerate(rows)]
    (study / "data_mutations.txt").write_text("\n".join(lines) + "\n")
    (study / "oncoduck_study.yml").write_text("study_id: fasta_study\nreference_fasta: ref/mini.fa\n"
                                              "variant_filter_rule_set: none\n")
    return study


def _write_nmf_study(root: Path) -> Path:
    """40 samples in two planted blocks of mutated genes: NMF must find them, a comparison may group by them."""
    study = root / "nmf_study"
    study.mkdir()
    (study / "meta_study.txt").write_text("cancer_study_identifier: nmf_study\nreference_genome: hg19\n")
    blocks = {"A": [("TP53", "17"), ("PIK3CA", "3"), ("GATA3", "10"), ("CDH1", "16")],
              "B": [("KMT2C", "7"), ("MAP3K1", "5"), ("AKT1", "14"), ("PTEN", "10")]}
    patients = ["PATIENT_ID\tPLANTED\tOS_MONTHS\tOS_STATUS"]
    samples = ["SAMPLE_ID\tPATIENT_ID"]
    maf = ["Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
           "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode"]
    for i in range(40):
        block = "A" if i < 20 else "B"
        patients.append(f"P{i:02d}\t{block}\t{5 + i}\t{'1:DECEASED' if i % 3 else '0:LIVING'}")
        samples.append(f"S{i:02d}\tP{i:02d}")
        for j, (gene, chromosome) in enumerate(blocks[block]):
            if (i + j) % 4:  # 3 of the block's 4 genes per sample
                position = 1_000_000 + 1000 * i + j
                maf.append(f"{gene}\t{chromosome}\t{position}\t{position}\tC\tT\tMissense_Mutation\tSNP\tS{i:02d}")
    (study / "data_clinical_patient.txt").write_text("\n".join(patients) + "\n")
    (study / "data_clinical_sample.txt").write_text("\n".join(samples) + "\n")
    (study / "data_mutations.txt").write_text("\n".join(maf) + "\n")
    (study / "oncoduck_study.yml").write_text(
        "study_id: nmf_study\nvariant_filter_rule_set: none\ntmb_definition: nonsyn_maftools_v1\n"
        "nmf: {features: genes, ranks: [2, 3], runs: 5, seed: 1, min_altered_samples: 3}\n"
        "comparisons:\n"
        "  - {name: by_cluster, group_by: NMF_CLUSTER_DERIVED, groups: {cluster_1: ['1'], cluster_2: ['2']}, analyses: [burden]}\n"
        "  - {name: planted, unit: patient, group_by: PLANTED, groups: {a: [A], b: [B]}, analyses: [nmf]}\n")
    return study


def _write_brca_study(root: Path, maf: Path) -> Path:
    study = root / "maftools_brca"
    study.mkdir()
    (study / "data_clinical_sample.txt").write_text("SAMPLE_ID\tPATIENT_ID\nTCGA-A8-A08B\tTCGA-A8-A08B\n")
    (study / "oncoduck_study.yml").write_text(
        f"study_id: maftools_brca\nreference_genome: hg19\ntmb_definition: nonsyn_maftools_v1\n"
        f"variant_filter_rule_set: none\nsequenced_samples: maf\nfiles:\n  mutations: ['{maf}']\n")
    return study


@pytest.fixture(scope="module")
def signature_warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("signatures")
    studies = [_write_fasta_study(root), _write_nmf_study(root)]
    brca = SHARED_DATA / "maftools_extdata" / "brca.maf.gz"
    if brca.exists():
        studies.append(_write_brca_study(root, brca))
    warehouse = root / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, studies, *SELECTION)
    return warehouse, [name for name, _ in run.warned_tests]


def test_titv_equals_maftools_on_brca_maf_to_1e_9(signature_warehouse):
    """maftools titv(brca) default (nonsynonymous SNVs: Ti 61.29 %) and useSyn = TRUE (all SNVs: Ti 64.04 %)."""
    require_shared_data("maftools_extdata", "brca.maf.gz")
    if not (ORACLE / "C_brca_titv_TiTv_fractions.tsv").exists():
        pytest.skip(f"maftools oracle {ORACLE} is absent")
    warehouse, _ = signature_warehouse
    ours = pd.DataFrame(query(warehouse, """
        select variant_set, n_c_to_a, n_c_to_g, n_c_to_t, n_t_to_c, n_t_to_a, n_t_to_g, fraction_c_to_a, fraction_c_to_g,
               fraction_c_to_t, fraction_t_to_c, fraction_t_to_a, fraction_t_to_g, ti_fraction, tv_fraction
        from marts.fct_sample_titv where study_id = 'maftools_brca'"""),
        columns=["variant_set", "C>A", "C>G", "C>T", "T>C", "T>A", "T>G", "fC>A", "fC>G", "fC>T", "fT>C", "fT>A", "fT>G",
                 "Ti", "Tv"]).set_index("variant_set")
    for variant_set, prefix in (("nonsynonymous_snv", "C_brca_titv_"), ("all_snv", "C_brca_titv_useSyn_")):
        counts = pd.read_csv(ORACLE / f"{prefix}raw_counts.tsv", sep="\t").iloc[0]
        fractions = pd.read_csv(ORACLE / f"{prefix}fraction_contribution.tsv", sep="\t").iloc[0]
        titv = pd.read_csv(ORACLE / f"{prefix}TiTv_fractions.tsv", sep="\t").iloc[0]
        row = ours.loc[variant_set]
        for klass in ("C>A", "C>G", "C>T", "T>C", "T>A", "T>G"):
            assert row[klass] == counts[klass]
            assert abs(row["f" + klass] * 100 - fractions[klass]) <= 1e-9 * fractions[klass]
        assert abs(row["Ti"] * 100 - titv["Ti"]) <= 1e-9 * titv["Ti"]
        assert abs(row["Tv"] * 100 - titv["Tv"]) <= 1e-9 * titv["Tv"]
    # no context in brca.maf.gz and no FASTA: titv is still there, the catalogue is not
    assert query(warehouse, "select count(*) from marts.fct_sample_sbs96 where study_id = 'maftools_brca'")[0][0] == 0


def test_fasta_contexts_give_channels_and_refuse_mismatches(signature_warehouse):
    warehouse, warned = signature_warehouse
    rows = {r[0]: r[1:] for r in query(warehouse, """
        select cast(split_part(variant_key, ':', 2) as integer), context_source, context_status, window_length,
               sbs96_channel, is_tcw_motif_mutation
        from intermediate.int_snvs_contexted where study_id = 'fasta_study'""")}
    assert GENOME[23:26] == "TCT" and GENOME[30:33] == "CGA" and GENOME[29] == "C"
    assert rows[25] == ("reference_fasta", "ok", 41, "T[C>T]T", True)
    assert rows[32] == ("reference_fasta", "ok", 41, "T[C>T]G", False)
    assert rows[30][:2] == ("reference_fasta", "context_mismatch")
    assert rows[5][:2] == (None, "no_context")
    reason = query(warehouse, "select context_reason from intermediate.int_snvs_contexted "
                              "where study_id = 'fasta_study' and context_status = 'no_context'")
    assert "runs off contig chr1" in reason[0][0]
    assert any("context_mismatches_listed" in name for name in warned)
    catalogue = dict(query(warehouse, """select channel, n_snv from marts.fct_sample_sbs96
        where study_id = 'fasta_study' and variant_set = 'all_snv' and n_snv > 0"""))
    assert catalogue == {"T[C>T]T": 1, "T[C>T]G": 1}
    assert query(warehouse, "select count(*) from marts.fct_sample_sbs96 where study_id = 'fasta_study'")[0][0] == 2 * 96
    titv = query(warehouse, """select n_snv, n_in_catalogue, n_without_context, n_context_rejected
        from marts.fct_sample_titv where study_id = 'fasta_study' and variant_set = 'all_snv'""")
    assert titv == [(4, 2, 1, 1)]  # every SNV accounted for


def test_nmf_clusters_recover_planted_blocks_and_a_comparison_can_group_by_them(signature_warehouse):
    warehouse, _ = signature_warehouse
    chosen = query(warehouse, """select rank from marts.fct_nmf_rank_diagnostics
        where study_id = 'nmf_study' and is_chosen_rank""")
    assert chosen == [(2,)]
    clusters = dict(query(warehouse, """select sample_id, cluster from marts.fct_sample_nmf_cluster
        where study_id = 'nmf_study' and is_chosen_rank"""))
    assert len({clusters[f"S{i:02d}"] for i in range(20)}) == 1 and len({clusters[f"S{i:02d}"] for i in range(20, 40)}) == 1
    assert clusters["S00"] != clusters["S39"]
    members = dict(query(warehouse, """select group_label, count(*) from intermediate.int_comparison_members
        where study_id = 'nmf_study' and comparison = 'by_cluster' group by 1"""))
    assert members == {"cluster_1": 20, "cluster_2": 20}
    tests = {(t, e): (n, p) for t, e, n, p in query(warehouse, """select test, endpoint, n, p_value
        from stats.stat_nmf_association where study_id = 'nmf_study'""")}
    assert tests[("groups", None)][0] == 40 and tests[("groups", None)][1] < 1e-9  # clusters = planted groups
    assert tests[("logrank", "OS")][0] == 40 and 0 <= tests[("logrank", "OS")][1] <= 1


def test_demo_fits_signatures_for_the_exome_study_and_recovers_the_planted_apobec_difference(demo_warehouse):
    exposures = query(demo_warehouse, """select count(distinct sample_id), count(distinct signature_id), min(reference_set),
        max(reference_set) from stats.stat_signature_exposures where study_id = 'demo_lim2021_wes'""")
    assert exposures == [(45, 5, "COSMIC_v3.4_SBS_GRCh37_exome", "COSMIC_v3.4_SBS_GRCh37_exome")]
    tests = dict(query(demo_warehouse, """select measure, p_value from stats.stat_signature_tests
        where comparison = 'nonresponders_vs_responders'"""))
    assert tests["fraction_apobec_mutations"] < 1e-4 and tests["relative_exposure:SBS2"] < 1e-4
    assert tests["relative_exposure:SBS5"] > 0.05  # nothing planted there
    assert query(demo_warehouse, "select count(*) from stats.stat_apobec_enrichment where study_id = 'demo_lim2021_wes'")[0][0] == 45


def test_demo_clusters_the_panel_study_by_nmf_and_tests_clusters_against_her2_groups(demo_warehouse):
    diagnostics = query(demo_warehouse, """select rank, cophenetic_correlation, is_chosen_rank from marts.fct_nmf_rank_diagnostics
        where study_id = 'demo_zhang2022_panel' order by rank""")
    assert [d[0] for d in diagnostics] == [2, 3, 4] and sum(d[2] for d in diagnostics) == 1
    chosen = max(diagnostics, key=lambda d: (d[1], -d[0]))
    assert chosen[2]
    clustered = query(demo_warehouse, """select count(*) from marts.fct_sample_nmf_cluster
        where study_id = 'demo_zhang2022_panel' and is_chosen_rank and cluster is not null""")[0][0]
    assert clustered > 100
    association = query(demo_warehouse, """select rank, n, p_value, contingency_table, test, endpoint
        from stats.stat_nmf_association where study_id = 'demo_zhang2022_panel' order by test, endpoint""")
    assert [(a[4], a[5]) for a in association] == [("groups", None), ("logrank", "DFS")]
    assert all(a[0] == chosen[0] and 0 <= a[2] <= 1 for a in association)
    assert "her2_zero: cluster 1 =" in association[0][3]
    members = query(demo_warehouse, """select count(*) from intermediate.int_entity_attributes
        where attribute = 'NMF_CLUSTER_DERIVED' and study_id = 'demo_zhang2022_panel'""")[0][0]
    assert members == clustered
    assert np.isfinite(chosen[1])
