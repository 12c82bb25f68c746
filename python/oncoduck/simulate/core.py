"""Vectorised building blocks shared by the demo and benchmark cohort writers.

Everything here is deterministic given a :class:`numpy.random.Generator`; every file is
written with fixed formatting, sorted rows, ``\\n`` line endings and no timestamps.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import yaml

from oncoduck.paths import PROJECT_ROOT

REFERENCE_DIR = PROJECT_ROOT / "seeds" / "reference"

CHROMS: tuple[str, ...] = tuple([str(i) for i in range(1, 23)] + ["X"])
CHROM_LENGTHS_HG19: dict[str, int] = {
    "1": 249250621, "2": 243199373, "3": 198022430, "4": 191154276, "5": 180915260,
    "6": 171115067, "7": 159138663, "8": 146364022, "9": 141213431, "10": 135534747,
    "11": 135006516, "12": 133851895, "13": 115169878, "14": 107349540, "15": 102531392,
    "16": 90354753, "17": 81195210, "18": 78077248, "19": 59128983, "20": 63025520,
    "21": 48129895, "22": 51304566, "X": 155270560,
}
CHROM_RANK = {c: i for i, c in enumerate(CHROMS)}

MAF_COLUMNS: tuple[str, ...] = (
    "Hugo_Symbol", "Entrez_Gene_Id", "Center", "NCBI_Build", "Chromosome", "Start_Position",
    "End_Position", "Strand", "Variant_Classification", "Variant_Type", "Reference_Allele",
    "Tumor_Seq_Allele1", "Tumor_Seq_Allele2", "Tumor_Sample_Barcode",
    "Matched_Norm_Sample_Barcode", "HGVSp_Short", "HGVSp", "t_ref_count", "t_alt_count",
    "n_ref_count", "n_alt_count", "FILTER",
)

NONSYNONYMOUS = (
    "Missense_Mutation", "Nonsense_Mutation", "Frame_Shift_Del", "Frame_Shift_Ins",
    "In_Frame_Del", "In_Frame_Ins", "Splice_Site", "Nonstop_Mutation", "Translation_Start_Site",
)

# Variant_Classification mix of *nonsynonymous* passenger rows (sums to 1) ...
NONSYN_MIX: dict[str, float] = {
    "Missense_Mutation": 0.60 / 0.75,
    "Nonsense_Mutation": 0.05 / 0.75,
    "Frame_Shift_Del": 0.03 / 0.75,
    "Frame_Shift_Ins": 0.02 / 0.75,
    "Splice_Site": 0.03 / 0.75,
    "In_Frame_Del": 0.02 / 0.75,
}
# ... and of silent/other rows; overall ~60% missense, 5% nonsense, 5% frameshift,
# 3% splice, 2% in-frame, 25% silent/UTR/intron when other = nonsyn / 3.
OTHER_MIX: dict[str, float] = {
    "Silent": 0.17 / 0.25,
    "3'UTR": 0.03 / 0.25,
    "5'UTR": 0.02 / 0.25,
    "Intron": 0.03 / 0.25,
}
OTHER_PER_NONSYN = 0.25 / 0.75
# Overall mix used by the benchmark writer.
FULL_MIX: dict[str, float] = {
    **{k: v * 0.75 for k, v in NONSYN_MIX.items()},
    **{k: v * 0.25 for k, v in OTHER_MIX.items()},
}

AA1 = np.array(list("ACDEFGHIKLMNPQRSTVWY"))
AA3 = np.array(["Ala", "Cys", "Asp", "Glu", "Phe", "Gly", "His", "Ile", "Lys", "Leu", "Met",
                "Asn", "Pro", "Gln", "Arg", "Ser", "Thr", "Val", "Trp", "Tyr"])
BASES = np.array(list("ACGT"))

# Entrez Gene IDs of the driver genes (0 = not recorded, as in many real MAFs).
ENTREZ: dict[str, int] = {
    "TP53": 7157, "PIK3CA": 5290, "ERBB2": 2064, "ESR1": 2099, "AKT1": 207, "PTEN": 5728,
    "GATA3": 2625, "MAP3K1": 4214, "MAP2K4": 6416, "CDH1": 999, "KMT2C": 58508,
    "KMT2D": 8085, "ARID1A": 8289, "NF1": 4763, "RB1": 5925, "CCND1": 595, "MYC": 4609,
    "FGFR1": 2260, "FGFR2": 2263, "CDK4": 1019, "CDK6": 1021, "MDM2": 4193, "BRCA1": 672,
    "BRCA2": 675, "PALB2": 79728, "ATM": 472, "CHEK2": 11200, "KRAS": 3845, "BRAF": 673,
    "EGFR": 1956, "ERBB3": 2065, "PIK3R1": 5295, "MTOR": 2475, "STK11": 6794,
    "CDKN2A": 1029, "CBFB": 865, "RUNX1": 861, "FOXA1": 3169, "SF3B1": 23451,
    "DNMT3A": 1788, "TET2": 54790, "ASXL1": 171023, "PPM1D": 8493, "NOTCH1": 4851,
    "AKT2": 208, "AKT3": 10000, "MET": 4233, "ALK": 238, "RET": 5979, "IGF1R": 3480,
    "MCL1": 4170, "TBX3": 6926, "NCOR1": 9611, "ZFHX3": 463, "SPEN": 23013,
    "CDKN1B": 1027, "TSC1": 7248, "TSC2": 7249, "ERBB4": 2066, "KDR": 3791, "ROS1": 6098,
    "FGF3": 2248, "FGF4": 2249, "FGF19": 9965, "ZNF703": 80139, "RAD51C": 5889,
    "RAD51D": 5892, "BARD1": 580, "BRIP1": 83990, "FANCA": 2175, "FANCD2": 2177,
    "FANCI": 55215,
}

# Real hotspots (hg19, MAF-style genomic alleles; cancerhotspots.org v2 positions).
# gene, short (one-letter), long (three-letter), chrom, start, ref, alt
HOTSPOTS: tuple[tuple[str, str, str, str, int, str, str], ...] = (
    ("PIK3CA", "H1047R", "His1047Arg", "3", 178952085, "A", "G"),
    ("PIK3CA", "E545K", "Glu545Lys", "3", 178936091, "G", "A"),
    ("PIK3CA", "E542K", "Glu542Lys", "3", 178936082, "G", "A"),
    ("PIK3CA", "H1047L", "His1047Leu", "3", 178952085, "A", "T"),
    ("PIK3CA", "N345K", "Asn345Lys", "3", 178921553, "T", "A"),
    ("PIK3CA", "C420R", "Cys420Arg", "3", 178927980, "T", "C"),
    ("PIK3CA", "E726K", "Glu726Lys", "3", 178938934, "G", "A"),
    ("TP53", "R175H", "Arg175His", "17", 7578406, "C", "T"),
    ("TP53", "R273H", "Arg273His", "17", 7577120, "C", "T"),
    ("TP53", "R248Q", "Arg248Gln", "17", 7577538, "C", "T"),
    ("TP53", "R273C", "Arg273Cys", "17", 7577121, "G", "A"),
    ("TP53", "R248W", "Arg248Trp", "17", 7577539, "G", "A"),
    ("TP53", "Y220C", "Tyr220Cys", "17", 7578190, "T", "C"),
    ("TP53", "R282W", "Arg282Trp", "17", 7577094, "G", "A"),
    ("TP53", "G245S", "Gly245Ser", "17", 7577548, "C", "T"),
    ("TP53", "R213*", "Arg213Ter", "17", 7578212, "G", "A"),
    ("TP53", "R196*", "Arg196Ter", "17", 7578263, "G", "A"),
    ("AKT1", "E17K", "Glu17Lys", "14", 105246551, "C", "T"),
    ("ESR1", "D538G", "Asp538Gly", "6", 152419926, "A", "G"),
    ("ESR1", "Y537S", "Tyr537Ser", "6", 152419923, "A", "C"),
    ("ESR1", "Y537N", "Tyr537Asn", "6", 152419922, "T", "A"),
    ("ESR1", "Y537C", "Tyr537Cys", "6", 152419923, "A", "G"),
    ("ESR1", "E380Q", "Glu380Gln", "6", 152332832, "G", "C"),
    ("ESR1", "L536H", "Leu536His", "6", 152419920, "T", "A"),
    ("ERBB2", "L755S", "Leu755Ser", "17", 37880220, "T", "C"),
    ("ERBB2", "V777L", "Val777Leu", "17", 37881000, "G", "T"),
    ("ERBB2", "S310F", "Ser310Phe", "17", 37868208, "C", "T"),
    ("ERBB2", "D769Y", "Asp769Tyr", "17", 37880261, "G", "T"),
    ("ERBB2", "V842I", "Val842Ile", "17", 37881332, "G", "A"),
    ("ERBB3", "V104M", "Val104Met", "12", 56478854, "G", "A"),
    ("ERBB3", "E928G", "Glu928Gly", "12", 56492633, "A", "G"),
    ("KRAS", "G12D", "Gly12Asp", "12", 25398284, "C", "T"),
    ("KRAS", "G12V", "Gly12Val", "12", 25398284, "C", "A"),
    ("BRAF", "V600E", "Val600Glu", "7", 140453136, "A", "T"),
    ("SF3B1", "K700E", "Lys700Glu", "2", 198266834, "T", "C"),
    ("FOXA1", "R219S", "Arg219Ser", "14", 38061334, "G", "T"),
    ("FOXA1", "H247Y", "His247Tyr", "14", 38061250, "G", "A"),
    ("GATA3", "R364S", "Arg364Ser", "10", 8115746, "A", "T"),
    ("PTEN", "R130Q", "Arg130Gln", "10", 89692905, "G", "A"),
    ("PTEN", "R130*", "Arg130Ter", "10", 89692904, "C", "T"),
    ("PTEN", "R233*", "Arg233Ter", "10", 89717672, "C", "T"),
    ("MAP2K4", "R134W", "Arg134Trp", "17", 11998898, "C", "T"),
    ("CBFB", "W73*", "Trp73Ter", "16", 67070595, "G", "A"),
    ("DNMT3A", "R882H", "Arg882His", "2", 25457242, "C", "T"),
    ("DNMT3A", "R882C", "Arg882Cys", "2", 25457243, "G", "A"),
    ("TET2", "R550*", "Arg550Ter", "4", 106156747, "C", "T"),
    ("PPM1D", "E525*", "Glu525Ter", "17", 58740668, "G", "T"),
)


def hotspot_table() -> pd.DataFrame:
    hs = pd.DataFrame(HOTSPOTS, columns=["gene", "short", "long", "chrom", "start", "ref", "alt"])
    hs["vclass"] = np.where(hs["short"].str.endswith("*"), "Nonsense_Mutation", "Missense_Mutation")
    return hs


# --------------------------------------------------------------------------- reference

@dataclass(frozen=True)
class Reference:
    genes: pd.DataFrame        # the demo gene universe's genes_hg19.csv rows, indexed 0..n-1, sorted by gene
    panels: dict[str, list[str]]

    def index_of(self, names: Iterable[str]) -> np.ndarray:
        lookup = pd.Series(np.arange(len(self.genes)), index=self.genes["gene"])
        return lookup.loc[list(names)].to_numpy()

    def gene_set(self, assay: str) -> np.ndarray:
        """Gene indices an assay covers (WES: the whole demo universe)."""
        if assay in self.panels:
            return self.index_of(self.panels[assay])
        return np.arange(len(self.genes))


def load_reference(reference_dir: Path | None = None) -> Reference:
    """The simulator's genes: the demo gene universe (every gene of the demo panels, panel_genes.csv; the
    simulated exome covers exactly these) with their genes_hg19.csv coordinates. genes_hg19.csv holds every
    protein-coding gene (oncoduck.reference.gencode); the universe keeps the demo and the benchmark cohorts
    the same whatever the size of that reference."""
    d = Path(reference_dir) if reference_dir is not None else REFERENCE_DIR
    pg = pd.read_csv(d / "panel_genes.csv")
    panels = {pid: sorted(df["gene"].tolist()) for pid, df in pg.groupby("panel_id", sort=True)}
    genes = pd.read_csv(d / "genes_hg19.csv", dtype={"chrom": str})
    genes = genes[genes["gene"].isin(pg["gene"])]
    genes = genes.sort_values("gene").reset_index(drop=True)
    return Reference(genes=genes, panels=panels)


# --------------------------------------------------------------------------- mutations

def _choice(rng: np.random.Generator, mix: Mapping[str, float], n: int) -> np.ndarray:
    keys = np.array(list(mix.keys()), dtype=object)
    p = np.array(list(mix.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def random_variants(
    rng: np.random.Generator,
    ref: Reference,
    sample: np.ndarray,
    gene_idx: np.ndarray,
    vclass: np.ndarray,
) -> pd.DataFrame:
    """Random (non-hotspot) variants: one row per element of the equal-length inputs.

    Positions are uniform within the gene's exonic span (real coordinates); alleles,
    HGVSp_Short and HGVSp are consistent with Variant_Classification.
    """
    n = len(sample)
    g = ref.genes
    gene_idx = np.asarray(gene_idx, dtype=np.int64)
    vclass = np.asarray(vclass, dtype=object)
    ex_s = g["exonic_start"].to_numpy()[gene_idx]
    ex_e = g["exonic_end"].to_numpy()[gene_idx]
    start = ex_s + np.floor(rng.random(n) * (ex_e - ex_s - 2)).astype(np.int64)
    n_codons = np.maximum(g["cds_bp"].to_numpy()[gene_idx] // 3 - 1, 2)
    codon = 1 + np.floor(rng.random(n) * n_codons).astype(np.int64)
    ra = rng.integers(0, 20, n)
    aa = (ra + rng.integers(1, 20, n)) % 20
    rb = rng.integers(0, 4, n)
    ab = (rb + rng.integers(1, 4, n)) % 4
    fs_len = rng.integers(2, 40, n)

    is_del = (vclass == "Frame_Shift_Del") | (vclass == "In_Frame_Del")
    is_ins = (vclass == "Frame_Shift_Ins") | (vclass == "In_Frame_Ins")
    del_len = np.where(vclass == "In_Frame_Del", 3, 1)
    ref_allele = BASES[rb].astype(object)
    alt_allele = BASES[ab].astype(object)
    # multi-base deletions: draw extra bases
    extra = BASES[rng.integers(0, 4, (n, 2))]
    three = np.char.add(np.char.add(BASES[rb], extra[:, 0]), extra[:, 1]).astype(object)
    ref_allele = np.where(is_del & (del_len == 3), three, ref_allele)
    alt_allele = np.where(is_del, "-", alt_allele)
    ref_allele = np.where(is_ins, "-", ref_allele)
    end = np.where(is_del, start + del_len - 1, np.where(is_ins, start + 1, start))
    vtype = np.where(is_del, "DEL", np.where(is_ins, "INS", "SNP")).astype(object)

    cod = codon.astype(str).astype(object)
    r1, a1 = AA1[ra].astype(object), AA1[aa].astype(object)
    r3, a3 = AA3[ra].astype(object), AA3[aa].astype(object)
    fsl = fs_len.astype(str).astype(object)
    short = np.full(n, "", dtype=object)
    long_ = np.full(n, "", dtype=object)
    m = vclass == "Missense_Mutation"
    short[m] = "p." + r1[m] + cod[m] + a1[m]
    long_[m] = "p." + r3[m] + cod[m] + a3[m]
    m = vclass == "Nonsense_Mutation"
    short[m] = "p." + r1[m] + cod[m] + "*"
    long_[m] = "p." + r3[m] + cod[m] + "Ter"
    m = (vclass == "Frame_Shift_Del") | (vclass == "Frame_Shift_Ins")
    short[m] = "p." + r1[m] + cod[m] + a1[m] + "fs*" + fsl[m]
    long_[m] = "p." + r3[m] + cod[m] + a3[m] + "fsTer" + fsl[m]
    m = vclass == "In_Frame_Del"
    short[m] = "p." + r1[m] + cod[m] + "del"
    long_[m] = "p." + r3[m] + cod[m] + "del"
    m = vclass == "Splice_Site"
    short[m] = "p.X" + cod[m] + "_splice"
    m = vclass == "Silent"
    short[m] = "p." + r1[m] + cod[m] + "="
    long_[m] = "p." + r3[m] + cod[m] + "="
    return pd.DataFrame({
        "sample": np.asarray(sample),
        "gene_idx": gene_idx,
        "vclass": vclass,
        "vtype": vtype,
        "start": start.astype(np.int64),
        "end": end.astype(np.int64),
        "ref": ref_allele,
        "alt": alt_allele,
        "short": short,
        "long": long_,
    })


def hotspot_variants(ref: Reference, sample: np.ndarray, hs_rows: pd.DataFrame) -> pd.DataFrame:
    """Variants at real hotspots; ``hs_rows`` are rows of :func:`hotspot_table`."""
    hs = hs_rows.reset_index(drop=True)
    ref_len = hs["ref"].str.len().to_numpy()
    return pd.DataFrame({
        "sample": np.asarray(sample),
        "gene_idx": ref.index_of(hs["gene"]),
        "vclass": hs["vclass"].to_numpy(dtype=object),
        "vtype": np.where(ref_len == 1, "SNP", np.where(ref_len == 2, "DNP", "ONP")).astype(object),
        "start": hs["start"].to_numpy(np.int64),
        "end": (hs["start"].to_numpy(np.int64) + ref_len - 1),
        "ref": hs["ref"].to_numpy(dtype=object),
        "alt": hs["alt"].to_numpy(dtype=object),
        "short": ("p." + hs["short"]).to_numpy(dtype=object),
        "long": ("p." + hs["long"]).to_numpy(dtype=object),
    })


def passenger_variants(
    rng: np.random.Generator,
    ref: Reference,
    sample_ids: Sequence[str],
    n_nonsyn: np.ndarray,
    gene_pool: np.ndarray,
    other_per_nonsyn: float = OTHER_PER_NONSYN,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """``n_nonsyn[i]`` nonsynonymous passengers (+ ~1/3 as many silent/other rows) per
    sample, genes drawn from ``gene_pool`` proportional to CDS length."""
    n_nonsyn = np.asarray(n_nonsyn, dtype=np.int64)
    n_other = rng.binomial(np.maximum(np.round(n_nonsyn * other_per_nonsyn * 2), 0).astype(np.int64), 0.5)
    samples = np.asarray(sample_ids, dtype=object)
    s_ns = np.repeat(samples, n_nonsyn)
    s_ot = np.repeat(samples, n_other)
    w = ref.genes["cds_bp"].to_numpy()[gene_pool].astype(float)
    if weights is not None:
        w = w * np.asarray(weights, dtype=float)
    g_ns = gene_pool[rng.choice(len(gene_pool), size=len(s_ns), p=w / w.sum())]
    g_ot = gene_pool[rng.choice(len(gene_pool), size=len(s_ot), p=w / w.sum())]
    vc = np.concatenate([_choice(rng, NONSYN_MIX, len(s_ns)), _choice(rng, OTHER_MIX, len(s_ot))])
    return random_variants(rng, ref, np.concatenate([s_ns, s_ot]), np.concatenate([g_ns, g_ot]), vc)


def add_counts(
    rng: np.random.Generator,
    v: pd.DataFrame,
    vaf: np.ndarray,
    depth_mean: float,
    depth_range: tuple[int, int],
    min_alt: int,
    normal_depth: tuple[int, int] | None,
    normal_vaf: np.ndarray | None = None,
    vaf_range: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Add t_ref/t_alt (and n_ref/n_alt) read counts given per-row VAFs.

    ``vaf_range`` clamps the *observed* VAF t_alt / depth into [lo, hi]."""
    n = len(v)
    depth = rng.negative_binomial(8, 8 / (8 + depth_mean), n)
    depth = np.clip(depth, depth_range[0], depth_range[1])
    alt = rng.binomial(depth, np.clip(vaf, 0, 1))
    alt = np.clip(alt, min_alt, depth)
    if vaf_range is not None:
        lo = np.maximum(np.ceil(vaf_range[0] * depth), min_alt).astype(np.int64)
        hi = np.floor(vaf_range[1] * depth).astype(np.int64)
        alt = np.clip(alt, lo, hi)
    v = v.copy()
    v["t_ref_count"] = (depth - alt).astype(np.int64)
    v["t_alt_count"] = alt.astype(np.int64)
    if normal_depth is None:
        v["n_ref_count"] = pd.array([pd.NA] * n, dtype="Int64")
        v["n_alt_count"] = pd.array([pd.NA] * n, dtype="Int64")
    else:
        nd = rng.integers(normal_depth[0], normal_depth[1] + 1, n)
        nvaf = np.zeros(n) if normal_vaf is None else np.asarray(normal_vaf, dtype=float)
        nalt = rng.binomial(nd, nvaf)
        v["n_ref_count"] = (nd - nalt).astype(np.int64)
        v["n_alt_count"] = nalt.astype(np.int64)
    return v


