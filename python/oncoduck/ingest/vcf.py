"""Annotated VCF (VEP ``CSQ`` or SnpEff ``ANN``) landed as MAF rows, into ``landing_mutations``.

One landed row per VCF data line x ALT allele x tumour sample, with exactly the columns a MAF lands
(all text, plus ``study_id``, ``source_file``, ``source_row``, ``n_fields``, ``n_header_fields``), so
``stg_study__mutations_checked`` types, checks and rejects VCF rows exactly like MAF rows. Python
reads only the ``##`` preamble and the ``#CHROM`` header (annotation field order, sample columns,
genome build); DuckDB splits every data line, its alleles and its annotation entries.

Conventions (those of vcf2maf, so a VCF and the MAF made from it land the same rows):

* Alleles: the bases REF and ALT share at the start (VCF anchors indels on the preceding base) are
  dropped; an empty allele becomes ``-``. Deletion ``AT>A`` at POS p: start p+1, end p+1, ``T>-``.
  Insertion ``A>AT`` at p: start p, end p+1 (the flanking bases), ``->T``. Substitutions of 1, 2, 3,
  more bases are SNP, DNP, TNP, ONP; a complex change is INS when ALT is longer, else DEL.
* Samples (``oncoduck_study.yml`` ``vcf:``): ``tumor_sample`` / ``normal_sample`` name the sample
  columns; without them a single-sample VCF's sample is the tumour, two samples named TUMOR and
  NORMAL (any case, Strelka / VarDict style) map accordingly, and otherwise every sample column is a
  tumour sample with no matched normal. ``sample_ids: {COLUMN: SAMPLE_ID}`` renames sample columns
  (the barcode landed is the column name otherwise). ``files: {file name: {...}}`` overrides any of
  these for one file. A tumour sample whose GT is called and does not carry the allele (``0/0``,
  ``0/1`` for the second ALT, ``./.``) yields no row: the VCF says that sample lacks the variant.
* Read counts from the tumour (``t_*``) and normal (``n_*``) FORMAT: AD (ref, then one count per
  ALT), DP -> depth, AF (one per ALT) -> ``tumor_vaf``. FILTER lands as ``filter``.
* Annotation: the entries of the INFO ``CSQ`` field (VEP; ``ANN`` when there is no CSQ: SnpEff, or
  VEP run with ``--vcf_info_field ANN``) whose Allele (or ALLELE_NUM) is this ALT -- VEP writes
  indel alleles without the anchor base, SnpEff with it; both are matched, and a single-ALT line
  uses all its entries. Chosen entry: VEP ``CANONICAL=YES`` first, then the most severe consequence
  (lowest ``severity_rank`` of any of its '&'-joined terms in seeds/reference/consequence_vocabulary.csv,
  read here at compile time), then file order. ``consequence`` is the most severe term of that entry
  (VEP and SnpEff write it first); ``variant_classification`` stays null so that
  int_variants_classified classifies from it. HGVSc / HGVSp lose their ``ENST...:`` prefix and VEP's
  ``%3D`` escape; ``population_af`` is gnomADe_AF, else gnomAD_AF, gnomADg_AF, then AF (1000 Genomes)
  of the entry, first value when VEP joined several with '&'. ``ncbi_build`` comes from a
  ``##reference`` / ``##assembly`` / VEP ``assembly=`` preamble line naming GRCh37/hg19/b37 or GRCh38/hg38.

Not handled: breakends and symbolic ALTs (``<DEL>``) land as written; Strelka's per-base tier counts
(AU/CU/GU/TU, TAR/TIR) are not read (no AD -> counts empty); SnpEff's old ``EFF`` field is not read.
"""

from __future__ import annotations

import csv
import dataclasses
import re
from functools import lru_cache
from pathlib import Path

from ..paths import PROJECT_ROOT
from .reader import (FileFormatError, FileShape, _head_bytes, check_text, lines_relation_sql, sniff, sql_string,
                     text_fault_sql)
