"""`oncoduck build` of a built warehouse: adding, changing and removing a study recomputes that study only, and the
warehouse then equals a full build of the same studies (oncoduck.incremental.differences, doubles to 10
significant digits because DuckDB's parallel sums can differ in the last bit between two full builds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from oncoduck import incremental
from oncoduck.compiled import nodes_from_manifest
from oncoduck.paths import demo_study_dirs
from oncoduck_testing import query, run_oncoduck, untyped_columns

ADDED = "demo_yi2024_ctdna"  # a study no comparison across studies ties to another


def _build(warehouse: Path, studies: list[Path], *flags: str):
    args = ["build", "--target", "test", "--replace", *flags]  # exactly these studies
    for study in studies:
        args += ["--study", str(study)]
    result = run_oncoduck(*args, env={"ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
    assert result.returncode == 0, f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def base_studies() -> list[Path]:
    return [d for d in demo_study_dirs() if d.name != ADDED]


@pytest.fixture(scope="module")
def base_warehouse(tmp_path_factory, base_studies) -> Path:
    """A full build (dbt build with every test) of the demo without ADDED."""
    warehouse = tmp_path_factory.mktemp("incremental_base") / "base.duckdb"
    _build(warehouse, base_studies)
    assert untyped_columns(warehouse) == []  # else adding a study with a value in that column cannot insert it
    return warehouse


@pytest.fixture(scope="module")
def added_warehouse(tmp_path_factory, base_warehouse) -> tuple[Path, str]:
    """The base warehouse with ADDED added incrementally."""
    warehouse = tmp_path_factory.mktemp("incremental_added") / base_warehouse.name  # same name: same catalog
    shutil.copy(base_warehouse, warehouse)
    result = _build(warehouse, demo_study_dirs())
    return warehouse, result.stdout


def test_adding_a_study_recomputes_it_alone_and_equals_a_full_build(added_warehouse, demo_warehouse):
    warehouse, log = added_warehouse
    assert f"rebuilding 1 of 5 studies: {ADDED}" in log
    assert "a full build:" not in log
    assert incremental.differences(warehouse, demo_warehouse) == []


def test_removing_a_study_equals_a_full_build_without_it(added_warehouse, base_warehouse, base_studies, tmp_path):
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(added_warehouse[0], warehouse)
    log = _build(warehouse, base_studies).stdout
    assert f"rebuilding 1 of 5 studies: {ADDED}" in log
    assert incremental.differences(warehouse, base_warehouse) == []
    assert query(warehouse, f"select count(*) from marts.dim_sample where study_id = '{ADDED}'") == [(0,)]


def test_a_changed_study_is_rebuilt_and_the_others_are_untouched(base_warehouse, base_studies, tmp_path):
    changed = tmp_path / "studies" / ADDED
    shutil.copytree(next(d for d in demo_study_dirs() if d.name == ADDED), changed)
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    _build(warehouse, [*base_studies, changed])
    variants_before = query(warehouse, f"select count(*) from marts.fct_variant where study_id = '{ADDED}'")[0][0]

    maf = next(changed.glob("data_mutations*"))
    lines = maf.read_text().splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    maf.write_text("".join(lines[:header + 1] + lines[header + 2:]))  # drop the first variant line
    log = _build(warehouse, [*base_studies, changed]).stdout

    assert f"rebuilding 1 of 5 studies: {ADDED}" in log
    assert query(warehouse, f"select count(*) from landing.landing_mutations where study_id = '{ADDED}'") == [
        (len(lines) - header - 2,)]
    assert query(warehouse, f"select count(*) from marts.fct_variant where study_id = '{ADDED}'")[0][0] < variants_before
    others = ", ".join(f"'{d.name}'" for d in base_studies)
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as changed (read_only)")
    con.execute(f"attach '{base_warehouse}' as base (read_only)")
    assert con.execute(f"select count(*) from (select * from changed.marts.fct_sample_burden where study_id in ({others}) "
                       f"except all select * from base.marts.fct_sample_burden)").fetchall() == [(0,)]


def test_a_study_tied_by_a_comparison_across_studies_is_rebuilt_with_it(base_warehouse, base_studies, tmp_path):
    """demo_paul2020_pairs' metastases_vs_panel_primaries draws on demo_zhang2022_panel's primaries: a change of
    the panel study (here its folder moves) rebuilds both, and the result equals the full build."""
    moved = tmp_path / "studies" / "demo_zhang2022_panel"
    shutil.copytree(next(d for d in base_studies if d.name == moved.name), moved)
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    log = _build(warehouse, [d for d in base_studies if d.name != moved.name] + [moved]).stdout
    assert "rebuilding 2 of 4 studies: demo_paul2020_pairs, demo_zhang2022_panel" in log
    assert incremental.differences(warehouse, base_warehouse) == []
    assert query(warehouse, "select sample_study_id, count(*) from marts.fct_comparison_member "
                            "where comparison = 'metastases_vs_panel_primaries' group by 1 order by 1") == \
        query(base_warehouse, "select sample_study_id, count(*) from marts.fct_comparison_member "
                              "where comparison = 'metastases_vs_panel_primaries' group by 1 order by 1")


def test_an_unchanged_warehouse_is_left_alone(base_warehouse, base_studies, tmp_path):
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    log = _build(warehouse, base_studies).stdout
    assert "nothing changed since the last build of this warehouse" in log and "it is up to date" in log


def test_a_project_change_makes_the_build_full(base_warehouse, base_studies, tmp_path):
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("update oncoduck_build.project set fingerprint = 'an older project'")
    con.close()
    with pytest.raises(incremental.FullBuildNeeded, match="the project .* changed since the last full build"):
        incremental.build_incremental(warehouse, demo_study_dirs())


@pytest.mark.parametrize("model, code, message", [
    # a model that fails: the transaction rolls back
    ("fct_sample_burden", "select * from a_table_that_does_not_exist", "fct_sample_burden"),
    # deleting and re-inserting a study's rows is only right if each row belongs to the study that made it;
    # written unquoted, the relation is not replaced by the view of the rebuilt study's rows: every study's
    ("fct_patient_burden", "select * from base.marts.dim_sample", "not study-partitioned"),
])
def test_a_refused_model_leaves_the_warehouse_unchanged(base_warehouse, tmp_path, model, code, message):
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    con = duckdb.connect(str(warehouse))
    con.execute("update oncoduck_build.nodes set compiled_code = ? where name = ?", [code, model])
    con.close()
    with pytest.raises(incremental.IncrementalBuildFailed, match=message):
        incremental.build_incremental(warehouse, demo_study_dirs())
    assert query(warehouse, f"select count(*) from landing.landing_mutations where study_id = '{ADDED}'") == [(0,)]
    assert query(warehouse, "select count(*) from oncoduck_build.studies") == [(4,)]


def test_a_new_gene_symbol_rebuilds_the_exome_studies(base_warehouse, base_studies, tmp_path):
    """An exome covers every gene of dim_gene (bridge_assay_gene), so a study bringing a symbol the reference
    lacks changes the exome's gene list: the exome study demo_lim2021_wes is rebuilt too."""
    added = tmp_path / "studies" / ADDED
    shutil.copytree(next(d for d in demo_study_dirs() if d.name == ADDED), added)
    maf = next(added.glob("data_mutations*"))
    lines = maf.read_text().splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if not line.startswith("#")) + 1
    lines[first] = "NOVELGENE1\t" + lines[first].split("\t", 1)[1]
    maf.write_text("".join(lines))
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    log = _build(warehouse, [*base_studies, added]).stdout
    rebuilt = next(line for line in log.splitlines() if "only what changed was recomputed" in line)
    assert "demo_lim2021_wes" in rebuilt and ADDED in rebuilt
    assert query(warehouse, "select count(*) from marts.bridge_assay_gene b join marts.dim_assay a using (assay_id) "
                            "where b.hugo_symbol = 'NOVELGENE1' and a.assay_type = 'exome'")[0][0] > 0
    reference = tmp_path / "reference" / base_warehouse.name
    reference.parent.mkdir()
    _build(reference, [*base_studies, added])
    assert incremental.differences(warehouse, reference) == []


