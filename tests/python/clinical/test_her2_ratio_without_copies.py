"""A study that reports the HER2/CEP17 ratio without the mean HER2 copies per cell, as some cBioPortal studies do
(HER2_FISH_RATIO, no copy column, no ISH status). ASCO/CAP 2018 (Wolff et al., J Clin Oncol 2018;36:2105) places a
dual-probe result in groups 1-5 by the ratio and the copies together: a ratio alone allows several groups, and
where those groups disagree the category is equivocal and the build warns, instead of calling ratio >= 2.0
positive as the 2013 edition did (the dbt unit test test_her2_ratio_without_copies_asco_cap_2018 has each branch)."""

from __future__ import annotations

import pytest

from oncoduck_testing import query

PATIENT_FILE = """\
PATIENT_ID\tIHC_HER2\tHER2_FISH_RATIO
R1\t2+\t2.6
R2\t1+\t1.4
R3\t3+\t2.2
R4\t\t1.7
R5\t2+\t
"""


@pytest.fixture(scope="module")
def ratio_only_build(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("her2_ratio_only")
    study = root / "ratio_only"
    study.mkdir()
    (study / "meta_study.txt").write_text("type_of_cancer: brca\ncancer_study_identifier: ratio_only\nname: x\n")
    (study / "data_clinical_patient.txt").write_text(PATIENT_FILE)
    warehouse = root / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [study], "+int_patients_her2_classified")
    return warehouse, run.warned_tests


def test_a_ratio_without_copies_decides_only_where_every_group_agrees(ratio_only_build):
    warehouse, _ = ratio_only_build
    rows = query(warehouse, """select patient_id, her2_ish_basis, her2_ish_result, her2_category, her2_rule_branch
                               from intermediate.int_patients_her2_classified order by 1""")
    assert rows == [
        ("R1", "ratio_only", "Undetermined", "equivocal", "ish_ratio_without_copies"),  # group 1 or 2
        ("R2", "ratio_only", "Negative", "low", "ihc_1plus"),  # groups 3-5 with IHC 1+: all negative
        ("R3", "ratio_only", "Undetermined", "positive", "ihc_3plus"),  # IHC 3+ decides alone
        ("R4", "ratio_only", "Undetermined", "equivocal", "ish_ratio_without_copies"),  # groups 3-5, no IHC
        ("R5", None, None, "equivocal", "ihc_2plus_ish_missing")]


def test_the_build_warns_with_the_patients_it_could_not_decide(ratio_only_build):
    _, warned = ratio_only_build
    assert ("her2_ratio_without_copies_listed", 2) in warned
