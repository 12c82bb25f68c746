"""Direct identifiers (issue 23, Build 3; python/oncoduck/ingest/identifiers.py): DATE_OF_BIRTH, PATIENT_NAME and
MRN columns were landed like any clinical value, reachable by every model and published. Now they are not
landed, each is named in the build summary, and a study that declares it keeps one finds it in
landing_direct_identifiers only, which nothing reads and publish does not copy."""

from __future__ import annotations

import pytest

from oncoduck.findings import folder_findings
from oncoduck.ingest.identifiers import what_it_holds
from oncoduck.ingest.study import StudyError, discover

from bad_input_corpus import PAT, TIMELINE, add_column, write_base
from oncoduck_testing import query


@pytest.mark.parametrize("name, holds", [
    ("PATIENT_NAME", "a person's name"), ("Name", "a person's name"), ("date of birth", "a date of birth"),
    ("DOB", "a date of birth"), ("MRN", "a record or identity number"), ("Medical_Record_Number", "a record or identity number"),
    ("NHS number", "a record or identity number"), ("Home Address", "an address or contact"), ("ZIP", "an address or contact"),
    ("e-mail", "an address or contact"),
    # cBioPortal's and TCGA's own columns are codes or relative days, not direct identifiers
    ("PATIENT_ID", None), ("PATIENT_DISPLAY_NAME", None), ("SAMPLE_NAME", None), ("birth_days_to", None),
    ("AGENT", None), ("DRUG_NAME", None), ("OTHER_PATIENT_ID", None)])
def test_direct_identifiers_are_recognised_by_whole_column_name(tmp_path, name, holds):
    study = discover(write_base(tmp_path / "s", "s"))
    assert what_it_holds(study, name) == holds


@pytest.fixture()
def study_with_identifiers(tmp_path):
    folder = write_base(tmp_path / "ids", "ids")
    add_column(PAT, "DATE_OF_BIRTH", "1970-01-01")(folder)
    add_column(PAT, "MRN", "A-1")(folder)
    add_column(TIMELINE, "CLINIC_CONTACT", "Dr X")(folder)
    (folder / "oncoduck_study.yml").write_text("identifiers: [CLINIC_CONTACT]\nkeep_identifiers: [MRN]\n")
    return folder


def test_each_identifier_is_named_and_kept_ones_land_apart(study_with_identifiers, tmp_path, compiled_project):
    findings = {(f.code, f.location.rsplit(":", 2)[-1], f.message.split(":")[0]) for f in folder_findings([study_with_identifiers])}
    assert findings == {("direct_identifier_dropped", "5", "column DATE_OF_BIRTH holds a date of birth"),
                        ("direct_identifier_kept", "6", "column MRN holds a record or identity number"),
                        ("direct_identifier_dropped", "6", "column CLINIC_CONTACT holds declared under identifiers")}
    warehouse = tmp_path / "w" / "oncoduck.duckdb"
    warehouse.parent.mkdir()
    compiled_project.build(warehouse, [study_with_identifiers], "path:models/landing")
    assert query(warehouse, "select count(*) from landing.landing_clinical where attribute_name in "
                            "('DATE_OF_BIRTH', 'MRN')") == [(0,)]
    assert query(warehouse, "select count(*) from landing.landing_timeline where attribute_name = 'CLINIC_CONTACT'") == [(0,)]
    assert sorted(query(warehouse, "select patient_id, value_raw from landing.landing_direct_identifiers")) == [
        ("P1", "A-1"), ("P2", "A-1"), ("P3", "A-1")]
    decisions = dict(query(warehouse, "select source_name, decision from landing.landing_file_columns "
                                      "where source_name in ('DATE_OF_BIRTH', 'MRN', 'CLINIC_CONTACT')"))
    assert decisions == {"DATE_OF_BIRTH": "dropped: direct identifier (a date of birth)",
                         "MRN": "kept apart: direct identifier (a record or identity number), in landing_direct_identifiers only",
                         "CLINIC_CONTACT": "dropped: direct identifier (declared under identifiers: in oncoduck_study.yml)"}


def test_a_declaration_that_would_do_nothing_is_refused_at_its_line(tmp_path):
    folder = write_base(tmp_path / "idle", "idle")
    (folder / "oncoduck_study.yml").write_text("identifiers: [FAX_NUMBER]\nkeep_identifiers:\n  - AGE\n")
    with pytest.raises(StudyError) as refused:
        discover(folder)
    assert "oncoduck_study.yml:1:" in str(refused.value) and "identifiers[1]: 'FAX_NUMBER' is not a column of" in str(refused.value)
    assert "oncoduck_study.yml:3:5: keep_identifiers[1]: 'AGE' is not a direct identifier column" in str(refused.value)