from .study import Study, StudyFile

VOCABULARY_SEED = PROJECT_ROOT / "seeds" / "reference" / "consequence_vocabulary.csv"
_FIXED = ("chrom", "pos", "id", "ref", "alt", "qual", "filter", "info", "format")
UNRANKED = 999  # severity of a consequence term missing from the vocabulary (least severe)

# annotation sub-field -> names accepted (VEP first, then SnpEff), matched case-insensitively
_ANNOTATION_FIELDS: dict[str, tuple[str, ...]] = {
    "allele": ("allele",),
    "consequence": ("consequence", "annotation"),
    "symbol": ("symbol", "gene_name"),
    "feature": ("feature", "feature_id"),
    "hgvsc": ("hgvsc", "hgvs.c"),
    "hgvsp": ("hgvsp", "hgvs.p"),
    "canonical": ("canonical",),
    "allele_num": ("allele_num",),
}
_POPULATION_AF_FIELDS = ("gnomade_af", "gnomad_af", "gnomadg_af", "af")


@dataclasses.dataclass(frozen=True)
class VcfSample:
    tumor_column: int  # 1-based field index
    tumor_barcode: str
    normal_column: int | None
    normal_barcode: str | None


@dataclasses.dataclass(frozen=True)
class VcfShape:
    shape: FileShape  # header = the #CHROM line's columns (without '#'), header_row = its line
    info_key: str  # 'CSQ' or 'ANN'
    annotation_fields: tuple[str, ...]  # lower-cased sub-field names, in order
    ncbi_build: str | None


def _physical_lines(path: Path) -> list[str]:
    text = _head_bytes(path).decode("utf-8", errors="replace").removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _info_description(preamble: list[str], key: str) -> str | None:
    for line in preamble:
        if re.match(rf"##INFO=<ID={re.escape(key)},", line):
            found = re.search(r'Description="(.*)"', line)
            return found.group(1) if found else ""
    return None


def annotation_field_names(description: str) -> tuple[str, ...]:
    """Sub-field names from a CSQ / ANN header Description: VEP '... Format: Allele|Consequence|...',
    SnpEff "Functional annotations: 'Allele | Annotation | ...'"."""
    _, sep, fields = description.partition("Format:")
    if not sep:
        _, _, fields = description.partition(":")
    return tuple(f.strip().strip("'\" ").lower() for f in fields.strip().strip("'\" ").split("|"))


def _ncbi_build(preamble: list[str]) -> str | None:
    for line in preamble:
        if re.match(r"##(reference|assembly)=", line, re.I) or (line.startswith("##VEP") and "assembly=" in line):
            if re.search(r"grch38|hg38", line, re.I):
                return "GRCh38"
            if re.search(r"grch37|hg19|b37|hs37", line, re.I):
                return "GRCh37"
    return None


