"""The input kinds oncoduck lands, each declared once.

A kind says how its files are found (cBioPortal meta types, conventional file names), which columns are read
and under which header names (synonyms; the study's ``columns:`` mapping wins), which columns a file cannot be
landed without, which landing table it lands in and which staging model checks its lines (its rejects feed
``all_rejects``). Discovery (study.py), landing (landing.py) and validation (findings.py) read these
declarations, and ``python -m oncoduck.ingest.kinds --write`` writes the dbt files that follow from them:

- ``models/landing/landing_<table>.py``, the landing model of every kind read line by line;
- ``models/landing/_landing__lines.yml``, those models' documentation and the Spark target's ``prelanded``
  source (every landing table);
- ``models/landing/spark/landing_<table>.sql``, every landing model as the Spark target has it: a view of the
  table pre-landed from DuckDB, under the same name;
- ``models/staging/all_rejects.sql``, the union of every staging model's rejected lines.

``tests/python/ingest/test_input_kinds.py`` fails when a written file is not what the declarations give.
Adding a kind whose lines have named columns is one entry in ``KINDS`` and its staging models; the README's
"Adding an input kind" section walks through structural variants.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
from pathlib import Path


@dataclasses.dataclass(frozen=True)
class Column:
    """A canonical column of a kind: landed as text under ``name``, read from the first header name in
    ``synonyms`` that the file has (compared in lower case)."""

    name: str
    synonyms: tuple[str, ...]
    note: str = ""  # said after the accepted names in the landing documentation

    def description(self, kind: InputKind) -> str:
        if kind.layout == "positional":
            position = kind.columns.index(self) + 1
            return f"{kind.label} column {position} ({self.synonyms[0]}) as text; {kind.label} files are positional."
        names = ", ".join(self.synonyms)
        return (f"{kind.label} column {self.name} as text (accepted names: {names}{self.note}; the study's columns: "
                f"mapping wins).")


@dataclasses.dataclass(frozen=True)
class InputKind:
    """One kind of study file."""

    name: str  # the file kind: oncoduck_study.yml files: key, landing_study_files.file_kind
    landed_in: str  # the landing table is landing_<landed_in>
    label: str = ""  # how the documentation names its columns ("MAF column ...")
    meta_types: tuple[tuple[str, str], ...] = ()  # cBioPortal (genetic_alteration_type, datatype)
    file_patterns: tuple[str, ...] = ()  # names of files that come without a meta file
    # columns read by header name (layout "named") or by position (layout "positional"); a kind with its own
    # layout ("own": wide clinical and CNA files, timelines, panel files, case lists) names only the columns
    # it finds by name, and its landing SQL is written in landing.py
    layout: str = "own"
    also_feeds: tuple[str, ...] = ()  # other landing tables built from these files (their checks apply there too)
    columns: tuple[Column, ...] = ()
    required: tuple[tuple[str, ...], ...] = ()  # columns a file cannot be landed without; one of each tuple
    required_why: tuple[tuple[str, str], ...] = ()  # (first column of a required tuple, why it is required)
    reads_every_column: bool = False  # every header column is landed (a name given twice is ambiguous)
    description: str = ""  # of the landing table (kinds landed line by line)
    # the staging model whose rows with a reject_reason are this kind's rejected lines (all_rejects reads them,
    # and a landed line is either accepted or there), the input_kind it has there, and the SQL of the field a
    # reject points at (source_column of wide layouts; null when the line as a whole is rejected)
    rejects_model: str = ""
    rejects_label: str = ""
    rejects_column: str = "source_column"

    @property
    def synonyms(self) -> dict[str, tuple[str, ...]]:
        return {c.name: c.synonyms for c in self.columns}

    @property
    def is_line_kind(self) -> bool:
        """Landed by the generic line lander (one row per data line, the declared columns)."""
        return self.layout in ("named", "positional")


_GENE_WHY = (("hugo_symbol", "no variant or copy-number value could be given a gene: add Hugo_Symbol or "
                             "Entrez_Gene_Id (or map a column to one in oncoduck_study.yml columns:)"),)

#: In the order their file_patterns are tried: a file without a meta file has the first kind a pattern of which
#: matches its name (data_cna_log2*.txt is continuous CNA, data_cna*.seg segments, before data_cna*.txt).
KINDS: tuple[InputKind, ...] = (
    InputKind("clinical_patient", "clinical", meta_types=(("CLINICAL", "PATIENT_ATTRIBUTES"),),
              file_patterns=("data_clinical_patient*.txt",),
              columns=(Column("patient_id", ("patient_id",)), Column("sample_id", ("sample_id",))),
              required=(("patient_id",),), reads_every_column=True,
              rejects_model="stg_study__clinical_rejects", rejects_label="clinical"),
    InputKind("clinical_sample", "clinical", meta_types=(("CLINICAL", "SAMPLE_ATTRIBUTES"),),
              file_patterns=("data_clinical_sample*.txt",),
              columns=(Column("patient_id", ("patient_id",)), Column("sample_id", ("sample_id",))),
              required=(("sample_id",),), reads_every_column=True),
    InputKind(
        "mutations", "mutations", "MAF",
        meta_types=(("MUTATION_EXTENDED", "MAF"),),
        also_feeds=("sequenced_samples",),  # the MAF's #Sequenced_Samples: line
        file_patterns=("data_mutations*.txt", "data_mutations*.maf", "*.maf", "*.maf.gz"),
        layout="named",
        columns=(
            Column("hugo_symbol", ("hugo_symbol", "gene", "gene_symbol")),
            Column("entrez_gene_id", ("entrez_gene_id",)),
            Column("center", ("center",)),
            Column("ncbi_build", ("ncbi_build",)),
            Column("chromosome", ("chromosome", "chrom", "chr")),
            Column("start_position", ("start_position", "start")),
            Column("end_position", ("end_position", "end")),
            Column("strand", ("strand",)),
            Column("variant_classification", ("variant_classification",)),
            Column("variant_type", ("variant_type",)),
            Column("reference_allele", ("reference_allele",)),
            Column("tumor_seq_allele1", ("tumor_seq_allele1",)),
            Column("tumor_seq_allele2", ("tumor_seq_allele2",)),
            Column("tumor_sample_barcode", ("tumor_sample_barcode",)),
            Column("matched_norm_sample_barcode", ("matched_norm_sample_barcode",)),
            Column("hgvsc", ("hgvsc",)),
            Column("hgvsp", ("hgvsp",)),
            Column("hgvsp_short", ("hgvsp_short",)),
            Column("protein_change", ("protein_change", "amino_acid_change", "aachange")),
            Column("transcript_id", ("transcript_id",)),
            Column("consequence", ("consequence",)),
            Column("t_depth", ("t_depth",)),
            Column("t_ref_count", ("t_ref_count",)),
            Column("t_alt_count", ("t_alt_count",)),
            Column("n_depth", ("n_depth",)),
            Column("n_ref_count", ("n_ref_count",)),
            Column("n_alt_count", ("n_alt_count",)),
            Column("tumor_vaf", ("tumor_vaf", "t_vaf", "tumor_f")),
            Column("filter", ("filter",)),
            Column("mutation_status", ("mutation_status",)),
            Column("population_af", ("gnomad_af", "exac_af", "af_1000g", "gmaf", "population_af")),
            # reference sequence around the variant, reference base in the middle (GDC CONTEXT: 11 bases;
            # Oncotator ref_context: 21): the trinucleotide of SBS96 and the APOBEC background (int_snvs_contexted)
            Column("context", ("context", "ref_context"), note=" (GDC: 11 bases, Oncotator ref_context: 21)"),
        ),
        # A MAF without a gene identifier would land every variant gene-less, and one without a class or
        # consequence would classify none (every TMB 0), silently. A gene given by its Entrez id alone gets its
        # HGNC symbol in staging (macros/hugo_symbols.sql).
        required=(("tumor_sample_barcode",), ("chromosome",), ("start_position",), ("reference_allele",),
                  ("hugo_symbol", "entrez_gene_id"), ("variant_classification", "consequence")),
        required_why=(*_GENE_WHY, ("variant_classification", "without a class or a VEP/SnpEff consequence no "
                                                          "variant can be classified")),
        description=(
            "One row per data line of every MAF (cBioPortal or GDC flavour, gzip accepted), canonical MAF columns as "
            "text. Header columns that match no canonical column are dropped on purpose and listed in "
            "landing_file_columns. Annotated VCFs (VEP CSQ or SnpEff ANN, file kind vcf) land here too, one row per "
            "data line x ALT allele x tumour sample, converted to MAF conventions (anchor base of indels dropped, '-' "
            "for an empty allele; FORMAT AD/DP/AF of the tumour and matched normal -> t_*/n_* counts and tumor_vaf); "
            "the transcript is VEP's CANONICAL=YES entry for the allele, else the most severe consequence by "
            "consequence_vocabulary severity_rank, chosen here at landing; variant_classification stays null "
            "(classified from consequence downstream). Rules: python/oncoduck/ingest/vcf.py."),
        rejects_model="stg_study__mutations_rejects", rejects_label="mutations",
    ),
    # cBioPortal's structural variant format (docs.cbioportal.org/file-formats, "Structural Variant Data"): two
    # breakpoint sites, each with its gene; SV_Status says SOMATIC or GERMLINE. Fusions are SVs of two genes.
    InputKind(
        "structural_variants", "structural_variants", "SV",
        meta_types=(("STRUCTURAL_VARIANT", "SV"),),
        file_patterns=("data_sv*.txt", "data_structural_variant*.txt"),
        layout="named",
        columns=(
            Column("sample_id", ("sample_id", "tumor_sample_barcode")),
            *(Column(f"site{i}_{name}", (f"site{i}_{name}",))
              for i in (1, 2) for name in ("hugo_symbol", "entrez_gene_id", "chromosome", "position", "region")),
            Column("site2_effect_on_frame", ("site2_effect_on_frame",)),
            Column("ncbi_build", ("ncbi_build",)),
            Column("dna_support", ("dna_support",)),
            Column("rna_support", ("rna_support",)),
            Column("tumor_read_count", ("tumor_read_count",)),
            Column("tumor_variant_count", ("tumor_variant_count",)),
            Column("event_info", ("event_info",)),
            Column("sv_class", ("class", "sv_class")),
            Column("sv_length", ("sv_length",)),
            Column("sv_status", ("sv_status",)),
        ),
        required=(("sample_id",), ("sv_status",),
                  ("site1_hugo_symbol", "site1_entrez_gene_id", "site2_hugo_symbol", "site2_entrez_gene_id")),
        required_why=(("sv_status", "cBioPortal's format requires SOMATIC or GERMLINE on every line"),
                      ("site1_hugo_symbol", "a structural variant needs the gene of one site at least")),
        description=("One row per data line of every structural variant file (cBioPortal data_sv.txt: Sample_Id, "
                     "two breakpoint sites with gene, chromosome and position, Class, Event_Info, SV_Status)."),
        rejects_model="stg_study__structural_variants_checked", rejects_label="structural_variants",
        rejects_column="cast(null as bigint)",
    ),
    # annotated VCF (VEP / SnpEff), landed into landing_mutations beside the MAFs (ingest/vcf.py)
    InputKind("vcf", "mutations", file_patterns=("*.vcf", "*.vcf.gz")),
    InputKind("cna_continuous", "cna",
              meta_types=(("COPY_NUMBER_ALTERATION", "CONTINUOUS"), ("COPY_NUMBER_ALTERATION", "LOG2-VALUE")),
              file_patterns=("data_cna_log2*.txt", "data_cna_continuous*.txt", "data_linear_cna*.txt"),
              columns=(Column("hugo_symbol", ("hugo_symbol",)), Column("entrez_gene_id", ("entrez_gene_id",))),
              required=(("hugo_symbol", "entrez_gene_id"),), required_why=_GENE_WHY),
    InputKind(
        "segments", "segments", "SEG",
        meta_types=(("COPY_NUMBER_ALTERATION", "SEG"),),
        file_patterns=("data_cna*.seg", "*.seg", "*.seg.txt"),
        layout="positional",
        columns=(Column("sample_id", ("ID",)), Column("chromosome", ("chrom",)),
                 Column("start_position", ("loc.start",)), Column("end_position", ("loc.end",)),
                 Column("num_markers", ("num.mark",)), Column("seg_mean", ("seg.mean",))),
        description="One row per data line of every SEG file (ID chrom loc.start loc.end num.mark seg.mean).",
        rejects_model="stg_study__segments_checked", rejects_label="segments",
        rejects_column="reject_column",
    ),
    InputKind("cna_discrete", "cna",
              meta_types=(("COPY_NUMBER_ALTERATION", "DISCRETE"), ("COPY_NUMBER_ALTERATION", "DISCRETE_LONG")),
              file_patterns=("data_cna*.txt",),
              columns=(Column("hugo_symbol", ("hugo_symbol",)), Column("entrez_gene_id", ("entrez_gene_id",))),
              required=(("hugo_symbol", "entrez_gene_id"),), required_why=_GENE_WHY,
              rejects_model="stg_study__gene_cna_checked", rejects_label="gene_cna"),
    InputKind("gene_panel_matrix", "gene_panel_matrix", meta_types=(("GENE_PANEL_MATRIX", "GENE_PANEL_MATRIX"),),
              file_patterns=("data_gene_panel_matrix.txt",),
              rejects_model="stg_study__sample_panels_checked", rejects_label="gene_panel_matrix"),
    InputKind("gene_panel", "gene_panels", file_patterns=("data_gene_panel.txt", "data_gene_panel_*.txt")),
    InputKind("timeline", "timeline", meta_types=(("CLINICAL", "TIMELINE"),), file_patterns=("data_timeline*.txt",),
              reads_every_column=True, rejects_model="stg_study__timeline_checked", rejects_label="timeline"),
    InputKind(
        "fish_cells", "fish_cells", "FISH",
        file_patterns=("data_fish_cells*.txt",),
        layout="named",
        columns=(Column("sample_id", ("sample_id",)), Column("biopsy", ("biopsy",)), Column("cell_id", ("cell_id",)),
                 Column("erbb2_signals", ("erbb2_signals", "her2_signals")),
                 Column("cep17_signals", ("cep17_signals",))),
        required=(("sample_id",), ("erbb2_signals",), ("cep17_signals",)),
        description=("One row per counted cell of data_fish_cells.txt (oncoduck extension): ERBB2 and CEP17 signals "
                     "per cell per biopsy."),
        rejects_model="stg_study__fish_cells_checked", rejects_label="fish_cells",
        rejects_column="cast(null as bigint)",
    ),
    # case_lists/*.txt: a named sample set (stable_id, case_list_name, case_list_ids), found by its folder
    InputKind("case_list", "case_lists"),
)

#: Staging models whose rejects are not those of one file kind (derived inputs), in all_rejects after the kinds.
DERIVED_REJECTS = (("survival", "stg_study__survival_endpoints_rejects", "source_column"),)


def kind(name: str) -> InputKind:
    return _BY_NAME[name]


_BY_NAME = {k.name: k for k in KINDS}
NAMES = tuple(_BY_NAME)


def kind_of_meta(meta: dict[str, str]) -> str | None:
    """The kind a cBioPortal meta file declares (genetic_alteration_type, datatype), or None."""
    key = (meta.get("genetic_alteration_type", "").upper(), meta.get("datatype", "").upper())
    return next((k.name for k in KINDS if key in k.meta_types), None)


_PATTERNS = tuple((p, k.name) for k in KINDS for p in k.file_patterns)


def kind_of_name(file_name: str) -> str | None:
    """The kind a file without a meta file has by its conventional name, or None."""
    return next((k for pattern, k in _PATTERNS if fnmatch.fnmatch(file_name, pattern)), None)


def lands_in(file_kind: str) -> tuple[str, ...]:
    """The landing tables built from files of this kind."""
    k = _BY_NAME[file_kind]
    return (k.landed_in, *k.also_feeds)


def line_tables() -> tuple[str, ...]:
    """Landing tables whose rows are lines of an input file (source_file, source_row), checked in staging."""
    return tuple(dict.fromkeys(f"landing_{k.landed_in}" for k in KINDS if k.rejects_model))


# --------------------------------------------------------------------------------------------
# the dbt files that follow from the declarations
# --------------------------------------------------------------------------------------------

PROJECT = Path(__file__).resolve().parents[3]
_GENERATED = "# Written by `python -m oncoduck.ingest.kinds --write` from python/oncoduck/ingest/kinds.py: edit that.\n"

#: The provenance and line-fault columns every line-based landing table starts with (name, description,
#: not null); staging's landed_line_columns() macro selects them.
LINE_COLUMNS = (
    ("study_id", "Study identifier.", True),
    ("source_file", "Absolute path of the input file.", True),
    ("source_row", "Physical line number in source_file (1-based; blank lines keep their numbers).", False),
    ("n_fields", "Number of tab-separated fields on the line (staging rejects lines whose count differs from the "
                 "header).", False),
    ("n_header_fields", "Number of fields in the file's header line.", False),
    ("text_fault", "What is wrong with the text of the line, or null: undecodable_bytes (bytes that are not UTF-8, "
                   "landed as U+FFFD), control_character (NUL, BEL, ESC ... in a field) or field_too_long (a field "
                   "over 1 MiB). Found by a byte scan of the whole file (ingest/reader.py check_text); staging "
                   "rejects the line with this reason.", False),
    ("text_fault_detail", "The first faulty field (position and header name) and what it holds.", False),
)


def landing_model_py(k: InputKind) -> str:
    return ("from oncoduck.ingest.dbt_landing import land\n\n\n"
            "def model(dbt, session):\n"
            "    dbt.config(materialized=\"table\")\n"
            f"    return land(session, {k.landed_in!r}, dbt.config.get(\"studies_json\"), "
            "dbt.config.get(\"skip_files_json\"))\n")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def landing_yaml(landing_models: list[str]) -> str:
    """Documentation of the line kinds' landing models, and the prelanded source of every landing model."""
    out = [_GENERATED, "version: 2\n", "models:"]
    for k in KINDS:
        if not k.is_line_kind:
            continue
        out += [f"  - name: landing_{k.landed_in}", f"    description: {_quoted(k.description)}", "    columns:"]
        for name, text, not_null in LINE_COLUMNS:
            out += [f"      - name: {name}", f"        description: {_quoted(text)}"]
            if not_null:
                out.append("        data_tests: [not_null]")
        for c in k.columns:
            out += [f"      - name: {c.name}", f"        description: {_quoted(c.description(k))}"]
    out += [
        "",
        "# The landing tables as the Spark target reads them: built on DuckDB by the Python landing models,",
        "# exported to Parquet and registered over it (macros/cross_db/register_prelanded.sql). Only the spark",
        "# target has this source, which its landing models (models/landing/spark/, views) read.",
        "sources:",
        "  - name: prelanded",
        "    description: Landing tables pre-landed on DuckDB and read from Parquet by the Spark target (one table "
        "per landing model).",
        "    schema: prelanded",
        "    config:",
        "      enabled: \"{{ target.type == 'spark' }}\"",
        "    tables:",
    ]
    for name in sorted(landing_models):
        out += [f"      - name: {name}",
                f"        description: models/landing/{name}.py, built on DuckDB and exported to Parquet."]
    return "\n".join(out) + "\n"


