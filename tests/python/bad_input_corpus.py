"""A bad-input corpus (issue 23, Build 6): one small, clean study folder and more than sixty copies of it, each
with exactly one defect planted in one input kind (MAF, clinical, discrete CNA, SEG, gene panel matrix, timeline,
FISH cells, structural variants, meta files, oncoduck_study.yml), and the outcome a careful validator must give it:

- ``Outcome("WARNING", file, line, code)``: the line is rejected with reason ``code`` (the build goes on);
- ``Outcome("ERROR", file, line, code)``: the file (or the whole folder) is refused, naming file and line;
- a WARNING of discovery (``data_file_absent``, ``file_not_landed`` ...) at line 1.

A case whose expected outcomes are empty is legitimate input that must pass without any finding (a MAF with
no data rows: a study where no mutation was called). ``write_corpus`` writes every case into its own folder,
with its own study id, so that one ``oncoduck validate`` (or one build) checks them all together.
"""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Callable
from pathlib import Path

PATIENTS = ("P1", "P2", "P3")
SAMPLES = ("S1", "S2", "S3")

TYPED_PATIENT = ["#Patient Identifier\tOverall Survival Status\tOverall Survival (Months)\tAge",
                 "#Patient identifier\tOverall survival status\tOverall survival in months\tAge at diagnosis",
                 "#STRING\tSTRING\tNUMBER\tNUMBER",
                 "#1\t1\t1\t1",
                 "PATIENT_ID\tOS_STATUS\tOS_MONTHS\tAGE"]
TYPED_SAMPLE = ["#Patient Identifier\tSample Identifier\tSample Type",
                "#Patient identifier\tSample identifier\tSample type",
                "#STRING\tSTRING\tSTRING",
                "#1\t1\t1",
                "PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE"]
MAF_HEADER = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
              "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode\tt_ref_count\tt_alt_count\ttumor_vaf\tFILTER")

BASE: dict[str, list[str]] = {
    "data_clinical_patient.txt": TYPED_PATIENT + ["P1\t0:LIVING\t10.5\t50", "P2\t1:DECEASED\t20\t61",
                                                  "P3\t0:LIVING\t30\t45"],
    "data_clinical_sample.txt": TYPED_SAMPLE + ["P1\tS1\tPrimary", "P2\tS2\tPrimary", "P3\tS3\tMetastasis"],
    "data_mutations.txt": [MAF_HEADER,
                           "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1\t20\t10\t0.33\tPASS",
                           "PIK3CA\t3\t178952085\t178952085\tA\tG\tMissense_Mutation\tSNP\tS2\t30\t12\t0.29\tPASS",
                           "GATA3\t10\t8115874\t8115875\t-\tA\tFrame_Shift_Ins\tINS\tS3\t25\t9\t0.26\tPASS"],
    "data_cna.txt": ["Hugo_Symbol\tEntrez_Gene_Id\tS1\tS2\tS3", "ERBB2\t2064\t2\t0\t0", "TP53\t7157\t0\t-1\t0"],
    "data_cna_hg19.seg": ["ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean", "S1\t1\t1000\t5000\t10\t0.5",
                          "S1\t2\t1000\t5000\t10\t-0.3", "S2\t1\t1000\t5000\t10\t0.1"],
    "data_gene_panel_matrix.txt": ["SAMPLE_ID\tmutations", "S1\tp1", "S2\tp1", "S3\tp1"],
    "data_gene_panel_p1.txt": ["stable_id: p1", "description: corpus panel", "gene_list: TP53\tPIK3CA\tGATA3\tERBB2"],
    "data_timeline_treatment.txt": ["PATIENT_ID\tSTART_DATE\tSTOP_DATE\tEVENT_TYPE\tTREATMENT_TYPE",
                                    "P1\t0\t90\tTREATMENT\tChemotherapy", "P2\t10\t100\tTREATMENT\tHormone"],
    "data_fish_cells.txt": ["sample_id\tbiopsy\tcell_id\terbb2_signals\tcep17_signals", "S1\t1\t1\t8\t2",
                            "S1\t1\t2\t3\t2", "S2\t1\t1\t2\t2"],
    "data_sv.txt": ["Sample_Id\tSite1_Hugo_Symbol\tSite1_Chromosome\tSite1_Position\tSite2_Hugo_Symbol\tSite2_Chromosome\t"
                    "Site2_Position\tEvent_Info\tClass\tSV_Status",
                    "S1\tEML4\t2\t42492091\tALK\t2\t29446394\tFusion\tINVERSION\tSOMATIC",
                    "S1\tERBB2\t17\t37856254\tNA\tNA\tNA\tDeletion\tDELETION\tSOMATIC"],
}


