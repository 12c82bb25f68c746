"""Landing: one all-text table per input kind, for any number of studies.

Every landed row keeps ``study_id``, ``source_file`` and ``source_row`` (the physical line number),
and, for values taken out of a wide layout, ``source_column`` (1-based field index), so that a
reject or a validation message can say file:line:column. Nothing is typed, filtered or
interpreted here (GitLab's rule: one entry point per raw file, no meaning-changing logic);
staging does that and sends bad rows to ``*_rejects``.

Columns: a landed table has a fixed set of canonical columns per kind. A file's header names are
matched to them case-insensitively, through the study's ``oncoduck_study.yml`` ``columns:`` mapping
first and built-in synonyms second. Header columns that match nothing are dropped on purpose and
listed, like every kept one, in ``landing_file_columns``.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

from .reader import FileFormatError, FileShape, check_text, fields_relation_sql, sql_string
from .study import Study, StudyFile, read_key_value_file
from . import analysis_settings, declared_references, kinds, vcf
from .identifiers import IDENTIFIER_KINDS, identifier_columns, is_kept

MAF_COLUMNS = kinds.kind("mutations").synonyms  # canonical MAF column -> accepted header names (vcf.py lands them too)
CLINICAL_ID_COLUMNS = kinds.kind("clinical_sample").synonyms
TIMELINE_FIXED = {
    "patient_id": ("patient_id",),
    "start_date": ("start_date",),
    "stop_date": ("stop_date",),
    "event_type": ("event_type",),
}

def check_file(study: Study, f: StudyFile) -> list[str]:
    """Fatal problems of one file (unreadable, no header, a required column missing), as
    ``file:line:column: reason`` messages; empty when the file can be landed."""
    if f.kind == "vcf":
        return vcf.check_vcf(study, f)
    if f.kind == "case_list":  # key: value lines, read whole (read_key_value_file)
        return []
    try:
        shape = f.sniff(has_header=f.kind != "gene_panel")
        check_text(f.path, shape.newline, shape.encoding)  # every byte read once: a corrupt archive names the file here
    except FileFormatError as exc:
        return [str(exc)]
    problems = []
    declared = kinds.kind(f.kind)
    wanted = declared.synonyms if declared.layout != "positional" else {}
    resolved = _resolve(shape, study, wanted, f.kind)
    if declared.reads_every_column:  # every column is read, as an attribute
        problems += _duplicated_header_names(f, shape, None)
    elif declared.layout == "named":  # the columns oncoduck reads (a vendor column twice is not read)
        problems += _duplicated_header_names(f, shape, {shape.header[i - 1].strip().lower() for i in resolved.values()})
    for alternatives in declared.required:
        if not any(column in resolved for column in alternatives):
            names = " or ".join(" / ".join(wanted[column]) for column in alternatives)
            why = dict(declared.required_why).get(alternatives[0])
            problems.append(f"{f.path}:{shape.header_row}:1: required column {names} is missing from the header"
                            + (f" ({why})" if why else ""))
    if declared.layout == "positional" and len(shape.header) < len(declared.columns):
        names = " ".join(c.synonyms[0] for c in declared.columns)
        problems.append(f"{f.path}:{shape.header_row}:{len(shape.header) + 1}: a {declared.label} file needs "
                        f"{len(declared.columns)} columns ({names}), found {len(shape.header)}")
    if f.kind in ("clinical_patient", "clinical_sample") and shape.preamble and not _typed_header(shape):
        problems.append(f"{f.path}:1:1: the '#' header lines must be 4 (name, description, datatype, priority) "
                        f"with {len(shape.header)} fields each like the column header")
    return problems


def _duplicated_header_names(f: StudyFile, shape: FileShape, read: set[str] | None) -> list[str]:
    """A column oncoduck reads (``read``, lower case; None: every column) given twice in the header, ignoring
    case: which field holds the data is ambiguous, and reading the first one (as column_index does) would drop
    the other silently (issue 23). cBioPortal's own test study repeats 26 vendor columns nobody reads."""
    first: dict[str, int] = {}
    problems = []
    for i, name in enumerate(shape.header, start=1):
        key = name.strip().lower()
        if key and key in first and (read is None or key in read):
            problems.append(f"{f.path}:{shape.header_row}:{i}: column '{name.strip()}' is given twice in the header "
                            f"(fields {first[key]} and {i}): which one holds the data is ambiguous; rename one")
        first.setdefault(key, i)
    return problems


