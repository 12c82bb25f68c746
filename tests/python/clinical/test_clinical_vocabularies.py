"""Real clinical vocabularies (issue 18 item 3): vital and disease-specific status, HER2 status vs ERBB2 copy
number, stage, PAM50 / claudin-low, and ER/PR given per patient and per sample. Each vocabulary is checked
against the source it comes from:

- cBioPortal file formats (docs.cbioportal.org, "File Formats", clinical data): survival status values are
  '0:LIVING' / '1:DECEASED' (event after the colon), one data_clinical_patient.txt and one
  data_clinical_sample.txt, attributes at either level;
- METABRIC's cBioPortal clinical files (brca_metabric; Curtis et al., Nature 2012; Pereira et al., Nat Commun
  2016): VITAL_STATUS Living / Died of Disease / Died of Other Causes beside OS_MONTHS, ER_IHC 'Positve',
  HER2_SNP6 GAIN / LOSS / NEUTRAL / UNDEF (copy number from SNP6 arrays), HER2_STATUS, CLAUDIN_SUBTYPE
  LumA / LumB / Her2 / Basal / Normal / claudin-low / NC, TUMOR_STAGE 0-4;
- TCGA-CDR (Liu et al., Cell 2018; ../shared/data/tcga_brca): DSS counts death from the disease only, and
  ajcc_pathologic_tumor_stage 'Stage IIA' ...;
- AJCC 8th edition breast anatomic stage groups (Giuliano et al., CA Cancer J Clin 2017;67:290);
- PAM50 (Parker et al., J Clin Oncol 2009;27:1160) and claudin-low (Prat et al., Breast Cancer Res 2010;12:R68).
The business rules themselves have dbt unit tests in models/intermediate/clinical/_clinical__unit_tests.yml.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oncoduck.ingest.landing import landing_sql
from oncoduck.ingest.study import StudyError, discover
from oncoduck_testing import REPO, query, require_shared_data

SEEDS = REPO / "seeds" / "reference"


# --------------------------------------------------------------------------- seeds

@pytest.fixture(scope="module")
def value_vocabulary() -> dict[tuple[str, str], str]:
    seed = pd.read_csv(SEEDS / "clinical_value_synonyms.csv", dtype=str, keep_default_na=False)
    return {(a, r): c for a, r, c in seed[["attribute", "raw_value", "canonical_value"]].itertuples(index=False)}


@pytest.fixture(scope="module")
def attribute_of() -> dict[str, str]:
    seed = pd.read_csv(SEEDS / "clinical_attribute_synonyms.csv", dtype=str, keep_default_na=False)
    return {s.strip().lower(): a for a, s in seed[["attribute", "synonym"]].itertuples(index=False)}


def _read(vocabulary: dict[tuple[str, str], str], attribute: str, raw: str) -> str | None:
    """The staging lookup: lower(trim(value)) against the attribute's own vocabulary."""
    return vocabulary.get((attribute, raw.strip().lower()))


def test_every_canonical_value_is_allowed_for_its_attribute(value_vocabulary):
    attributes = pd.read_csv(SEEDS / "clinical_attributes.csv", dtype=str, keep_default_na=False)
    allowed = {a: set(v.split("|")) for a, v in attributes[["attribute", "allowed_values"]].itertuples(index=False) if v}
    wrong = {(a, r, c) for (a, r), c in value_vocabulary.items() if a in allowed and c not in allowed[a]}
    assert wrong == set()


