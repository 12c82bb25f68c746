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