def check_studies(studies: list[Study]) -> list[str]:
    """Fatal problems of every study: a folder with nothing to land (unless it only declares comparisons across
    other studies: a project-level comparisons file), and each file's own problems."""
    problems = []
    for study in studies:
        across = any(isinstance(c, dict) and c.get("studies") for c in study.config.get("comparisons") or [])
        if not any(f.kind for f in study.files) and not across:
            problems.append(f"{study.directory}:1:1: no data file oncoduck can land (expected cBioPortal study files such as "
                            f"meta_study.txt, data_clinical_sample.txt, data_mutations.txt, *.maf, *.seg)")
        problems += [p for f in study.files if f.kind for p in check_file(study, f)]
    return problems


def _resolve(shape: FileShape, study: Study, wanted: dict[str, tuple[str, ...]], kind: str) -> dict[str, int]:
    """Canonical column -> 1-based field index, via the study mapping then built-in synonyms."""
    index = shape.column_index()
    mapped = study.column_map(kind)
    resolved: dict[str, int] = {}
    for source_name, target in mapped.items():
        if source_name in index and target.lower() in wanted and target.lower() not in resolved:
            resolved[target.lower()] = index[source_name]
    for canonical, synonyms in wanted.items():
        if canonical in resolved:
            continue
        for name in synonyms:
            if name in index and name not in mapped:  # a column the study mapped elsewhere is not reused
                resolved[canonical] = index[name]
                break
    return resolved


def _provenance(f: StudyFile) -> str:
    return f"{sql_string(f.study_id)} as study_id, {sql_string(str(f.path))} as source_file"


def _field(i: int | None, alias: str = "") -> str:
    """Field i (1-based) of a split line, trimmed, empty -> NULL; NULL when the column is absent."""
    prefix = f"{alias}." if alias else ""
    return f"nullif(trim({prefix}fields[{i}]), '')" if i else "cast(null as varchar)"


def _union(parts: Iterable[str], empty: str) -> str:
    parts = list(parts)
    return "\nunion all\n".join(parts) if parts else empty


def _empty(columns: Iterable[str]) -> str:
    types = {"source_row": "bigint", "source_column": "bigint", "n_fields": "bigint", "n_header_fields": "bigint",
             "has_patient_column": "boolean"}
    cols = ", ".join(f"cast(null as {types.get(c, 'varchar')}) as {c}" for c in columns)
    return f"select {cols} where false"


# --------------------------------------------------------------------------------------------
# per-kind SQL
# --------------------------------------------------------------------------------------------

LINE_COLUMNS = [name for name, _, _ in kinds.LINE_COLUMNS]


def _line_rows_sql(studies: list[Study], kind: str, columns: list[str], positions) -> list[str]:
    """One select per file of `kind`: each data line with its provenance (LINE_COLUMNS) and the canonical
    `columns`, taken from the fields `positions(study, file, shape)` gives ({column: 1-based field})."""
    parts = []
    for study in studies:
        for f in study.files_of(kind):
            shape = f.sniff()
            index = positions(study, f, shape)
            selected = ", ".join(f"{_field(index.get(c))} as {c}" for c in columns)
            parts.append(
                f"select {_provenance(f)}, source_row, n_fields, {len(shape.header)} as n_header_fields, text_fault, "
                f"text_fault_detail, {selected} "
                f"from ({fields_relation_sql(shape)})"
            )
    return parts


