"""Protein length and domains per gene, for the report's lollipop plots: ``protein_domains.tsv.gz`` beside this file.

One transcript per gene, chosen as maftools' plotProtein chooses it: the longest RefSeq protein of the gene, the
first listed among equals. Source: maftools 2.22.20 (MIT licence), ``inst/extdata/prot_len.txt.gz`` (RefSeq
protein lengths) and ``inst/extdata/protein_domains.RDs`` (Pfam, SMART, CDD and TIGRFAM domains of each RefSeq
protein, from NCBI's annotation), in ../shared/bench/maftools/maftools-src.tar.gz. 18,251 genes, 54,638 domains.

Rebuilt by hand (the warehouse build only reads the committed file)::

    pip install rdata
    python -m oncoduck.reference.protein_domains maftools-src.tar.gz
"""

from __future__ import annotations

import sys
import tarfile
import tempfile
from functools import lru_cache
from pathlib import Path

import pandas as pd

PATH = Path(__file__).with_name("protein_domains.tsv.gz")
COLUMNS = ["hugo_symbol", "refseq_id", "protein_id", "aa_length", "domain_start", "domain_end", "domain_label",
           "domain_name"]


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return pd.read_csv(PATH, sep="\t", dtype={"domain_start": "Int64", "domain_end": "Int64"})


def proteins(genes: list[str]) -> pd.DataFrame:
    """The rows of ``genes`` (one per domain; a gene without a known domain has one row with empty domain
    columns, a gene without a known protein none)."""
    table = _table()
    return table[table["hugo_symbol"].isin(genes)].reset_index(drop=True)


def build(tarball: Path, out: Path = PATH) -> pd.DataFrame:
    """Write ``out`` from maftools' source tarball (needs the ``rdata`` package, not a dependency of oncoduck)."""
    import rdata

    with tempfile.TemporaryDirectory() as tmp, tarfile.open(tarball) as tar:
        for member in ("maftools/inst/extdata/protein_domains.RDs", "maftools/inst/extdata/prot_len.txt.gz"):
            tar.extract(member, tmp, filter="data")
        domains = rdata.conversion.convert(rdata.parser.parse_file(
            Path(tmp) / "maftools/inst/extdata/protein_domains.RDs"))
        lengths = pd.read_csv(Path(tmp) / "maftools/inst/extdata/prot_len.txt.gz", sep="\t")
    domains.columns = [str(c) for c in domains.columns]
    lengths = lengths.assign(order=range(len(lengths))).sort_values(
        ["Hugo_Symbol", "aa.length", "order"], ascending=[True, False, True])
    chosen = lengths.drop_duplicates("Hugo_Symbol")[["Hugo_Symbol", "refseq.ID", "protein.ID", "aa.length"]]
    domains = domains[["refseq.ID", "Start", "End", "Label", "domain.anno"]].assign(
        domain_name=lambda d: d["domain.anno"].astype("string").str.split(";").str[0].str.strip().str.slice(0, 100))
    table = chosen.merge(domains, on="refseq.ID", how="left").rename(columns={
        "Hugo_Symbol": "hugo_symbol", "refseq.ID": "refseq_id", "protein.ID": "protein_id", "aa.length": "aa_length",
        "Start": "domain_start", "End": "domain_end", "Label": "domain_label"})[COLUMNS]
    table = table.astype({"domain_start": "Int64", "domain_end": "Int64"}).sort_values(["hugo_symbol", "domain_start"])
    table.to_csv(out, sep="\t", index=False)
    return table


if __name__ == "__main__":
    written = build(Path(sys.argv[1]))
    print(f"{PATH}: {written['hugo_symbol'].nunique()} genes, {written['domain_label'].notna().sum()} domains")