def test_vital_and_disease_specific_status_read_per_attribute(value_vocabulary):
    """METABRIC VITAL_STATUS and cBioPortal / TCGA spellings: every death is an OS event; only a death from the
    disease is a DSS event (TCGA-CDR DSS; a death from other causes is censored at death)."""
    os_events = {"Died of Disease": "1", "Died of Other Causes": "1", "DECEASED": "1", "1:DECEASED": "1",
                 "Dead of disease": "1", "DDS": "1", "Dead": "1", "Living": "0", "0:LIVING": "0", "Alive": "0"}
    dss_events = {"Died of Disease": "1", "Died of Other Causes": "0", "Dead of disease": "1", "DDS": "1",
                  "Living": "0", "Alive": "0", "0:LIVING": "0", "1:DEAD WITH TUMOR": "1",
                  "0:ALIVE OR DEAD TUMOR FREE": "0"}
    vital = {"Died of Disease": "Dead", "Died of Other Causes": "Dead", "DECEASED": "Dead", "1:DECEASED": "Dead",
             "Dead of disease": "Dead", "DDS": "Dead", "Living": "Alive", "Alive": "Alive", "0:LIVING": "Alive"}
    assert {raw: _read(value_vocabulary, "OS_STATUS", raw) for raw in os_events} == os_events
    assert {raw: _read(value_vocabulary, "DSS_STATUS", raw) for raw in dss_events} == dss_events
    assert {raw: _read(value_vocabulary, "VITAL_STATUS", raw) for raw in vital} == vital
    # a death of unstated cause is not a disease-specific event: not in the DSS vocabulary (staging rejects it)
    assert {_read(value_vocabulary, "DSS_STATUS", raw) for raw in ("DECEASED", "1:DECEASED", "Dead")} == {None}


def test_her2_status_and_copy_number_are_separate_attributes(value_vocabulary, attribute_of):
    """HER2 given as a status without its method maps to HER2_STATUS; METABRIC's HER2_SNP6 (SNP6 copy number)
    maps to HER2_COPY_NUMBER_CALL; no copy-number column or value reaches an IHC or ISH attribute."""
    status = {"+": "Positive", "-": "Negative", "POS": "Positive", "NEG": "Negative", "Positive": "Positive",
              "Negative": "Negative", "Equivocal": "Equivocal"}
    assert {raw: _read(value_vocabulary, "HER2_STATUS", raw) for raw in status} == status
    assert attribute_of["her2_status"] == "HER2_STATUS"
    calls = {"GAIN": "Gain", "LOSS": "Loss", "NEUTRAL": "Neutral", "UNDEF": "Undetermined", "2": "Amplification",
             "-2": "Deletion"}
    assert {raw: _read(value_vocabulary, "HER2_COPY_NUMBER_CALL", raw) for raw in calls} == calls
    assert attribute_of["her2_snp6"] == "HER2_COPY_NUMBER_CALL"
    copy_number_names = [s for s in attribute_of
                         if ("her2" in s or "erbb2" in s) and any(k in s for k in ("snp6", "cna", "copy_number"))]
    assert copy_number_names and {attribute_of[s] for s in copy_number_names} == {"HER2_COPY_NUMBER_CALL"}
    ihc_ish = {(a, r) for (a, r) in value_vocabulary if a.startswith(("HER2_IHC", "HER2_ISH"))}
    assert not {r for _, r in ihc_ish} & {"gain", "loss", "neutral", "undef"}


def test_stage_numerals_roman_and_ajcc_strings(value_vocabulary):
    """METABRIC TUMOR_STAGE 0-4, Roman numerals, 'Stage IIA' (AJCC pathologic stage strings as cBioPortal and
    TCGA give them)."""
    stages = {"0": "0", "1": "I", "2": "II", "3": "III", "4": "IV", "I": "I", "IIA": "IIA", "iiib": "IIIB",
              "Stage IIA": "IIA", "STAGE IV": "IV", "Stage_IIIC": "IIIC", "Stage 2B": "IIB", "Stage X": "X"}
    assert {raw: _read(value_vocabulary, "STAGE", raw) for raw in stages} == stages


def test_pam50_and_claudin_low_spellings(value_vocabulary, attribute_of):
    calls = {"LumA": "LumA", "LumB": "LumB", "Her2": "Her2", "Basal": "Basal", "Normal": "Normal",
             "claudin-low": "Claudin-low", "NC": "NC", "Luminal A": "LumA", "Luminal B": "LumB",
             "Her2 enriched": "Her2", "basal-like": "Basal", "Normal-like": "Normal", "Claudin low": "Claudin-low",
             "BRCA_LumA": "LumA", "BRCA_Basal": "Basal"}
    assert {raw: _read(value_vocabulary, "PAM50_SUBTYPE", raw) for raw in calls} == calls
    assert {attribute_of[n] for n in ("pam50", "claudin_subtype", "pam50_subtype")} == {"PAM50_SUBTYPE"}
    assert attribute_of["subtype"] == "SUBTYPE"  # free text as given; read as PAM50 only for PAM50 names


