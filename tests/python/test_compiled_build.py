"""A full `oncoduck build` from the compiled project (python/oncoduck/compiled.py) gives the tables `dbt build`
gives on the same studies, runs the data tests with dbt's severities, and stops as dbt does when one fails."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
from oncoduck import compiled, incremental
from oncoduck.paths import demo_study_dirs
from oncoduck_testing import graph_from_demo, run_oncoduck

WIDE_PREFIX = "sample_clinical_wide__"


def _build(tmp_path: Path, target_dir: Path, *args: str):
    warehouse = tmp_path / "built" / "oncoduck.duckdb"  # the catalog the graph was compiled for
    warehouse.parent.mkdir(exist_ok=True)
    result = run_oncoduck("build", "--target", "test", *args,
                          env={"ONCODUCK_TEST_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target_dir)})
    return warehouse, result


def _wide_views(warehouse: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        views = [v for (v,) in con.execute("select view_name from duckdb_views() where schema_name = 'marts' and "
                                           f"starts_with(view_name, '{WIDE_PREFIX}') order by 1").fetchall()]
        return {v: con.execute(f"select * from marts.{v} order by sample_id").fetchall() for v in views}
    finally:
        con.close()


def test_a_build_from_the_compiled_project_equals_dbt_build(demo_warehouse, tmp_path):
    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    warehouse, result = _build(tmp_path, graph.parent.parent)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "data tests run from the project compiled at the last dbt build" in result.stdout
    assert incremental.differences(demo_warehouse, warehouse) == []
    wide = _wide_views(warehouse)
    assert len(wide) == 5 and wide == _wide_views(demo_warehouse)  # one per demo study, the same rows and columns
    # the record a later --incremental build reads: the same compiled nodes as the graph
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        recorded = {n.unique_id for n in compiled.read_nodes(con, f"{incremental.STATE_SCHEMA}.nodes")}
    finally:
        con.close()
    assert recorded == {n.unique_id for n in compiled.nodes_from_manifest(
        demo_warehouse.parent / "target" / "manifest.json")}
    # issue 24: with nothing changed (project and study files), the next build leaves the warehouse as it is
    modified = warehouse.stat().st_mtime_ns
    _, again = _build(tmp_path, graph.parent.parent)
    assert again.returncode == 0 and "nothing changed since the last build of this warehouse" in again.stdout
    assert warehouse.stat().st_mtime_ns == modified


def test_a_failing_data_test_stops_the_build_and_skips_what_depends_on_its_model(demo_warehouse, tmp_path):
    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    con = duckdb.connect(str(graph))
    try:
        test_id, model_id = con.execute(
            "select unique_id, depends_on[1] from nodes where resource_type = 'test' "
            "and name = 'not_null_dim_sample_sample_id'").fetchall()[0]
        con.execute("update nodes set compiled_code = 'select 1 as sample_id' where unique_id = ?", [test_id])
        children = con.execute("select count(*) from nodes where resource_type = 'model' "
                               "and list_contains(depends_on, ?)", [model_id]).fetchall()[0][0]
    finally:
        con.close()
    assert children > 0
    warehouse, result = _build(tmp_path, graph.parent.parent)
    assert result.returncode == 1
    assert "not_null_dim_sample_sample_id: 1 failing row(s)" in result.stderr
    assert "the warehouse and the serving copy are unchanged" in result.stderr
    assert not warehouse.exists()  # the build's file was never swapped in


def test_only_a_graph_of_the_project_as_it_is_is_used(demo_warehouse, tmp_path, monkeypatch):
    from oncoduck import cli

    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))
    fingerprint = incremental.project_fingerprint()
    assert cli._current_graph("test", tmp_path / "elsewhere" / "oncoduck.duckdb", fingerprint) == graph
    # compiled for the test target and a warehouse named oncoduck
    assert cli._current_graph("test", tmp_path / "elsewhere" / "other_name.duckdb", fingerprint) is None
    assert cli._current_graph("dev", tmp_path / "elsewhere" / "oncoduck.duckdb", fingerprint) is None
    con = duckdb.connect(str(graph))
    try:
        con.execute("update project set fingerprint = 'an older project'")
    finally:
        con.close()
    assert cli._current_graph("test", tmp_path / "elsewhere" / "oncoduck.duckdb", fingerprint) is None  # dbt builds


def test_a_node_out_of_duckdb_memory_beside_others_runs_again_alone(demo_warehouse, tmp_path, monkeypatch):
    """The units running side by side (a model, or the batch of data tests of the same models) share one DuckDB
    memory limit: a 1M-row build with 4 threads and 500MB failed with OutOfMemoryException in four frequency
    models that happened to overlap. Such a unit runs again once nothing else runs; one out of memory even alone
    (at 10M rows, int_sample_gene_alterations at 500MB) runs with the limit doubled, which is set back after.
    The build succeeds with the same tables."""
    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    running, alone_runs, limits = set(), [], {}
    failures_left = {"fct_gene_frequency": 2, "unique_combination_fct_variant_study_id__sample_id__variant_key": 1}
    lock = threading.Lock()
    run_unit, build, tests = compiled._GraphRunner._run_unit, compiled._GraphRunner._build, compiled._GraphRunner._tests

    def overlapping(self, uid, alone=False):  # which units run at once
        with lock:
            running.add(uid)
            if alone:
                alone_runs.append((self._name(uid), running - {uid}))
        try:
            return run_unit(self, uid, alone)
        finally:
            with lock:
                running.discard(uid)

    def out_of_memory_at_first(run):
        def attempt(self, cur, nodes):
            names = [n.name for n in (nodes if isinstance(nodes, list) else [nodes])]
            limit = cur.execute("select current_setting('memory_limit')").fetchall()[0][0]
            for name in names:
                limits.setdefault(name, []).append(limit)
            key = next((k for k in failures_left if any(name.startswith(k) for name in names)), None)
            if key and failures_left[key]:
                failures_left[key] -= 1
                raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block (a test)")
            return run(self, cur, nodes)
        return attempt

    monkeypatch.setattr(compiled._GraphRunner, "_run_unit", overlapping)
    monkeypatch.setattr(compiled._GraphRunner, "_build", out_of_memory_at_first(build))
    monkeypatch.setattr(compiled._GraphRunner, "_tests", out_of_memory_at_first(tests))
    warehouse = tmp_path / "built" / "oncoduck.duckdb"
    warehouse.parent.mkdir()
    run = compiled.run_graph(warehouse, graph, demo_study_dirs(), {"memory_limit": "500MB"}, threads=4)
    assert sorted({name for name, _ in alone_runs}) == sorted(run.run_again_alone)
    assert sorted(run.run_again_alone) == ["data tests of fct_variant", "fct_gene_frequency"]
    assert all(others == set() for _, others in alone_runs)  # nothing else ran meanwhile
    assert limits["fct_gene_frequency"] == ["476.8 MiB", "476.8 MiB", "953.0 MiB"]  # beside others, alone, doubled
    assert limits["unique_combination_fct_variant_study_id__sample_id__variant_key"] == ["476.8 MiB", "476.8 MiB"]
    assert run.needed_more_memory == [("fct_gene_frequency", "0.9 GiB")]
    assert set(limits["dim_gene"]) == {"476.8 MiB"} and set(limits["stat_enrichment_computed"]) == {"476.8 MiB"}
    assert incremental.differences(demo_warehouse, warehouse) == []


def test_units_reading_many_rows_never_run_side_by_side(demo_warehouse, tmp_path, monkeypatch):
    """At 10M MAF rows and 500MB, units reading 10M-row tables that overlapped ran out of the shared DuckDB memory
    and lost their partial runs. A unit reading HEAVY_INPUT_ROWS or more (the threshold lowered here to the
    demo's scale) waits while another such unit runs; smaller units still run beside it; the tables are the same."""
    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    monkeypatch.setattr(compiled, "HEAVY_INPUT_ROWS", 2_000)
    running, overlaps, heavy_started, small_beside_heavy = set(), [], [], []
    lock = threading.Lock()
    run_unit = compiled._GraphRunner._run_unit

    def watched(self, uid, alone=False):
        with lock:
            heavy = self.heavy.get(uid, False)
            others_heavy = [o for o in running if self.heavy.get(o, False)]
            if heavy:
                heavy_started.append(uid)
                overlaps.extend(others_heavy)
            elif others_heavy:
                small_beside_heavy.append(uid)
            running.add(uid)
        try:
            return run_unit(self, uid, alone)
        finally:
            with lock:
                running.discard(uid)

    monkeypatch.setattr(compiled._GraphRunner, "_run_unit", watched)
    warehouse = tmp_path / "built" / "oncoduck.duckdb"
    warehouse.parent.mkdir()
    run = compiled.run_graph(warehouse, graph, demo_study_dirs(), {"memory_limit": "500MB"}, threads=4)
    assert len(heavy_started) >= 10 and run.heavy_waits > 0
    assert overlaps == []
    assert small_beside_heavy  # the rule holds heavy units back, not the others
    assert incremental.differences(demo_warehouse, warehouse) == []


def test_a_batch_of_data_tests_whose_query_fails_names_the_failing_test(demo_warehouse, tmp_path):
    """The data tests of the same models run in one query; when one test's SQL fails, the batch runs its tests
    one by one, so the build names that test (and only it) as failed, and skips what reads the tested model."""
    graph = graph_from_demo(demo_warehouse, tmp_path / "target")
    con = duckdb.connect(str(graph))
    try:
        con.execute("update nodes set compiled_code = 'select no_such_column from marts.dim_sample' "
                    "where resource_type = 'test' and name = 'not_null_dim_sample_sample_id'")
        siblings = con.execute("select count(*) from nodes where resource_type = 'test' and depends_on = "
                               "(select depends_on from nodes where name = 'not_null_dim_sample_sample_id')").fetchall()[0][0]
    finally:
        con.close()
    assert siblings > 1  # the test has a batch
    warehouse = tmp_path / "built" / "oncoduck.duckdb"
    warehouse.parent.mkdir()
    try:
        compiled.run_graph(warehouse, graph, demo_study_dirs(), threads=2)
    except compiled.BuildFailed as exc:
        message = str(exc)
    else:
        raise AssertionError("the build passed with a test whose SQL fails")
    assert message.startswith("1 failure(s):\n  not_null_dim_sample_sample_id: BinderException")
