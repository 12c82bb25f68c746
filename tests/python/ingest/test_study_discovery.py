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
    reasons = {f.path.name: f.reason for f in study.files}
    assert reasons["data_expression_median.txt"] == (
        "unsupported data type MRNA_EXPRESSION/CONTINUOUS (meta_expression_median.txt)")
    # resource files declare a resource_type, not an alteration type and datatype: the reason says so
    assert reasons["data_resource_patient.txt"] == (
        "unsupported data type resource data, resource_type PATIENT (meta_resource_patient.txt)")


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


# Issue 23, Build 2: a meta file's data_filename '../../../../etc/passwd' was read and landed (24 lines of
# /etc/passwd in landing and staging). Every file the folder names must lie in it, links resolved.

def _folder_with_secret(tmp_path):
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    study = tmp_path / "study"
    study.mkdir()
    (study / "meta_study.txt").write_text("cancer_study_identifier: s\nreference_genome: hg19\n")
    return study, secret


def test_a_meta_file_naming_a_file_outside_the_folder_is_an_error_at_its_line(tmp_path):
    study, secret = _folder_with_secret(tmp_path)
    (study / "meta_clinical_sample.txt").write_text(
        "cancer_study_identifier: s\ngenetic_alteration_type: CLINICAL\ndatatype: SAMPLE_ATTRIBUTES\n"
        "data_filename: ../elsewhere/secret.txt\n")
    with pytest.raises(StudyError) as raised:
        discover(study)
    assert f"{study / 'meta_clinical_sample.txt'}:4:1: data_filename '../elsewhere/secret.txt' is {secret}" \
        in str(raised.value)


def test_a_meta_file_naming_a_file_the_study_declares_elsewhere_names_the_same_file(tmp_path):
    # the error above tells the user to declare the file under files:; the meta file then names that same file
    study, secret = _folder_with_secret(tmp_path)
    (study / "meta_clinical_sample.txt").write_text(
        "cancer_study_identifier: s\ngenetic_alteration_type: CLINICAL\ndatatype: SAMPLE_ATTRIBUTES\n"
        "data_filename: ../elsewhere/secret.txt\n")
    (study / "oncoduck_study.yml").write_text("files:\n  clinical_sample: ../elsewhere/secret.txt\n")
    assert [(f.kind, f.path) for f in discover(study).files if f.kind] == [("clinical_sample", secret)]


def test_a_link_out_of_the_folder_is_an_error_and_a_declared_file_elsewhere_is_read(tmp_path):
    study, secret = _folder_with_secret(tmp_path)
    (study / "data_clinical_sample.txt").symlink_to(secret)
    with pytest.raises(StudyError, match=r"data_clinical_sample.txt:1:1: a symbolic link to .*secret.txt, outside"):
        discover(study)
    (study / "oncoduck_study.yml").write_text("files:\n  clinical_sample: [data_clinical_sample.txt]\n")
    assert [f.kind for f in discover(study).files] == ["clinical_sample"]  # the study's own declaration
    (study / "case_lists").mkdir()
    (study / "case_lists" / "cases_all.txt").symlink_to(secret)
    with pytest.raises(StudyError, match=r"cases_all.txt:1:1: a symbolic link"):
        discover(study)


def test_links_inside_the_folder_are_followed(tmp_path):
    study, _ = _folder_with_secret(tmp_path)
    (study / "raw").mkdir()
    (study / "raw" / "samples.tsv").write_text("SAMPLE_ID\tPATIENT_ID\nS1\tP1\n")
    (study / "data_clinical_sample.txt").symlink_to(study / "raw" / "samples.tsv")
    assert [f.kind for f in discover(study).files] == ["clinical_sample"]