def test_a_manifest_compiled_for_another_warehouse_is_not_recorded(base_warehouse, base_studies, demo_warehouse,
                                                                   tmp_path):
    warehouse = tmp_path / base_warehouse.name
    shutil.copy(base_warehouse, warehouse)
    other_manifest = demo_warehouse.parent / "target" / "manifest.json"  # compiled for oncoduck.duckdb
    with pytest.raises(ValueError, match="were compiled for oncoduck, not for"):
        incremental.record_full_build(warehouse, nodes_from_manifest(other_manifest), base_studies,
                                      incremental.project_fingerprint())


def test_a_changed_file_the_study_names_outside_its_folder_changes_the_study(tmp_path):
    # files: ../shared/x: the folder's own files are the same, but the build must not say "nothing changed"
    maf = tmp_path / "shared" / "data_mutations.txt"
    maf.parent.mkdir()
    maf.write_text("Hugo_Symbol\tTumor_Sample_Barcode\nTP53\tS1\n")
    study = tmp_path / "study"
    study.mkdir()
    (study / "oncoduck_study.yml").write_text("files:\n  mutations: ../shared/data_mutations.txt\n")
    before = incremental.study_fingerprint(study)
    assert incremental.study_fingerprint(study) == before
    maf.write_text("Hugo_Symbol\tTumor_Sample_Barcode\nTP53\tS1\nPIK3CA\tS1\n")
    assert incremental.study_fingerprint(study) != before