def read_vcf_shape(path: str | Path) -> VcfShape:
    """The preamble facts of an annotated VCF; FileFormatError (file:line:column) when it is not one."""
    path = Path(path)
    if not path.exists():
        raise FileFormatError(f"{path}:1:1: file does not exist")
    lines = _physical_lines(path)
    header_row = next((i for i, line in enumerate(lines, start=1) if line.upper().startswith("#CHROM")), 0)
    if not header_row:
        raise FileFormatError(f"{path}:1:1: no '#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT <samples>' header line "
                              f"(expected a VCF)")
    header = tuple(h.strip() for h in lines[header_row - 1].lstrip("#").split("\t"))
    for i, name in enumerate(("chrom", "pos", "id", "ref", "alt"), start=1):
        if len(header) < i or header[i - 1].lower() != name:
            raise FileFormatError(f"{path}:{header_row}:{i}: VCF header column {i} must be {name.upper()}, "
                                  f"found '{header[i - 1] if len(header) >= i else ''}'")
    if len(header) < 10 or header[8].lower() != "format":
        raise FileFormatError(f"{path}:{header_row}:{min(len(header) + 1, 9)}: a VCF needs FORMAT and at least one sample "
                              f"column after CHROM POS ID REF ALT QUAL FILTER INFO (a sites-only VCF has no sample to land)")
    preamble = [line for line in lines[:header_row - 1] if line.startswith("##")]
    for key in ("CSQ", "ANN"):
        description = _info_description(preamble, key)
        if description is not None:
            fields = annotation_field_names(description)
            if "allele" not in fields or not ({"consequence", "annotation"} & set(fields)):
                row = next(i for i, line in enumerate(lines, start=1) if line.startswith(f"##INFO=<ID={key},"))
                raise FileFormatError(f"{path}:{row}:1: "
                                      f"##INFO {key} Description does not list Allele and Consequence/Annotation "
                                      f"sub-fields: '{description[:120]}'")
            break
    else:
        raise FileFormatError(f"{path}:{header_row}:8: no ##INFO=<ID=CSQ,...> (VEP) or ##INFO=<ID=ANN,...> (SnpEff) "
                              f"header line: oncoduck lands annotated VCFs only (annotate with VEP or SnpEff first)")
    shape = FileShape(path, sniff(path, has_header=False).newline, tuple(p[1:] for p in preamble), header_row, header)
    return VcfShape(shape, key, fields, _ncbi_build(preamble))


def _vcf_settings(study: Study, f: StudyFile) -> dict:
    """The study's ``vcf:`` settings with the file's own ``vcf.files.<name>`` entry on top."""
    settings = dict(study.config.get("vcf") or {})
    per_file = (settings.pop("files", None) or {}).get(f.path.name) or {}
    settings.update(per_file)
    return settings


def vcf_samples(study: Study, f: StudyFile, shape: FileShape) -> list[VcfSample]:
    """Tumour (and matched normal) sample columns of one VCF; see the module docstring for the defaults."""
    settings = _vcf_settings(study, f)
    columns = {name: i for i, name in enumerate(shape.header, start=1) if i >= 10}
    ids = {str(k): str(v) for k, v in (settings.get("sample_ids") or {}).items()}
    where = f"{f.path}:{shape.header_row}:10"

    def column(setting: str) -> int | None:
        name = settings.get(setting)
        if name is None:
            return None
        if str(name) not in columns:
            raise FileFormatError(f"{where}: oncoduck_study.yml vcf.{setting} '{name}' is not a sample column "
                                  f"of the #CHROM header (samples: {', '.join(columns) or 'none'})")
        return columns[str(name)]

    tumor, normal = column("tumor_sample"), column("normal_sample")
    if tumor is None and normal is None:
        upper = {name.upper(): i for name, i in columns.items()}
        if len(columns) == 2 and set(upper) == {"TUMOR", "NORMAL"}:
            tumor, normal = upper["TUMOR"], upper["NORMAL"]
    tumors = [tumor] if tumor is not None else [i for i in columns.values() if i != normal]
    by_index = {i: name for name, i in columns.items()}
    normal_name = by_index.get(normal) if normal is not None else None
    return [VcfSample(t, ids.get(by_index[t], by_index[t]), normal,
                      ids.get(normal_name, normal_name) if normal_name else None) for t in tumors]


def check_vcf(study: Study, f: StudyFile) -> list[str]:
    """Fatal problems of one VCF (not a VCF, not annotated, a configured sample column missing)."""
    try:
        vcf = read_vcf_shape(f.path)
        vcf_samples(study, f, vcf.shape)
        check_text(f.path, vcf.shape.newline)  # every byte read once: a corrupt archive names the file here
    except FileFormatError as exc:
        return [str(exc)]
    return []


@lru_cache(maxsize=1)
def consequence_severity(seed: Path = VOCABULARY_SEED) -> dict[str, int]:
    """Lower-cased SO / SnpEff term -> severity_rank (1 = most severe), from the consequence_vocabulary seed."""
    with open(seed, newline="", encoding="utf-8") as handle:
        ranks: dict[str, int] = {}
        for row in csv.DictReader(handle):
            if row["vocabulary"] in ("so", "snpeff"):
                term = row["term"].strip().lower()
                ranks[term] = min(int(row["severity_rank"]), ranks.get(term, UNRANKED))
    return ranks