def _by_header(synonyms: dict[str, tuple[str, ...]]):
    """positions for _line_rows_sql: columns found by header name (study mapping, then synonyms)."""
    return lambda study, f, shape: _resolve(shape, study, synonyms, f.kind)


def lines_sql(studies: list[Study], landed_in: str) -> str:
    """The landing table of the kinds read line by line (kinds.py layout "named" or "positional"): one row per
    data line with its declared columns. Annotated VCFs land with the MAFs, one row per line x ALT allele x
    tumour sample (ingest/vcf.py)."""
    declared = [k for k in kinds.KINDS if k.landed_in == landed_in and k.is_line_kind]
    cols = [c.name for c in declared[0].columns]
    parts = []
    for k in declared:
        if k.layout == "positional":
            positional = {c: i for i, c in enumerate(cols, start=1)}
            parts += _line_rows_sql(studies, k.name, cols, lambda *_: positional)
        else:
            parts += _line_rows_sql(studies, k.name, cols, _by_header(k.synonyms))
    if landed_in == "mutations":
        parts += vcf.vcf_sql(studies, cols)
    return _union(parts, _empty([*LINE_COLUMNS, *cols]))


def _typed_header(shape: FileShape) -> dict[int, tuple[str, str, str, str]]:
    """cBioPortal clinical header: 4 '#' lines (display name, description, datatype, priority)."""
    pre = [p.split("\t") for p in shape.preamble]
    if len(pre) != 4 or any(len(p) != len(shape.header) for p in pre):
        return {}
    return {i + 1: (pre[0][i].strip(), pre[1][i].strip(), pre[2][i].strip().upper(), pre[3][i].strip())
            for i in range(len(shape.header))}


def clinical_sql(studies: list[Study]) -> str:
    """Wide clinical files -> one row per (data line, attribute column, target attribute).

    A column the study maps to a list of canonical names (``columns: {VITAL_STATUS: [OS_STATUS,
    DSS_STATUS]}``) lands once per name, each row with the same source_file / source_row /
    source_column, so staging reads the value under each attribute's own vocabulary and a reject still
    points at file:line:column. Landed = accepted + rejected holds per file because staging keeps one
    row per landed row."""
    cols = ["study_id", "source_file", "source_row", "source_column", "level", "n_fields", "n_header_fields",
            "text_fault", "text_fault_detail", "patient_id", "sample_id", "has_patient_column", "attribute_name",
            "display_name", "declared_type", "value_raw"]
    parts = []
    for study in studies:
        for f in study.files_of("clinical_patient") + study.files_of("clinical_sample"):
            level = "patient" if f.kind == "clinical_patient" else "sample"
            shape = f.sniff()
            idx = _resolve(shape, study, CLINICAL_ID_COLUMNS, f.kind)
            typed = _typed_header(shape)
            mapped = study.column_map(f.kind, all_targets=True)
            identifiers = identifier_columns(study, f, shape)  # never landed here (ingest/identifiers.py)
            header_rows = ", ".join(
                f"({i}, {sql_string(target)}, {sql_string(typed.get(i, ('', '', '', ''))[0])}, "
                f"{sql_string(typed.get(i, ('', '', '', ''))[2])})"
                for i, name in enumerate(shape.header, start=1) if i not in identifiers
                for target in mapped.get(name.lower(), (name,))
            )  # id columns included: every line yields its PATIENT_ID / SAMPLE_ID row, so no line vanishes
            parts.append(
                f"select {_provenance(f)}, r.source_row, h.col as source_column, '{level}' as level, r.n_fields, "
                f"{len(shape.header)} as n_header_fields, r.text_fault, r.text_fault_detail, "
                f"{_field(idx.get('patient_id'), 'r')} as patient_id, "
                f"{_field(idx.get('sample_id'), 'r')} as sample_id, {'true' if idx.get('patient_id') else 'false'} as has_patient_column, "
                f"h.name as attribute_name, "
                f"nullif(h.display, '') as display_name, nullif(h.dtype, '') as declared_type, "
                f"nullif(trim(r.fields[h.col]), '') as value_raw "
                f"from ({fields_relation_sql(shape)}) r "
                f"cross join (values {header_rows}) h(col, name, display, dtype)"
            )
    return _union(parts, _empty(cols))