def test_es0_subtype_values_are_pam50_names(value_vocabulary):
    """cBioPortal's importer test study (study_es_0) gives PAM50 calls in SUBTYPE ('Luminal A', 'basal-like',
    'Claudin low' ...): every non-missing value reads through the PAM50 vocabulary."""
    path = require_shared_data("cbioportal_study_es_0", "data_clinical_samples.txt")
    samples = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)
    given = {v for v in samples["SUBTYPE"] if v.strip() and v.strip() not in ("NA", "[Not Available]")}
    assert given == {"Luminal A", "Luminal B", "Her2 enriched", "basal-like", "Claudin low"}
    assert {v: _read(value_vocabulary, "PAM50_SUBTYPE", v) for v in given} == {
        "Luminal A": "LumA", "Luminal B": "LumB", "Her2 enriched": "Her2", "basal-like": "Basal",
        "Claudin low": "Claudin-low"}


def test_tcga_cdr_pathologic_stage_strings_map(value_vocabulary, attribute_of):
    """TCGA-CDR ajcc_pathologic_tumor_stage (all 33 cancer types): every stage group maps; only 'I/II NOS' (no
    single group) is left for int_clinical_unmapped_values."""
    path = require_shared_data("tcga_brca", "tcga_cdr_liu2018_clinData.csv.gz")
    cdr = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["ajcc_pathologic_tumor_stage"])
    assert attribute_of["ajcc_pathologic_tumor_stage"] == "STAGE"
    missing = {"", "NA", "[Not Available]", "[Not Applicable]", "[Unknown]", "[Discrepancy]"}
    values = set(cdr["ajcc_pathologic_tumor_stage"]) - missing
    unmapped = {v for v in values if _read(value_vocabulary, "STAGE", v) is None}
    assert unmapped == {"I/II NOS"}
    assert _read(value_vocabulary, "STAGE", "IS") == "0"


# --------------------------------------------------------------------------- columns: lists (landing)

