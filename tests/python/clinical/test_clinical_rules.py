"""Clinical normalisation (issue 4): HER2 / HR / subtypes / FISH heterogeneity / response / treatments /
survival, checked on the demo cohort (planted groupings of seeds/demo_studies/README.md), on TCGA BRCA
(categories recomputed independently from the raw file with pandas) and on a small bad-input study."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from oncoduck_testing import FIXTURE_STUDIES, query, require_shared_data
from oncoduck.ingest.reader import fields_relation_sql, sniff


# --------------------------------------------------------------------------- CSV reading (TCGA-CDR)

def test_quoted_csv_is_split_per_physical_line(tmp_path):
    path = tmp_path / "table.csv"
    path.write_text('id,name,note\nA,"Smith, J","said ""hi"""\nB,,\n\nC,x,"a,b,c"\n')
    shape = sniff(path)
    assert shape.delimiter == "," and shape.header == ("id", "name", "note")
    with duckdb.connect() as con:
        rows = con.sql(f"select source_row, fields, n_fields from ({fields_relation_sql(shape)})").fetchall()
    assert rows == [(2, ["A", "Smith, J", 'said "hi"'], 3), (3, ["B", "", ""], 3), (5, ["C", "x", "a,b,c"], 3)]


def test_tab_files_are_still_tab_separated(tmp_path):
    path = tmp_path / "data_clinical_patient.txt"
    path.write_text("PATIENT_ID\tNOTE\nP1\ta, b\n")
    shape = sniff(path)
    assert shape.delimiter == "\t"
    with duckdb.connect() as con:
        assert con.sql(f"select source_row, fields, n_fields from ({fields_relation_sql(shape)})").fetchall() == [
            (2, ["P1", "a, b"], 2)]


# --------------------------------------------------------------------------- demo cohort

def _one(warehouse: Path, sql: str):
    return query(warehouse, sql)[0]


def test_demo_every_derived_attribute_is_populated(demo_warehouse):
    columns = ["her2_category", "her2_rule_id", "hr_status", "receptor_rule_id", "subtype", "subtype_rule_id",
               "ki67_group", "ki67_group_ikwg", "ki67_rule_id", "ki67_group_ikwg_rule_id", "stage_group", "stage_rule_id",
               "m_stage_initial", "m_stage_rule_id", "metastasis_pattern", "metastatic_sites_rule_id", "age_group", "age_group_rule_id",
               "her2_heterogeneity", "her2_heterogeneity_rule_id"]
    nulls = " + ".join(f"sum(case when {c} is null then 1 else 0 end)" for c in columns)
    n, n_null, n_studies = _one(demo_warehouse, f"select count(*), {nulls}, count(distinct study_id) from marts.dim_patient")
    assert (n, n_null, n_studies) == (311, 0, 5)
    # every patient has a response row and no demo value is left unmapped
    assert _one(demo_warehouse, "select count(*) from marts.fct_response") == (311,)
    assert query(demo_warehouse, "select * from intermediate.int_clinical_unmapped_values") == []


