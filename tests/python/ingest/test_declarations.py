"""oncoduck_study.yml is a contract (declarations.py): every key known, typed, its ids in their seeds; every
problem of a file listed as file:line:column: key: reason, with the closest valid names; the README's table
is the schema's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from oncoduck.ingest import declarations
from oncoduck.ingest.analysis_settings import DeclarationError, resolve
from oncoduck.ingest.comparisons import parse
from oncoduck.ingest.study import StudyError, discover
from oncoduck.paths import PROJECT_ROOT, demo_study_dirs
from oncoduck_testing import FIXTURE_STUDIES, require_shared_data



def _problems(tmp_path: Path, text: str) -> list[str]:
    config = tmp_path / "oncoduck_study.yml"
    config.write_text(text)
    return declarations.problems(config)


def _one(tmp_path: Path, text: str) -> str:
    found = _problems(tmp_path, text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------------------------------------------
# every shipped declaration keeps the contract
# ---------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("study", [*demo_study_dirs(), *sorted(p.parent for p in FIXTURE_STUDIES.glob("*/oncoduck_study.yml"))],
                         ids=lambda p: p.name)
def test_every_demo_and_fixture_study_passes(study):
    if "shared/data/" in (study / "oncoduck_study.yml").read_text():
        require_shared_data()  # the fixture names real data files in ../shared/data: skip in a user's clone
    assert declarations.problems(study / "oncoduck_study.yml") == []


def test_generated_test_studies_pass(tmp_path):
    from study_fixtures import write_defective_study, write_quirky_study

    from oncoduck.simulate import write_benchmark_settings

    studies = [write_quirky_study(tmp_path / "q"), write_defective_study(tmp_path / "d")[0]]
    for assay in ("demo_wes_lim2021", "demo_panel_1021", "demo_panel_520"):
        folder = tmp_path / f"bench_{assay}"
        folder.mkdir()
        write_benchmark_settings(folder, assay)
        studies.append(folder)
    for study in studies:
        if (study / "oncoduck_study.yml").exists():
            assert declarations.problems(study / "oncoduck_study.yml") == [], study


# ---------------------------------------------------------------------------------------------------------------
# refusals: file:line:column: key: reason, closest names
# ---------------------------------------------------------------------------------------------------------------

def test_unknown_top_level_key_names_file_line_column_and_the_closest_key(tmp_path):
    problem = _one(tmp_path, "study_id: x\ncoding_size_mb: 30\n")
    assert problem.startswith(f"{tmp_path / 'oncoduck_study.yml'}:2:1: coding_size_mb: unknown key")
    assert "did you mean 'coding_mb'?" in problem


@pytest.mark.parametrize("key, value, seed, closest", [
    ("tmb_definition", "nonsyn_foo", "tmb_definitions.csv", "nonsyn_maftools_v1"),
    ("assay_id", "demo_panel_52", "assays.csv", "demo_panel_520"),
    ("variant_filter_rule_set", "zhang2022_tisue", "variant_filter_rules.csv", "zhang2022_tissue"),
    ("cna_call_rule_set", "log2_defualt", "cna_call_rules.csv", "log2_default"),
])
def test_an_id_must_be_in_its_seed(tmp_path, key, value, seed, closest):
    problem = _one(tmp_path, f"study_id: x\n{key}: {value}\n")
    assert f":2:1: {key}: '{value}' is not in seeds/reference/{seed}" in problem
    assert f"'{closest}'" in problem.split("did you mean", 1)[1]


def test_every_seed_default_is_a_seed_id():
    """Each seed-valued key's default is an id of its seed, but mutated_definition's, which is the study's own
    tmb_definition (itself defaulting to a seed id)."""
    for key in declarations.KEYS:
        if key.kind == "seed" and key.path == "mutated_definition":
            assert key.default == "the study's `tmb_definition`"
        elif key.kind == "seed":
            default = re.match(r"`([^`]+)`", key.default).group(1)
            assert default in declarations.seed_ids(*key.seed), key.path


@pytest.mark.parametrize("text, expected", [
    ("coding_mb: '30'\n", ":1:1: coding_mb: expected a number > 0, got '30'"),
    ("coding_mb: 0\n", ":1:1: coding_mb: expected a number > 0, got 0"),
    ("reference_genome: hg37\n", ":1:1: reference_genome: 'hg37' is not one of hg19, hg38, GRCh37, GRCh38"),
    ("sequenced_samples: all\n", ":1:1: sequenced_samples: 'all' is not one of declared, maf"),
    ("study_id: [a, b]\n", ":1:1: study_id: expected text, got ['a', 'b']"),
    ("assay_id:\n", ":1:1: assay_id: no value given (remove the key to take the default)"),
    ("thresholds: {ki67_cutoff_percent: 140}\n", ":1:14: thresholds.ki67_cutoff_percent: expected a number from 0 to 100"),
    ("thresholds:\n  ki67_cutof_percent: 20\n", ":2:3: thresholds.ki67_cutof_percent: unknown key"),
    ("columns: [a, b]\n", ":1:1: columns: expected a mapping of source column -> canonical name"),
    ("columns:\n  ER: 3\n", ":2:3: columns.ER: expected a canonical name or a list of them, got 3"),
    ("columns:\n  clinical_sampel: {A: B}\n", ":2:3: columns.clinical_sampel: 'clinical_sampel' is not a file kind"),
    ("values:\n  ER_STATUS: {pos: yes}\n", ":2:15: values.ER_STATUS.pos: expected text or a number, got True (YAML reads"),
    ("values:\n  ER_STATUS: {Pos: Positive, pos: Negative}\n",
     ":2:30: values.ER_STATUS.pos: 'pos' is the raw value 'Pos' again (raw values are matched ignoring case"),
    ("values:\n  ER_STATUS: {pos: Positive}\n  er_status: {neg: Negative}\n",
     ":3:3: values.er_status: 'er_status' is the attribute 'ER_STATUS' again (attribute names are matched ignoring"),
    ("files:\n  mutation: [a.maf]\n", ":2:3: files.mutation: unknown file kind 'mutation'"),
    ("files:\n  mutations: [a.maf]\n", ":2:15: files.mutations[1]: 'a.maf' does not exist in"),
    ("vcf: {tumour_sample: T}\n", ":1:7: vcf.tumour_sample: unknown key"),
    ("vcf: {files: {x.vcf: {tumor_sample: T}}}\n", ":1:15: vcf.files.x.vcf: 'x.vcf' is not a file of the study"),
    ("nmf: {runs: 0}\n", ":1:7: nmf.runs: expected a whole number >= 1, got 0"),
    ("study_id: a\nstudy_id: b\n", ":2:1: study_id: given twice (first on line 1)"),
])
def test_wrong_types_and_unknown_keys(tmp_path, text, expected):
    assert expected in _one(tmp_path, text)


def test_column_values_may_be_a_list_of_canonical_names(tmp_path):
    assert _problems(tmp_path, "columns:\n  VITAL_STATUS: [OS_STATUS, DSS_STATUS]\n"
                               "  clinical_patient:\n    VITAL: [OS_STATUS, DSS_STATUS]\n    AGE_YRS: AGE\n") == []
    assert "expected a canonical name or a list of them" in _one(tmp_path, "columns:\n  VITAL_STATUS: []\n")


def test_closest_key_names_are_offered(tmp_path):
    problem = _one(tmp_path, "signatures:\n  variant_set: all_snvs\n")
    assert ":2:3: signatures.variant_set: 'all_snvs' is not one of all_snv, nonsynonymous_snv (did you mean 'all_snv'?)" in problem


def test_analysis_blocks_given_empty_run_with_defaults(tmp_path):
    config = tmp_path / "oncoduck_study.yml"
    config.write_text("nmf:\n")
    assert declarations.problems(config) == []
    rows = {r["setting"]: r["value"] for r in resolve(config, {"nmf": None})}
    assert rows == {"features": "genes", "ranks": "2;3;4;5", "runs": "20", "seed": "1", "min_altered_samples": "3"}


# ---------------------------------------------------------------------------------------------------------------
# comparisons: every declaration honoured or refused
# ---------------------------------------------------------------------------------------------------------------

COMPARISON = "comparisons:\n  - name: c\n    group_by: SEX\n    groups: {f: [Female], m: [Male]}\n"


@pytest.mark.parametrize("extra, expected", [
    ("    samples: {ER_STATUS: [Positive]}\n",
     ":5:15: comparisons[1].samples.ER_STATUS: comparison 'c': samples: selection on 'ER_STATUS' cannot be honoured"),
    ("    samples: {sample_type: [primary, metastatis]}\n",
     ":5:38: comparisons[1].samples.sample_type[2]: comparison 'c': 'metastatis' is not a sample type"),
    ("    alternativ: greater\n", ":5:5: comparisons[1].alternativ: comparison 'c': unknown key"),
    ("    unit: patients\n", ":5:5: comparisons[1].unit: comparison 'c': 'patients' is not one of sample, patient"),
    ("    analyses: [genes, pathway]\n", ":5:23: comparisons[1].analyses[2]: comparison 'c': unknown analysis 'pathway'"),
])
def test_comparison_keys_are_checked(tmp_path, extra, expected):
    problem = _one(tmp_path, COMPARISON + extra)
    assert expected in problem


def test_a_condition_outside_where_names_the_key_and_says_where_it_goes(tmp_path):
    problem = _one(tmp_path, COMPARISON + "    samples: {ER_STATUS: [Positive]}\n")
    assert "'ER_STATUS'" in problem and "sample_type, timepoint, case_list, where" in problem \
        and "go under where:" in problem


@pytest.mark.parametrize("where, expected", [
    ("{AGE: {min: 60, max: 40}}", "samples.where.AGE: comparison 'c': min 60 is above max 40"),
    ("{AGE: {min: 40, in: [1]}}", "one operator per condition (min, in given)"),
    ("{AGE: {above: 40}}", "samples.where.AGE.above: comparison 'c': unknown operator"),
    ("{AGE: {min: forty}}", "samples.where.AGE.min: comparison 'c': expects a number, got 'forty'"),
    ("{ER_STATUS: {not_null: false}}", "not_null: comparison 'c': expects true, got False"),
    ("{Mutated: TP53}", "'Mutated': gene conditions are lower case"),
    ("{or: [{ER_STATUS: Positive}]}", "'or' is any: [...]"),
    ("{any: [{ER_STATUS: Positive}]}", "any: expects a list of two or more mappings"),
    ("{any: [{any: [{A: 1}, {B: 2}]}, {C: 3}]}", "any: cannot be nested inside any:"),
    ("{mutated: [TP53, {x: 1}]}", "mutated: expects a gene or a list of genes"),
    ("{}", "samples.where: comparison 'c': no conditions given"),
])
def test_where_conditions_that_cannot_be_honoured_are_refused(tmp_path, where, expected):
    assert expected in _one(tmp_path, COMPARISON + f"    samples: {{where: {where}}}\n")


@pytest.mark.parametrize("extra, expected", [
    ("    reference: fem\n", "comparisons[1].reference: comparison 'c': 'fem' is not a group of this comparison (f, m)"),
    ("    analyses: [survival]\n    covariates: [AGE]\n    reference_levels: {STAGE: I}\n",
     "reference_levels.STAGE: comparison 'c': 'STAGE' is not one of the covariates (AGE)"),
    ("    covariates: [AGE]\n", "covariates adjusts the models of survival, response and linear, and this comparison "
                              "runs none of them"),
    ("    stratify_by: [A, B, C]\n", "comparisons[1].stratify_by: comparison 'c': at most two attributes make strata"),
    ("    analyses: [linear]\n", "the linear analysis needs outcome: the numeric attribute it models"),
    ("    outcome: RCB_SCORE\n", "outcome is the modelled attribute of response or linear"),
])
def test_model_keys_that_cannot_be_honoured_are_refused(tmp_path, extra, expected):
    assert expected in _one(tmp_path, COMPARISON + extra)


def test_selections_gene_groupings_condition_groups_and_models_are_accepted(tmp_path):
    assert _problems(tmp_path, "comparisons:\n"
                               "  - name: tp53_within_er_positive\n"
                               "    unit: patient\n"
                               "    samples:\n"
                               "      where:\n"
                               "        ER_STATUS: Positive\n"
                               "        AGE: {min: 40, max: 70}\n"
                               "        HER2_IHC_SCORE: {not_in: ['3+']}\n"
                               "        OS_MONTHS: {not_null: true}\n"
                               "        any: [{mutated: [PIK3CA, AKT1]}, {amplified: ERBB2, PR_STATUS: Positive}]\n"
                               "    group_by: mutated:TP53\n"
                               "    reference: wildtype\n"
                               "    covariates: [AGE, STAGE]\n"
                               "    reference_levels: {STAGE: I}\n"
                               "    stratify_by: HR_STATUS_DERIVED\n"
                               "    analyses: [survival, response, linear]\n"
                               "    outcome: RCB_SCORE\n"
                               "  - {name: b, group_by: 'amplified:ERBB2', reference: not_amplified}\n"
                               "  - {name: c, group_by: 'altered:CDK12'}\n"
                               "  - name: d\n"
                               "    groups:\n"
                               "      ihc_low: {where: {HER2_IHC_SCORE: ['1+', '2+'], HER2_ISH_STATUS: {not_in: [Positive]}}}\n"
                               "      ihc_zero: {where: {HER2_IHC_SCORE: '0'}}\n") == []


@pytest.mark.parametrize("comparison, expected", [
    ("  - {name: c, group_by: SEX, groups: {f: [Female]}}\n", "comparison 'c': needs at least two groups, got 1"),
    ("  - {name: c, group_by: 'mutaded:TP53'}\n", "'mutaded' is not a derived grouping (mutated, amplified, deleted, cna, altered, tmb, cnv_burden); did you "
                                             "mean 'mutated'?"),
    ("  - {name: c, group_by: 'tmb:high'}\n", "the cut-off must be 'median' or a number"),
    ("  - {name: c, group_by: 'tmb:10', groups: {hi: [hi], lo: [low]}}\n", "group 'hi': tmb: groups are high and low, not hi"),
    ("  - {name: c, groups: {a: [x], b: {samples: [S1]}}}\n", "group 'a': without group_by, each group lists its samples ({samples: [...]}) or its conditions"),
    ("  - {name: c, group_by: SEX, groups: {a: [x], b: {samples: [S1]}}}\n", "group 'b': with group_by, a group lists values of SEX"),
    ("  - {name: c, groups: {a: {samples: [S1], sample: [S2]}, b: {samples: [S3]}}}\n", "group 'a': unknown key"),
    ("  - {name: c, group_by: SEX, groups: {f: [Female], m: [Male]}}\n  - {name: c, group_by: SEX, groups: {f: [F], m: [M]}}\n",
     "comparisons[2].name: comparison 'c': the name is used twice"),
])
def test_comparisons_that_cannot_be_honoured_are_refused(tmp_path, comparison, expected):
    assert expected in _one(tmp_path, "comparisons:\n" + comparison)


def test_derived_groupings_and_explicit_samples_are_accepted(tmp_path):
    assert _problems(tmp_path, "comparisons:\n"
                               "  - {name: a, group_by: 'mutated:PIK3CA', analyses: [survival]}\n"
                               "  - {name: b, group_by: 'tmb:10', groups: {high: [high], low: [low]}}\n"
                               "  - {name: c, group_by: 'cnv_burden:median'}\n"
                               "  - {name: d, groups: {x: {samples: [S1, S2]}, y: {samples: [S3]}}}\n"
                               "  - {name: e, unit: patient, samples: {sample_type: Primary, timepoint: [baseline]},\n"
                               "     group_by: TIMEPOINT, groups: {b: baseline, o: [on_treatment]}, alternative: less}\n") == []


# ---------------------------------------------------------------------------------------------------------------
# all problems, through discover, comparisons and analysis settings
# ---------------------------------------------------------------------------------------------------------------

BAD = """study_id: x
coding_size_mb: 30
tmb_definition: nonsyn_foo
signatures: {variant_set: all_snvs}
comparisons:
  - name: c
    samples: {ER_STATUS: [Positive]}
    group_by: SEX
    groups: {f: [Female], m: [Male]}