@dataclasses.dataclass(frozen=True)
class Outcome:
    severity: str  # ERROR or WARNING
    file: str  # file name within the case folder
    line: int
    code: str  # reject reason or finding code


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the input kind the defect is in
    plant: Callable[[Path], None]
    expected: tuple[Outcome, ...]

    @property
    def stops_discovery(self) -> bool:
        """The folder cannot be read at all (no file of it is checked further)."""
        return any(o.code == "study_not_readable" for o in self.expected)

    @property
    def refuses_a_file(self) -> bool:
        return any(o.severity == "ERROR" for o in self.expected)


def _lines(folder: Path, name: str) -> list[str]:
    return (folder / name).read_text(encoding="utf-8").split("\n")[:-1]


def _save(folder: Path, name: str, lines: list[str]) -> None:
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def replace_line(name: str, line: int, new: str | bytes) -> Callable[[Path], None]:
    """Line ``line`` (1-based) of file ``name`` becomes ``new`` (bytes: written as they are)."""
    def plant(folder: Path) -> None:
        raw = (folder / name).read_bytes().split(b"\n")
        raw[line - 1] = new if isinstance(new, bytes) else new.encode()
        (folder / name).write_bytes(b"\n".join(raw))
    return plant


def edit_field(name: str, line: int, field: int, value: str | bytes) -> Callable[[Path], None]:
    """Field ``field`` (1-based) of line ``line`` of ``name`` becomes ``value``."""
    def plant(folder: Path) -> None:
        raw = (folder / name).read_bytes().split(b"\n")
        fields = raw[line - 1].split(b"\t")
        fields[field - 1] = value if isinstance(value, bytes) else value.encode()
        raw[line - 1] = b"\t".join(fields)
        (folder / name).write_bytes(b"\n".join(raw))
    return plant


def append_line(name: str, new: str) -> Callable[[Path], None]:
    def plant(folder: Path) -> None:
        _save(folder, name, _lines(folder, name) + [new])
    return plant


def rename_header(name: str, old: str, new: str) -> Callable[[Path], None]:
    def plant(folder: Path) -> None:
        lines = _lines(folder, name)
        row = next(i for i, line in enumerate(lines) if not line.startswith("#"))
        lines[row] = "\t".join(new if f == old else f for f in lines[row].split("\t"))
        _save(folder, name, lines)
    return plant


def add_column(name: str, column: str, value: str) -> Callable[[Path], None]:
    """A column appended to every line of ``name``: typed '#' lines (STRING, priority 1), header, ``value``."""
    def plant(folder: Path) -> None:
        lines, header_seen, out = _lines(folder, name), False, []
        for n, line in enumerate(lines):
            if line.startswith("#"):
                extra = {2: "STRING", 3: "1"}.get(n, column)
            elif not header_seen:
                extra, header_seen = column, True
            else:
                extra = value
            out.append(f"{line}\t{extra}")
        _save(folder, name, out)
    return plant


