"""The protein-coding gene reference seeds (seeds/reference/genes_hg19.csv, genes_hg38.csv): known genes sit
where Ensembl puts them, the stated duplicate-symbol rules hold, and re-running the generator
(oncoduck.reference.gencode) on ../shared/data/reference reproduces the committed files byte for byte."""

from __future__ import annotations

import pandas as pd
import pytest

from oncoduck.paths import PROJECT_ROOT
from oncoduck.reference.gencode import BUILDS, COLUMNS, gene_reference, union_length, write_gene_references
from oncoduck_testing import require_shared_data

SEEDS = PROJECT_ROOT / "seeds" / "reference"


def _seed(build: str) -> pd.DataFrame:
    return pd.read_csv(SEEDS / f"genes_{build}.csv", dtype={"chrom": str})


@pytest.mark.parametrize("build, erbb2, n_min", [
    ("hg19", ("17", 37844167, 37886679, "17q12"), 20000),  # Ensembl GRCh37 ERBB2 17:37,844,167-37,886,679
    ("hg38", ("17", 39687914, 39730426, "17q12"), 19900),  # Ensembl GRCh38 ERBB2 17:39,687,914-39,730,426
])
def test_seed_holds_every_protein_coding_gene_with_1_based_coordinates(build, erbb2, n_min):
    genes = _seed(build)
    assert list(genes.columns) == COLUMNS
    assert len(genes) >= n_min and genes["gene"].is_unique
    assert set(genes["chrom"]) == {str(i) for i in range(1, 23)} | {"X", "Y"}  # no chrM, no 'chr' prefix
    row = genes.set_index("gene").loc["ERBB2"]
    assert (row.chrom, row.gene_start, row.gene_end, row.cytoband) == erbb2
    assert ((genes.gene_start <= genes.exonic_start) & (genes.exonic_start <= genes.exonic_end)
            & (genes.exonic_end <= genes.gene_end)).all()
    assert (genes.cds_bp > 0).all() and genes.cytoband.notna().all()
    # duplicate-symbol rules: pseudoautosomal genes keep X; CKS1B keeps its chr1 locus (hg19 also lists a
    # 240 bp automatic chr5 annotation); genes the earlier 1,269-gene seed lacked are there (CDK12, GRB7)
    indexed = genes.set_index("gene")
    assert indexed.loc["CRLF2", "chrom"] == "X" and indexed.loc["SHOX", "chrom"] == "X"
    assert indexed.loc["CKS1B", "chrom"] == "1" and indexed.loc["CKS1B", "cytoband"] == "1q21.3"
    assert {"CDK12", "GRB7", "STARD3"} <= set(genes["gene"])
    assert "SRY" in set(genes["gene"]) and indexed.loc["SRY", "chrom"] == "Y"


def test_the_demo_genes_are_unchanged_rows_of_the_hg19_seed():
    """The simulator draws from the demo panels' genes (core.load_reference); their rows are those of the
    earlier demo-only seed, so the demo regenerates byte for byte (test_demo_regeneration)."""
    from oncoduck.simulate import core

    reference = core.load_reference()
    panels = pd.read_csv(SEEDS / "panel_genes.csv")
    assert len(reference.genes) == panels["gene"].nunique() == 1269
    assert reference.genes.set_index("gene").loc["ERBB2", "cds_bp"] == 3965


def test_union_length_counts_overlaps_once():
    intervals = pd.DataFrame({"gene_name": ["A", "A", "A", "A", "B"],
                              "start": [1, 5, 11, 30, 100], "end": [10, 12, 20, 30, 100]})
    # A: [1,10] u [5,12] u [11,20] = 1..20 (20 bp), plus [30,30] (1 bp); B: 1 bp
    assert union_length(intervals, "gene_name").to_dict() == {"A": 21, "B": 1}


def test_duplicate_symbol_rules_on_a_small_table():
    genes = pd.DataFrame([
        ("chrX", 100, 200, "PARG", "+", "protein_coding", 2),
        ("chrY", 100, 200, "PARG", "+", "protein_coding", 2),
        ("chr5", 500, 600, "TWOCHR", "-", "protein_coding", 3),
        ("chr1", 900, 1000, "TWOCHR", "+", "protein_coding", 2),
        ("chr2", 10, 50, "SPLIT", "+", "protein_coding", 2),
        ("chr2", 80, 120, "SPLIT", "+", "protein_coding", 2),
        ("chrM", 1, 90, "MTGENE", "+", "protein_coding", 3),
        ("chr3", 1, 90, "LNC", "+", "lncRNA", 2),
    ], columns=["chrom", "start", "end", "gene_name", "strand", "gene_type", "level"])
    exons = pd.DataFrame([
        ("chrX", 110, 190, "PARG"), ("chrY", 110, 190, "PARG"), ("chr5", 500, 600, "TWOCHR"),
        ("chr1", 950, 990, "TWOCHR"), ("chr2", 20, 40, "SPLIT"), ("chr2", 90, 110, "SPLIT"), ("chrM", 1, 90, "MTGENE"),
    ], columns=["chrom", "start", "end", "gene_name"])
    cds = exons.assign(start=exons["start"] + 1)
    bands = pd.DataFrame({"chrom": ["1", "2", "X"], "start": [0, 0, 0], "end": [10_000, 10_000, 10_000],
                          "band": ["1p36", "2p25", "Xp22"]})
    table = gene_reference(genes, exons, cds, bands).set_index("gene")
    assert list(table.index) == ["PARG", "SPLIT", "TWOCHR"]  # chrM and non-coding genes left out
    assert table.loc["PARG", "chrom"] == "X"                   # X over Y
    assert tuple(table.loc["TWOCHR", ["chrom", "gene_start", "strand", "exonic_start"]]) == ("1", 900, "+", 950)
    assert tuple(table.loc["SPLIT", ["gene_start", "gene_end", "exonic_start", "exonic_end", "cds_bp"]]) == (
        10, 120, 20, 110, 20 + 20)                             # loci on one chromosome: one row
    assert table.loc["SPLIT", "cytoband"] == "2p25"


def test_generator_reproduces_the_committed_seeds(tmp_path):
    for build in BUILDS:
        for kind in ("genes", "exons_protein_coding", "cdss_protein_coding"):
            require_shared_data("reference", f"gencode_{kind}_{build}.tsv.gz")
    written = write_gene_references(require_shared_data(), tmp_path)
    for path in written:
        assert path.read_bytes() == (SEEDS / path.name).read_bytes(), f"{path.name} differs from the committed seed"
