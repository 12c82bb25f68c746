"""Selections and groups declared by conditions (issue 19, Build 1): the demo's zhang2022 study declares
three comparisons that the README shows (python/oncoduck/simulate/demo.py writes them):

* ``tmb_her2_negative_pcr``: TMB within HER2-negative patients, pCR vs residual disease;
* ``erbb2_amplified_vs_not``: copy number as a grouping (``amplified:ERBB2``) with a declared reference;
* ``ihc_groups_selected``: groups declared by ``where:`` conditions inside a selection that combines and,
  or (``any:``), a numeric range and a gene status.

Each membership is recomputed here from the tables a reader would use (dim_patient, the staged clinical
values, the study's discrete copy number, the sample x gene alterations), not from the model under test.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from oncoduck.compiled import BuildFailed
from oncoduck_testing import query, write_panel_study
from study_fixtures import write_quirky_study

STUDY = "demo_zhang2022_panel"


def _members(warehouse, comparison: str) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for label, patient in query(warehouse, f"""
            select group_label, patient_id from intermediate.int_comparison_members
            where study_id = '{STUDY}' and comparison = '{comparison}'"""):
        groups[label].add(patient)
    return dict(groups)


def _attribute(warehouse, attribute: str) -> dict[str, str]:
    """patient -> canonical value (patient level, else the patient's sample-level value)."""
    return {patient: value for patient, value in query(warehouse, f"""
        select patient_id, any_value(value_text) from staging.stg_study__clinical_attributes
        where study_id = '{STUDY}' and upper(attribute) = '{attribute}' and value_text is not null
        group by patient_id""")}


def test_tmb_within_her2_negative_patients_pcr_vs_residual_disease(demo_warehouse):
    her2 = dict(query(demo_warehouse, f"select patient_id, her2_status from marts.dim_patient where study_id = '{STUDY}'"))
    pcr = _attribute(demo_warehouse, "PCR")
    expected = {
        "pcr": {p for p, v in pcr.items() if v == "Yes" and her2.get(p) == "negative"},
        "residual_disease": {p for p, v in pcr.items() if v == "No" and her2.get(p) == "negative"},
    }
    assert all(expected.values())
    assert _members(demo_warehouse, "tmb_her2_negative_pcr") == expected
    # the burden test compares exactly these patients' TMB (the study's definition)
    tmb = dict(query(demo_warehouse, f"""select samples.patient_id, burden.tmb_per_mb
        from marts.fct_sample_burden as burden
        inner join marts.dim_sample as samples on samples.study_id = burden.study_id
            and samples.sample_id = burden.sample_id
        where burden.study_id = '{STUDY}' and burden.is_study_definition"""))
    rows = query(demo_warehouse, """select group1, group2, n1, n2, median1, median2 from stats.stat_burden_tests
        where comparison = 'tmb_her2_negative_pcr' and measure = 'tmb_per_mb'""")
    assert len(rows) == 1
    group1, group2, n1, n2, median1, median2 = rows[0]
    assert (group1, group2) == ("pcr", "residual_disease")
    import statistics

    for label, n, median in ((group1, n1, median1), (group2, n2, median2)):
        values = [tmb[p] for p in expected[label] if tmb.get(p) is not None]
        assert n == len(values) and abs(median - statistics.median(values)) < 1e-12


def test_erbb2_amplified_vs_not_from_the_studys_discrete_copy_number(demo_warehouse):
    calls = dict(query(demo_warehouse, f"""select samples.patient_id, cast(cna.value as integer)
        from marts.fct_gene_cna as cna inner join marts.dim_sample as samples using (study_id, sample_id)
        where cna.study_id = '{STUDY}' and cna.hugo_symbol = 'ERBB2' and cna.cna_kind = 'discrete'"""))
    expected = {"amplified": {p for p, v in calls.items() if v == 2},
                "not_amplified": {p for p, v in calls.items() if v != 2}}
    assert expected["amplified"] and expected["not_amplified"]
    assert _members(demo_warehouse, "erbb2_amplified_vs_not") == expected


def test_groups_declared_by_conditions_within_an_and_or_range_gene_selection(demo_warehouse):
    hr = dict(query(demo_warehouse, f"select patient_id, hr_status from marts.dim_patient where study_id = '{STUDY}'"))
    age = {p: float(v) for p, v in _attribute(demo_warehouse, "AGE").items()}
    ihc = _attribute(demo_warehouse, "HER2_IHC_SCORE")
    pik3ca = {p for (p,) in query(demo_warehouse, f"""select distinct samples.patient_id
        from intermediate.int_sample_gene_alterations as alterations
        inner join marts.dim_sample as samples using (study_id, sample_id)
        where alterations.study_id = '{STUDY}' and alterations.hugo_symbol = 'PIK3CA' and alterations.is_mutated""")}
    selected = {p for p in hr if hr[p] == "positive" and (p in pik3ca or age.get(p, -1) >= 50)}
    expected = {"ihc_1_or_2": {p for p in selected if ihc.get(p) in ("1+", "2+")},
                "ihc_0": {p for p in selected if ihc.get(p) == "0"}}
    assert all(expected.values()) and selected - set().union(*expected.values())  # 3+ selected, in no group
    assert _members(demo_warehouse, "ihc_groups_selected") == expected


def _quirky_study_declaring(root, declarations: str):
    """The quirky fixture study with ``declarations`` added to its oncoduck_study.yml."""
    study = write_quirky_study(root)
    with open(study / "oncoduck_study.yml", "a") as yml:
        yml.write(declarations)
    return study


def test_overlapping_groups_and_unknown_condition_attributes_stop_the_build(tmp_path, compiled_project):
    """One build, two faults: int_comparison_members names every problem in one message. A sample meeting two
    groups' conditions would be counted twice; a condition on an attribute the study lacks selects nobody."""
    study = _quirky_study_declaring(tmp_path, "comparisons:\n"
                                              "  - name: overlapping\n"
                                              "    groups:\n"
                                              "      everyone: {where: {SEX: {not_null: true}}}\n"
                                              "      women: {where: {SEX: Female}}\n"
                                              "  - name: by_sex_blue_eyed\n"
                                              "    samples: {where: {EYE_COLOUR: blue}}\n"
                                              "    group_by: SEX\n"
                                              "    groups: {female: [Female], male: [Male]}\n")
    with pytest.raises(BuildFailed) as failed:
        compiled_project.build(tmp_path / "oncoduck.duckdb", [study], "+int_comparison_members")
    assert "comparison 'overlapping' of study quirky: sample" in str(failed.value)
    assert "falls in more than one group (everyone, women)" in str(failed.value)
    assert ("comparison 'by_sex_blue_eyed' has a condition on EYE_COLOUR, which is not an attribute of study quirky"
            in str(failed.value))


def test_the_studys_own_spelling_is_read_and_a_value_no_candidate_has_is_a_warning(tmp_path, compiled_project):
    """A declared where: value is read through the study's own `values:` (which win over the seed's synonyms), as
    the study's files are: quirky maps its own word 'W' to Female, so `SEX: [W]` keeps its two women. A value no
    candidate of the comparison has selects nothing and says nothing: 'Femal' under in: (a misspelling beside a
    good value) and 'Male' under not_in: (which then refuses nobody). Each is listed by the warn-severity test
    declared_values_matching_no_candidate, which the build summary shows."""
    study = _quirky_study_declaring(tmp_path, "values:\n"
                                              "  SEX: {W: Female}\n"
                                              "comparisons:\n"
                                              "  - name: own_word\n"
                                              "    samples: {where: {SEX: [W, Femal]}}\n"
                                              "    groups:\n"
                                              "      pik3ca: {where: {mutated: PIK3CA, SEX: {not_in: [Male]}}}\n"
                                              "      tp53: {where: {mutated: TP53}}\n")
    warehouse = tmp_path / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [study], "+int_comparison_members +int_comparison_declared_values")
    assert ("declared_values_matching_no_candidate", 2) in run.warned_tests
    members = {(group, sample) for group, sample in query(warehouse, """select group_label, sample_id
        from intermediate.int_comparison_members where comparison = 'own_word'""")}
    assert members == {("pik3ca", "TCGA-AA-0001-01"), ("tp53", "TCGA-AA-0002-01")}
    declared = {(group, operator, as_written, value): with_value for group, operator, as_written, value, with_value in
                query(warehouse, """select group_label, operator, declared_value_text, value_text, candidates_with_value
                    from intermediate.int_comparison_declared_values where comparison = 'own_word'""")}
    assert declared == {(None, "in", "W", "Female"): 2, (None, "in", "Femal", "Femal"): 0,
                        ("pik3ca", "not_in", "Male", "Male"): 0}