def cna_sql(studies: list[Study]) -> str:
    """Discrete or continuous gene-level CNA, wide (genes x samples) or long -> one row per gene x sample."""
    cols = ["study_id", "source_file", "source_row", "source_column", "cna_kind", "n_fields", "n_header_fields",
            "text_fault", "text_fault_detail", "hugo_symbol", "entrez_gene_id", "sample_id", "value_raw"]
    parts = []
    for study in studies:
        for f in study.files_of("cna_discrete") + study.files_of("cna_continuous"):
            kind = "discrete" if f.kind == "cna_discrete" else "continuous"
            shape = f.sniff()
            index = shape.column_index()
            genes = _resolve(shape, study, kinds.kind(f.kind).synonyms, f.kind)  # as check_file: the study's columns: mapping too
            gene_i, entrez_i = genes.get("hugo_symbol"), genes.get("entrez_gene_id")
            common = (f"select {_provenance(f)}, r.source_row, {{col}} as source_column, '{kind}' as cna_kind, r.n_fields, "
                      f"{len(shape.header)} as n_header_fields, r.text_fault, r.text_fault_detail, "
                      f"{_field(gene_i, 'r')} as hugo_symbol, "
                      f"{_field(entrez_i, 'r')} as entrez_gene_id, ")
            if "sample_id" in index and "value" in index:  # long format (cBioPortal DISCRETE_LONG)
                parts.append(common.format(col=index["value"]) +
                             f"{_field(index['sample_id'], 'r')} as sample_id, "
                             f"{_field(index['value'], 'r')} as value_raw "
                             f"from ({fields_relation_sql(shape)}) r")
                continue
            id_cols = {i for i in (gene_i, entrez_i) if i}
            samples = ", ".join(f"({i}, {sql_string(name)})" for i, name in enumerate(shape.header, start=1)
                                if i not in id_cols and name.lower() != "cytoband")
            if not samples:
                continue
            parts.append(common.format(col="h.col") + "h.sample_id, nullif(trim(r.fields[h.col]), '') as value_raw "
                         f"from ({fields_relation_sql(shape)}) r cross join (values {samples}) h(col, sample_id)")
    return _union(parts, _empty(cols))


def gene_panel_matrix_sql(studies: list[Study]) -> str:
    cols = ["study_id", "source_file", "source_row", "source_column", "n_fields", "n_header_fields", "text_fault",
            "text_fault_detail", "sample_id", "profile", "panel_id"]
    parts = []
    for study in studies:
        for f in study.files_of("gene_panel_matrix"):
            shape = f.sniff()
            sample_i = shape.column_index().get("sample_id")
            profiles = ", ".join(f"({i}, {sql_string(n)})" for i, n in enumerate(shape.header, start=1) if i != sample_i)
            parts.append(
                f"select {_provenance(f)}, r.source_row, h.col as source_column, r.n_fields, {len(shape.header)} as n_header_fields, "
                f"r.text_fault, r.text_fault_detail, {_field(sample_i, 'r')} as sample_id, h.profile, "
                f"nullif(trim(r.fields[h.col]), '') as panel_id from ({fields_relation_sql(shape)}) r "
                f"cross join (values {profiles}) h(col, profile)"
            )
    return _union(parts, _empty(cols))


def gene_panels_sql(studies: list[Study]) -> str:
    """cBioPortal gene panel files (``stable_id:``, ``gene_list:`` tab-separated) -> one row per gene."""
    rows = []
    for study in studies:
        for f in study.files_of("gene_panel"):
            kv = read_key_value_file(f.path)
            panel = kv.get("stable_id", f.path.stem.removeprefix("data_gene_panel_"))
            for pos, gene in enumerate([g.strip() for g in kv.get("gene_list", "").split("\t") if g.strip()], start=1):
                rows.append(f"({sql_string(f.study_id)}, {sql_string(str(f.path))}, {pos}, {sql_string(panel)}, "
                            f"{sql_string(kv.get('description', ''))}, {sql_string(gene)})")
    cols = "study_id, source_file, source_column, panel_id, description, gene"
    if not rows:
        return _empty(cols.split(", "))
    return f"select * from (values {', '.join(rows)}) v({cols})"


