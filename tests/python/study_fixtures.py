"""Small, readable study folders for tests: one with every file quirk real cohorts have, one with
ten planted defects. Written byte by byte so each quirk is explicit (CR-only, CRLF, BOM, gzip)."""

from __future__ import annotations

import gzip
from pathlib import Path

CLINICAL_PATIENT_HEADER = [
    "#Patient Identifier\tOverall Survival Status\tOverall Survival (Months)\tSex",
    "#Patient identifier\tOverall survival status\tOverall survival in months\tSex",
    "#STRING\tSTRING\tNUMBER\tSTRING",
    "#1\t1\t1\t1",
    "PATIENT_ID\tOS_STATUS\tOS_MONTHS\tSEX",
]
CLINICAL_SAMPLE_HEADER = [
    "#Patient Identifier\tSample Identifier\tSample Type",
    "#Patient identifier\tSample identifier\tSample type",
    "#STRING\tSTRING\tSTRING",
    "#1\t1\t1",
    "PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE",
]
MAF_HEADER = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
              "MAF_Variant\tVariant_Type\tTumor_Sample_Barcode\tamino_acid_change_WU\ttumors_var_reads\tt_ref_count")


def _write(path: Path, lines: list[str], newline: str = "\n", bom: bool = False, gz: bool = False) -> Path:
    data = (newline.join(lines) + newline).encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    if gz:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path


def write_quirky_study(root: Path) -> Path:
    """A study exercising every ingest quirk DESIGN.md lists; all of it must land and reconcile."""
    d = root / "quirky_study"
    d.mkdir(parents=True)
    # BOM + CRLF meta file
    _write(d / "meta_study.txt", ["type_of_cancer: brca", "cancer_study_identifier: quirky", "name: Quirky",
                                  "reference_genome: hg19"], newline="\r\n", bom=True)
    # CR-only (old Mac) line endings, 0:LIVING / 1:DECEASED and plain LIVING, missing tokens
    _write(d / "data_clinical_patient.txt", CLINICAL_PATIENT_HEADER + [
        "TCGA-AA-0001\t0:LIVING\t12.5\tFemale",
        "TCGA-AA-0002\t1:DECEASED\t[Not Available]\tFemale",
        "TCGA-AA-0003\tLIVING\tNA\t[Unknown]",
    ], newline="\r")
    # lower-case TCGA barcodes (sample ids normalise to upper case)
    _write(d / "data_clinical_sample.txt", CLINICAL_SAMPLE_HEADER + [
        "tcga-aa-0001\ttcga-aa-0001-01\tPrimary",
        "TCGA-AA-0002\tTCGA-AA-0002-01\tPrimary",
        "TCGA-AA-0003\tTCGA-AA-0003-01\t[Not Applicable]",
    ], newline="\r\n")
    # gzip MAF, '#version' and '#Sequenced_Samples:' preamble, chr prefix, 23 = X, aliquot barcodes,
    # duplicate aliquots 01A / 01B of one sample, vendor column names mapped by oncoduck_study.yml
    _write(d / "data_mutations.maf.gz", [
        "#version 2.4",
        "#Sequenced_Samples: TCGA-AA-0001-01 TCGA-AA-0002-01 TCGA-AA-0003-01",
        MAF_HEADER,
        "PIK3CA\tchr3\t178952085\t178952085\tA\tG\tMissense_Mutation\tSNP\tTCGA-AA-0001-01A-11D-A000-09\tp.H1047R\t12\t30",
        "PIK3CA\tchr3\t178952085\t178952085\tA\tG\tMissense_Mutation\tSNP\tTCGA-AA-0001-01B-11D-A000-09\tp.H1047R\t10\t28",
        "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\ttcga-aa-0002-01a-11d-a000-09\tp.R175H\t20\t20",
        "AR\t23\t66765160\t66765160\tG\tA\tSilent\tSNP\tTCGA-AA-0002-01A-11D-A000-09\tp.L57L\t5\t40",
    ], gz=True)
    # segments with chr prefix and X = 23
    _write(d / "data_cna_hg19.seg", [
        "ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean",
        "TCGA-AA-0001-01A-11D-A000-01\tchr17\t1000\t2000000\t100\t0.9",
        "TCGA-AA-0001-01A-11D-A000-01\t23\t1000\t5000000\t200\t-0.3",
    ])
    (d / "oncoduck_study.yml").write_text(
        "assay_id: wes_generic\n"
        "columns:\n"
        "  MAF_Variant: variant_classification\n"
        "  amino_acid_change_WU: protein_change\n"
        "  tumors_var_reads: t_alt_count\n"
    )
    return d


def write_defective_study(root: Path) -> tuple[Path, list[tuple[str, int, str]]]:
    """A study with ten planted row-level defects; returns (folder, [(file name, line, reason code)])."""
    d = root / "defective_study"
    d.mkdir(parents=True)
    _write(d / "meta_study.txt", ["type_of_cancer: brca", "cancer_study_identifier: defective", "reference_genome: hg19"])
    _write(d / "data_clinical_patient.txt", CLINICAL_PATIENT_HEADER + [
        "P1\t0:LIVING\t10\tFemale",
        "P2\talive?\t11\tFemale",            # line 7: unparseable status
        "P3\t1:DECEASED\ttwelve\tFemale",    # line 8: non-numeric OS_MONTHS
    ])
    _write(d / "data_clinical_sample.txt", CLINICAL_SAMPLE_HEADER + [
        "P1\tS1\tPrimary",
        "P2\tS2\tPrimary",
        "P3\tS3\tPrimary",
        "P3\tS3\tPrimary",                   # line 9: duplicated sample
    ])
    maf_header = ("Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
                  "Variant_Classification\tVariant_Type\tTumor_Sample_Barcode")
    _write(d / "data_mutations.txt", [
        maf_header,
        "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1",
        "TP53\t17\tabc\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1",          # line 3: non-numeric position
        "TP53\t99\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1",      # line 4: unknown chromosome
        "TP53\t17\t7578410\t7578410\tC\tT\tMissense_Mutation\tSNP\t",        # line 5: missing sample id
        "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS9",      # line 6: sample not in clinical
        "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation\tSNP\tS1",      # line 7: duplicated variant
        "TP53\t17\t7578406\t7578406\tC\tT\tMissense_Mutation",               # line 8: wrong field count
        "GATA3\t10\t8115874\t8115875\t-\tA\tFrame_Shift_Ins\tINS\tS2",
    ])
    _write(d / "data_cna_hg19.seg", [
        "ID\tchrom\tloc.start\tloc.end\tnum.mark\tseg.mean",
        "S1\t1\t5000\t1000\t10\t0.5",                                          # line 2: start > end
        "S1\t2\t1000\t5000\t10\t0.5",
    ])
    planted = [
        ("data_clinical_patient.txt", 7, "unparseable_status"),
        ("data_clinical_patient.txt", 8, "non_numeric_value"),
        ("data_clinical_sample.txt", 9, "duplicate_key"),
        ("data_mutations.txt", 3, "non_numeric_position"),
        ("data_mutations.txt", 4, "unknown_chromosome"),
        ("data_mutations.txt", 5, "missing_sample_id"),
        ("data_mutations.txt", 6, "sample_not_in_clinical"),
        ("data_mutations.txt", 7, "duplicate_variant"),
        ("data_mutations.txt", 8, "wrong_field_count"),
        ("data_cna_hg19.seg", 2, "end_before_start"),
    ]
    return d, planted
