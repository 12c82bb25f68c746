"""The declared models through dbt: a copy of the demo HER2 panel study declaring a reference group,
covariates, a reference level, a stratum and outcomes, and a copy without the pCR column (the `response`
analysis crashed the build there, issue 19: "zero-size array" in stats/logistic.py), built into
stats.stat_survival_tests, stats.stat_logistic_response and stats.stat_linear_models."""

from __future__ import annotations

import shutil
import textwrap

import pytest

from oncoduck_testing import REPO, query

DEMO = REPO / "seeds" / "demo_studies" / "demo_zhang2022_panel"
HEADER = textwrap.dedent("""\
    assay_id: demo_panel_520
    tmb_definition: nonsyn_zhang2022_v1
    variant_filter_rule_set: zhang2022_tissue
    columns: {IHC_HER2: HER2_IHC_SCORE, FISH_RATIO: HER2_ISH_RATIO, FISH_HER2_COPIES: HER2_ISH_COPIES, ER: ER_STATUS,
              ER_PCT: ER_PERCENT, PR_PCT: PR_PERCENT, Ki67: KI67_PERCENT}
    values: {ER_STATUS: {Positve: Positive}}
    """)
MODELS = textwrap.dedent("""\
    comparisons:
      - name: her2_adjusted
        unit: patient
        group_by: HER2_CATEGORY_DERIVED
        groups: {her2_zero: [zero], her2_low: [low]}
        reference: her2_low
        covariates: [AGE, STAGE_GROUP_DERIVED]
        reference_levels: {STAGE_GROUP_DERIVED: II}
        stratify_by: HR_STATUS_DERIVED
        analyses: [survival, response]
      - name: her2_ki67
        unit: patient
        group_by: HER2_CATEGORY_DERIVED
        groups: {her2_zero: [zero], her2_low: [low]}
        covariates: [AGE]
        outcome: KI67_PERCENT
        analyses: [linear]
      - name: her2_er_adjusted
        unit: patient
        group_by: HER2_CATEGORY_DERIVED
        groups: {her2_zero: [zero], her2_low: [low]}
        covariates: [ER_STATUS]
        reference_levels: {ER_STATUS: Positve}
        analyses: [survival]
      - name: her2_declared_pcr
        unit: patient
        group_by: HER2_CATEGORY_DERIVED
        groups: {her2_zero: [zero], her2_low: [low]}
        outcome: PCR
        analyses: [response]
    """)


def _study(root, study_id: str, drop_pcr: bool):
    study = root / study_id
    shutil.copytree(DEMO, study, ignore=shutil.ignore_patterns("oncoduck_study.yml"))
    if drop_pcr:  # the study has no pCR attribute at all
        path = study / "data_clinical_patient.txt"
        lines = path.read_text().splitlines()
        column = lines[4].split("\t").index("PCR")
        path.write_text("\n".join("\t".join(v for i, v in enumerate(line.split("\t")) if i != column)
                                  for line in lines) + "\n")
    (study / "oncoduck_study.yml").write_text(f"study_id: {study_id}\n" + HEADER + MODELS)
    return study


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, compiled_project):
    root = tmp_path_factory.mktemp("declared_models")
    studies = [_study(root, "models_demo", drop_pcr=False), _study(root, "models_no_pcr", drop_pcr=True)]
    path = root / "oncoduck.duckdb"
    compiled_project.build(path, studies, "+stat_survival_tests +stat_logistic_response +stat_linear_models")
    return path


