"""The protein-coding gene reference of each genome build (hg19, hg38), derived from GENCODE.

Writes the committed seeds ``seeds/reference/genes_hg19.csv`` and ``genes_hg38.csv`` from the GENCODE
tables in ``../shared/data/reference`` (see its PROVENANCE.md) and the committed cytoband seeds. Run it
by hand when the source changes; the warehouse build reads only the committed CSVs::

    .venv/bin/python -m oncoduck.reference.gencode [--shared ../shared/data] [--out seeds/reference]

One row per protein-coding gene symbol: ``gene, chrom, gene_start, gene_end, strand, exonic_start,
exonic_end, cds_bp, cytoband``.

Coordinates are copied unchanged: the source tables are 1-based and closed, as GENCODE's GTF (ERBB2 is
chr17:37,844,167-37,886,679 in hg19 and chr17:39,687,914-39,730,426 in hg38, as Ensembl GRCh37 / GRCh38
give it). Lengths are ``end - start + 1``. The CDS rows include the stop codon (OR4F5's single CDS is 918 bp
for a 305-residue protein), so ``cds_bp`` counts it.

Rules, applied to the rows whose ``gene_type`` is ``protein_coding``:

* chromosomes 1-22, X and Y, named without ``chr``; the 13 mitochondrial genes are left out (segment files
  do not cover chrM);
* a symbol on several chromosomes keeps one: X over Y (the pseudoautosomal genes, e.g. CRLF2, P2RY8,
  SHOX, are listed on both), then the locus GENCODE annotates best (lower ``level``: 1 verified, 2 manual,
  3 automatic; in hg19 CKS1B keeps chr1 over a 240 bp chr5 locus and LSP1 chr11 over chr13), then the
  earlier chromosome;
* the loci of a symbol on its kept chromosome become one row from the first start to the last end, with the
  strand of the first listed locus (five hg19 and two hg38 symbols have disjoint loci, the widest hg38 NPIPA9,
  2 Mb apart in the 16p13 duplicated region);
* ``exonic_start`` / ``exonic_end``: first and last base of the symbol's protein-coding exons on that
  chromosome (the "entire exonic span" of Lim et al. 2021's segment-to-gene rule);
* ``cds_bp``: length of the union of its CDS intervals on that chromosome (overlaps counted once);
* ``cytoband``: the band of ``cytobands_<build>.csv`` holding ``gene_start`` (UCSC bands are 0-based
  half-open, so a 1-based position p lies in the band with ``start < p <= end``).

For the 1,269 genes of the earlier demo-only seed these rules give byte-identical rows.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from oncoduck.paths import PROJECT_ROOT

__all__ = [
    "BUILDS",
    "CHROMOSOMES",
    "COLUMNS",
    "build_gene_reference",
    "gene_reference",
    "main",
    "source_files",
    "union_length",
    "write_gene_references",
]

BUILDS: tuple[str, ...] = ("hg19", "hg38")
CHROMOSOMES: tuple[str, ...] = tuple(str(i) for i in range(1, 23)) + ("X", "Y")
COLUMNS: list[str] = ["gene", "chrom", "gene_start", "gene_end", "strand", "exonic_start", "exonic_end",
                      "cds_bp", "cytoband"]
DEFAULT_SHARED = PROJECT_ROOT.parent / "shared" / "data"
SEED_DIR = PROJECT_ROOT / "seeds" / "reference"


def source_files(shared: Path, build: str) -> dict[str, Path]:
    """The three GENCODE tables of one build under ``shared``/reference (genes, exons, CDS)."""
    ref = Path(shared) / "reference"
    return {
        "genes": ref / f"gencode_genes_{build}.tsv.gz",
        "exons": ref / f"gencode_exons_protein_coding_{build}.tsv.gz",
        "cds": ref / f"gencode_cdss_protein_coding_{build}.tsv.gz",
    }


def union_length(intervals: pd.DataFrame, key: str) -> pd.Series:
    """Length of the union of the closed 1-based intervals ``[start, end]`` of each ``key`` (overlaps counted
    once), as bedtools merge then summed lengths. Vectorised: each interval adds the part of it beyond the
    furthest end of the earlier-starting intervals of its key."""
    ordered = intervals.sort_values([key, "start", "end"], kind="stable")
    reached = ordered.groupby(key, sort=False)["end"].cummax().groupby(ordered[key], sort=False).shift()
    first_new = np.maximum(ordered["start"].to_numpy(), reached.fillna(0).to_numpy() + 1)
    added = np.clip(ordered["end"].to_numpy() - first_new + 1, 0, None)
    return pd.Series(added, index=ordered.index).groupby(ordered[key], sort=True).sum().astype(np.int64)


def _strip_chr(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["chrom"] = out["chrom"].astype(str).str.removeprefix("chr")
    return out


def _kept_loci(genes: pd.DataFrame) -> pd.DataFrame:
    """Protein-coding gene rows on the symbol's kept chromosome (module docstring: X over Y, then the best
    GENCODE level, then the earlier chromosome), in source order."""
    pc = _strip_chr(genes[genes["gene_type"] == "protein_coding"])
    pc = pc[pc["chrom"].isin(CHROMOSOMES)].copy()
    order = {c: i for i, c in enumerate(CHROMOSOMES)}
    ranked = pc.assign(on_y=pc["chrom"].eq("Y"), chrom_order=pc["chrom"].map(order)).sort_values(
        ["gene_name", "on_y", "level", "chrom_order", "start"], kind="stable")
    kept_chrom = ranked.drop_duplicates("gene_name")[["gene_name", "chrom"]]
    return pc.merge(kept_chrom, on=["gene_name", "chrom"], how="inner", sort=False)


def _cytobands(table: pd.DataFrame, bands: pd.DataFrame) -> pd.Series:
    """The band holding each row's gene_start (``start < gene_start <= end``, UCSC 0-based bands)."""
    out = pd.Series(pd.NA, index=table.index, dtype=object)
    for chrom, index in table.groupby("chrom").groups.items():
        chrom_bands = bands[bands["chrom"] == chrom].sort_values("start")
        if chrom_bands.empty:
            continue
        position = table.loc[index, "gene_start"].to_numpy()
        k = np.searchsorted(chrom_bands["end"].to_numpy(), position, side="left")
        inside = k < len(chrom_bands)
        labels = np.where(inside, chrom_bands["band"].to_numpy()[np.clip(k, 0, len(chrom_bands) - 1)], None)
        out.loc[index] = labels
    return out