def test_demo_zhang2022_her2_groups_receptors_and_ki67(demo_warehouse):
    groups = dict(query(demo_warehouse, "select her2_category, count(*) from marts.dim_patient "
                                        "where study_id = 'demo_zhang2022_panel' group by 1"))
    assert groups == {"zero": 52, "low": 68, "positive": 30}
    # 7 ER-low (1-10 %) patients; the 7 'Positve' misspellings mapped by the study's values:
    assert _one(demo_warehouse, "select count(*) from marts.dim_patient where study_id = 'demo_zhang2022_panel' and er_low") == (7,)
    # Ki-67 exactly 14 (14 patients) is high at the 14 % cut-off but intermediate in the IKWG's levels (Nielsen et al.,
    # JNCI 2021: 6-29 % is their uncertain range); exactly 30 (13) is IKWG high
    assert _one(demo_warehouse, "select count(*), min(ki67_group), max(ki67_group) from marts.dim_patient "
                                "where study_id = 'demo_zhang2022_panel' and ki67_percent = 14") == (14, "high", "high")
    assert _one(demo_warehouse, "select count(*), min(ki67_group_ikwg), max(ki67_group_ikwg) from marts.dim_patient "
                                "where study_id = 'demo_zhang2022_panel' and ki67_percent = 14") == (14, "intermediate", "intermediate")
    assert _one(demo_warehouse, "select count(*), min(ki67_group_ikwg) from marts.dim_patient "
                                "where study_id = 'demo_zhang2022_panel' and ki67_percent = 30") == (13, "high")
    # ANTI_HER2_CYCLES 'NA' for HER2-negative patients: kept, not applicable
    rows = dict(query(demo_warehouse, """
        select r.anti_her2_cycles_status, count(*) from marts.fct_response r
        join marts.dim_patient d using (study_id, patient_id)
        where r.study_id = 'demo_zhang2022_panel' and d.her2_category <> 'positive' group by 1"""))
    assert rows == {"not_applicable": 120}
    # pCR (neoadjuvant): HER2-positive 67 % vs 14-16 %
    pcr = dict(query(demo_warehouse, """
        select d.her2_category, avg(case when r.pcr = 'Yes' then 1.0 else 0.0 end)
        from marts.fct_response r join marts.dim_patient d using (study_id, patient_id)
        where r.study_id = 'demo_zhang2022_panel' and r.pcr in ('Yes', 'No') group by 1"""))
    assert pcr["positive"] == pytest.approx(0.67, abs=0.01)
    assert 0.13 <= pcr["low"] <= 0.17 and 0.13 <= pcr["zero"] <= 0.17


def test_demo_yi2024_her2_low_and_ultralow(demo_warehouse):
    detail = dict(query(demo_warehouse, "select her2_category_detail, count(*) from marts.dim_patient "
                                        "where study_id = 'demo_yi2024_ctdna' group by 1"))
    assert detail.get("low") == 36  # 20 IHC 1+ and 16 IHC 2+/ISH negative
    assert sum(v for k, v in detail.items() if k.startswith("zero_")) == 4
    assert _one(demo_warehouse, "select count(*) from marts.fct_treatment where study_id = 'demo_yi2024_ctdna' "
                                "and agent = 'trastuzumab deruxtecan' and drug_class = 'anti_her2'") == (40,)


def test_demo_li2024_heterogeneity_and_pcr(demo_warehouse):
    het = dict(query(demo_warehouse, "select her2_heterogeneity, count(*) from marts.dim_patient "
                                     "where study_id = 'demo_li2024_fish' group by 1"))
    assert het == {"heterogeneous": 12, "homogeneous": 28}
    pcr = dict(query(demo_warehouse, """
        select d.her2_heterogeneity, sum(case when r.pcr = 'Yes' then 1 else 0 end)
        from marts.fct_response r join marts.dim_patient d using (study_id, patient_id)
        where r.study_id = 'demo_li2024_fish' group by 1"""))
    assert pcr == {"heterogeneous": 2, "homogeneous": 17}
    biopsies = {phase: (n, low) for phase, n, low in query(demo_warehouse, """
        select treatment_phase, count(*), sum(case when is_low_cell_count then 1 else 0 end)
        from marts.fct_her2_fish_biopsy where study_id = 'demo_li2024_fish' group by 1""")}
    assert biopsies == {"pre": (80, 5), "post": (21, 1)}  # two baseline biopsies each; the 21 non-pCR residual tumours
    # both pre-treatment biopsies of a heterogeneous tumour are 10-45 % amplified
    assert _one(demo_warehouse, """
        select min(b.fraction_amplified) >= 0.10 and max(b.fraction_amplified) <= 0.45
        from marts.fct_her2_fish_biopsy b join marts.dim_patient d using (study_id, patient_id)
        where d.her2_heterogeneity = 'heterogeneous' and b.treatment_phase = 'pre'""") == (True,)