def timeline_sql(studies: list[Study]) -> str:
    """Timeline files -> one row per event line x extra attribute (fixed columns kept on every row)."""
    cols = ["study_id", "source_file", "source_row", "source_column", "n_fields", "n_header_fields", "text_fault",
            "text_fault_detail", "patient_id", "start_date", "stop_date", "event_type", "attribute_name", "value_raw"]
    parts = []
    for study in studies:
        for f in study.files_of("timeline"):
            shape = f.sniff()
            idx = _resolve(shape, study, TIMELINE_FIXED, f.kind)
            identifiers = identifier_columns(study, f, shape)  # never landed here (ingest/identifiers.py)
            extra = ", ".join(f"({i}, {sql_string(n.upper())})" for i, n in enumerate(shape.header, start=1)
                              if i not in idx.values() and i not in identifiers)
            if not extra:
                extra = "(0, 'NONE')"
            fixed = ", ".join(f"{_field(idx.get(c), 'r')} as {c}" for c in TIMELINE_FIXED)
            parts.append(
                f"select {_provenance(f)}, r.source_row, h.col as source_column, r.n_fields, {len(shape.header)} as n_header_fields, "
                f"r.text_fault, r.text_fault_detail, {fixed}, h.name as attribute_name, "
                f"nullif(trim(r.fields[h.col]), '') as value_raw "
                f"from ({fields_relation_sql(shape)}) r cross join (values {extra}) h(col, name)"
            )
    return _union(parts, _empty(cols))


def direct_identifiers_sql(studies: list[Study]) -> str:
    """The values of the direct identifier columns a study keeps (``keep_identifiers:``), apart from every other
    table: one row per line x kept column (ingest/identifiers.py)."""
    cols = ["study_id", "source_file", "source_row", "source_column", "column_name", "patient_id", "value_raw"]
    parts = []
    for study in studies:
        for f in (f for f in study.files if f.kind in IDENTIFIER_KINDS):
            shape = f.sniff()
            kept = {i: shape.header[i - 1] for i in identifier_columns(study, f, shape)
                    if is_kept(study, shape.header[i - 1])}
            if not kept:
                continue
            patient_i = _resolve(shape, study, CLINICAL_ID_COLUMNS, f.kind).get("patient_id")
            values = ", ".join(f"({i}, {sql_string(name)})" for i, name in kept.items())
            parts.append(
                f"select {_provenance(f)}, r.source_row, h.col as source_column, h.name as column_name, "
                f"{_field(patient_i, 'r')} as patient_id, nullif(trim(r.fields[h.col]), '') as value_raw "
                f"from ({fields_relation_sql(shape)}) r cross join (values {values}) h(col, name)")
    return _union(parts, _empty(cols))


def _case_list_ids(f: StudyFile) -> list[str]:
    return f.meta.get("case_list_ids", "").replace("\t", " ").replace(",", " ").split()


def _is_sequenced_case_list(f: StudyFile) -> bool:
    """cBioPortal's "samples with mutation data" list: stable id ``<study>_sequenced`` (cases_sequenced.txt)."""
    return f.path.name == "cases_sequenced.txt" or f.meta.get("stable_id", "").endswith("_sequenced")


