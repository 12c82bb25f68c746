"""Gene sets a study adds (``gene_sets:`` in ``oncoduck_study.yml``): GMT or TSV files in the study folder.

* GMT (MSigDB's format, ``.gmt``): one set per line, ``name<TAB>description<TAB>gene<TAB>gene ...``.
* TSV (any other name): a header with ``gene_set`` and ``gene`` columns (``hugo_symbol`` is read as ``gene``),
  one gene per line.

Each file is a collection named by its file name without extensions (``kegg_metabolism.gmt`` ->
``kegg_metabolism``); the shared collections of seeds/reference/gene_sets.csv keep their names, and a
study file may not take one of them. Genes are upper-cased (the warehouse's HUGO symbols are); a gene listed
twice in a set counts once. A file that cannot be read as either format is refused naming file and line:
a declaration is honoured or refused, never dropped. The sets reach the warehouse as ``landing_gene_sets``
and, with the seed's, ``stg_study__gene_sets``: pathway frequencies, their enrichment tests, paired McNemar
tests and NMF on pathways count them for their own study only.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .reader import values_sql
from .study import CONFIG_FILE, Study, StudyError

COLUMNS = ("study_id", "source_file", "source_line", "collection", "gene_set", "gene")


def collection_name(path: Path) -> str:
    """``kegg_metabolism.gmt`` -> ``kegg_metabolism`` (every extension dropped: ``sets.tsv.gz`` -> ``sets``)."""
    return path.name.split(".", 1)[0]


def read_gene_sets(path: Path) -> tuple[list[tuple[int, str, str]], list[str]]:
    """(line, gene set, gene) rows of one file, and its problems as ``file:line: message``."""
    rows: list[tuple[int, str, str]] = []
    problems: list[str] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}: cannot be read as UTF-8 text ({error})"]
    lines = text.splitlines()
    if path.suffix.lower() == ".gmt":
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            fields = [f.strip() for f in line.split("\t")]
            genes = [g for g in fields[2:] if g]
            if len(fields) < 3 or not fields[0] or not genes:
                problems.append(f"{path}:{number}: a GMT line is name<TAB>description<TAB>gene<TAB>...; "
                                f"this one has {len(fields)} tab-separated field(s) and {len(genes)} gene(s)")
                continue
            rows += [(number, fields[0], gene.upper()) for gene in genes]
    else:
        reader = csv.reader(lines, delimiter="\t")
        header = [h.strip().lower() for h in next(reader, [])]
        header = ["gene" if h == "hugo_symbol" else h for h in header]
        if "gene_set" not in header or "gene" not in header:
            return [], [f"{path}:1: a gene set TSV needs the columns gene_set and gene (or hugo_symbol); "
                        f"found {', '.join(header) or 'none'} (a .gmt file is read as GMT)"]
        set_at, gene_at = header.index("gene_set"), header.index("gene")
        for number, fields in enumerate(reader, start=2):
            if not any(f.strip() for f in fields):
                continue
            if len(fields) <= max(set_at, gene_at) or not fields[set_at].strip() or not fields[gene_at].strip():
                problems.append(f"{path}:{number}: needs a gene_set and a gene, got {fields!r}")
                continue
            rows.append((number, fields[set_at].strip(), fields[gene_at].strip().upper()))
    if not rows and not problems:
        problems.append(f"{path}: no gene sets in the file")
    return rows, problems


def gene_set_rows(study: Study) -> list[dict[str, object]]:
    """One row per study-declared set x gene (first line of a gene listed twice). Raises StudyError naming
    every problem (declarations.py refuses missing files and reserved names; this reads the content)."""
    declared = study.config.get("gene_sets")
    if not declared:
        return []
    rows, problems, seen = [], [], set()
    for name in declared if isinstance(declared, list) else [declared]:
        path = (study.directory / str(name)).resolve()
        found, wrong = read_gene_sets(path)
        problems += wrong
        for line, gene_set, gene in found:
            key = (collection_name(path), gene_set, gene)
            if key in seen:
                continue
            seen.add(key)
            rows.append({"study_id": study.study_id, "source_file": str(path), "source_line": line,
                         "collection": key[0], "gene_set": gene_set, "gene": gene})
    if problems:
        raise StudyError(f"{study.directory / CONFIG_FILE}: gene_sets:\n" + "\n".join(problems))
    return rows


def gene_sets_sql(studies: list[Study]) -> str:
    return values_sql([r for s in studies for r in gene_set_rows(s)], COLUMNS, {"source_line": "bigint"})