@pytest.fixture(scope="module")
def listed_warehouse(tmp_path_factory, compiled_project):
    """A panel study whose sample ids differ only by '-' and '_', with three comparisons: one listing samples, one
    grouping by sample type with a misspelt value beside a good one, one grouping by the study's own words for
    its sample types."""
    root = tmp_path_factory.mktemp("listed")
    samples = [("S-1", "P1", "Primary", True), ("S_1", "P2", "Primary", True),
               ("S-2", "P3", "Metastasis", True), ("S_2", "P4", "Metastasis", True)]
    study = write_panel_study(root / "listed", samples, ["TP53"], [], (
        "comparisons:\n"
        "  - name: listed\n"
        "    groups:\n"
        "      first: {samples: [S-1]}\n"
        "      second: {samples: [S-2]}\n"
        "  - name: by_type\n"
        "    group_by: SAMPLE_TYPE_CANONICAL\n"
        "    groups: {primary: [primary, primry], metastasis: [metastasis]}\n"
        "  - name: own_words\n"
        "    group_by: SAMPLE_TYPE\n"
        "    groups: {first: [prim, primary], later: [met]}\n"
        "values:\n"
        "  SAMPLE_TYPE: {prim: Primary, met: Metastasis}\n"))
    warehouse = root / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [study], "+int_comparison_members +int_comparison_declared_groups")
    return warehouse, run