def test_survival_cox_has_group_and_covariate_terms_against_the_declared_references(warehouse):
    rows = query(warehouse, """
        select term, group_label, level, reference_level, reference_group, reference_declared, formula, estimate, reason
        from stats.stat_survival_tests
        where study_id = 'models_demo' and comparison = 'her2_adjusted' and endpoint = 'DFS' and test = 'cox'
        order by term = 'group' desc, term, level""")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("group", "her2_zero", "her2_low"), ("AGE", None, None),
        ("STAGE_GROUP_DERIVED", "I", "II"), ("STAGE_GROUP_DERIVED", "III", "II")]
    assert rows[0][1] == "her2_zero"
    assert {(r[4], r[5]) for r in rows} == {("her2_low", True)}
    assert {r[6] for r in rows} == {"Surv(time_months, event) ~ group + AGE + STAGE_GROUP_DERIVED + strata(HR_STATUS_DERIVED)"}
    assert all(r[7] is not None and r[7] > 0 and r[8] is None for r in rows)
    tests = dict(query(warehouse, """select test, count(*) from stats.stat_survival_tests
        where study_id = 'models_demo' and comparison = 'her2_adjusted' and endpoint = 'DFS' group by test"""))
    assert tests == {"km_median": 2, "logrank": 1, "stratified_logrank": 1, "cox": 4, "ph_check": 4}
    # within each stratum (int_comparisons' sub-comparisons): the same model without the strata
    within = query(warehouse, """select distinct comparison, formula, reference_group from stats.stat_survival_tests
        where study_id = 'models_demo' and comparison like 'her2_adjusted [%' and test = 'cox'""")
    assert sorted(within) == [
        (f"her2_adjusted [HR_STATUS_DERIVED={s}]", "Surv(time_months, event) ~ group + AGE + STAGE_GROUP_DERIVED",
         "her2_low") for s in ("negative", "positive")]


def test_response_of_a_study_without_pcr_is_rows_with_a_reason(warehouse):
    rows = query(warehouse, """select comparison, outcome, term, estimate, reason from stats.stat_logistic_response
        where study_id = 'models_no_pcr' order by comparison, term""")
    # the declared comparisons and, for her2_adjusted (stratify_by), its sub-comparison in each stratum
    assert {r[0] for r in rows} == {"her2_adjusted", "her2_declared_pcr", "her2_adjusted [HR_STATUS_DERIVED=negative]",
                                    "her2_adjusted [HR_STATUS_DERIVED=positive]"}
    assert all(r[3] is None or r[3] != r[3] for r in rows)  # NaN / null
    assert all(r[4].startswith("no outcome values") for r in rows)


def test_response_honours_reference_covariates_and_a_declared_outcome(warehouse):
    adjusted = query(warehouse, """select outcome, outcome_level, term, level, reference_level, exp_estimate
        from stats.stat_logistic_response where study_id = 'models_demo' and comparison = 'her2_adjusted'
        order by term""")
    assert [r[2] for r in adjusted] == ["(Intercept)", "AGE", "STAGE_GROUP_DERIVED", "STAGE_GROUP_DERIVED", "group"]
    assert {r[0] for r in adjusted} == {"pcr"} and adjusted[-1][3:5] == ("her2_zero", "her2_low")
    declared = query(warehouse, """select outcome, outcome_level, term, level, estimate from stats.stat_logistic_response
        where study_id = 'models_demo' and comparison = 'her2_declared_pcr' order by term""")
    assert {(r[0], r[1]) for r in declared} == {("PCR", "Yes")}
    assert [r[2] for r in declared] == ["(Intercept)", "group"] and all(r[4] == r[4] for r in declared)


def test_linear_model_of_the_declared_outcome(warehouse):
    rows = query(warehouse, """select outcome, term, level, reference_level, reference_group, reference_declared, n,
            estimate, method from stats.stat_linear_models
        where study_id = 'models_demo' and comparison = 'her2_ki67' order by term""")
    assert [r[1] for r in rows] == ["(Intercept)", "AGE", "group"]
    assert rows[2][2:6] == ("her2_low", "her2_zero", "her2_zero", False)
    assert {r[0] for r in rows} == {"KI67_PERCENT"} and rows[0][8].startswith("linear model")
    assert all(r[7] == r[7] for r in rows)  # estimated


def test_a_reference_level_is_read_through_the_studys_values(warehouse):
    """`reference_levels: {ER_STATUS: Positve}` in the study's own spelling (its `values:` maps Positve to
    Positive) names the level ER_STATUS's values read as; before, the fit refused it as not among the levels."""
    rows = query(warehouse, """select term, level, reference_level, estimate, reason from stats.stat_survival_tests
        where study_id = 'models_demo' and comparison = 'her2_er_adjusted' and endpoint = 'DFS' and test = 'cox'
        order by term""")
    assert [r[:3] for r in rows] == [("ER_STATUS", "Negative", "Positive"), ("group", "her2_low", "her2_zero")]
    assert all(r[3] is not None and r[4] is None for r in rows)
    assert query(warehouse, """select distinct reference_levels, declared_reference_levels from staging.stg_study__comparisons
        where study_id = 'models_demo' and comparison = 'her2_er_adjusted'""") == [
        ('{"ER_STATUS":"Positive"}', '{"ER_STATUS": "Positve"}')]
