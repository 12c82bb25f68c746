"""Study folders are inventoried like cBioPortal's importer does, and every file is accounted for."""

from __future__ import annotations

import pytest

from oncoduck.ingest.study import StudyError, discover


def test_es0_every_file_is_ingested_or_listed_with_a_reason():
    from oncoduck_testing import require_shared_data

    study = discover(require_shared_data("cbioportal_study_es_0"))
    assert study.study_id == "study_es_0"
    kinds = {f.path.name: f.kind for f in study.files}
    assert kinds["data_mutations_extended.maf"] == "mutations"
    assert kinds["data_clinical_patients.txt"] == "clinical_patient"
    assert kinds["data_clinical_samples.txt"] == "clinical_sample"
    assert kinds["data_cna_discrete.txt"] == "cna_discrete"
    assert kinds["data_cna_log2.txt"] == "cna_continuous"
    assert kinds["data_cna_hg19.seg"] == "segments"
    assert kinds["data_gene_panel_matrix.txt"] == "gene_panel_matrix"
    assert kinds["data_gene_panel_testpanel1.txt"] == "gene_panel"
    data_files = {p.name for p in study.directory.iterdir() if p.name.startswith("data_")}
    assert data_files <= set(kinds), "a data file was neither ingested nor listed"
    assert all(f.reason for f in study.files)
    assert kinds["data_expression_median.txt"] is None  # listed as unsupported, with its reason


def test_study_yml_can_map_columns_per_file_kind(tmp_path):
    (tmp_path / "oncoduck_study.yml").write_text(
        "columns:\n  tumors_var_reads: t_alt_count\n  clinical_sample:\n    Tumor_Sample_Barcode: SAMPLE_ID\n")
    study = discover(tmp_path)
    assert study.column_map("mutations") == {"tumors_var_reads": "t_alt_count"}
    assert study.column_map("clinical_sample")["tumor_sample_barcode"] == "SAMPLE_ID"


def test_invalid_study_yml_names_file_line_and_column(tmp_path):
    (tmp_path / "oncoduck_study.yml").write_text("columns:\n  a: [unclosed\n")
    with pytest.raises(StudyError, match=r"oncoduck_study.yml:\d+:\d+: invalid YAML"):
        discover(tmp_path)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StudyError, match="does not exist"):
        discover(tmp_path / "nope")