def to_maf(ref: Reference, v: pd.DataFrame, normal_of: Mapping[str, str] | pd.Series | None,
           center: str = "oncoduck-demo", sort: bool = True) -> pd.DataFrame:
    """Assemble the cBioPortal MAF columns (rows sorted by sample, chromosome, position)."""
    g = ref.genes
    gi = v["gene_idx"].to_numpy()
    sym = g["gene"].to_numpy(dtype=object)[gi]
    chrom = g["chrom"].to_numpy(dtype=object)[gi]
    entrez = pd.Series(sym).map(ENTREZ).fillna(0).astype(np.int64).to_numpy()
    if normal_of is None:
        norm = np.full(len(v), "", dtype=object)
    else:
        norm = pd.Series(v["sample"].to_numpy()).map(normal_of).fillna("").to_numpy(dtype=object)
    filt = v["filter"].to_numpy(dtype=object) if "filter" in v else np.full(len(v), "PASS", dtype=object)
    maf = pd.DataFrame({
        "Hugo_Symbol": sym,
        "Entrez_Gene_Id": entrez,
        "Center": center,
        "NCBI_Build": "GRCh37",
        "Chromosome": chrom,
        "Start_Position": v["start"].to_numpy(np.int64),
        "End_Position": v["end"].to_numpy(np.int64),
        "Strand": "+",
        "Variant_Classification": v["vclass"].to_numpy(dtype=object),
        "Variant_Type": v["vtype"].to_numpy(dtype=object),
        "Reference_Allele": v["ref"].to_numpy(dtype=object),
        "Tumor_Seq_Allele1": v["ref"].to_numpy(dtype=object),
        "Tumor_Seq_Allele2": v["alt"].to_numpy(dtype=object),
        "Tumor_Sample_Barcode": v["sample"].to_numpy(dtype=object),
        "Matched_Norm_Sample_Barcode": norm,
        "HGVSp_Short": v["short"].to_numpy(dtype=object),
        "HGVSp": v["long"].to_numpy(dtype=object),
        "t_ref_count": v["t_ref_count"].to_numpy(),
        "t_alt_count": v["t_alt_count"].to_numpy(),
        "n_ref_count": v["n_ref_count"].array,
        "n_alt_count": v["n_alt_count"].array,
        "FILTER": filt,
    })
    if not sort:
        return maf
    maf["_rank"] = pd.Series(chrom).map(CHROM_RANK).to_numpy()
    maf = maf.sort_values(
        ["Tumor_Sample_Barcode", "_rank", "Start_Position", "End_Position", "Hugo_Symbol",
         "Reference_Allele", "Tumor_Seq_Allele2", "HGVSp_Short"],
        kind="mergesort",
    ).drop(columns="_rank")
    return maf.reset_index(drop=True)