def sequenced_samples_sql(studies: list[Study]) -> str:
    """Samples declared sequenced: MAF ``#Sequenced_Samples:`` lines and the ``_sequenced`` case list."""
    rows = []
    for study in studies:
        for f in study.files_of("mutations"):
            declared = f.sniff().preamble_value("Sequenced_Samples")
            for s in (declared or "").replace(",", " ").replace("\t", " ").split():
                rows.append(f"({sql_string(study.study_id)}, {sql_string(str(f.path))}, {sql_string(s)})")
        for f in study.files_of("case_list"):
            if _is_sequenced_case_list(f):
                rows += [f"({sql_string(study.study_id)}, {sql_string(str(f.path))}, {sql_string(s)})"
                         for s in _case_list_ids(f)]
    if not rows:
        return _empty(["study_id", "source_file", "sample_id"])
    return f"select distinct * from (values {', '.join(rows)}) v(study_id, source_file, sample_id)"


def case_lists_sql(studies: list[Study]) -> str:
    """Every ``case_lists/*.txt`` -> one row per listed sample (a list without ids keeps one row, sample null)."""
    cols = ["study_id", "source_file", "stable_id", "case_list_name", "case_list_description", "position", "sample_id"]
    rows = []
    for study in studies:
        for f in study.files_of("case_list"):
            kv = f.meta
            head = (f"{sql_string(study.study_id)}, {sql_string(str(f.path))}, "
                    f"{sql_string(kv.get('stable_id') or f.path.stem)}, {sql_string(kv.get('case_list_name', ''))}, "
                    f"{sql_string(kv.get('case_list_description', ''))}")
            ids = _case_list_ids(f)
            rows += [f"({head}, {i}, {sql_string(s)})" for i, s in enumerate(ids, start=1)] or [f"({head}, 0, null)"]
    if not rows:
        return _empty(cols)
    return f"select * from (values {', '.join(rows)}) v({', '.join(cols)})"


def study_findings_sql(studies: list[Study]) -> str:
    """What discovery found wrong in each folder but could work around (ingest/study.py Finding)."""
    cols = ["study_id", "severity", "location", "finding_code", "message"]
    rows = [f"({', '.join(sql_string(v) for v in (s.study_id, f.severity, f.location, f.code, f.message))})"
            for s in studies for f in s.findings]
    if not rows:
        return _empty(cols)
    return f"select * from (values {', '.join(rows)}) v({', '.join(cols)})"


def study_files_sql(studies: list[Study]) -> str:
    """Every file of every study folder: its kind or why it is not landed."""
    rows = []
    for study in studies:
        for f in study.files:
            rows.append(f"({sql_string(study.study_id)}, {sql_string(str(study.directory))}, {sql_string(str(f.path))}, "
                        f"{sql_string(f.path.name)}, {sql_string(f.kind) if f.kind else 'null'}, {sql_string(f.reason)})")
    cols = "study_id, study_dir, source_file, file_name, file_kind, decided_by"
    if not rows:
        return _empty(cols.split(", "))
    return f"select * from (values {', '.join(rows)}) v({cols})"