def test_demo_lim2021_response_groups(demo_warehouse):
    groups = dict(query(demo_warehouse, "select response_group, count(*) from marts.fct_response "
                                        "where study_id = 'demo_lim2021_wes' group by 1"))
    assert groups == {"extreme_responder": 30, "non_responder": 15}
    # the lim2021 rule agrees with the study's groups wherever it is decisive (CR / durable PR / PD)
    disagreements = query(demo_warehouse, """
        select patient_id from marts.fct_response where study_id = 'demo_lim2021_wes'
          and response_group_lim2021 in ('extreme_responder', 'non_responder')
          and response_group_lim2021 <> response_group_given""")
    assert disagreements == []
    orr = _one(demo_warehouse, "select sum(case when is_objective_response then 1 else 0 end), "
                               "sum(case when is_disease_control then 1 else 0 end) from marts.fct_response "
                               "where study_id = 'demo_lim2021_wes'")
    assert orr == (28, 32)  # 3 CR + 25 PR; + 4 SD (2 per group)
    # line of therapy from the timeline: the study treatment (day 0) is the line the study reports
    mismatch = query(demo_warehouse, """
        select t.patient_id from marts.fct_treatment t
        join intermediate.int_patients_clinical_inputs i using (study_id, patient_id)
        where t.study_id = 'demo_lim2021_wes' and t.start_day = 0 and t.line_of_therapy <> i.line_of_therapy_given""")
    assert mismatch == []


def test_demo_survival_endpoints(demo_warehouse):
    rows = dict(query(demo_warehouse, "select study_id || ':' || endpoint, count(*) from marts.fct_survival group by 1"))
    assert rows == {"demo_lim2021_wes:PFS": 45, "demo_lim2021_wes:OS": 45, "demo_paul2020_pairs:OS": 36,
                    "demo_yi2024_ctdna:PFS": 40, "demo_yi2024_ctdna:OS": 40, "demo_zhang2022_panel:DFS": 150,
                    "demo_li2024_fish:DFS": 40}
    # months -> days at 30.4375 days per month
    assert _one(demo_warehouse, "select max(abs(time_days - time_months * 30.4375)) < 1e-9 from marts.fct_survival") == (True,)
    assert query(demo_warehouse, "select * from staging.stg_study__survival_endpoints_rejects") == []


def test_demo_patients_reconcile_from_landing(demo_warehouse):
    landed = _one(demo_warehouse, "select count(*) from (select distinct study_id, patient_id from landing.landing_clinical "
                                  "where level = 'patient') t")
    assert _one(demo_warehouse, "select count(*) from marts.dim_patient") == landed


# --------------------------------------------------------------------------- bad input

# Builds of non-demo studies select the clinical models and everything upstream of them (tests included),
# so that they do not depend on unrelated parts of the project.
CLINICAL_SELECTION = ("+dim_patient +fct_survival +fct_response +fct_treatment +fct_her2_fish_biopsy "
                      "+int_clinical_unmapped_values +int_clinical_patients_landed +all_rejects",)

@pytest.fixture(scope="module")
def bad_input_warehouse(tmp_path_factory, compiled_project) -> Path:
    root = tmp_path_factory.mktemp("bad")
    study = root / "bad_clinical"
    study.mkdir()
    (study / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: bad_clinical\nname: bad\n")
    (study / "data_clinical_patient.txt").write_text("\n".join([
        "PATIENT_ID\tHER2_IHC_SCORE\tER_STATUS\tOS_MONTHS\tOS_STATUS\tPFS_MONTHS\tPFS_STATUS",
        "B1\t4+\tPositive\t12.0\t1:DECEASED\t-2\t1:PROGRESSION",
        "B2\t2+\tPositive\t-5\t0:LIVING\t3\t0:CENSORED",
        "B3\t1+\tmaybe\t7\talive?\t\t1:PROGRESSION",
        "B4\t0\tNegative\tNA\tNA\tNA\tNA",
    ]) + "\n")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [study], *CLINICAL_SELECTION)
    return warehouse