def _study(tmp_path: Path, yml: str, patient_file: str) -> Path:
    (tmp_path / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: list_map\nname: x\n")
    (tmp_path / "oncoduck_study.yml").write_text(yml)
    (tmp_path / "data_clinical_patient.txt").write_text(patient_file)
    return tmp_path


def test_column_map_accepts_a_list_of_canonical_names(tmp_path):
    study = discover(_study(tmp_path, "columns:\n  clinical_patient:\n    VITAL_STATUS: [OS_STATUS, DSS_STATUS]\n"
                                      "  tumors_var_reads: t_alt_count\n", "PATIENT_ID\tVITAL_STATUS\nP1\tLiving\n"))
    assert study.column_map("clinical_patient") == {"tumors_var_reads": "t_alt_count", "vital_status": "OS_STATUS"}
    assert study.column_map("clinical_patient", all_targets=True) == {
        "tumors_var_reads": ("t_alt_count",), "vital_status": ("OS_STATUS", "DSS_STATUS")}


def test_column_map_refuses_an_empty_list(tmp_path):
    """Refused with the file and key, whether the study file check (discover) or column_map finds it first."""
    folder = _study(tmp_path, "columns:\n  clinical_patient:\n    VITAL_STATUS: []\n", "PATIENT_ID\nP1\n")
    with pytest.raises(StudyError, match=r"oncoduck_study.yml[:0-9]*: columns.clinical_patient.VITAL_STATUS: expected"):
        discover(folder).column_map("clinical_patient")


def test_list_mapped_column_lands_once_per_attribute_with_its_position(tmp_path):
    study = discover(_study(tmp_path, "columns:\n  clinical_patient:\n    VITAL_STATUS: [OS_STATUS, DSS_STATUS]\n",
                            "PATIENT_ID\tVITAL_STATUS\nP1\tLiving\nP2\tDied of Other Causes\n"))
    with duckdb.connect() as con:
        landed = con.sql(f"select source_row, source_column, attribute_name, value_raw from ({landing_sql('clinical', [study])}) "
                         "where attribute_name <> 'PATIENT_ID' order by 1, 3").fetchall()
        columns = con.sql(f"select source_column, source_name, landed_as from ({landing_sql('file_columns', [study])}) "
                          "order by 1, 3").fetchall()
    assert landed == [(2, 2, "DSS_STATUS", "Living"), (2, 2, "OS_STATUS", "Living"),
                      (3, 2, "DSS_STATUS", "Died of Other Causes"), (3, 2, "OS_STATUS", "Died of Other Causes")]
    assert columns == [(1, "PATIENT_ID", "PATIENT_ID"), (2, "VITAL_STATUS", "DSS_STATUS"), (2, "VITAL_STATUS", "OS_STATUS")]


# --------------------------------------------------------------------------- a METABRIC-shaped study, built

PATIENT_FILE = """\
#Patient Identifier\tER status measured by IHC\tHER2 status measured by SNP6\tOverall Survival (Months)\tPatient's Vital Status\tPam50 + Claudin-low subtype
#Identifier to uniquely specify a patient.\tER status measured by IHC\tHER2 status measured by SNP6\tOverall survival in months since initial diagonosis.\tThe survival state of the person.\tPam50 + Claudin-low subtype.
#STRING\tSTRING\tSTRING\tNUMBER\tSTRING\tSTRING
#1\t1\t1\t1\t1\t1
PATIENT_ID\tER_IHC\tHER2_SNP6\tOS_MONTHS\tVITAL_STATUS\tCLAUDIN_SUBTYPE
M1\tPositve\tNEUTRAL\t140.5\tLiving\tLumA
M2\tNegative\tGAIN\t20.1\tDied of Disease\tBasal
M3\tPositve\tLOSS\t85.0\tDied of Other Causes\tclaudin-low
M4\tPositve\tUNDEF\t60.2\tDied of Disease\tNC
M5\tPositve
M6\tNegative\tNEUTRAL\t33.3\t1:DECEASED\tHer2
"""

SAMPLE_FILE = """\
PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE\tER_STATUS\tHER2_STATUS\tTUMOR_STAGE
M1\tM1-T\tPrimary\tPositive\tNegative\t1
M2\tM2-T\tPrimary\tNegative\tPositive\t2
M3\tM3-T\tPrimary\tNegative\t-\t4
M4\tM4-T\tPrimary\tPositive\tPOS\t0
M6\tM6-T\tPrimary\tNegative\tNEG\tT2N1M0
"""


@pytest.fixture(scope="module")
def metabric_like_build(tmp_path_factory, compiled_project) -> tuple[Path, list[tuple[str, int]]]:
    """METABRIC's clinical layout in miniature (values as in brca_metabric on cBioPortal), with the study file
    mapping VITAL_STATUS to OS and DSS status and OS_MONTHS to both times, one short line (M5) and one vital
    status that cannot say whether the death was from the disease (M6)."""
    root = tmp_path_factory.mktemp("metabric_like")
    study = root / "metabric_like"
    study.mkdir()
    (study / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: metabric_like\nname: x\n")
    (study / "oncoduck_study.yml").write_text(
        "columns:\n  clinical_patient:\n    VITAL_STATUS: [OS_STATUS, DSS_STATUS]\n    OS_MONTHS: [OS_MONTHS, DSS_MONTHS]\n")
    (study / "data_clinical_patient.txt").write_text(PATIENT_FILE)
    (study / "data_clinical_sample.txt").write_text(SAMPLE_FILE)
    warehouse = root / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [study], "+dim_patient +fct_survival +int_clinical_unmapped_values "
                                 "+int_clinical_patients_landed +all_rejects")
    return warehouse, run.warned_tests


@pytest.fixture(scope="module")
def metabric_like(metabric_like_build) -> Path:
    return metabric_like_build[0]


def test_metabric_vital_status_feeds_os_and_dss(metabric_like):
    survival = query(metabric_like, "select patient_id, endpoint, event, time_months from marts.fct_survival order by 1, 2")
    assert survival == [("M1", "DSS", 0, 140.5), ("M1", "OS", 0, 140.5), ("M2", "DSS", 1, 20.1), ("M2", "OS", 1, 20.1),
                        ("M3", "DSS", 0, 85.0), ("M3", "OS", 1, 85.0), ("M4", "DSS", 1, 60.2), ("M4", "OS", 1, 60.2),
                        ("M6", "OS", 1, 33.3)]
    # '1:DECEASED' says nothing about the cause: a staging reject for DSS_STATUS, so no DSS for M6
    rejects = query(metabric_like, "select reject_reason from staging.stg_study__survival_endpoints_rejects "
                                   "where patient_id = 'M6' and endpoint = 'DSS'")
    assert rejects == [("unparseable_status",)]


def test_list_mapped_rejects_keep_file_line_column_and_reconcile(metabric_like):
    """The short line M5 (line 10) is rejected once per landed value, each naming file:line:column; the fanned-out
    columns 4 and 5 appear once per target attribute, and landed = accepted + rejected holds per file (the
    reconciles_with_landing test passed in the build)."""
    rows = query(metabric_like, "select source_file, source_row, source_column, reject_reason from staging.all_rejects "
                                "where input_kind = 'clinical' and reject_reason = 'wrong_field_count' order by 3")
    assert [(Path(f).name, r, c) for f, r, c, _ in rows] == [
        ("data_clinical_patient.txt", 10, c) for c in (1, 2, 3, 4, 4, 5, 5, 6)]
    landed = query(metabric_like, "select source_file, count(*) from landing.landing_clinical group by 1")
    checked = dict(query(metabric_like, "select source_file, count(*) from staging.stg_study__clinical_checked group by 1"))
    assert {f: n for f, n in landed} == checked


def test_metabric_her2_copy_number_is_not_ihc_ish(metabric_like):
    rows = query(metabric_like, """
        select h.patient_id, i.her2_copy_number_call, h.her2_ihc_level, h.her2_ish_result, h.her2_category, h.her2_rule_branch
        from intermediate.int_patients_her2_classified h
        inner join intermediate.int_patients_clinical_inputs i using (study_id, patient_id) order by 1""")
    assert rows == [
        ("M1", "Neutral", None, None, "negative_unspecified", "reported_status_negative_method_unstated"),
        ("M2", "Gain", None, None, "positive", "reported_status_positive_method_unstated"),
        ("M3", "Loss", None, None, "negative_unspecified", "reported_status_negative_method_unstated"),
        ("M4", "Undetermined", None, None, "positive", "reported_status_positive_method_unstated"),
        ("M6", "Neutral", None, None, "negative_unspecified", "reported_status_negative_method_unstated")]
    assert query(metabric_like, "select count(*) from marts.dim_patient where her2_category in ('low', 'zero')") == [(0,)]


def test_metabric_stage_and_intrinsic_subtype(metabric_like):
    rows = query(metabric_like, """
        select s.patient_id, s.stage, s.stage_source, t.intrinsic_subtype, t.intrinsic_subtype_source
        from intermediate.int_patients_staged s
        inner join intermediate.int_patients_subtyped t using (study_id, patient_id) order by 1""")
    assert rows == [("M1", "I", "stage_given", "luminal_a", "pam50_attribute"),
                    ("M2", "II", "stage_given", "basal_like", "pam50_attribute"),
                    ("M3", "IV", "stage_given", "claudin_low", "pam50_attribute"),
                    ("M4", "0", "stage_given", "not_classified", "pam50_attribute"),
                    ("M6", "IIB", "tnm_ajcc8_breast_anatomic", "her2_enriched", "pam50_attribute")]
    # the TNM string in the STAGE column is read, so it is not listed as an unmapped stage
    assert query(metabric_like, "select attribute, value_text from intermediate.int_clinical_unmapped_values") == []


def test_er_patient_value_first_and_disagreement_warns(metabric_like, metabric_like_build):
    """METABRIC gives ER per patient (ER_IHC, 'Positve') and per sample (ER_STATUS): the patient value is used
    (rule patient_value_first_then_primary_sample_v1) and M3 (patient Positve, sample Negative) is counted by the
    warn-severity test, which shows as WARN 1 in the build."""
    rows = query(metabric_like, "select patient_id, er_status, er_value_level, er_patient_sample_disagree, receptor_level_rule_id "
                                "from intermediate.int_patients_receptors_classified order by 1")
    assert rows == [(p, s, "patient", p == "M3", "patient_value_first_then_primary_sample_v1")
                    for p, s in (("M1", "positive"), ("M2", "negative"), ("M3", "positive"), ("M4", "positive"),
                                 ("M6", "negative"))]
    warned = metabric_like_build[1]
    assert [(name, n) for name, n in warned if name == "receptor_level_disagreements_listed"] == [
        ("receptor_level_disagreements_listed", 1)]
