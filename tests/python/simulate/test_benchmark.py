"""Benchmark writer: valid study folder with the requested MAF row count."""
from pathlib import Path

import pandas as pd
import pytest

from oncoduck.simulate import write_benchmark


@pytest.mark.parametrize("assay,n,k", [("demo_panel_520", 200, 50), ("demo_wes_lim2021", 20, 10)])
def test_benchmark_small(tmp_path: Path, assay: str, n: int, k: int) -> None:
    d = write_benchmark(tmp_path, n, k, seed=3, assay=assay)
    lines = (d / "data_mutations.txt").read_text().splitlines()
    assert lines[0] == "#version 2.4"
    m = pd.read_csv(d / "data_mutations.txt", sep="\t", comment="#", dtype=str, keep_default_na=False)
    assert len(m) == n * k
    assert m.Tumor_Sample_Barcode.nunique() == n
    s = pd.read_csv(d / "data_clinical_sample.txt", sep="\t", comment="#")
    assert len(s) == n and set(m.Tumor_Sample_Barcode) <= set(s.SAMPLE_ID)
    seg = pd.read_csv(d / "data_cna_hg19.seg", sep="\t", dtype={"chrom": str})
    assert seg.ID.nunique() == n and set(seg.chrom) == {str(i) for i in range(1, 23)} | {"X"}
    for f in ("meta_study.txt", "meta_mutations.txt", "meta_clinical_sample.txt", "oncoduck_study.yml"):
        assert (d / f).exists()
    if assay.startswith("demo_panel"):
        mat = pd.read_csv(d / "data_gene_panel_matrix.txt", sep="\t")
        assert len(mat) == n and set(mat.mutations) == {assay}
        genes = (d / f"data_gene_panel_{assay}.txt").read_text().splitlines()[2].removeprefix("gene_list: ").split("\t")
        assert set(m.Hugo_Symbol) <= set(genes)
    # same seed -> same bytes
    d2 = write_benchmark(tmp_path / "again", n, k, seed=3, assay=assay)
    assert (d2 / "data_mutations.txt").read_bytes() == (d / "data_mutations.txt").read_bytes()


def test_a_cohort_larger_than_one_chunk_is_written_in_pieces_that_stay_sorted(tmp_path: Path, monkeypatch) -> None:
    """A cohort of more than MAF_CHUNK_ROWS rows (a 30M-row one in one piece needed over 24 GB) is generated and
    written a chunk of samples at a time: every row once, one header, the rows in sample order; a cohort of at most
    one chunk is written as before (the 1M- and 10M-row benchmark cohorts keep their bytes)."""
    from oncoduck.simulate import benchmark

    whole = write_benchmark(tmp_path / "whole", 30, 20, seed=5)
    monkeypatch.setattr(benchmark, "MAF_CHUNK_ROWS", 250)  # 12 samples per chunk: chunks of 12, 12 and 6
    pieces = write_benchmark(tmp_path / "pieces", 30, 20, seed=5)
    text = (pieces / "data_mutations.txt").read_text()
    assert text.count("#version 2.4") == 1 and text.count("Hugo_Symbol\t") == 1
    m = pd.read_csv(pieces / "data_mutations.txt", sep="\t", comment="#", dtype=str, keep_default_na=False)
    assert len(m) == 30 * 20 and (m.Tumor_Sample_Barcode.value_counts() == 20).all()
    assert m.Tumor_Sample_Barcode.is_monotonic_increasing
    # the same samples and columns as the cohort written whole (the draws after the first chunk differ)
    w = pd.read_csv(whole / "data_mutations.txt", sep="\t", comment="#", dtype=str, keep_default_na=False)
    assert list(m.columns) == list(w.columns) and set(m.Tumor_Sample_Barcode) == set(w.Tumor_Sample_Barcode)
    assert (pieces / "data_gene_panel_matrix.txt").read_bytes() == (whole / "data_gene_panel_matrix.txt").read_bytes()