"""


def test_discover_lists_every_problem_of_the_file_in_file_order(tmp_path):
    (tmp_path / "oncoduck_study.yml").write_text(BAD)
    with pytest.raises(StudyError) as raised:
        discover(tmp_path)
    lines = str(raised.value).splitlines()
    where = tmp_path.resolve() / "oncoduck_study.yml"
    assert [line.split(": ", 1)[0] for line in lines] == [f"{where}:2:1", f"{where}:3:1", f"{where}:4:14", f"{where}:7:15"]
    assert [line.split(": ")[1] for line in lines] == ["coding_size_mb", "tmb_definition", "signatures.variant_set",
                                                       "comparisons[1].samples.ER_STATUS"]


def test_comparisons_parse_refuses_with_the_same_messages(tmp_path):
    from oncoduck.ingest.study import Study

    (tmp_path / "oncoduck_study.yml").write_text(COMPARISON + "    analyses: [genes, pathway]\n")
    study = Study("s", tmp_path, {}, {"comparisons": [{"name": "c", "group_by": "SEX", "groups": {"f": ["Female"], "m": ["Male"]},
                                                        "analyses": ["genes", "pathway"]}]}, ())
    with pytest.raises(StudyError, match=r"oncoduck_study.yml:5:23: comparisons\[1\].analyses\[2\]: comparison 'c': unknown analysis"):
        parse(study)


def test_analysis_settings_keep_their_first_problem_message(tmp_path):
    config = tmp_path / "oncoduck_study.yml"
    config.write_text(BAD)
    with pytest.raises(DeclarationError, match=r"oncoduck_study.yml:4: signatures.variant_set: 'all_snvs' is not one of"):
        resolve(config, {"signatures": {"variant_set": "all_snvs"}, "tmb_definition": "nonsyn_foo"})


# ---------------------------------------------------------------------------------------------------------------
# one schema: what the code reads is declared, and the README table is the schema's
# ---------------------------------------------------------------------------------------------------------------

def test_every_setting_the_models_read_is_declared():
    meta_study_keys = {"name", "type_of_cancer", "reference_genome"}
    read = set()
    for sql in [*(PROJECT_ROOT / "models").rglob("*.sql"), *(PROJECT_ROOT / "macros").rglob("*.sql")]:
        read |= set(re.findall(r"setting = '([^']+)'", sql.read_text()))
        read |= {f"{prefix}.<>" for prefix in re.findall(r"setting like '([a-z_]+)\.%'", sql.read_text())}
    declared = {k.path for k in declarations.KEYS}
    declared |= {k.path.split(".<", 1)[0] + ".<>" for k in declarations.KEYS if ".<" in k.path}
    assert read - meta_study_keys - declared == set()
    assert "values.<>" in read  # the pattern above still finds the values: mapping


def test_readme_table_is_the_generated_one():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert "### oncoduck_study.yml reference" in readme
    assert declarations.markdown_table() in readme, (
        "README's oncoduck_study.yml table differs from declarations.KEYS: regenerate it with "
        "`.venv/bin/python -m oncoduck.ingest.declarations`")
    for key in declarations.KEYS:
        assert f"| `{key.path}` |" in readme


def test_a_case_list_selection_names_an_existing_list(tmp_path):
    (tmp_path / "case_lists").mkdir()
    (tmp_path / "case_lists" / "cases_her2.txt").write_text(
        "cancer_study_identifier: s\nstable_id: s_her2_pos\ncase_list_name: HER2+\ncase_list_ids: S1\tS2\n")
    assert _problems(tmp_path, COMPARISON + "    samples: {case_list: her2_pos}\n") == []
    assert _problems(tmp_path, COMPARISON + "    samples: {case_list: [s_her2_pos]}\n") == []
    problem = _one(tmp_path, COMPARISON + "    samples: {case_list: her2_neg}\n")
    assert "no case list 'her2_neg'" in problem and "s_her2_pos" in problem