def maf_allele_sql(pos: str, ref: str, alt: str) -> dict[str, str]:
    """SQL expressions (text) turning a VCF POS / REF / one ALT into MAF start, end, alleles and type.

    Matches vcf2maf: the longest common leading sequence of REF and ALT is dropped, an empty allele
    is '-'; an insertion sits between start and end = start + 1; substitutions are SNP/DNP/TNP/ONP.
    A non-numeric POS is kept as written for start (staging rejects it)."""
    common = (f"least(length({ref}), length({alt}))")
    prefix = (f"coalesce(list_position(list_transform(range(1, {common} + 1), "
              f"lambda i: substr({ref}, i, 1) = substr({alt}, i, 1)), false) - 1, {common})")
    r = f"substr({ref}, {prefix} + 1)"
    a = f"substr({alt}, {prefix} + 1)"
    p = f"try_cast({pos} as bigint)"
    start = f"case when {r} = '' then {p} + {prefix} - 1 else {p} + {prefix} end"
    end = f"case when {r} = '' then {p} + {prefix} else {p} + {prefix} + length({r}) - 1 end"
    return {
        "start_position": f"coalesce(cast({start} as varchar), {pos})",
        "end_position": f"cast({end} as varchar)",
        "reference_allele": f"coalesce(nullif({r}, ''), '-')",
        "tumor_seq_allele2": f"coalesce(nullif({a}, ''), '-')",
        "variant_type": (f"case when {r} = '' then 'INS' when {a} = '' then 'DEL' "
                         f"when length({r}) = length({a}) then case length({r}) when 1 then 'SNP' when 2 then 'DNP' "
                         f"when 3 then 'TNP' else 'ONP' end "
                         f"when length({r}) < length({a}) then 'INS' else 'DEL' end"),
    }


def _missing(expr: str) -> str:
    return f"nullif(nullif(trim({expr}), ''), '.')"