def gene_reference(genes: pd.DataFrame, exons: pd.DataFrame, cds: pd.DataFrame,
                   cytobands: pd.DataFrame) -> pd.DataFrame:
    """One row per protein-coding gene symbol (module docstring rules) from GENCODE genes (chrom, start, end,
    gene_name, strand, gene_type, level), protein-coding exons and CDS intervals (chrom, start, end,
    gene_name) and a cytoband seed (chrom, start, end, band), sorted by gene."""
    loci = _kept_loci(genes)
    spans = (
        loci.groupby("gene_name", sort=True)
        .agg(chrom=("chrom", "first"), gene_start=("start", "min"), gene_end=("end", "max"),
             strand=("strand", "first"))
    )
    kept = spans[["chrom"]].reset_index()
    gene_exons = _strip_chr(exons).merge(kept, on=["gene_name", "chrom"])
    gene_cds = _strip_chr(cds).merge(kept, on=["gene_name", "chrom"])
    exonic = gene_exons.groupby("gene_name").agg(exonic_start=("start", "min"), exonic_end=("end", "max"))
    table = spans.join(exonic, how="inner").join(union_length(gene_cds, "gene_name").rename("cds_bp"), how="inner")
    missing = sorted(set(spans.index) - set(table.index))
    if missing:
        raise ValueError(f"protein-coding genes without exons or CDS on their chromosome: {missing[:10]}")
    table = table.reset_index().rename(columns={"gene_name": "gene"})
    for column in ("gene_start", "gene_end", "exonic_start", "exonic_end", "cds_bp"):
        table[column] = table[column].astype(np.int64)
    table["cytoband"] = _cytobands(table, cytobands)
    return table[COLUMNS].sort_values("gene", kind="stable").reset_index(drop=True)


def build_gene_reference(shared: Path, build: str, seed_dir: Path = SEED_DIR) -> pd.DataFrame:
    """The gene reference of ``build`` from the GENCODE tables under ``shared`` and the committed
    ``cytobands_<build>.csv`` of ``seed_dir``."""
    if build not in BUILDS:
        raise ValueError(f"build {build!r}: expected one of {', '.join(BUILDS)}")
    paths = source_files(shared, build)
    for path in paths.values():
        if not path.exists():
            raise FileNotFoundError(f"{path}: GENCODE source table missing (../shared/data/reference)")
    genes = pd.read_csv(paths["genes"], sep="\t")
    exons = pd.read_csv(paths["exons"], sep="\t")
    cds = pd.read_csv(paths["cds"], sep="\t")
    cytobands = pd.read_csv(Path(seed_dir) / f"cytobands_{build}.csv", dtype={"chrom": str})
    return gene_reference(genes, exons, cds, cytobands)


def write_gene_references(shared: Path, out_dir: Path = SEED_DIR, seed_dir: Path = SEED_DIR) -> list[Path]:
    """Write ``genes_<build>.csv`` for every build into ``out_dir``; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for build in BUILDS:
        path = out_dir / f"genes_{build}.csv"
        build_gene_reference(shared, build, seed_dir).to_csv(path, index=False, lineterminator="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                        help="the shared data folder (default ../shared/data)")
    parser.add_argument("--out", type=Path, default=SEED_DIR,
                        help="where to write genes_<build>.csv (default seeds/reference)")
    args = parser.parse_args(argv)
    for path in write_gene_references(args.shared, args.out):
        table = pd.read_csv(path, dtype={"chrom": str})
        print(f"{path}: {len(table)} protein-coding genes, {table['cds_bp'].sum() / 1e6:.2f} Mb merged CDS")


if __name__ == "__main__":
    main()