def test_bad_input_is_rejected_or_listed_with_reasons(bad_input_warehouse):
    w = bad_input_warehouse
    rejects = {(r[0], r[1]): r[2] for r in query(w, "select patient_id, endpoint, reject_reason from staging.stg_study__survival_endpoints_rejects")}
    assert rejects == {("B1", "PFS"): "negative_time", ("B2", "OS"): "negative_time",
                       ("B3", "OS"): "unparseable_status", ("B3", "PFS"): "missing_time"}
    assert _one(w, "select count(*) from staging.all_rejects where input_kind = 'survival'") == (4,)
    # 'alive?' is also a staging reject of the clinical value itself
    assert _one(w, "select count(*) from staging.all_rejects where input_kind = 'clinical' and reject_reason = 'unparseable_status'") == (1,)
    unmapped = {(r[0], r[1]) for r in query(w, "select attribute, value_text from intermediate.int_clinical_unmapped_values")}
    assert unmapped == {("HER2_IHC_SCORE", "4+"), ("ER_STATUS", "maybe")}
    her2 = dict(query(w, "select patient_id, her2_rule_branch from marts.dim_patient"))
    assert her2 == {"B1": "unmapped_value", "B2": "ihc_2plus_ish_missing", "B3": "ihc_1plus", "B4": "ihc_0"}
    # nobody vanishes: 4 patients landed, 4 in dim_patient, 4 in fct_response; B1 keeps a usable OS
    assert _one(w, "select count(*) from marts.dim_patient") == (4,)
    assert _one(w, "select count(*) from marts.fct_response") == (4,)
    assert query(w, "select patient_id, endpoint, event from marts.fct_survival order by 1, 2") == [
        ("B1", "OS", 1), ("B2", "PFS", 0)]


# --------------------------------------------------------------------------- TCGA BRCA (real data)

@pytest.fixture(scope="module")
def tcga_warehouse(tmp_path_factory, compiled_project) -> Path:
    require_shared_data("tcga_brca", "MC3_BRCA.clinical.tsv.gz")
    require_shared_data("tcga_brca", "tcga_cdr_liu2018_clinData.csv.gz")
    warehouse = tmp_path_factory.mktemp("tcga") / "oncoduck.duckdb"
    studies = [FIXTURE_STUDIES / "tcga_brca_mc3", FIXTURE_STUDIES / "tcga_cdr_liu2018"]
    compiled_project.build(warehouse, studies, *CLINICAL_SELECTION)
    return warehouse


def _tcga_primary_sample_lines() -> pd.DataFrame:
    """The raw MC3 clinical table, one line per patient: a primary (code 01) sample first, as
    int_clinical_patient_values picks it."""
    raw = pd.read_csv(require_shared_data("tcga_brca", "MC3_BRCA.clinical.tsv.gz"), sep="\t", dtype=str,
                      keep_default_na=False)
    raw["patient_id"] = raw["Tumor_Sample_Barcode"].str.upper().str[:12]
    raw["sample_code"] = raw["Tumor_Sample_Barcode"].str[13:15]
    return raw.sort_values(["patient_id", "sample_code", "Tumor_Sample_Barcode"]).drop_duplicates("patient_id")


def _expected_her2(raw: pd.DataFrame) -> pd.Series:
    """ASCO/CAP 2018 HER2 category from the raw TCGA columns, written independently of the SQL."""
    ihc = raw["her2_immunohistochemistry_level_result"].str.strip()
    ihc_status = raw["lab_proc_her2_neu_immunohistochemistry_receptor_status"].str.strip()
    ish = raw["lab_procedure_her2_neu_in_situ_hybrid_outcome_type"].str.strip()
    level = ihc.where(ihc.isin(["0", "1+", "2+", "3+"]),
                      ihc_status.map({"Positive": "3+", "Equivocal": "2+", "Negative": "neg"}))
    conditions = [
        level == "3+",
        ish == "Positive",
        (level == "2+") & (ish == "Negative"),
        level == "2+",
        level == "1+",
        level == "0",
        level == "neg",
        ish == "Negative",
        ish == "Equivocal",
        (ish == "Indeterminate") | (ihc_status == "Indeterminate"),
    ]
    choices = ["positive", "positive", "low", "equivocal", "low", "zero", "negative_unspecified",
               "negative_unspecified", "equivocal", "indeterminate"]
    return pd.Series(np.select(conditions, choices, default="unknown"), index=raw.index)