def _file_sql(study: Study, f: StudyFile, columns: list[str]) -> str:
    vcf = read_vcf_shape(f.path)
    shape = vcf.shape
    samples = vcf_samples(study, f, shape)
    if not samples:
        return ""
    field = {name: next((i for i, n in enumerate(vcf.annotation_fields, start=1) if n in names), None)
             for name, names in _ANNOTATION_FIELDS.items()}
    af_fields = [i for name in _POPULATION_AF_FIELDS for i, n in enumerate(vcf.annotation_fields, start=1) if n == name]

    def sub(i: int | None) -> str:
        return _missing(f"p[{i}]") if i else "cast(null as varchar)"

    severities = ", ".join(f"({sql_string(t)}, {r})" for t, r in sorted(consequence_severity().items()))
    samples_values = ", ".join(
        f"({s.tumor_column}, {sql_string(s.tumor_barcode)}, "
        f"{s.normal_column if s.normal_column else 'cast(null as integer)'}, "
        f"{sql_string(s.normal_barcode) if s.normal_barcode else 'cast(null as varchar)'})" for s in samples)
    maf = maf_allele_sql("pos", "ref", "alt")
    entry_matches = (f"{sub(field['allele_num'])} = cast(v.allele_num as varchar)" if field["allele_num"] else
                     f"(v.n_alts = 1 or upper({sub(field['allele'])}) in (v.alt, v.vep_alt))")
    def hgvs(i: int | None) -> str:  # without the 'ENST...:' / 'ENSP...:' prefix and VEP's '%3D' escape
        return f"replace(regexp_replace({sub(i)}, '^[^:]*:', ''), '%3D', '=')"

    pop_af = (f"coalesce({', '.join(_missing(f'split_part(p[{i}], chr(38), 1)') for i in af_fields)})"
              if af_fields else "cast(null as varchar)")

    def fmt(column: str, key: str) -> str:
        return _missing(f"string_split(v.fields[{column}], ':')[list_position(v.format_keys, '{key}')]")

    def counts(column: str, prefix: str) -> str:
        ad = f"string_split({fmt(column, 'AD')}, ',')"
        return (f"{_missing(f'{ad}[1]')} as {prefix}_ref_count, {_missing(f'{ad}[v.allele_num + 1]')} as {prefix}_alt_count, "
                f"{fmt(column, 'DP')} as {prefix}_depth")

    tumor_gt = f"{fmt('s.tumor_column', 'GT')}"
    values = {
        "hugo_symbol": "a.symbol", "entrez_gene_id": "cast(null as varchar)", "center": "cast(null as varchar)",
        "ncbi_build": sql_string(vcf.ncbi_build) if vcf.ncbi_build else "cast(null as varchar)",
        "chromosome": "v.chrom", "start_position": "v.start_position", "end_position": "v.end_position",
        "strand": "'+'", "variant_classification": "cast(null as varchar)", "variant_type": "v.variant_type",
        "reference_allele": "v.reference_allele", "tumor_seq_allele1": "v.reference_allele",
        "tumor_seq_allele2": "v.tumor_seq_allele2", "tumor_sample_barcode": "v.tumor_barcode",
        "matched_norm_sample_barcode": "v.normal_barcode", "hgvsc": "a.hgvsc", "hgvsp": "a.hgvsp",
        "hgvsp_short": "cast(null as varchar)", "protein_change": "cast(null as varchar)",
        "transcript_id": "a.feature", "consequence": "a.consequence",
        "t_depth": "t_depth", "t_ref_count": "t_ref_count", "t_alt_count": "t_alt_count",
        "n_depth": "n_depth", "n_ref_count": "n_ref_count", "n_alt_count": "n_alt_count",
        "tumor_vaf": "tumor_vaf", "filter": "v.filter", "mutation_status": "cast(null as varchar)",
        "population_af": "a.population_af", "context": "cast(null as varchar)",
    }
    assert set(values) == set(columns), "vcf landing must produce exactly the MAF columns"
    selected = ", ".join(f"{values[c]} as {c}" for c in columns)
    return f"""
with lines as (
    select source_row, string_split(line, chr(9)) as fields
    from ({lines_relation_sql(shape)})
    where line is not null and trim(line) <> '' and line not like '#%'
),
sites as (
    select
        source_row, fields, len(fields) as n_fields, {text_fault_sql(shape)},
        {_missing('fields[1]')} as chrom, {_missing('fields[2]')} as pos, upper(trim(fields[4])) as ref,
        string_split(upper(trim(fields[5])), ',') as alts, {_missing('fields[7]')} as filter,
        string_split(fields[9], ':') as format_keys,
        regexp_extract(fields[8], '(?:^|;){vcf.info_key}=([^;]*)', 1) as annotation
    from lines
),
alleles as (
    select *, alts[allele_num] as alt, len(alts) as n_alts,
        -- VEP writes an allele without the first base when REF and every ALT share it ('-' if nothing is left)
        case when len(list_distinct(list_transform(list_prepend(ref, alts), lambda x: left(x, 1)))) = 1
             then coalesce(nullif(substr(alts[allele_num], 2), ''), '-') else alts[allele_num] end as vep_alt
    from (select *, unnest(generate_series(1, greatest(coalesce(len(alts), 0), 1))) as allele_num from sites)
),
variants as (
    select *, {maf['start_position']} as start_position, {maf['end_position']} as end_position,
        {maf['reference_allele']} as reference_allele, {maf['tumor_seq_allele2']} as tumor_seq_allele2,
        {maf['variant_type']} as variant_type
    from alleles
),
entries as (
    select v.source_row, v.allele_num, e.entry_order, string_split(e.entry, '|') as p
    from variants as v,
        (select unnest(string_split(nullif(v.annotation, ''), ',')) as entry,
                unnest(generate_series(1, len(string_split(nullif(v.annotation, ''), ',')))) as entry_order) as e
),
matching as (
    select entries.*,
        coalesce(upper({sub(field['canonical'])}) = 'YES', false) as is_canonical,
        string_split(coalesce({sub(field['consequence'])}, ''), '&') as terms
    from entries
    inner join variants as v on v.source_row = entries.source_row and v.allele_num = entries.allele_num
    where {entry_matches}
),
ranked_terms as (
    select m.source_row, m.allele_num, m.entry_order, t.term, t.term_order, coalesce(severity.rank, {UNRANKED}) as rank
    from matching as m,
        (select unnest(m.terms) as term, unnest(generate_series(1, len(m.terms))) as term_order) as t
    left join (values {severities}) as severity(term_key, rank) on severity.term_key = lower(trim(t.term))
),
entry_severity as (
    select source_row, allele_num, entry_order, min(rank) as rank,
        arg_min(nullif(trim(term), ''), rank * 1000 + term_order) as consequence
    from ranked_terms
    group by source_row, allele_num, entry_order
),
chosen as (
    select m.source_row, m.allele_num, {sub(field['symbol'])} as symbol, {sub(field['feature'])} as feature,
        {hgvs(field['hgvsc'])} as hgvsc, {hgvs(field['hgvsp'])} as hgvsp, {pop_af} as population_af,
        s.consequence,
        row_number() over (partition by m.source_row, m.allele_num
                           order by m.is_canonical desc, s.rank, m.entry_order) as choice
    from matching as m
    inner join entry_severity as s
        on s.source_row = m.source_row and s.allele_num = m.allele_num and s.entry_order = m.entry_order
),
sample_rows as (
    select v.*, s.*, {counts('s.tumor_column', 't')}, {counts('s.normal_column', 'n')},
        {_missing(f"string_split({fmt('s.tumor_column', 'AF')}, ',')[v.allele_num]")} as tumor_vaf
    from variants as v
    cross join (values {samples_values}) as s(tumor_column, tumor_barcode, normal_column, normal_barcode)
    where {tumor_gt} is null
        or list_contains(regexp_split_to_array({tumor_gt}, '[/|]'), cast(v.allele_num as varchar))
)
select {sql_string(f.study_id)} as study_id, {sql_string(str(f.path))} as source_file, v.source_row, v.n_fields,
    cast({len(shape.header)} as bigint) as n_header_fields, v.text_fault, v.text_fault_detail, {selected}
from sample_rows as v
left join chosen as a on a.source_row = v.source_row and a.allele_num = v.allele_num and a.choice = 1
"""


