"""A study's own TMB definitions and assays: ``tmb_definitions:`` and ``assays:`` in ``oncoduck_study.yml``.

The named definitions and assays of ``seeds/reference`` (tmb_definitions.csv, nonsynonymous_definitions.csv,
assays.csv, panel_genes.csv, public_panel_genes.csv) stay the shared vocabulary. A study may add its own, for
itself only, without touching them::

    tmb_definitions:
      - id: transneo_all_rows
        variants: all                  # every mutation row; or [Missense_Mutation, ...]; or maftools (a seed
                                       # nonsynonymous definition)
        excludes_hotspots: false       # default false
        assay_genes_only: false        # default false: count only genes the sample's assay covers
        coding_mb: 45.54094            # divides the count; else the study's coding_mb, else the assay's
        description: TransNEO exome TMB (all mutation rows / 45.54 Mb)
    tmb_definition: transneo_all_rows  # a seed id or one declared above
    assays:
      - id: transneo_exome
        type: exome                    # exome | panel | targeted_plasma | genome
        coding_mb: 45.54094
        genes: all                     # or [TP53, PIK3CA, ...]; or genes_file: genes.txt (one per line); or
                                       # targets_file: targets.bed (the genes whose exons overlap a target)
    assay_id: transneo_exome

Keys, types and defaults are written once, in ``declarations.KEYS``, which also checks them (an unknown id, a
seed id taken again, a wrong type: refused with ``file:line:column: key: reason``). Here the checked
declarations are resolved (defaults filled in) and landed one row per setting in ``landing_declared_references``
(like landing_analysis_settings); staging unions them with the seeds (stg_study__tmb_definitions,
stg_study__nonsynonymous_definitions, stg_study__assays, stg_study__assay_genes), so every model that reads
definitions or assays sees the seed's rows and the study's own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from . import declarations
from .analysis_settings import DeclarationError
from .reader import sql_string

BLOCKS = ("tmb_definitions", "assays")
COLUMNS = ("study_id", "source_file", "source_line", "block", "item_id", "setting", "list_index", "value",
           "value_source")
FROM_FILE = "oncoduck_study.yml"


def read_genes_file(path: Path) -> list[tuple[int, str]]:
    """(line, gene symbol, upper case) of a gene list file: one gene per line, the first field of a tab- or
    space-separated line; blank lines and ``#`` comments are skipped."""
    genes = []
    for line_number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if text:
            genes.append((line_number, text.split()[0].upper()))
    return genes


def read_bed(path: Path) -> tuple[list[tuple[int, str, int, int]], list[str]]:
    """(line, chromosome, 0-based start, end) of every interval of a BED file, and its problems as
    ``line N: message`` (fewer than three fields, positions that are not whole numbers, start < 0 or end <=
    start). ``track``, ``browser``, ``#`` and blank lines are skipped."""
    intervals, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.startswith(("#", "track", "browser")):
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if len(fields) < 3:
            problems.append(f"{path.name} line {number}: a BED line is chrom<TAB>start<TAB>end, got {line!r}")
            continue
        try:
            start, end = int(fields[1]), int(fields[2])
        except ValueError:
            problems.append(f"{path.name} line {number}: start and end must be whole numbers, got {fields[1]!r}, "
                            f"{fields[2]!r}")
            continue
        if start < 0 or end <= start:
            problems.append(f"{path.name} line {number}: needs 0 <= start < end, got {start}, {end}")
            continue
        intervals.append((number, fields[0].strip(), start, end))
    return intervals, problems


