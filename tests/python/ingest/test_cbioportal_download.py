"""A cBioPortal download-style folder builds without edits (issue 18): profile-named gene panel matrix
columns, a panel file called data_gene_panel.txt, a Gene Panel sample attribute, several case lists, a
meta file naming an absent data file. Panel TMB uses the panel's coding size; a sample whose panel is
defined nowhere gets no TMB (a reason, a warning), never the exome default; the absent file is a
warning in the build summary, which also names the rejected rows and the warnings."""

from __future__ import annotations

import csv

import pytest

from ingest.download_fixture import PANEL_GENES, STUDY_ID, write_download_study
from oncoduck.findings import summarise
from oncoduck.incremental import record_full_build
from oncoduck.ingest.study import discover
from oncoduck_testing import REPO, query, run_oncoduck


DECLARED = f"{STUDY_ID}_declared"  # a copy of the folder with an oncoduck_study.yml, built beside it
SELECT = ("+fct_sample_burden", "+fct_gene_frequency", "+int_comparison_members", "+all_rejects", "+landing_case_lists",
          "+landing_study_findings", "+landing_study_files")


@pytest.fixture(scope="module")
def built(tmp_path_factory, compiled_project):
    """One build of the download as it is and of a copy that declares a case-list comparison; the summary
    is the one `oncoduck build` prints (findings.summarise, with the warned data tests of the run and the
    build record, which names the table each test lists rows of)."""
    root = tmp_path_factory.mktemp("download")
    study = write_download_study(root)
    declared = write_download_study(root / "declared")
    (declared / "oncoduck_study.yml").write_text(
        f"study_id: {DECLARED}\n"
        "comparisons:\n"
        "  - name: her2_pos_cases\n"
        "    samples: {case_list: her2_pos}\n"  # the list's stable_id without the brca_dl_2024_ prefix
        "    groups: {a: {samples: [S2]}, b: {samples: [S4, S1]}}\n"
        "    analyses: [genes]\n")
    warehouse = root / "oncoduck.duckdb"
    run = compiled_project.build(warehouse, [study, declared], *SELECT)
    record_full_build(warehouse, run.nodes, [study, declared], "test")  # as `oncoduck build` records a build
    return study, warehouse, "\n".join(summarise(warehouse, run.warned_tests).lines())


def test_discovery_recognises_the_download_conventions(tmp_path):
    study = discover(write_download_study(tmp_path))
    kinds = {f.path.name: f.kind for f in study.files}
    assert kinds["data_gene_panel.txt"] == "gene_panel"
    assert kinds["cases_sequenced.txt"] == kinds["cases_all.txt"] == kinds["cases_her2_pos.txt"] == "case_list"
    absent = [f for f in study.findings if f.code == "data_file_absent"]
    assert len(absent) == 1 and absent[0].severity == "WARNING"
    assert absent[0].location.endswith("meta_CNA.txt:8:1") and "data_CNA.txt" in absent[0].message


def test_a_panel_file_of_any_name_is_recognised_by_its_header(tmp_path):
    study_dir = write_download_study(tmp_path)
    (study_dir / "data_gene_panel.txt").rename(study_dir / "msk_panel_definition.txt")
    kinds = {f.path.name: f.kind for f in discover(study_dir).files}
    assert kinds["msk_panel_definition.txt"] == "gene_panel"


def test_validate_reports_the_absent_file_as_a_warning_and_exits_3(tmp_path, cli_compiled_graph):
    study = write_download_study(tmp_path)
    result = run_oncoduck("validate", str(study))
    assert result.returncode == 3, result.stdout + result.stderr
    assert f"{study}/meta_CNA.txt:8:1: WARNING: data_file_absent: data_filename 'data_CNA.txt'" in result.stdout
    assert "ERROR" not in result.stdout