CONTEXT_FLANK = 5  # GDC CONTEXT: the reference base and 5 bases either side


def with_context(maf: pd.DataFrame, seed: int, apobec_share: Mapping[str, float] | float = 0.1,
                 cpg_share: float = 0.4) -> pd.DataFrame:
    """The MAF with a GDC-style ``CONTEXT`` column (11 bases, reference base in the middle) on its
    single-base rows (empty on indels), drawn from its own generator (``seed``) so that every other column
    of a cohort stays as it was. Planted signatures, on the substitution's own strand: a C>T or C>G of a
    sample gets a TCW motif (T 5', A or T 3'; APOBEC, COSMIC SBS2/SBS13) with probability
    ``apobec_share[sample]``; a C>T not so chosen sits at a CpG (G 3'; clock-like SBS1) with probability
    ``cpg_share``. Flanks are otherwise uniform."""
    rng = np.random.default_rng(seed)
    n = len(maf)
    ref = maf["Reference_Allele"].astype(str).to_numpy()
    alt = maf["Tumor_Seq_Allele2"].astype(str).to_numpy()
    left = BASES[rng.integers(0, 4, (n, CONTEXT_FLANK))]
    right = BASES[rng.integers(0, 4, (n, CONTEXT_FLANK))]
    draw_motif, draw_w, draw_cpg = rng.random(n), rng.integers(0, 2, n), rng.random(n)
    share = (np.full(n, float(apobec_share)) if isinstance(apobec_share, (int, float))
             else maf["Tumor_Sample_Barcode"].map(apobec_share).fillna(0.0).to_numpy(float))
    plus_c = (ref == "C") & np.isin(alt, ["T", "G"])   # C>T / C>G on the + strand
    minus_c = (ref == "G") & np.isin(alt, ["A", "C"])  # the same on the - strand
    apobec = draw_motif < share
    w = np.where(draw_w == 0, "A", "T")
    left[:, -1] = np.where(plus_c & apobec, "T", np.where(minus_c & apobec, w, left[:, -1]))
    right[:, 0] = np.where(plus_c & apobec, w, np.where(minus_c & apobec, "A", right[:, 0]))
    cpg = ~apobec & (draw_cpg < cpg_share)
    right[:, 0] = np.where((ref == "C") & (alt == "T") & cpg, "G", right[:, 0])
    left[:, -1] = np.where((ref == "G") & (alt == "A") & cpg, "C", left[:, -1])
    snv = np.isin(ref, list("ACGT")) & np.isin(alt, list("ACGT"))
    context = np.char.add(np.char.add(np.array(["".join(r) for r in left], dtype=object).astype(str), ref),
                          np.array(["".join(r) for r in right], dtype=object).astype(str))
    out = maf.copy()
    out["CONTEXT"] = np.where(snv, context, "").astype(object)
    return out