def vcf_sql(studies: list[Study], columns: list[str]) -> list[str]:
    """One SELECT per VCF file of the studies, each giving ``columns`` (the MAF landing columns)."""
    parts = []
    for study in studies:
        for f in study.files_of("vcf"):
            sql = _file_sql(study, f, columns)
            if sql:
                parts.append(f"select * from ({sql})")
    return parts


def file_columns(study: Study, f: StudyFile) -> tuple[int, list[tuple[int, str, str | None]]]:
    """(header row, [(column, name, landed as)]) of a VCF for landing_file_columns."""
    vcf = read_vcf_shape(f.path)
    landed = {"chrom": "chromosome", "pos": "start_position", "ref": "reference_allele", "alt": "tumor_seq_allele2",
              "filter": "filter", "info": f"{vcf.info_key.lower()} annotation", "format": "sample format"}
    samples = vcf_samples(study, f, vcf.shape)
    roles = {s.tumor_column: "tumor_sample_barcode" for s in samples}
    roles.update({s.normal_column: "matched_norm_sample_barcode" for s in samples if s.normal_column})
    rows = [(i, name, landed.get(name.lower()) if i <= 9 else roles.get(i))
            for i, name in enumerate(vcf.shape.header, start=1)]
    return vcf.shape.header_row, rows