def all_rejects_sql() -> str:
    sources = [(k.rejects_label, k.rejects_model, k.rejects_column) for k in KINDS if k.rejects_model]
    parts = []
    for i, (label, model, column) in enumerate(sources + list(DERIVED_REJECTS)):
        kind_alias = " as input_kind" if i == 0 else ""
        column_alias = " as source_column" if i == 0 and column != "source_column" else ""
        parts.append(f"select '{label}'{kind_alias}, study_id, source_file, source_row, {column}{column_alias}, "
                     f"reject_reason, reject_detail\nfrom {{{{ ref('{model}') }}}}\nwhere reject_reason is not null")
    head = ("-- " + _GENERATED[2:] +
            "{{ config(tags=['rejects']) }}\n"
            "-- Every rejected input row of every kind, in one place (what `oncoduck validate` prints):\n"
            "-- file, line, column, reason code and a sentence saying what was expected.\n")
    return head + "\nunion all\n".join(parts) + "\n"


def spark_landing_sql(landing_model: str) -> str:
    """The landing model as the Spark target has it: a view of its pre-landed table, under the same name,
    so that staging refs landing_x (and unit tests give ref('landing_x')) on both engines."""
    return ("-- " + _GENERATED[2:] +
            f"-- {landing_model} on the spark target, where dbt cannot run the Python model (models/landing/"
            f"{landing_model}.py):\n"
            "-- the table that model built on DuckDB, exported to Parquet and registered as the `prelanded` source\n"
            "-- (oncoduck.spark_target). Enabled on the spark target only; DuckDB builds the Python model.\n"
            "{{ config(materialized='view', enabled=target.type == 'spark') }}\n"
            f"select * from {{{{ source('prelanded', '{landing_model}') }}}}\n")