def test_a_declared_sample_list_names_samples_not_patterns(listed_warehouse):
    """Group members listed by sample id are matched as words: S_1 is not S-1. The lists were matched with `like`,
    where '_' is any one character, so a sample S_1 that no group lists silently joined the group listing S-1."""
    warehouse, _ = listed_warehouse
    assert set(query(warehouse, """select group_label, sample_id from intermediate.int_comparison_members
        where comparison = 'listed'""")) == {("first", "S-1"), ("second", "S-2")}


def test_a_group_value_no_candidate_has_is_a_warning(listed_warehouse):
    """`groups: {primary: [primary, primry]}`: the misspelt value adds nobody, and the group still has its primary
    samples, so nothing stopped the build; the warn-severity test declared_group_values_matching_no_candidate lists
    the group (the build summary shows it)."""
    warehouse, run = listed_warehouse
    assert ("declared_group_values_matching_no_candidate", 1) in run.warned_tests
    assert query(warehouse, """select group_label, group_values, values_listed, values_found
        from intermediate.int_comparison_declared_groups where comparison = 'by_type' order by group_label""") == [
        ("metastasis", "metastasis", 1, 1), ("primary", "primary;primry", 2, 1)]
    assert set(query(warehouse, """select group_label, sample_id from intermediate.int_comparison_members
        where comparison = 'by_type'""")) == {("primary", "S-1"), ("primary", "S_1"), ("metastasis", "S-2"),
                                               ("metastasis", "S_2")}


def test_group_values_are_read_through_the_studys_values_and_the_seed_synonyms(listed_warehouse):
    """`values: {SAMPLE_TYPE: {prim: Primary, met: Metastasis}}` and `groups: {first: [prim, primary], later: [met]}`:
    the groups are read as the files are, 'prim' as 'Primary' (the study's word) and 'primary' as 'Primary' (the
    seed's), one value; before, 'prim' and 'met' matched no sample, and the group 'later' stopped the build."""
    warehouse, run = listed_warehouse
    assert set(query(warehouse, """select group_label, sample_id from intermediate.int_comparison_members
        where comparison = 'own_words'""")) == {("first", "S-1"), ("first", "S_1"), ("later", "S-2"), ("later", "S_2")}
    assert query(warehouse, """select group_label, declared_group_values, group_values, values_listed, values_found
        from intermediate.int_comparison_declared_groups where comparison = 'own_words' order by group_label""") == [
        ("first", "prim;primary", "Primary", 1, 1), ("later", "met", "Metastasis", 1, 1)]