def write_tsv(path: Path, df: pd.DataFrame, header_lines: Sequence[str] = (), append: bool = False) -> Path:
    """Tab-separated, unquoted, '\\n'-terminated; ints as ints, nulls as empty fields. ``append``: the rows only,
    after those of a file written with the same columns.

    Float columns must already be formatted as strings by the caller."""
    for c in df.columns:
        if df[c].dtype.kind == "f":
            raise TypeError(f"{path.name}: column {c} is float; format it first")
    table = pa.Table.from_pandas(df, preserve_index=False)
    with open(path, "ab" if append else "wb") as fh:
        if not append:
            for line in header_lines:
                fh.write((line + "\n").encode())
            fh.write(("\t".join(map(str, df.columns)) + "\n").encode())
        if len(df):
            pacsv.write_csv(
                table, fh,
                write_options=pacsv.WriteOptions(delimiter="\t", quoting_style="none",
                                                 include_header=False, batch_size=65536),
            )
    return path


def write_maf(path: Path, maf: pd.DataFrame) -> Path:
    return write_tsv(path, maf, header_lines=["#version 2.4"])


# --------------------------------------------------------------------------- copy number

def make_segments(
    rng: np.random.Generator,
    sample_ids: Sequence[str],
    burden_mb: np.ndarray,
    events_mean: float = 6.0,
    marks_per_mb: float = 20.0,
    focal: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Segments tiling chromosomes 1..22, X for every sample.

    Each sample gets ``1 + Poisson(events_mean)`` copy-number events whose lengths sum to
    about ``burden_mb`` (gains seg.mean 0.3..0.9, losses -0.9..-0.3, 8% deep losses -1.6..-1.1);
    the rest of the genome is neutral (|seg.mean| < 0.15).  ``focal`` (columns sample, chrom,
    start, end, seg_mean) adds events that replace any random event on that chromosome.
    CNV burden of a sample = total length of its segments with |seg.mean| >= 0.2.
    """
    samples = np.asarray(sample_ids, dtype=object)
    n_s = len(samples)
    lens = np.array([CHROM_LENGTHS_HG19[c] for c in CHROMS], dtype=np.int64)
    k = 1 + rng.poisson(events_mean, n_s)
    ev_s = np.repeat(np.arange(n_s), k)
    w = rng.exponential(1.0, len(ev_s))
    wsum = np.bincount(ev_s, weights=w, minlength=n_s)
    ev_len = (w / wsum[ev_s] * np.asarray(burden_mb, dtype=float)[ev_s] * 1e6).astype(np.int64)
    ev_chr = rng.choice(len(CHROMS), size=len(ev_s), p=lens / lens.sum())
    ev_len = np.clip(ev_len, 20_000, (lens[ev_chr] * 0.9).astype(np.int64))
    ev_start = 1 + (rng.random(len(ev_s)) * (lens[ev_chr] - ev_len)).astype(np.int64)
    u = rng.random(len(ev_s))
    mean = np.where(u < 0.55, rng.uniform(0.3, 0.9, len(ev_s)),
                    np.where(u < 0.92, rng.uniform(-0.9, -0.3, len(ev_s)),
                             rng.uniform(-1.6, -1.1, len(ev_s))))
    ev = pd.DataFrame({"s": ev_s, "c": ev_chr, "start": ev_start,
                       "end": ev_start + ev_len - 1, "mean": mean})
    if focal is not None and len(focal):
        sidx = pd.Series(np.arange(n_s), index=samples)
        f = pd.DataFrame({
            "s": sidx.loc[focal["sample"].to_numpy()].to_numpy(),
            "c": focal["chrom"].map(CHROM_RANK).to_numpy(),
            "start": focal["start"].to_numpy(np.int64),
            "end": focal["end"].to_numpy(np.int64),
            "mean": focal["seg_mean"].to_numpy(float),
        })
        key = set(zip(f["s"].tolist(), f["c"].tolist()))
        drop = np.array([(a, b) in key for a, b in zip(ev["s"].tolist(), ev["c"].tolist())], dtype=bool)
        ev = pd.concat([ev[~drop], f], ignore_index=True)
    ev = ev.sort_values(["s", "c", "start", "end"], kind="mergesort").reset_index(drop=True)
    # drop events overlapping an earlier event of the same sample/chromosome
    grp = ev["s"].to_numpy().astype(np.int64) * 100 + ev["c"].to_numpy()
    big = np.int64(10_000_000_000)
    cm = np.maximum.accumulate(grp * big + ev["end"].to_numpy(np.int64)) - grp * big
    first = np.r_[True, grp[1:] != grp[:-1]]
    prev_max = np.where(first, 0, np.r_[0, cm[:-1]])
    ev = ev[ev["start"].to_numpy() > prev_max].reset_index(drop=True)
    grp = ev["s"].to_numpy() * 100 + ev["c"].to_numpy()
    prev_end = ev.groupby(grp)["end"].shift(1).fillna(0).astype(np.int64).to_numpy()
    gaps = ev[ev["start"].to_numpy() > prev_end + 1][["s", "c"]].copy()
    gaps["end"] = ev["start"].to_numpy()[ev["start"].to_numpy() > prev_end + 1] - 1
    gaps["start"] = prev_end[ev["start"].to_numpy() > prev_end + 1] + 1
    last = ev.groupby(grp).tail(1)
    tail = last[last["end"].to_numpy() < lens[last["c"].to_numpy()]][["s", "c"]].copy()
    tail["start"] = last["end"].to_numpy()[last["end"].to_numpy() < lens[last["c"].to_numpy()]] + 1
    tail["end"] = lens[tail["c"].to_numpy()]
    have = np.zeros((n_s, len(CHROMS)), dtype=bool)
    have[ev["s"].to_numpy(), ev["c"].to_numpy()] = True
    es, ec = np.nonzero(~have)
    whole = pd.DataFrame({"s": es, "c": ec, "start": np.ones(len(es), dtype=np.int64), "end": lens[ec]})
    neutral = pd.concat([gaps, tail, whole], ignore_index=True)
    neutral["mean"] = np.clip(rng.normal(0.0, 0.04, len(neutral)), -0.14, 0.14)
    seg = pd.concat([ev, neutral[["s", "c", "start", "end", "mean"]]], ignore_index=True)
    seg = seg.sort_values(["s", "c", "start"], kind="mergesort").reset_index(drop=True)
    length = seg["end"].to_numpy() - seg["start"].to_numpy() + 1
    marks = 1 + (length / 1e6 * marks_per_mb * rng.uniform(0.8, 1.2, len(seg))).astype(np.int64)
    return pd.DataFrame({
        "ID": samples[seg["s"].to_numpy()],
        "chrom": np.array(CHROMS, dtype=object)[seg["c"].to_numpy()],
        "loc.start": seg["start"].to_numpy(np.int64),
        "loc.end": seg["end"].to_numpy(np.int64),
        "num.mark": marks,
        "seg.mean": np.round(seg["mean"].to_numpy(), 4),
    })


def format_segments(seg: pd.DataFrame) -> pd.DataFrame:
    out = seg.copy()
    out["seg.mean"] = fmt(out["seg.mean"].to_numpy(), 4)
    return out


def cnv_burden_mb(seg: pd.DataFrame, threshold: float = 0.2) -> pd.Series:
    s = seg[np.abs(seg["seg.mean"].astype(float)) >= threshold]
    return ((s["loc.end"] - s["loc.start"] + 1).groupby(s["ID"]).sum() / 1e6)


def discrete_cna(ref: Reference, seg: pd.DataFrame, gene_idx: np.ndarray, sample_ids: Sequence[str]) -> pd.DataFrame:
    """GISTIC-like -2..2 calls from the segment containing each gene's midpoint:
    >= 1.0 -> 2, >= 0.2 -> 1, <= -1.0 -> -2, <= -0.2 -> -1, else 0.  Wide table."""
    g = ref.genes.iloc[np.sort(gene_idx)]
    off = np.cumsum([0] + [CHROM_LENGTHS_HG19[c] for c in CHROMS])[:-1]
    offset = dict(zip(CHROMS, off))
    gpos = g["chrom"].map(offset).to_numpy() + (g["gene_start"].to_numpy() + g["gene_end"].to_numpy()) // 2
    out = {"Hugo_Symbol": g["gene"].to_numpy()}
    seg_g = seg.assign(_g=seg["chrom"].map(offset).to_numpy() + seg["loc.start"].to_numpy())
    for sid, df in seg_g.groupby("ID", sort=False):
        df = df.sort_values("_g")
        i = np.searchsorted(df["_g"].to_numpy(), gpos, side="right") - 1
        m = df["seg.mean"].astype(float).to_numpy()[i]
        out[sid] = np.select([m >= 1.0, m >= 0.2, m <= -1.0, m <= -0.2], [2, 1, -2, -1], 0).astype(np.int64)
    cols = ["Hugo_Symbol"] + list(sample_ids)
    return pd.DataFrame(out)[cols]


# --------------------------------------------------------------------------- formatting

def fmt(x: np.ndarray | pd.Series, nd: int, na: str = "NA") -> np.ndarray:
    """Fixed-decimal strings; NaN -> ``na``."""
    a = np.asarray(x, dtype=float)
    out = np.array([na if np.isnan(v) else f"{v:.{nd}f}" for v in a.tolist()], dtype=object)
    return out


def fmt_int(x: np.ndarray | pd.Series, na: str = "NA") -> np.ndarray:
    a = np.asarray(x, dtype=float)
    return np.array([na if np.isnan(v) else str(int(round(v))) for v in a.tolist()], dtype=object)


# --------------------------------------------------------------------------- cBioPortal files

# attribute -> (display name, description, datatype, priority)
ATTRIBUTES: dict[str, tuple[str, str, str, int]] = {
    "PATIENT_ID": ("Patient Identifier", "Identifier to uniquely specify a patient.", "STRING", 1),
    "SAMPLE_ID": ("Sample Identifier", "A unique sample identifier.", "STRING", 1),
    "AGE": ("Diagnosis Age", "Age at diagnosis (years).", "NUMBER", 1),
    "SEX": ("Sex", "Sex.", "STRING", 1),
    "STAGE": ("Stage", "AJCC stage at diagnosis.", "STRING", 1),
    "SUBTYPE": ("Subtype", "Clinical subtype (HR/HER2).", "STRING", 1),
    "HER2_IHC_SCORE": ("HER2 IHC Score", "HER2 immunohistochemistry score (0, 1+, 2+, 3+).", "STRING", 1),
    "HER2_IHC_ULTRALOW": ("HER2 Ultralow", "HER2 IHC 0 with faint staining in <=10% of cells.", "STRING", 1),
    "HER2_ISH_RATIO": ("HER2/CEP17 Ratio", "HER2/CEP17 ratio by in situ hybridisation.", "NUMBER", 1),
    "HER2_ISH_COPIES": ("HER2 Copies", "Mean HER2 signals per cell by ISH.", "NUMBER", 1),
    "HER2_ISH_STATUS": ("HER2 ISH Status", "ISH result (Positive/Negative).", "STRING", 1),
    "ER_STATUS": ("ER Status", "Estrogen receptor status.", "STRING", 1),
    "PR_STATUS": ("PR Status", "Progesterone receptor status.", "STRING", 1),
    "ER_PERCENT": ("ER Percent", "Percent of ER-positive tumour cells.", "NUMBER", 1),
    "PR_PERCENT": ("PR Percent", "Percent of PR-positive tumour cells.", "NUMBER", 1),
    "KI67_PERCENT": ("Ki-67 Percent", "Ki-67 labelling index (%).", "NUMBER", 1),
    "BEST_RESPONSE": ("Best Response", "Best overall response (RECIST 1.1).", "STRING", 1),
    "RESPONSE_GROUP": ("Response Group", "Extreme responder or non-responder.", "STRING", 1),
    "RESPONSE_DURATION_MONTHS": ("Response Duration (Months)", "Duration of response in months.", "NUMBER", 1),
    "PCR": ("pCR", "Pathological complete response (Yes/No).", "STRING", 1),
    "RCB_CLASS": ("RCB Class", "Residual cancer burden class.", "STRING", 1),
    "RCB_SCORE": ("RCB Score", "Residual cancer burden index.", "NUMBER", 1),
    "LINE_OF_THERAPY": ("Line of Therapy", "Line of therapy of the study treatment.", "NUMBER", 1),
    "METASTATIC_SITES": ("Metastatic Sites", "Metastatic sites (';'-separated).", "STRING", 1),
    "ANTI_HER2_CYCLES": ("Anti-HER2 Cycles", "Number of anti-HER2 therapy cycles.", "NUMBER", 1),
    "NEOADJUVANT": ("Neoadjuvant Therapy", "Received neoadjuvant therapy (Yes/No).", "STRING", 1),
    "PRIOR_ENDOCRINE_THERAPY": ("Prior Endocrine Therapy", "Endocrine therapy before metastasis biopsy.", "STRING", 1),
    "OS_MONTHS": ("Overall Survival (Months)", "Overall survival in months since treatment start.", "NUMBER", 1),
    "OS_STATUS": ("Overall Survival Status", "Overall patient survival status.", "STRING", 1),
    "PFS_MONTHS": ("Progression Free Survival (Months)", "Progression-free survival in months.", "NUMBER", 1),
    "PFS_STATUS": ("Progression Free Status", "Progression-free status.", "STRING", 1),
    "DFS_MONTHS": ("Disease Free (Months)", "Disease-free survival in months.", "NUMBER", 1),
    "DFS_STATUS": ("Disease Free Status", "Disease-free status.", "STRING", 1),
    "SAMPLE_TYPE": ("Sample Type", "Sample type (Primary, Metastasis, Plasma, Normal).", "STRING", 1),
    "TIMEPOINT": ("Timepoint", "Sampling timepoint (baseline, on_treatment).", "STRING", 1),
    "BIOPSY": ("Biopsy", "Biopsy number.", "NUMBER", 1),
    "TUMOR_SITE": ("Tumor Site", "Anatomical site of the sample.", "STRING", 1),
    "CANCER_TYPE": ("Cancer Type", "Cancer type.", "STRING", 1),
    "CANCER_TYPE_DETAILED": ("Cancer Type Detailed", "Detailed cancer type.", "STRING", 1),
    "ONCOTREE_CODE": ("Oncotree Code", "OncoTree code.", "STRING", 1),
    "TUMOR_PURITY": ("Tumor Purity", "Estimated tumour cell fraction.", "NUMBER", 1),
    "MUTATION_COUNT": ("Mutation Count", "Number of mutations.", "NUMBER", 1),
    # vendor-ish source columns of demo_zhang2022_panel (mapped in oncoduck_study.yml)
    "IHC_HER2": ("HER2 (IHC)", "HER2 IHC result as exported by the pathology system.", "STRING", 1),
    "FISH_RATIO": ("FISH ratio", "HER2/CEP17 FISH ratio.", "NUMBER", 1),
    "FISH_HER2_COPIES": ("FISH HER2 copies", "Average HER2 copies per nucleus.", "NUMBER", 1),
    "ER": ("ER", "ER result.", "STRING", 1),
    "ER_PCT": ("ER %", "ER percent.", "NUMBER", 1),
    "PR_PCT": ("PR %", "PR percent.", "NUMBER", 1),
    "Ki67": ("Ki67", "Ki-67 index (%).", "NUMBER", 1),
}


def write_clinical(path: Path, df: pd.DataFrame) -> Path:
    cols = list(df.columns)
    meta = [ATTRIBUTES[c] for c in cols]
    header = [
        "#" + "\t".join(m[0] for m in meta),
        "#" + "\t".join(m[1] for m in meta),
        "#" + "\t".join(m[2] for m in meta),
        "#" + "\t".join(str(m[3]) for m in meta),
    ]
    return write_tsv(path, df.astype(object).astype(str), header)


def write_meta(path: Path, items: Mapping[str, object]) -> Path:
    text = "".join(f"{k}: {v}\n" for k, v in items.items())
    path.write_bytes(text.encode())
    return path


def write_yaml(path: Path, obj: Mapping[str, object]) -> Path:
    text = yaml.safe_dump(dict(obj), sort_keys=False, default_flow_style=False, allow_unicode=True, width=1000)
    path.write_bytes(text.encode())
    return path


def write_gene_panel(path: Path, panel_id: str, description: str, genes: Sequence[str]) -> Path:
    text = f"stable_id: {panel_id}\ndescription: {description}\ngene_list: " + "\t".join(genes) + "\n"
    path.write_bytes(text.encode())
    return path


def study_meta_files(study_dir: Path, study_id: str, name: str, description: str,
                     has: Iterable[str]) -> list[Path]:
    """Write meta_*.txt for the data kinds in ``has`` (subset of: patient, sample, mutations,
    cna, seg, panel_matrix, timeline_treatment)."""
    has = set(has)
    sid = {"cancer_study_identifier": study_id}
    out = [write_meta(study_dir / "meta_study.txt", {
        "type_of_cancer": "brca", "cancer_study_identifier": study_id, "name": name,
        "description": description, "reference_genome": "hg19", "add_global_case_list": "true",
    })]
    if "patient" in has:
        out.append(write_meta(study_dir / "meta_clinical_patient.txt", {
            **sid, "genetic_alteration_type": "CLINICAL", "datatype": "PATIENT_ATTRIBUTES",
            "data_filename": "data_clinical_patient.txt"}))
    if "sample" in has:
        out.append(write_meta(study_dir / "meta_clinical_sample.txt", {
            **sid, "genetic_alteration_type": "CLINICAL", "datatype": "SAMPLE_ATTRIBUTES",
            "data_filename": "data_clinical_sample.txt"}))
    if "mutations" in has:
        out.append(write_meta(study_dir / "meta_mutations.txt", {
            **sid, "genetic_alteration_type": "MUTATION_EXTENDED", "datatype": "MAF",
            "stable_id": "mutations", "show_profile_in_analysis_tab": "true",
            "profile_name": "Mutations", "profile_description": "Simulated somatic mutations.",
            "data_filename": "data_mutations.txt"}))
    if "cna" in has:
        out.append(write_meta(study_dir / "meta_cna.txt", {
            **sid, "genetic_alteration_type": "COPY_NUMBER_ALTERATION", "datatype": "DISCRETE",
            "stable_id": "gistic", "show_profile_in_analysis_tab": "true",
            "profile_name": "Putative copy-number alterations",
            "profile_description": "Discrete calls from segment means (-2 deep loss .. 2 amplification).",
            "data_filename": "data_cna.txt"}))
    if "seg" in has:
        out.append(write_meta(study_dir / "meta_cna_seg.txt", {
            **sid, "genetic_alteration_type": "COPY_NUMBER_ALTERATION", "datatype": "SEG",
            "reference_genome_id": "hg19", "description": "Simulated copy-number segments (log2 ratio).",
            "data_filename": "data_cna_hg19.seg"}))
    if "panel_matrix" in has:
        out.append(write_meta(study_dir / "meta_gene_panel_matrix.txt", {
            **sid, "genetic_alteration_type": "GENE_PANEL_MATRIX", "datatype": "GENE_PANEL_MATRIX",
            "data_filename": "data_gene_panel_matrix.txt"}))
    if "timeline_treatment" in has:
        out.append(write_meta(study_dir / "meta_timeline_treatment.txt", {
            **sid, "genetic_alteration_type": "CLINICAL", "datatype": "TIMELINE",
            "data_filename": "data_timeline_treatment.txt"}))
    return out