def test_assay_precedence_and_reasons(built):
    _, warehouse, _ = built
    rows = {r[0]: r[1:] for r in query(warehouse, f"""select sample_id, assay_id, assay_source, is_sequenced,
        assay_unresolved_reason from marts.dim_sample where study_id = '{STUDY_ID}'""")}
    for s in ("S1", "S2", "S3"):
        assert rows[s][:3] == ("DLPANEL", "gene panel matrix", True)
    assert rows["S4"][:3] == ("IMPACT468", "gene panel matrix", True)  # a public panel the download does not ship
    assert rows["S5"][:3] == (None, "unresolved", True) and "IMPACT999" in rows["S5"][3]
    assert rows["S6"][:3] == ("DLPANEL", "Gene Panel sample attribute", True)
    assert rows["S7"][:3] == ("exome_undeclared", "assumed: no gene panel named", True)
    assert rows["S8"][2] is False  # NA in the matrix, not in the _sequenced case list


def test_panel_tmb_uses_the_panel_coding_size_and_unresolved_samples_get_none(built):
    _, warehouse, _ = built
    with open(REPO / "seeds" / "reference" / "genes_hg19.csv") as handle:
        cds_bp = {r["gene"]: int(r["cds_bp"]) for r in csv.DictReader(handle)}
    panel_mb = sum(cds_bp[g] for g in PANEL_GENES) / 1e6
    rows = {r[0]: r[1:] for r in query(warehouse, f"""select sample_id, coding_mb, coding_mb_source, n_nonsynonymous,
        tmb_per_mb from marts.fct_sample_burden where study_id = '{STUDY_ID}' and is_study_definition""")}
    assert rows["S1"][0] == pytest.approx(panel_mb, rel=1e-12)
    assert rows["S1"][2] == 2 and rows["S1"][2] / panel_mb == pytest.approx(rows["S1"][3], rel=1e-12)
    assert rows["S6"][0] == pytest.approx(panel_mb, rel=1e-12)  # via the Gene Panel attribute
    # MSK-IMPACT 468 from the public panel seed: cBioPortal datahub's number_of_profiled_coding_base_pairs
    assert rows["S4"][:2] == (1.139541, "assay seed")
    for s in ("S5", "S7"):  # counted, but no denominator: no TMB and the reason, never 30 Mb
        coding_mb, source, n, tmb = rows[s]
        assert coding_mb is None and tmb is None and n >= 1 and source.startswith("none: ")
    assert "IMPACT999" in rows["S5"][1]


def test_every_case_list_is_landed_and_listed(built):
    _, warehouse, _ = built
    lists = dict(query(warehouse, f"""select stable_id, count(sample_id) from landing.landing_case_lists
        where study_id = '{STUDY_ID}' group by stable_id"""))
    assert lists == {f"{STUDY_ID}_sequenced": 7, f"{STUDY_ID}_all": 8, f"{STUDY_ID}_her2_pos": 2}
    listed = {r[0] for r in query(warehouse, f"""select file_name from landing.landing_study_files
        where study_id = '{STUDY_ID}' and file_kind = 'case_list'""")}
    assert listed == {"cases_sequenced.txt", "cases_all.txt", "cases_her2_pos.txt"}


def test_profile_named_matrix_columns_are_read_as_their_profile(built):
    _, warehouse, _ = built
    profiles = set(query(warehouse, f"""select distinct profile_stable_id, profile from staging.stg_study__sample_panels
        where study_id = '{STUDY_ID}'"""))
    assert profiles == {(f"{STUDY_ID}_mutations", "mutations"), (f"{STUDY_ID}_gistic", "cna")}


def test_the_build_summary_names_the_files_the_warnings_and_where_rejects_are(built):
    study, _, summary = built
    assert summary.startswith("Build summary")
    assert f"{study}/data_mutations.txt" in summary and "landed" in summary and "accepted" in summary
    assert f"{study}/meta_CNA.txt:8:1: WARNING: data_file_absent" in summary
    # S5 (undefined panel) and S7 (no assay) of each of the two studies, with the table to query for them
    assert "data test tmb_not_computed lists 4 row(s) of marts.fct_sample_burden" in summary
    assert "data test sequenced_samples_without_assay lists 2 row(s) of marts.dim_sample" in summary


def test_a_comparison_selects_samples_by_case_list(built):
    _, warehouse, _ = built
    members = set(query(warehouse, f"""select group_label, sample_id from intermediate.int_comparison_members
        where study_id = '{DECLARED}' and comparison = 'her2_pos_cases'"""))
    assert members == {("a", "S2"), ("b", "S4")}  # S1 is not in the HER2+ case list
