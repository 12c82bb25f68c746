"""`oncoduck validate`: every finding as file:line:column: SEVERITY: code: detail; exit 0 clean, 3 with
warnings only (rejected rows, files not landed: the build goes on), 1 with errors (the build stops).

The rejected rows come from the landing and staging models, run from the compiled project when a build
compiled the project as it is (these tests: the demo fixture's), else by dbt (the last test)."""

from __future__ import annotations

import re

import pytest

from oncoduck.findings import folder_findings

from oncoduck_testing import run_oncoduck
from study_fixtures import write_defective_study, write_quirky_study

@pytest.fixture(autouse=True)
def compiled_project_in_place(cli_compiled_graph):
    """The project compiled, where validate looks for it: as after `make demo` or any build."""


LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>ERROR|WARNING): (?P<reason>[a-z_]+): .+$")


def test_validate_reports_all_ten_planted_defects(tmp_path):
    study, planted = write_defective_study(tmp_path)
    result = run_oncoduck("validate", str(study))
    assert result.returncode == 3, result.stderr  # rejected rows are warnings: the build goes on without them
    reported = set()
    for line in result.stdout.splitlines():
        match = LINE.match(line)
        assert match, f"not file:line:column: reason: {line!r}"
        reported.add((match["file"].rsplit("/", 1)[-1], int(match["line"]), match["reason"]))
    assert set(planted) <= reported
    assert len(reported) == 10
    assert "Traceback" not in result.stderr


def test_validate_quirky_study_reports_the_replicate_aliquot_and_missing_survival_times(tmp_path):
    study = write_quirky_study(tmp_path)
    result = run_oncoduck("validate", str(study))
    reported = sorted((line.split(":")[0].rsplit("/", 1)[-1], int(line.split(":")[1]), line.split(": ")[2])
                      for line in result.stdout.splitlines())
    # every quirk lands; what remains are the duplicate aliquot and two OS statuses without a time
    # ([Not Available] and NA), which survival analyses cannot use and must not censor silently
    assert reported == [("data_clinical_patient.txt", 7, "missing_time"), ("data_clinical_patient.txt", 8, "missing_time"),
                        ("data_mutations.maf.gz", 5, "duplicate_variant")]


def test_validate_names_a_missing_required_column(tmp_path):
    study, _ = write_defective_study(tmp_path)
    maf = study / "data_mutations.txt"
    maf.write_text(maf.read_text().replace("Tumor_Sample_Barcode", "Barcode"))
    result = run_oncoduck("validate", str(study))
    assert result.returncode == 1
    assert re.search(r"data_mutations.txt:1:1: ERROR: file_not_landable: required column tumor_sample_barcode.* is missing", result.stdout)
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("column, expected", [
    # issue 23: without a class (or a consequence) every TMB came out 0, and without a symbol every variant
    # landed gene-less (a MAF with Entrez_Gene_Id alone is read: test_bad_input_corpus), each with the build "successful" and validate reporting no problem
    ("Variant_Classification", r"required column variant_classification or consequence is missing from the header "
                               r"\(without a class or a VEP/SnpEff consequence no variant can be classified\)"),
    ("Hugo_Symbol", r"required column hugo_symbol / gene / gene_symbol or entrez_gene_id is missing from the header "
                    r"\(no variant or copy-number value could be given a gene"),
])
def test_a_maf_without_a_class_or_a_gene_symbol_is_an_error_naming_the_column(tmp_path, column, expected):
    study, _ = write_defective_study(tmp_path)
    maf = study / "data_mutations.txt"
    maf.write_text(maf.read_text().replace(column, "Renamed_Column", 1))
    findings = [f for f in folder_findings([study]) if f.severity == "ERROR"]
    assert [f.code for f in findings] == ["file_not_landable"]
    assert findings[0].location == f"{maf}:1:1" and re.search(expected, findings[0].message)


def test_a_column_given_twice_in_a_header_is_an_error_naming_both_fields(tmp_path):
    # issue 23: of two Tumor_Sample_Barcode columns the first was read and the other ignored, silently
    study, _ = write_defective_study(tmp_path)
    maf = study / "data_mutations.txt"
    maf.write_text(maf.read_text().replace("Variant_Type", "tumor_sample_barcode", 1))  # field 8; the real one is 9
    findings = [f for f in folder_findings([study]) if f.severity == "ERROR"]
    assert [(f.code, f.location) for f in findings] == [("file_not_landable", f"{maf}:1:9")]
    assert findings[0].message == ("column 'Tumor_Sample_Barcode' is given twice in the header (fields 8 and 9): "
                                   "which one holds the data is ambiguous; rename one")


def test_validate_missing_folder_fails_cleanly(tmp_path):
    result = run_oncoduck("validate", str(tmp_path / "absent"))
    assert result.returncode == 1
    assert "does not exist" in result.stdout
    assert "Traceback" not in result.stderr


def test_validate_an_unreadable_study_yml_reports_it_alone_without_a_traceback(tmp_path):
    study, _ = write_defective_study(tmp_path)
    (study / "oncoduck_study.yml").write_text("columns: [a\n")
    result = run_oncoduck("validate", str(study))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{study}/oncoduck_study.yml:2:1: ERROR: study_not_readable: invalid YAML: expected ',' or ']', but got '<stream end>'"]
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_a_folder_with_nothing_to_land(tmp_path):
    result = run_oncoduck("validate", str(tmp_path))
    assert result.returncode == 1
    assert "ERROR: file_not_landable: no data file oncoduck can land" in result.stdout
    # a folder without meta_study.txt is never passed in silence
    assert f"{tmp_path}/meta_study.txt:1:1: WARNING: meta_study_absent: " in result.stdout
    assert f"{tmp_path}/meta_study.txt:1:1: WARNING: reference_genome_assumed: " in result.stdout  # hg19, said


def test_validate_a_clean_study_exits_0():
    from oncoduck.paths import demo_study_dirs

    result = run_oncoduck("validate", str(demo_study_dirs()[0]))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("no problems found")


def test_validate_help_states_the_exit_codes():
    result = run_oncoduck("validate", "--help")
    assert result.returncode == 0
    assert "exit 0 clean, 3 warnings only" in " ".join(result.stdout.split()) and "1 errors" in result.stdout


def test_validate_without_a_compiled_project_runs_dbt_and_finds_the_same(tmp_path):
    study, _ = write_defective_study(tmp_path)
    compiled = run_oncoduck("validate", str(study))
    no_graph = tmp_path / "fresh_target"  # a fresh clone's dbt target folder: nothing compiled yet
    through_dbt = run_oncoduck("validate", str(study), env={"DBT_TARGET_PATH": str(no_graph)})
    assert (no_graph / "manifest.json").exists()  # dbt ran
    assert through_dbt.returncode == compiled.returncode == 3
    assert through_dbt.stdout == compiled.stdout and len(compiled.stdout.splitlines()) == 10