def test_tcga_her2_categories_equal_an_independent_crosstab(tcga_warehouse):
    raw = _tcga_primary_sample_lines()
    raw["expected"] = _expected_her2(raw)
    got = pd.DataFrame(query(tcga_warehouse, "select patient_id, her2_category from marts.dim_patient "
                                             "where study_id = 'tcga_brca_mc3'"), columns=["patient_id", "her2_category"])
    merged = raw.merge(got, on="patient_id", how="outer", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 1020
    expected_tab = pd.crosstab([raw["her2_immunohistochemistry_level_result"], raw["lab_procedure_her2_neu_in_situ_hybrid_outcome_type"]],
                               raw["expected"])
    got_tab = pd.crosstab([merged["her2_immunohistochemistry_level_result"], merged["lab_procedure_her2_neu_in_situ_hybrid_outcome_type"]],
                          merged["her2_category"])
    pd.testing.assert_frame_equal(expected_tab, got_tab, check_names=False)
    assert (merged["expected"] == merged["her2_category"]).all()
    counts = merged["her2_category"].value_counts().to_dict()
    assert counts["positive"] == 166 and counts["low"] == 381 and counts["zero"] == 61


def test_tcga_hormone_receptor_status_from_receptor_columns(tcga_warehouse):
    raw = _tcga_primary_sample_lines()
    er, pr = raw["breast_carcinoma_estrogen_receptor_status"], raw["breast_carcinoma_progesterone_receptor_status"]
    expected = np.select([(er == "Positive") | (pr == "Positive"), (er == "Negative") & (pr == "Negative")],
                         ["positive", "negative"], default="unknown")
    raw["expected"] = expected
    got = dict(query(tcga_warehouse, "select patient_id, hr_status from marts.dim_patient where study_id = 'tcga_brca_mc3'"))
    assert (raw["patient_id"].map(got) == raw["expected"]).all()
    assert dict(pd.Series(expected).value_counts()) == {"positive": 765, "negative": 205, "unknown": 50}


def test_tcga_cdr_os_and_pfi_for_brca(tcga_warehouse):
    w = tcga_warehouse
    # all 33 cancer types land
    assert _one(w, "select count(*), count(distinct value_text) from intermediate.int_clinical_patient_values "
                   "where study_id = 'tcga_cdr_liu2018' and attribute = 'CANCER_TYPE_ACRONYM'") == (11160, 33)
    brca = """(select patient_id from intermediate.int_clinical_patient_values
               where study_id = 'tcga_cdr_liu2018' and attribute = 'CANCER_TYPE_ACRONYM' and value_text = 'BRCA')"""
    assert _one(w, f"select count(*) from {brca} b") == (1097,)
    loaded = dict((r[0], r[1:]) for r in query(w, f"""
        select endpoint, count(*), sum(event) from marts.fct_survival
        where study_id = 'tcga_cdr_liu2018' and patient_id in {brca} and endpoint in ('OS', 'PFI') group by 1"""))
    rejected = dict(query(w, f"""
        select r.endpoint, count(distinct r.patient_id) from staging.stg_study__survival_endpoints_rejects r
        where r.study_id = 'tcga_cdr_liu2018' and r.patient_id in {brca} and r.endpoint in ('OS', 'PFI')
          and not exists (select 1 from marts.fct_survival f
                          where f.study_id = r.study_id and f.patient_id = r.patient_id and f.endpoint = r.endpoint)
        group by 1"""))
    # 151 OS and 145 PFI events; one BRCA patient has OS/PFI status 0 with OS.time / PFI.time 'NA':
    # rejected with missing_time instead of being censored at an invented time
    assert loaded == {"OS": (1096, 151), "PFI": (1096, 145)}
    assert rejected == {"OS": 1, "PFI": 1}
    assert loaded["OS"][0] + rejected["OS"] == 1097 and loaded["PFI"][0] + rejected["PFI"] == 1097


def test_tcga_pr_group_from_the_pr_decile_category(tcga_warehouse):
    """The fixture declares St. Gallen's PR cut-off (20 %, Prat et al. 2013); TCGA gives PR as a decile category
    ('<10%', '10-19%' ...), so a category wholly below 20 is low, wholly at or above it high, and without one a
    negative PR status is low: written independently of the SQL, from the primary sample's line
    (_tcga_primary_sample_lines)."""
    raw = _tcga_primary_sample_lines()
    category = raw["progesterone_receptor_level_cell_percent_category"].str.strip()
    at_least = category.str.extract(r"^(\d+)-\d+%$")[0].astype(float).where(category != "<10%", 0.0)
    below = (category.str.extract(r"-(\d+)%$")[0].astype(float) + 1).where(category != "<10%", 10.0)
    status = raw["breast_carcinoma_progesterone_receptor_status"].str.strip()
    raw["expected"] = np.select([at_least >= 20, below <= 20, status == "Negative"], ["high", "low", "low"],
                                default="unknown")
    raw["expected_source"] = np.select([at_least >= 20, below <= 20, status == "Negative"],
                                       ["percent_range", "percent_range", "status"], default="")
    got = pd.DataFrame(query(tcga_warehouse, """
        select patient_id, pr_group, coalesce(pr_group_source, ''), subtype_rule_id, luminal_a_pr_min_percent
        from marts.dim_patient where study_id = 'tcga_brca_mc3'"""),
        columns=["patient_id", "pr_group", "pr_group_source", "subtype_rule_id", "cutoff"])
    merged = raw.merge(got, on="patient_id", how="outer", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 1020
    assert (merged["subtype_rule_id"] == "st_gallen_2013_ki67_pr_v1").all() and (merged["cutoff"] == 20).all()
    assert (merged["expected"] == merged["pr_group"]).all()
    assert (merged["expected_source"] == merged["pr_group_source"]).all()
    by_source = merged.groupby(["pr_group", "pr_group_source"]).size().to_dict()
    # the categories decide for every patient who has one
    assert by_source[("high", "percent_range")] > 200 and by_source[("low", "percent_range")] > 100


def test_tcga_er_low_from_the_er_decile_category(tcga_warehouse):
    """ASCO/CAP 2020 (Allison et al., J Clin Oncol 2020;38:1346) reports ER 1-10 % as ER-low positive. TCGA gives
    no ER percentage, only its decile category (er_level_cell_percentage_category): '<10%' with a positive status
    is ER-low, a category from 20 % up or a negative status is not, '10-19%' is undecided (10 % is ER-low, 11 % is
    not). Written independently of the SQL, from the primary sample's line (_tcga_primary_sample_lines)."""
    raw = _tcga_primary_sample_lines()
    category = raw["er_level_cell_percentage_category"].str.strip()
    status = raw["breast_carcinoma_estrogen_receptor_status"].str.strip()
    at_least = category.str.extract(r"^(\d+)-\d+%$")[0].astype(float).where(category != "<10%", 0.0)
    decided_low = (category == "<10%") & (status == "Positive")
    decided_not_low = (at_least > 10) | ((category != "") & (status == "Negative"))
    raw["expected"] = np.select([decided_low, decided_not_low], ["true", "false"], default="null")
    got = pd.DataFrame(query(tcga_warehouse, """
        select patient_id, coalesce(cast(er_low as varchar), 'null'), coalesce(er_low_source, '')
        from marts.dim_patient where study_id = 'tcga_brca_mc3'"""),
        columns=["patient_id", "er_low", "er_low_source"])
    merged = raw.merge(got, on="patient_id", how="outer", indicator=True)
    assert (merged["_merge"] == "both").all() and len(merged) == 1020
    assert (merged["expected"] == merged["er_low"]).all()
    assert (merged["er_low_source"] == np.where(merged["expected"] == "null", "", "percent_range")).all()
    counts = merged["er_low"].value_counts().to_dict()
    # 16 '<10%' ER-positive patients are ER-low; the 25 '10-19%' ones stay undecided
    assert counts["true"] >= 10 and counts["false"] > 300