def resolve(config_path: Path, config: dict[str, Any], study_id: str) -> list[dict[str, Any]]:
    """The study's declared TMB definitions and assays, one row per setting (``setting`` is the key's path in
    declarations.KEYS, e.g. ``tmb_definitions[].coding_mb``), defaults filled in (``value_source`` says which).
    A list gives one row per item, numbered from 1 in ``list_index`` (variant classes, genes; the genes of a
    ``genes_file`` with that file and line); a scalar has none. Raises DeclarationError naming file, line,
    column and key for the first declaration that cannot be honoured (declarations.problems lists them all)."""
    found = declarations.find(config_path, config, only=BLOCKS)
    if found:
        raise DeclarationError(found[0].format(config_path))
    marks = declarations._Positions(config_path).marks
    rows: list[dict[str, Any]] = []

    def add(block: str, item_id: str, key: str, value: Any, where: tuple, given: bool, index: int | None = None,
            source_file: Path = config_path, line: int | None = None) -> None:
        rows.append({"source_file": str(source_file), "block": block, "item_id": item_id,
                     "setting": f"{block}[].{key}", "list_index": index,
                     "value": str(value).lower() if isinstance(value, bool) else str(value),
                     # a defaulted setting points at its item (the list entry)
                     "source_line": line if line is not None else
                     marks.get(where if given else where[:2], (None,))[0],
                     "value_source": FROM_FILE if given else "default"})

    for i, item in enumerate(config.get("tmb_definitions") or []):
        block, item_id = "tmb_definitions", item["id"]
        path = (block, i)
        add(block, item_id, "id", item_id, path + ("id",), True)
        variants = item["variants"]
        if isinstance(variants, list):  # the classes counted, one row each
            for j, variant_class in enumerate(dict.fromkeys(variants), start=1):
                add(block, item_id, "variants", variant_class, path + ("variants", variants.index(variant_class)),
                    True, j)
        else:  # all, or a seed nonsynonymous definition id
            add(block, item_id, "variants", variants, path + ("variants",), True)
        for key in ("excludes_hotspots", "assay_genes_only"):
            add(block, item_id, key, bool(item.get(key, False)), path + (key,), key in item)
        if "coding_mb" in item:
            add(block, item_id, "coding_mb", repr(float(item["coding_mb"])), path + ("coding_mb",), True)
        add(block, item_id, "description", item.get("description", f"declared by {study_id} in {FROM_FILE}"),
            path + ("description",), "description" in item)

    for i, item in enumerate(config.get("assays") or []):
        block, item_id = "assays", item["id"]
        path = (block, i)
        add(block, item_id, "id", item_id, path + ("id",), True)
        add(block, item_id, "type", item["type"], path + ("type",), True)
        if "coding_mb" in item:
            add(block, item_id, "coding_mb", repr(float(item["coding_mb"])), path + ("coding_mb",), True)
        add(block, item_id, "description", item.get("description", f"{item_id} (declared in {FROM_FILE})"),
            path + ("description",), "description" in item)
        genes = item.get("genes", None if "genes_file" in item or "targets_file" in item else "all")
        if "targets_file" in item:  # the genes come from the targets in staging (stg_study__assay_genes)
            bed = (config_path.parent / item["targets_file"]).resolve()
            add(block, item_id, "targets_file", bed, path + ("targets_file",), True)
            for j, (line, chromosome, start, end) in enumerate(read_bed(bed)[0], start=1):
                # the intervals are the targets_file rows with a list_index (chrom:start:end, BED 0-based start)
                add(block, item_id, "targets_file", f"{chromosome}:{start}:{end}", path + ("targets_file",), True, j,
                    bed, line)
        elif genes == "all":  # every gene (an exome's or genome's default)
            add(block, item_id, "genes", "all", path + ("genes",), "genes" in item)
        elif isinstance(genes, list):
            for j, gene in enumerate(genes, start=1):
                add(block, item_id, "genes", str(gene).strip().upper(), path + ("genes", j - 1), True, j)
        else:
            genes_file = (config_path.parent / item["genes_file"]).resolve()
            add(block, item_id, "genes_file", genes_file, path + ("genes_file",), True)
            for j, (line, gene) in enumerate(read_genes_file(genes_file), start=1):
                add(block, item_id, "genes", gene, path + ("genes_file",), True, j, genes_file, line)
    return rows


def _assay_content(rows: list[dict[str, Any]], assay_id: str) -> tuple:
    """What makes an assay (type, coding size, description, genes), to compare two studies' declarations."""
    return tuple(sorted((r["setting"], r["list_index"] or 0, r["value"]) for r in rows
                        if r["block"] == "assays" and r["item_id"] == assay_id and r["setting"] != "assays[].genes_file"
                        and not (r["setting"] == "assays[].targets_file" and r["list_index"] is None)))


def declared_references_sql(studies) -> str:
    """landing_declared_references: the resolved declarations of every study. The same assay id declared by
    two studies with different content is refused (dim_assay has one row per assay id)."""
    from .study import CONFIG_FILE

    values = []
    assays: dict[str, tuple[Path, tuple]] = {}
    for study in studies:
        config_path = study.directory / CONFIG_FILE
        rows = resolve(config_path, study.config, study.study_id)
        for assay_id in dict.fromkeys(r["item_id"] for r in rows if r["block"] == "assays"):
            content = _assay_content(rows, assay_id)
            if assay_id in assays and assays[assay_id][1] != content:
                raise DeclarationError(f"{config_path}: assays: '{assay_id}' is also declared by {assays[assay_id][0]} "
                                       f"with another type, coding size, gene list or description; an assay id "
                                       f"names one assay in the warehouse: rename one of them")
            assays.setdefault(assay_id, (config_path, content))
        for row in rows:
            line, index = ("null" if row[c] is None else str(int(row[c])) for c in ("source_line", "list_index"))
            values.append(f"({sql_string(study.study_id)}, {sql_string(row['source_file'])}, {line}, "
                          f"{sql_string(row['block'])}, {sql_string(row['item_id'])}, {sql_string(row['setting'])}, "
                          f"cast({index} as bigint), {sql_string(row['value'])}, {sql_string(row['value_source'])})")
    if not values:
        return ("select " + ", ".join(f"cast(null as {'bigint' if c in ('source_line', 'list_index') else 'varchar'}) "
                                      f"as {c}" for c in COLUMNS) + " where false")
    return f"select * from (values {', '.join(values)}) v({', '.join(COLUMNS)})"