def generated_files(project: Path = PROJECT) -> dict[Path, str]:
    """Every file the declarations give, path -> text."""
    files = {project / "models" / "landing" / f"landing_{k.landed_in}.py": landing_model_py(k)
             for k in KINDS if k.is_line_kind}
    landing_models = {p.stem for p in (project / "models" / "landing").glob("landing_*.py")} | {p.stem for p in files}
    files[project / "models" / "landing" / "_landing__lines.yml"] = landing_yaml(sorted(landing_models))
    for name in sorted(landing_models):
        files[project / "models" / "landing" / "spark" / f"{name}.sql"] = spark_landing_sql(name)
    files[project / "models" / "staging" / "all_rejects.sql"] = all_rejects_sql()
    return files


def stale_files(project: Path = PROJECT) -> list[Path]:
    return [p for p, text in generated_files(project).items() if not p.exists() or p.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oncoduck.ingest.kinds", description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="write the dbt files the declarations give")
    args = parser.parse_args(argv)
    stale = stale_files()
    if args.write:
        for path, text in generated_files().items():
            if path in stale:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
                print(f"wrote {path.relative_to(PROJECT)}")
        return 0
    for path in stale:
        print(f"out of date: {path.relative_to(PROJECT)} (run python -m oncoduck.ingest.kinds --write)")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
