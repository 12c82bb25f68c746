"""Segment-to-gene calls over every protein-coding gene of the study's own reference genome (seeds
genes_hg19 / genes_hg38; macro segments_mapped_to_genes).

Fixture studies segments_hg19 and segments_hg38 hold the same two samples and segments and differ only in
reference_genome: P1's amplified segment is 17:37,600,000-37,910,000 (ERBB2's hg19 neighbourhood), P2's is
17:39,440,000-39,750,000 (the same genes in hg38). Each build must call ERBB2 in the sample whose segment
holds it in that build, genes outside the earlier 1,269-gene reference (CDK12, GRB7) too, and nothing from
the other build's coordinates. The expected gene sets are recomputed here from the seed CSVs."""

from __future__ import annotations

import pandas as pd
import pytest

from oncoduck.paths import PROJECT_ROOT
from oncoduck_testing import FIXTURE_STUDIES, query

SEEDS = PROJECT_ROOT / "seeds" / "reference"
AMPLIFIED = {"GENEREF-P1-HG19WINDOW": (37_600_000, 37_910_000), "GENEREF-P2-HG38WINDOW": (39_440_000, 39_750_000)}
ERBB2_SAMPLE = {"hg19": "GENEREF-P1-HG19WINDOW", "hg38": "GENEREF-P2-HG38WINDOW"}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    path = tmp_path_factory.mktemp("gene_reference") / "oncoduck.duckdb"
    compiled_project.build(path, [FIXTURE_STUDIES / "segments_hg19", FIXTURE_STUDIES / "segments_hg38"],
                           "+int_segments_mapped_to_genes", "+fct_sample_cnv_burden", "+dim_gene")
    return path


def _contained(build: str, start: int, end: int) -> set[str]:
    """Genes of the build's seed whose whole exonic span lies in chr17:start-end (1-based, inclusive)."""
    genes = pd.read_csv(SEEDS / f"genes_{build}.csv", dtype={"chrom": str})
    inside = (genes.chrom == "17") & (genes.exonic_start >= start) & (genes.exonic_end <= end)
    return set(genes.loc[inside, "gene"])


def _amplified(warehouse, study: str, sample: str) -> set[str]:
    return {g for (g,) in query(warehouse, f"""select hugo_symbol from intermediate.int_segments_mapped_to_genes
        where study_id = '{study}' and sample_id = '{sample}' and gene_mapping_rule = 'entire_exonic_span'
          and cna_call = 'amplification'""")}


@pytest.mark.parametrize("build", ["hg19", "hg38"])
def test_erbb2_and_genes_outside_the_old_reference_are_called_on_each_build(warehouse, build):
    study = f"segments_{build}"
    sample = ERBB2_SAMPLE[build]
    called = _amplified(warehouse, study, sample)
    assert {"ERBB2", "CDK12", "GRB7", "STARD3"} <= called  # CDK12, GRB7, STARD3: not in the 1,269-gene seed
    assert called == _contained(build, *AMPLIFIED[sample])
    # MED1 starts before the segment: a breakpoint inside it, so no call under the lim2021 rule
    med1 = query(warehouse, f"""select cna_call, n_segments from intermediate.int_segments_mapped_to_genes
        where study_id = '{study}' and sample_id = '{sample}' and hugo_symbol = 'MED1'
          and gene_mapping_rule = 'entire_exonic_span'""")
    assert med1 == [("not_contained", 1)]


@pytest.mark.parametrize("build, other", [("hg19", "hg38"), ("hg38", "hg19")])
def test_segments_map_with_the_coordinates_of_the_study_build(warehouse, build, other):
    """ERBB2 lies 1.8 Mb further along chr17 in hg38: a segment at its hg19 place calls it in an hg19 study
    only, and one at its hg38 place in an hg38 study only."""
    study = f"segments_{build}"
    elsewhere = ERBB2_SAMPLE[other]  # the segment at the other build's ERBB2 coordinates
    called = _amplified(warehouse, study, elsewhere)
    assert "ERBB2" not in called and "CDK12" not in called
    assert called == _contained(build, *AMPLIFIED[elsewhere])
    # each call carries the cytoband of its gene in the study's build (ZPBP2: 17q12 in hg19, 17q21.1 in hg38)
    seed = pd.read_csv(SEEDS / f"genes_{build}.csv").set_index("gene")["cytoband"]
    rows = query(warehouse, f"""select hugo_symbol, cytoband from intermediate.int_segments_mapped_to_genes
        where study_id = '{study}'""")
    assert rows and all(band == seed[gene] for gene, band in rows)


def test_cnv_gene_count_counts_every_protein_coding_gene(warehouse):
    counts = dict(((s, smp), n) for s, smp, n in query(warehouse, """select study_id, sample_id, cnv_gene_count
        from marts.fct_sample_cnv_burden"""))
    for build in ("hg19", "hg38"):
        for sample, window in AMPLIFIED.items():
            # the second segment of each sample is neutral (seg.mean 0.01): only the amplified one counts
            assert counts[(f"segments_{build}", sample)] == len(_contained(build, *window))


def test_dim_gene_lists_both_builds_symbols_with_hg19_coordinates(warehouse):
    rows = {r[0]: r[1:] for r in query(warehouse, """select hugo_symbol, chromosome, gene_start, in_reference,
        in_hg19_reference, in_hg38_reference from marts.dim_gene where hugo_symbol in ('ERBB2', 'MRE11A', 'MRE11')""")}
    assert rows["ERBB2"] == ("17", 37844167, True, True, True)    # hg19 is the display reference
    assert rows["MRE11A"][2:] == (True, True, False)              # hg19's GENCODE name
    assert rows["MRE11"] == (None, None, True, False, True)       # the later hg38 name: no hg19 coordinates


def test_demo_cnv_gene_count_recounted_from_the_seg_file(demo_warehouse):
    """lim2021 CNV gene count (genes whose entire exonic span lies inside one gain/loss segment) of every
    demo_lim2021_wes sample, recounted with pandas from the study's .seg file, the log2_default thresholds of
    seeds/reference/cna_call_rules.csv and genes_hg19.csv: the count now runs over ~20,000 protein-coding
    genes instead of the 1,269 of the earlier demo-only reference."""
    study = PROJECT_ROOT / "seeds" / "demo_studies" / "demo_lim2021_wes"
    segments = pd.read_csv(study / "data_cna_hg19.seg", sep="\t", dtype={"chrom": str})
    rules = pd.read_csv(SEEDS / "cna_call_rules.csv")
    rules = rules[(rules.rule_set == "log2_default") & (rules.measure == "log2")].set_index("call")["threshold"]
    altered = segments[(segments["seg.mean"] >= min(rules["gain"], rules["amplification"]))
                       | (segments["seg.mean"] <= max(rules["loss"], rules["deep_deletion"]))]
    genes = pd.read_csv(SEEDS / "genes_hg19.csv", dtype={"chrom": str})
    pairs = altered.merge(genes, on="chrom")
    inside = pairs[(pairs.exonic_start >= pairs["loc.start"]) & (pairs.exonic_end <= pairs["loc.end"])]
    expected = inside.groupby("ID")["gene"].nunique()
    ours = pd.Series(dict(query(demo_warehouse, """select sample_id, cnv_gene_count from marts.fct_sample_cnv_burden
        where study_id = 'demo_lim2021_wes'""")))
    expected = expected.reindex(ours.index, fill_value=0)
    assert (ours == expected).all(), pd.concat([ours.rename("ours"), expected.rename("expected")], axis=1)
    assert ours.max() > 1269  # more genes than the whole earlier reference in at least one sample
