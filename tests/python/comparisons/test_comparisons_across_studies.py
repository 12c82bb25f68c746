"""Comparisons across studies (issue 19, Build 4): a comparison declared in one study takes groups from
several (``studies:``), each member judged by its own study's registry, assay coverage and TMB definition.

The demo's demo_paul2020_pairs declares ``metastases_vs_panel_primaries`` (Paul 2020 set its metastases
against another cohort's primaries): its metastases (exome) against demo_zhang2022_panel's primaries (a
520-gene panel). Every expectation is recomputed here from dim_sample, bridge_assay_gene, fct_variant and
fct_sample_burden, not from the models under test. The maftools parity of a comparison across two studies
(the two APL MAFs as two studies) is in test_maftools_compare_parity.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from oncoduck.findings import folder_findings
from oncoduck.ingest.study import StudyError, discover_all
from oncoduck_testing import query
from study_fixtures import write_quirky_study

HOME, PANEL = "demo_paul2020_pairs", "demo_zhang2022_panel"
COMPARISON = "metastases_vs_panel_primaries"


def _samples(warehouse, study: str, sample_type: str) -> set[str]:
    return {s for (s,) in query(warehouse, f"""select sample_id from marts.dim_sample
        where study_id = '{study}' and sample_type = '{sample_type}'""")}


def test_groups_take_their_members_from_their_own_studies(demo_warehouse):
    members = query(demo_warehouse, f"""select study_id, sample_study_id, group_label, sample_id
        from marts.fct_comparison_member where comparison = '{COMPARISON}'""")
    assert {m[0] for m in members} == {HOME}  # the comparison and its results belong to the declaring study
    by_group = {}
    for _, sample_study, group, sample in members:
        by_group.setdefault(group, set()).add((sample_study, sample))
    assert by_group == {"metastasis": {(HOME, s) for s in _samples(demo_warehouse, HOME, "metastasis")},
                        "panel_primary": {(PANEL, s) for s in _samples(demo_warehouse, PANEL, "primary")}}


def test_each_group_is_counted_against_its_own_assay(demo_warehouse):
    """A gene on the panel: the panel group's denominator is its sequenced primaries; a gene off the panel
    mutated in the metastases: the panel group has no profiled member, so there is no panel row in the
    frequency mart and the enrichment row carries NaN and the reason, out of BH."""
    panel_genes = {g for (g,) in query(demo_warehouse, """select hugo_symbol from marts.bridge_assay_gene
        where assay_id = 'demo_panel_520'""")}
    frequency = {(g, group): (n, a) for g, group, n, a in query(demo_warehouse, f"""
        select hugo_symbol, group_label, n_profiled, n_altered from marts.fct_gene_frequency
        where comparison = '{COMPARISON}' and alteration_type = 'mutation'""")}
    mutated = {}  # (study, gene) -> samples mutated under the study's own rule (int_sample_gene_alterations)
    for study, gene, sample in query(demo_warehouse, f"""select a.study_id, a.hugo_symbol, a.sample_id
            from intermediate.int_sample_gene_alterations a join marts.dim_sample s using (study_id, sample_id)
            where a.is_mutated and ((a.study_id = '{HOME}' and s.sample_type = 'metastasis')
                                    or (a.study_id = '{PANEL}' and s.sample_type = 'primary'))"""):
        mutated.setdefault((study, gene), set()).add(sample)
    sequenced_primaries = query(demo_warehouse, f"""select count(*) from marts.dim_sample
        where study_id = '{PANEL}' and sample_type = 'primary' and is_sequenced""")[0][0]
    metastases = len(_samples(demo_warehouse, HOME, "metastasis"))

    on_panel = "TP53"
    assert on_panel in panel_genes
    assert frequency[(on_panel, "panel_primary")] == (sequenced_primaries, len(mutated[(PANEL, on_panel)]))
    assert frequency[(on_panel, "metastasis")] == (metastases, len(mutated[(HOME, on_panel)]))

    off_panel = sorted(g for (study, g) in mutated if study == HOME and g not in panel_genes)
    assert off_panel, "the demo's metastases carry mutations in genes off the 520-gene panel"
    for gene in off_panel[:5]:
        assert (gene, "panel_primary") not in frequency
        assert frequency[(gene, "metastasis")] == (metastases, len(mutated[(HOME, gene)]))
    rows = query(demo_warehouse, f"""select feature, n2, p_value, q_value, reason from stats.stat_enrichment
        where comparison = '{COMPARISON}' and alteration_type = 'mutation' and feature_level = 'gene'
          and feature in ({", ".join(f"'{g}'" for g in off_panel[:5])})""")
    assert len(rows) == 5
    for feature, n2, p_value, q_value, reason in rows:
        assert n2 == 0 and all(v is None or math.isnan(v) for v in (p_value, q_value)), feature
        assert reason == "no member of group panel_primary is profiled for this feature (its assays do not cover it)"


def test_burden_is_each_study_s_own_definition(demo_warehouse):
    """TMB per group under each member study's own definition (the exome's and the panel's coding sizes),
    compared as R wilcox.test(metastasis, panel_primary) would (normal approximation with continuity
    correction under ties: scipy's mannwhitneyu asymptotic)."""
    values = {}
    for study, sample_type, group in ((HOME, "metastasis", "metastasis"), (PANEL, "primary", "panel_primary")):
        values[group] = [v for (v,) in query(demo_warehouse, f"""select b.tmb_per_mb from marts.fct_sample_burden b
            join marts.dim_sample s using (study_id, sample_id)
            where b.study_id = '{study}' and b.is_study_definition and s.sample_type = '{sample_type}'
              and b.tmb_per_mb is not null""")]
    definitions = {d for (d,) in query(demo_warehouse, f"""select distinct tmb_definition from marts.fct_sample_burden
        where study_id in ('{HOME}', '{PANEL}') and is_study_definition""")}
    assert len(definitions) == 2  # each study its own rule
    n1, n2, median1, median2, p_value = query(demo_warehouse, f"""select n1, n2, median1, median2, p_value
        from stats.stat_burden_tests where comparison = '{COMPARISON}' and measure = 'tmb_per_mb'""")[0]
    assert (n1, n2) == (len(values["metastasis"]), len(values["panel_primary"]))
    assert median1 == pytest.approx(float(np.median(values["metastasis"])), rel=1e-12)
    assert median2 == pytest.approx(float(np.median(values["panel_primary"])), rel=1e-12)
    expected = stats.mannwhitneyu(values["metastasis"], values["panel_primary"], alternative="two-sided",
                                  method="asymptotic", use_continuity=True).pvalue
    assert p_value == pytest.approx(expected, rel=1e-9)


def _two_studies(tmp_path, comparison_yaml: str):
    first = write_quirky_study(tmp_path / "a")
    second = write_quirky_study(tmp_path / "b")
    for study, study_id in ((first, "quirky_a"), (second, "quirky_b")):
        text = (study / "meta_study.txt").read_bytes().replace(b"cancer_study_identifier: quirky",
                                                                f"cancer_study_identifier: {study_id}".encode())
        (study / "meta_study.txt").write_bytes(text)
    if comparison_yaml:
        with open(first / "oncoduck_study.yml", "a") as yml:
            yml.write("comparisons:\n" + comparison_yaml)
    return first, second


def test_a_study_not_in_the_build_is_refused_naming_file_line_and_key(tmp_path):
    first, second = _two_studies(tmp_path, "  - name: across\n    studies: [quirky_a, quirky_c]\n"
                                           "    group_by: STUDY_ID\n    groups: {a: [quirky_a], c: [quirky_c]}\n")
    assert {s.study_id for s in discover_all([second])} == {"quirky_b"}
    with pytest.raises(StudyError) as refused:
        discover_all([first, second])
    message = str(refused.value)
    assert f"{first / 'oncoduck_study.yml'}:" in message
    assert "comparisons[1].studies[2]: comparison 'across': study 'quirky_c' is not among the studies given " \
           "(quirky_a, quirky_b)" in message


@pytest.mark.parametrize("analysis", ["nmf", "paired", "longitudinal"])
def test_analyses_read_within_one_study_are_refused_across_studies(tmp_path, analysis):
    first, second = _two_studies(tmp_path, f"  - name: across\n    studies: [quirky_a, quirky_b]\n"
                                           f"    group_by: STUDY_ID\n    groups: {{a: [quirky_a], b: [quirky_b]}}\n"
                                           f"    analyses: [genes, {analysis}]\n")
    with pytest.raises(StudyError, match=f"comparisons\\[1\\].analyses: comparison 'across': {analysis} cannot run "
                                         f"on a comparison across studies"):
        discover_all([first, second])


def test_a_project_level_comparisons_folder_builds_across_two_studies_with_the_same_sample_ids(tmp_path, compiled_project):
    """A folder with only an oncoduck_study.yml (a study id and comparisons across other studies) is a
    project-level comparisons file: its results are under its own study id. Both studies hold the same sample
    ids: members stay apart by their study (sample_study_id)."""
    first, second = _two_studies(tmp_path, "")
    project = tmp_path / "project"
    project.mkdir()
    (project / "oncoduck_study.yml").write_text(
        "study_id: quirky_project\nreference_genome: hg19\ncomparisons:\n  - name: across\n"
        "    studies: [quirky_a, quirky_b]\n    group_by: STUDY_ID\n    groups: {a: [quirky_a], b: [quirky_b]}\n"
        "    analyses: [genes]\n")
    # nothing to land, yet no ERROR: it declares comparisons across the other two
    assert [f for f in folder_findings([project, first, second]) if f.severity == "ERROR"] == []
    assert [f.code for f in folder_findings([project])] == ["meta_study_absent", "unknown_comparison_study",
                                                           "unknown_comparison_study"]
    warehouse = tmp_path / "oncoduck.duckdb"
    compiled_project.build(warehouse, [project, first, second], "+fct_gene_frequency")
    members = query(warehouse, """select study_id, sample_study_id, group_label, sample_id
        from intermediate.int_comparison_members where comparison = 'across' order by 2, 4""")
    samples = sorted(s for (s,) in query(warehouse, """select sample_id from marts.dim_sample
        where study_id = 'quirky_a' and sample_type <> 'normal'"""))
    assert members == [("quirky_project", "quirky_a", "a", s) for s in samples] + \
        [("quirky_project", "quirky_b", "b", s) for s in samples]
    pik3ca = query(warehouse, """select group_label, n_profiled, n_altered from marts.fct_gene_frequency
        where study_id = 'quirky_project' and comparison = 'across' and hugo_symbol = 'PIK3CA'
          and alteration_type = 'mutation' order by 1""")
    assert pik3ca[0][1:] == pik3ca[1][1:] and pik3ca[0][2] > 0  # the same files: the same counts per group
