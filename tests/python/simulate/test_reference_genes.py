"""Committed reference gene seeds."""
import pandas as pd

from oncoduck.paths import PROJECT_ROOT
from oncoduck.simulate.reference_genes import BREAST_CORE_GENES

REF = PROJECT_ROOT / "seeds" / "reference"


def test_genes_and_panels() -> None:
    g = pd.read_csv(REF / "genes_hg19.csv", dtype={"chrom": str})
    assert list(g.columns) == ["gene", "chrom", "gene_start", "gene_end", "strand", "exonic_start",
                               "exonic_end", "cds_bp", "cytoband"]
    assert g.gene.is_unique
    erbb2 = g.set_index("gene").loc["ERBB2"]
    assert (erbb2.chrom, erbb2.gene_start, erbb2.gene_end, erbb2.cytoband) == ("17", 37844167, 37886679, "17q12")
    assert ((g.gene_start <= g.exonic_start) & (g.exonic_end <= g.gene_end)).all()
    p = pd.read_csv(REF / "panel_genes.csv").merge(g, on="gene")
    size = p.groupby("panel_id").gene.count().to_dict()
    assert size == {"demo_panel_1021": 1021, "demo_panel_520": 520}
    mb = p.groupby("panel_id").cds_bp.sum() / 1e6
    assert abs(mb["demo_panel_1021"] - 1.1) < 0.05 and abs(mb["demo_panel_520"] - 1.003) < 0.05
    core = [x for x in BREAST_CORE_GENES if x in set(g.gene)]
    for pid, df in p.groupby("panel_id"):
        assert set(core) <= set(df.gene), pid