def gzip_file(name: str, target: str, damage: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    """``name`` gzipped into ``target`` (and removed), the archive damaged by ``damage``."""
    def plant(folder: Path) -> None:
        data = gzip.compress((folder / name).read_bytes(), mtime=0)
        (folder / name).unlink()
        (folder / target).write_bytes(damage(data))
    return plant


def write_file(name: str, text: str) -> Callable[[Path], None]:
    def plant(folder: Path) -> None:
        (folder / name).write_text(text, encoding="utf-8")
    return plant


def entrez_only_maf(edits: dict[int, str] | None = None) -> Callable[[Path], None]:
    """The base MAF with its Hugo_Symbol column replaced by Entrez_Gene_Id (TP53 7157, PIK3CA 5290, GATA3 2625),
    the id of line n replaced by ``edits[n]``."""
    ids = {2: "7157", 3: "5290", 4: "2625", **(edits or {})}

    def plant(folder: Path) -> None:
        lines = _lines(folder, MAF)
        lines[0] = lines[0].replace("Hugo_Symbol", "Entrez_Gene_Id", 1)
        for n, entrez in ids.items():
            lines[n - 1] = entrez + lines[n - 1][lines[n - 1].index("\t"):]
        _save(folder, MAF, lines)
    return plant


def _outside_link(folder: Path) -> None:
    secret = folder.parent / f"{folder.name}_secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "data_clinical_sample.txt").unlink()
    (folder / "data_clinical_sample.txt").symlink_to(secret)


def _outside_meta(folder: Path) -> None:
    (folder / "meta_timeline.txt").write_text(
        f"cancer_study_identifier: {folder.name}\ngenetic_alteration_type: CLINICAL\ndatatype: TIMELINE\n"
        "data_filename: ../../../../../../etc/passwd\n")


def _crc_damaged(data: bytes) -> bytes:
    return data[:-8] + bytes([data[-8] ^ 0xFF]) + data[-7:]  # the gzip trailer's CRC-32 no longer matches


def _long(n_bytes: int) -> str:
    return "A" * n_bytes


W, E = "WARNING", "ERROR"
MAF, PAT, SAM = "data_mutations.txt", "data_clinical_patient.txt", "data_clinical_sample.txt"
MAF_GZ = "data_mutations.maf.gz"
CNA, SEG, MATRIX = "data_cna.txt", "data_cna_hg19.seg", "data_gene_panel_matrix.txt"
TIMELINE, FISH, SV = "data_timeline_treatment.txt", "data_fish_cells.txt", "data_sv.txt"

S2_UNREGISTERED = (Outcome(W, MAF, 3, "sample_not_in_clinical"), Outcome(W, CNA, 2, "sample_not_in_clinical"),
                   Outcome(W, CNA, 3, "sample_not_in_clinical"), Outcome(W, SEG, 4, "sample_not_in_clinical"),
                   Outcome(W, FISH, 4, "sample_not_in_clinical"))

CASES: tuple[Case, ...] = (
    # --- MAF: every field typed and ranged (Build 1)
    Case("maf_latin1_byte", "mutations", edit_field(MAF, 2, 1, b"TP5\xe9"), (Outcome(W, MAF, 2, "undecodable_bytes"),)),
    Case("maf_nul_in_field", "mutations", edit_field(MAF, 2, 13, b"PA\x00SS"), (Outcome(W, MAF, 2, "control_character"),)),
    Case("maf_escape_in_field", "mutations", edit_field(MAF, 3, 1, b"PIK\x1b3CA"), (Outcome(W, MAF, 3, "control_character"),)),
    Case("maf_field_of_3_mb", "mutations", edit_field(MAF, 3, 1, _long(3 << 20)), (Outcome(W, MAF, 3, "field_too_long"),)),
    Case("maf_truncated_utf8_at_end", "mutations", lambda d: (d / MAF).write_bytes((d / MAF).read_bytes() + b"\xc3"),
         (Outcome(W, MAF, 5, "undecodable_bytes"),)),
    Case("maf_negative_start", "mutations", edit_field(MAF, 2, 3, "-5"), (Outcome(W, MAF, 2, "non_positive_position"),)),
    Case("maf_zero_start", "mutations", replace_line(MAF, 2, "TP53\t17\t0\t0\tC\tT\tMissense_Mutation\tSNP\tS1\t20\t10\t0.33\tPASS"),
         (Outcome(W, MAF, 2, "non_positive_position"),)),
    Case("maf_end_before_start", "mutations", edit_field(MAF, 2, 4, "7578400"), (Outcome(W, MAF, 2, "end_before_start"),)),
    Case("maf_word_position", "mutations", edit_field(MAF, 2, 3, "abc"), (Outcome(W, MAF, 2, "non_numeric_position"),)),
    # a plain cast rounded 7578406.5 to 7578407 on DuckDB (and truncated it on Spark): a position is a whole number
    Case("maf_fractional_position", "mutations", edit_field(MAF, 2, 3, "7578406.5"), (Outcome(W, MAF, 2, "non_numeric_position"),)),
    Case("maf_unknown_chromosome", "mutations", edit_field(MAF, 2, 2, "99"), (Outcome(W, MAF, 2, "unknown_chromosome"),)),
    Case("maf_count_is_a_word", "mutations", edit_field(MAF, 2, 11, "many"), (Outcome(W, MAF, 2, "invalid_number"),)),
    Case("maf_count_is_a_fraction", "mutations", edit_field(MAF, 2, 11, "12.5"), (Outcome(W, MAF, 2, "invalid_number"),)),
    Case("maf_negative_count", "mutations", edit_field(MAF, 2, 10, "-3"), (Outcome(W, MAF, 2, "invalid_number"),)),
    Case("maf_vaf_two_dots", "mutations", edit_field(MAF, 2, 12, "0.3.1"), (Outcome(W, MAF, 2, "invalid_number"),)),
    # a given VAF is a fraction unless the study declares vaf_scale: percent (a VAF of 33 was read as 0.33, silently)
    Case("maf_vaf_above_100_percent", "mutations", replace_line(MAF, 2, "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1\t\t\t150\tPASS"),
         (Outcome(W, MAF, 2, "vaf_out_of_range"),)),
    Case("maf_vaf_percent_undeclared", "mutations", replace_line(MAF, 2, "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1\t\t\t33\tPASS"),
         (Outcome(W, MAF, 2, "vaf_out_of_range"),)),
    Case("maf_vaf_percent_declared", "mutations",
         lambda d: (replace_line(MAF, 2, "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1\t\t\t33\tPASS")(d),
                    write_file("oncoduck_study.yml", "vaf_scale: percent\n")(d)), ()),
    Case("maf_zero_depth", "mutations", replace_line(MAF, 2, "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1\t0\t0\t\tPASS"),
         (Outcome(W, MAF, 2, "zero_depth"),)),
    Case("maf_no_sample", "mutations", edit_field(MAF, 2, 9, ""), (Outcome(W, MAF, 2, "missing_sample_id"),)),
    Case("maf_sample_not_in_clinical", "mutations", edit_field(MAF, 2, 9, "S9"), (Outcome(W, MAF, 2, "sample_not_in_clinical"),)),
    Case("maf_duplicated_line", "mutations", append_line(MAF, BASE[MAF][1]), (Outcome(W, MAF, 5, "duplicate_variant"),)),
    Case("maf_short_line", "mutations", replace_line(MAF, 3, "PIK3CA\t3\t178952085"), (Outcome(W, MAF, 3, "wrong_field_count"),)),
    Case("maf_without_data_rows", "mutations", write_file(MAF, MAF_HEADER + "\n"), ()),  # legitimate: none called
    # --- MAF: file-level faults (ERROR naming file and column)
    Case("maf_no_variant_classification", "mutations", rename_header(MAF, "Variant_Classification", "Class"),
         (Outcome(E, MAF, 1, "file_not_landable"),)),
    Case("maf_no_gene_identifier", "mutations", rename_header(MAF, "Hugo_Symbol", "Gene_Name"),
         (Outcome(E, MAF, 1, "file_not_landable"),)),
    # --- MAF: genes given by Entrez id alone take their HGNC symbol (seed hgnc_entrez_symbols)
    Case("maf_entrez_ids_only", "mutations", entrez_only_maf(), ()),
    Case("maf_unknown_entrez_id", "mutations", entrez_only_maf({3: "999999999"}),
         (Outcome(W, MAF, 3, "unknown_entrez_gene_id"),)),
    Case("maf_entrez_id_is_a_word", "mutations", entrez_only_maf({2: "TP53"}), (Outcome(W, MAF, 2, "invalid_number"),)),
    Case("maf_barcode_column_twice", "mutations", rename_header(MAF, "FILTER", "Tumor_Sample_Barcode"),
         (Outcome(E, MAF, 1, "file_not_landable"),)),
    Case("maf_empty_file", "mutations", write_file(MAF, ""), (Outcome(E, MAF, 1, "file_not_landable"),)),
    Case("maf_gzip_crc_broken", "mutations", gzip_file(MAF, MAF_GZ, _crc_damaged), (Outcome(E, MAF_GZ, 1, "file_not_landable"),)),
    Case("maf_gzip_truncated", "mutations", gzip_file(MAF, MAF_GZ, lambda b: b[: len(b) // 2]),
         (Outcome(E, MAF_GZ, 1, "file_not_landable"),)),
    # --- clinical
    Case("patient_months_is_a_word", "clinical_patient", edit_field(PAT, 6, 3, "twelve"), (Outcome(W, PAT, 6, "non_numeric_value"),)),
    Case("patient_status_unknown", "clinical_patient", edit_field(PAT, 6, 2, "alive?"), (Outcome(W, PAT, 6, "unparseable_status"),)),
    Case("patient_duplicated", "clinical_patient", append_line(PAT, "P1\t0:LIVING\t11\t50"), (Outcome(W, PAT, 9, "duplicate_key"),)),
    Case("patient_short_line", "clinical_patient", replace_line(PAT, 7, "P2\t1:DECEASED"), (Outcome(W, PAT, 7, "wrong_field_count"),)),
    Case("patient_nul_byte", "clinical_patient", edit_field(PAT, 8, 4, b"4\x005"), (Outcome(W, PAT, 8, "control_character"),)),
    Case("patient_latin1_byte", "clinical_patient", edit_field(PAT, 8, 2, b"0:LIVING\xa0"), (Outcome(W, PAT, 8, "undecodable_bytes"),)),
    Case("patient_five_header_lines", "clinical_patient", lambda d: _save(d, PAT, [TYPED_PATIENT[0]] + _lines(d, PAT)),
         (Outcome(E, PAT, 1, "file_not_landable"),)),
    Case("patient_no_patient_id_column", "clinical_patient", rename_header(PAT, "PATIENT_ID", "CASE"),
         (Outcome(E, PAT, 5, "file_not_landable"),)),
    Case("sample_duplicated", "clinical_sample", append_line(SAM, "P1\tS1\tPrimary"), (Outcome(W, SAM, 9, "duplicate_key"),)),
    # a rejected sample line leaves S2 out of the registry: its rows elsewhere are rejected in turn, each named
    Case("sample_without_patient", "clinical_sample", edit_field(SAM, 7, 1, ""),
         (Outcome(W, SAM, 7, "missing_patient_id"), *S2_UNREGISTERED)),
    Case("sample_without_id", "clinical_sample", edit_field(SAM, 7, 2, ""),
         (Outcome(W, SAM, 7, "missing_sample_id"), *S2_UNREGISTERED)),
    Case("sample_column_twice", "clinical_sample", rename_header(SAM, "SAMPLE_TYPE", "SAMPLE_ID"),
         (Outcome(E, SAM, 5, "file_not_landable"),)),
    # --- direct identifiers (Build 3): not landed, named in the summary
    Case("patient_date_of_birth", "clinical_patient", add_column(PAT, "DATE_OF_BIRTH", "1970-01-01"),
         (Outcome(W, PAT, 5, "direct_identifier_dropped"),)),
    Case("sample_mrn", "clinical_sample", add_column(SAM, "MRN", "12345678"), (Outcome(W, SAM, 5, "direct_identifier_dropped"),)),
    Case("timeline_patient_name", "timeline", add_column(TIMELINE, "Patient Name", "Jane Doe"),
         (Outcome(W, TIMELINE, 1, "direct_identifier_dropped"),)),
    # --- discrete gene CNA
    Case("cna_word_value", "cna_discrete", edit_field(CNA, 2, 3, "high"), (Outcome(W, CNA, 2, "non_numeric_value"),)),
    Case("cna_value_out_of_range", "cna_discrete", edit_field(CNA, 2, 3, "3"), (Outcome(W, CNA, 2, "discrete_value_out_of_range"),)),
    # -1.5: cBioPortal's validator accepts it, no format defines it; refused unless the study says what it means
    Case("cna_minus_1_5_undeclared", "cna_discrete", edit_field(CNA, 2, 3, "-1.5"),
         (Outcome(W, CNA, 2, "discrete_half_step_undeclared"),)),
    Case("cna_minus_1_5_declared", "cna_discrete", lambda d: (edit_field(CNA, 2, 3, "-1.5")(d),
                                                               write_file("oncoduck_study.yml", "discrete_cna_minus_1_5: deep_deletion\n")(d)), ()),
    Case("cna_minus_1_5_unknown_meaning", "oncoduck_study.yml", write_file("oncoduck_study.yml", "discrete_cna_minus_1_5: loss\n"),
         (Outcome(E, "oncoduck_study.yml", 1, "study_not_readable"),)),
    Case("cna_blank_symbol_entrez_given", "cna_discrete", edit_field(CNA, 3, 1, ""), ()),  # 7157: TP53 from HGNC
    Case("cna_no_gene_at_all", "cna_discrete", lambda d: (edit_field(CNA, 3, 1, "")(d), edit_field(CNA, 3, 2, "")(d)),
         (Outcome(W, CNA, 3, "missing_gene"),)),
    Case("cna_entrez_ids_only", "cna_discrete", write_file(CNA, "Entrez_Gene_Id\tS1\tS2\tS3\n2064\t2\t0\t0\n7157\t0\t-1\t0\n"), ()),
    Case("cna_unknown_entrez_id", "cna_discrete",
         write_file(CNA, "Entrez_Gene_Id\tS1\tS2\tS3\n2064\t2\t0\t0\n999999999\t0\t-1\t0\n"),
         (Outcome(W, CNA, 3, "unknown_entrez_gene_id"),)),
    Case("cna_no_gene_column", "cna_discrete", write_file(CNA, "Gene_Name\tS1\tS2\tS3\nERBB2\t2\t0\t0\n"),
         (Outcome(E, CNA, 1, "file_not_landable"),)),
    Case("cna_short_line", "cna_discrete", replace_line(CNA, 3, "TP53\t7157\t0"), (Outcome(W, CNA, 3, "wrong_field_count"),)),
    Case("cna_control_character", "cna_discrete", edit_field(CNA, 3, 1, b"TP\x0753"), (Outcome(W, CNA, 3, "control_character"),)),
    # --- SEG
    Case("seg_end_before_start", "segments", edit_field(SEG, 2, 4, "500"), (Outcome(W, SEG, 2, "end_before_start"),)),
    Case("seg_unknown_chromosome", "segments", edit_field(SEG, 2, 2, "chrQ"), (Outcome(W, SEG, 2, "unknown_chromosome"),)),
    Case("seg_word_mean", "segments", edit_field(SEG, 2, 6, "up"), (Outcome(W, SEG, 2, "non_numeric_value"),)),
    Case("seg_fractional_markers", "segments", edit_field(SEG, 2, 5, "10.5"), (Outcome(W, SEG, 2, "invalid_number"),)),
    Case("seg_overlap", "segments", append_line(SEG, "S1\t1\t4000\t8000\t10\t0.2"), (Outcome(W, SEG, 5, "overlapping_segment"),)),
    Case("seg_sample_not_in_clinical", "segments", edit_field(SEG, 4, 1, "S7"), (Outcome(W, SEG, 4, "sample_not_in_clinical"),)),
    Case("seg_five_columns", "segments", lambda d: _save(d, SEG, ["\t".join(x.split("\t")[:5]) for x in _lines(d, SEG)]),
         (Outcome(E, SEG, 1, "file_not_landable"),)),
    # --- gene panel matrix
    Case("matrix_short_line", "gene_panel_matrix", replace_line(MATRIX, 3, "S2"), (Outcome(W, MATRIX, 3, "wrong_field_count"),)),
    Case("matrix_sample_twice", "gene_panel_matrix", append_line(MATRIX, "S1\tp1"), (Outcome(W, MATRIX, 5, "duplicate_key"),)),
    Case("matrix_control_character", "gene_panel_matrix", edit_field(MATRIX, 4, 2, b"p\x011"),
         (Outcome(W, MATRIX, 4, "control_character"),)),
    # --- timeline
    Case("timeline_start_is_a_date", "timeline", edit_field(TIMELINE, 2, 2, "2020-01-01"), (Outcome(W, TIMELINE, 2, "non_numeric_day"),)),
    Case("timeline_stop_is_a_word", "timeline", edit_field(TIMELINE, 2, 3, "later"), (Outcome(W, TIMELINE, 2, "non_numeric_day"),)),
    Case("timeline_stop_before_start", "timeline", edit_field(TIMELINE, 3, 3, "5"), (Outcome(W, TIMELINE, 3, "stop_before_start"),)),
    Case("timeline_unknown_patient", "timeline", edit_field(TIMELINE, 3, 1, "P8"), (Outcome(W, TIMELINE, 3, "patient_not_in_clinical"),)),
    Case("timeline_no_event_type", "timeline", edit_field(TIMELINE, 3, 4, ""), (Outcome(W, TIMELINE, 3, "missing_event_type"),)),
    Case("timeline_short_line", "timeline", replace_line(TIMELINE, 2, "P1\t0"), (Outcome(W, TIMELINE, 2, "wrong_field_count"),)),
    Case("timeline_latin1_byte", "timeline", edit_field(TIMELINE, 3, 5, b"Hormonoth\xe9rapie"),
         (Outcome(W, TIMELINE, 3, "undecodable_bytes"),)),
    # a declared encoding is read as such (oncoduck_study.yml encoding:); a byte it cannot decode still rejects its line
    Case("timeline_latin1_declared", "timeline", lambda d: (edit_field(TIMELINE, 3, 5, b"Hormonoth\xe9rapie")(d),
                                                            write_file("oncoduck_study.yml", "encoding: latin-1\n")(d)), ()),
    Case("timeline_cp1252_undefined_byte", "timeline", lambda d: (edit_field(TIMELINE, 3, 5, b"Hormone\x81")(d),
                                                                  write_file("oncoduck_study.yml", "encoding: cp1252\n")(d)),
         (Outcome(W, TIMELINE, 3, "undecodable_bytes"),)),
    # --- FISH cells
    Case("fish_word_count", "fish_cells", edit_field(FISH, 2, 4, "eight"), (Outcome(W, FISH, 2, "invalid_signal_count"),)),
    Case("fish_negative_count", "fish_cells", edit_field(FISH, 2, 5, "-1"), (Outcome(W, FISH, 2, "invalid_signal_count"),)),
    Case("fish_cell_twice", "fish_cells", append_line(FISH, "S1\t1\t1\t8\t2"), (Outcome(W, FISH, 5, "duplicate_key"),)),
    Case("fish_sample_not_in_clinical", "fish_cells", edit_field(FISH, 4, 1, "S5"), (Outcome(W, FISH, 4, "sample_not_in_clinical"),)),
    Case("fish_no_cep17_column", "fish_cells", rename_header(FISH, "cep17_signals", "cep17"), (Outcome(E, FISH, 1, "file_not_landable"),)),
    # --- structural variants (cBioPortal data_sv.txt)
    Case("sv_status_misspelt", "structural_variants", edit_field(SV, 2, 10, "SOMATIK"), (Outcome(W, SV, 2, "invalid_sv_status"),)),
    Case("sv_without_genes", "structural_variants", replace_line(SV, 3, "S1\tNA\t17\t37856254\t\tNA\tNA\tDeletion\tDELETION\tSOMATIC"),
         (Outcome(W, SV, 3, "missing_gene"),)),
    Case("sv_word_position", "structural_variants", edit_field(SV, 2, 7, "far"), (Outcome(W, SV, 2, "non_numeric_position"),)),
    Case("sv_fractional_position", "structural_variants", edit_field(SV, 2, 7, "41196312.5"), (Outcome(W, SV, 2, "non_numeric_position"),)),
    Case("sv_fractional_read_count", "structural_variants", add_column(SV, "Tumor_Read_Count", "12.5"),
         (Outcome(W, SV, 2, "invalid_number"), Outcome(W, SV, 3, "invalid_number"))),
    Case("sv_word_length", "structural_variants", add_column(SV, "SV_Length", "long"),
         (Outcome(W, SV, 2, "invalid_number"), Outcome(W, SV, 3, "invalid_number"))),
    Case("sv_unknown_chromosome", "structural_variants", edit_field(SV, 2, 3, "chr99"), (Outcome(W, SV, 2, "unknown_chromosome"),)),
    Case("sv_sample_not_in_clinical", "structural_variants", edit_field(SV, 3, 1, "S9"), (Outcome(W, SV, 3, "sample_not_in_clinical"),)),
    Case("sv_given_twice", "structural_variants", append_line(SV, "S1\tEML4\t2\t42492091\tALK\t2\t29446394\tFusion\tINVERSION\tSOMATIC"),
         (Outcome(W, SV, 4, "duplicate_key"),)),
    Case("sv_no_status_column", "structural_variants", rename_header(SV, "SV_Status", "Status"), (Outcome(E, SV, 1, "file_not_landable"),)),
    # --- meta files and the folder
    Case("meta_names_a_file_outside", "meta", _outside_meta, (Outcome(E, "meta_timeline.txt", 4, "study_not_readable"),)),
    Case("link_out_of_the_folder", "meta", _outside_link, (Outcome(E, SAM, 1, "study_not_readable"),)),
    Case("meta_names_an_absent_file", "meta", write_file("meta_expression.txt", "cancer_study_identifier: x\n"
         "genetic_alteration_type: MRNA_EXPRESSION\ndatatype: CONTINUOUS\ndata_filename: data_expression.txt\n"),
         (Outcome(W, "meta_expression.txt", 4, "data_file_absent"),)),
    Case("unsupported_file", "meta", write_file("data_methylation.txt", "Hugo_Symbol\tS1\nTP53\t0.2\n"),
         (Outcome(W, "data_methylation.txt", 1, "file_not_landed"),)),
    # --- oncoduck_study.yml
    Case("yml_invalid", "oncoduck_study.yml", write_file("oncoduck_study.yml", "columns:\n  a: [unclosed\n"),
         (Outcome(E, "oncoduck_study.yml", 3, "study_not_readable"),)),  # where the YAML parser finds the end
    Case("yml_unknown_key", "oncoduck_study.yml", write_file("oncoduck_study.yml", "tmb_cutof: 10\n"),
         (Outcome(E, "oncoduck_study.yml", 1, "study_not_readable"),)),
    Case("yml_unknown_encoding", "oncoduck_study.yml", write_file("oncoduck_study.yml", "encoding: latin-9x\n"),
         (Outcome(E, "oncoduck_study.yml", 1, "study_not_readable"),)),
    Case("yml_file_that_does_not_exist", "oncoduck_study.yml",
         write_file("oncoduck_study.yml", "files:\n  mutations: [calls.maf]\n"), (Outcome(E, "oncoduck_study.yml", 2, "study_not_readable"),)),
)


def write_base(folder: Path, study_id: str) -> Path:
    folder.mkdir(parents=True)
    _save(folder, "meta_study.txt", ["type_of_cancer: brca", f"cancer_study_identifier: {study_id}",
                                     f"name: {study_id}", "reference_genome: hg19"])
    for name, lines in BASE.items():
        _save(folder, name, lines)
    return folder


def write_corpus(root: Path) -> dict[str, Path]:
    """Every case in its own folder under ``root`` (and the clean base as ``clean``): name -> folder."""
    folders = {"clean": write_base(root / "clean", "corpus_clean")}
    for case in CASES:
        folder = write_base(root / case.name, f"corpus_{case.name}")
        case.plant(folder)
        folders[case.name] = folder
    return folders


def data_lines(path: Path) -> int:
    """Data lines of a tabular file as landing counts them: not blank, not '#', after the header line."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        lines = handle.read().split(b"\n")
    body = [line for line in lines if line.strip() and not line.startswith(b"#")]
    return max(len(body) - 1, 0)