def file_columns_sql(studies: list[Study]) -> str:
    """Every header column of every tabular file and what landing did with it (kept as X, or dropped)."""
    rows = []
    for study in studies:
        for f in study.files:
            if f.kind in (None, "gene_panel", "case_list"):
                continue
            if f.kind == "vcf":
                header_row, vcf_columns = vcf.file_columns(study, f)
                for i, name, target in vcf_columns:
                    rows.append(f"({sql_string(study.study_id)}, {sql_string(str(f.path))}, 'vcf', {header_row}, {i}, "
                                f"{sql_string(name)}, {sql_string(target) if target else 'null'}, "
                                f"{sql_string('kept' if target else 'dropped: not a column oncoduck uses for this kind')})")
                continue
            shape = f.sniff()
            declared = kinds.kind(f.kind)
            if declared.layout == "named":
                kept = {i: c for c, i in _resolve(shape, study, declared.synonyms, f.kind).items()}
            elif declared.layout == "positional":
                kept = {i: c.name for i, c in enumerate(declared.columns, start=1)}
            elif f.kind in ("clinical_patient", "clinical_sample"):
                # every column kept; one mapped to a list of canonical names lands once per name (clinical_sql)
                mapped = study.column_map(f.kind, all_targets=True)
                kept = {i: mapped.get(n.lower(), (n,)) for i, n in enumerate(shape.header, start=1)}
            else:  # other layouts that keep every column (ids + unpivoted values)
                kept = {i: study.column_map(f.kind).get(n.lower(), n) for i, n in enumerate(shape.header, start=1)}
            identifiers = identifier_columns(study, f, shape)
            for i, name in enumerate(shape.header, start=1):
                targets = kept.get(i)
                if i in identifiers:
                    targets, decision = None, (
                        f"kept apart: direct identifier ({identifiers[i]}), in landing_direct_identifiers only"
                        if is_kept(study, name) else f"dropped: direct identifier ({identifiers[i]})")
                else:
                    decision = "kept" if targets else "dropped: not a column oncoduck uses for this kind"
                for target in targets if isinstance(targets, tuple) else (targets,):
                    rows.append(f"({sql_string(study.study_id)}, {sql_string(str(f.path))}, {sql_string(f.kind)}, "
                                f"{shape.header_row}, {i}, {sql_string(name)}, {sql_string(target) if target else 'null'}, "
                                f"{sql_string(decision)})")
    cols = "study_id, source_file, file_kind, header_row, source_column, source_name, landed_as, decision"
    if not rows:
        return _empty(cols.split(", "))
    return f"select * from (values {', '.join(rows)}) v({cols})"


def study_settings_sql(studies: list[Study]) -> str:
    """meta_study.txt keys and oncoduck_study.yml settings, flattened to (study_id, source, key, value)."""
    rows = []

    def flatten(prefix: str, value) -> Iterable[tuple[str, str]]:
        if isinstance(value, dict):
            for k, v in value.items():
                yield from flatten(f"{prefix}.{k}" if prefix else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from flatten(f"{prefix}[{i}]", v)
        else:
            yield prefix, "" if value is None else str(value)

    for study in studies:
        for key, value in study.meta.items():
            rows.append((study.study_id, "meta_study.txt", key, value))
        for key, value in flatten("", study.config):
            rows.append((study.study_id, "oncoduck_study.yml", key, value))
    cols = "study_id, source, setting, value"
    if not rows:
        return _empty(cols.split(", "))
    values = ", ".join("(" + ", ".join(sql_string(v) for v in r) + ")" for r in rows)
    return f"select * from (values {values}) v({cols})"


LANDERS = {
    **{k.landed_in: functools.partial(lines_sql, landed_in=k.landed_in) for k in kinds.KINDS if k.is_line_kind},
    "clinical": clinical_sql,
    "cna": cna_sql,
    "gene_panel_matrix": gene_panel_matrix_sql,
    "gene_panels": gene_panels_sql,
    "timeline": timeline_sql,
    "direct_identifiers": direct_identifiers_sql,
    "sequenced_samples": sequenced_samples_sql,
    "case_lists": case_lists_sql,
    "study_files": study_files_sql,
    "study_findings": study_findings_sql,
    "file_columns": file_columns_sql,
    "study_settings": study_settings_sql,
    "analysis_settings": analysis_settings.settings_sql,
    "declared_references": declared_references.declared_references_sql,
}


def landing_sql(kind: str, studies: list[Study], skip_files: set[str] | None = None) -> str:
    """SQL for one landed kind. Files with fatal problems raise FileFormatError (the build stops with
    file and column named), unless listed in ``skip_files`` (``oncoduck validate`` reports them itself)."""
    skip = skip_files or set()
    usable = []
    for study in studies:
        files = tuple(f for f in study.files if str(f.path) not in skip)
        for f in files:
            if f.kind and kind in (f.kind, *kinds.lands_in(f.kind)):
                problems = check_file(study, f)
                if problems:
                    raise FileFormatError("; ".join(problems))
        usable.append(dataclasses.replace(study, files=files))
    return LANDERS[kind](usable)


__all__ = ["landing_sql", "check_studies", "check_file", "LANDERS"]
