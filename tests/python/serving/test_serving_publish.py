"""Publish: atomic serving copy (DuckDB + Parquet) that readers use while builds run, and that survives a killed build."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from serving_helpers import REPO, publication_id, serving_env, start_oncoduck, table_counts

from oncoduck import publish as pub


def test_build_publishes_every_mart_with_views_as_tables(built_demo):
    con = duckdb.connect(str(built_demo["serving_file"]), read_only=True)
    try:
        warehouse = duckdb.connect(str(built_demo["warehouse"]), read_only=True)
        expected = warehouse.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marts', 'stats') order by 1").fetchall()
        warehouse.close()
        published = con.execute("select table_schema || '.' || table_name from information_schema.tables "
                            "where table_schema in ('marts', 'stats') and table_type = 'BASE TABLE' order by 1").fetchall()
        assert published == expected  # every table and view of marts/stats, views materialised as tables
        assert "marts.fct_sample_gene_profiled" in {r[0] for r in published}
        tags = con.execute("select tags from duckdb_databases() where path is not null").fetchone()[0]
        assert tags["storage_version"].startswith(pub.STORAGE_COMPATIBILITY_VERSION)
        assert con.execute("select pseudonymized from serving.publication").fetchone()[0] is False
    finally:
        con.close()
    # Parquet: serving/parquet -> parquet_versions/<publication>/<schema>/<table>.parquet, same rows
    parquet = built_demo["serving_dir"] / "parquet"
    assert parquet.is_symlink() and parquet.resolve().name == built_demo["publication"]["publication_id"]
    for t in built_demo["publication"]["tables"]:
        f = parquet / t["schema"] / f"{t['table']}.parquet"
        assert duckdb.execute(f"select count(*) from '{f}'").fetchone()[0] == t["n_rows"], f
    assert not list(built_demo["serving_dir"].glob(".*.tmp*")), "temporaries left behind"


def test_reader_keeps_working_while_build_publishes_and_new_reader_sees_new_version(built_demo):
    """The session's demo build ran while a read-only connection to the serving file was held (see conftest)."""
    reader = built_demo["reader"]
    assert "published" in built_demo["stdout"]  # the build succeeded and published
    assert reader["queries"] > 5, "the reader was not exercised during the build"
    assert reader["mismatches"] == []  # every query during the build saw the version it opened, whole
    assert reader["after_build"] == (reader["first_id"], reader["first_counts"])  # still answers after the switch
    new_id = publication_id(built_demo["serving_file"])
    assert new_id != reader["first_id"] and new_id == built_demo["publication"]["publication_id"]
    with duckdb.connect(str(built_demo["serving_file"]), read_only=True) as con:
        assert {"marts.dim_sample", "marts.fct_variant"} <= set(table_counts(con))
    assert (built_demo["serving_dir"] / "parquet").resolve().name == new_id


def test_killed_build_leaves_last_publication_intact(built_demo, tmp_path):
    serving = tmp_path / "serving"
    shutil.copytree(built_demo["serving_dir"], serving, symlinks=True)
    before = json.loads((serving / "publication.json").read_text())
    warehouse = tmp_path / "warehouse" / "oncoduck.duckdb"
    env = serving_env(tmp_path, warehouse=warehouse, serving=serving)
    log = tmp_path / "killed_build.log"
    proc = start_oncoduck("build", env=env, log=log)
    building = warehouse.parent / ".building" / warehouse.name  # oncoduck build writes here, then swaps it in
    deadline = time.monotonic() + 120
    while not building.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert building.exists(), f"the build never created its warehouse: {log.read_text()[-3000:]}"
    time.sleep(1.0)  # dbt is now writing the new warehouse, well before the swap and the publish step
    assert proc.poll() is None, "the build ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    con = duckdb.connect(str(serving / "oncoduck_serving.duckdb"), read_only=True)
    try:
        assert publication_id(serving / "oncoduck_serving.duckdb", con) == before["publication_id"]
        counts = table_counts(con)
        assert counts == {f"{t['schema']}.{t['table']}": t["n_rows"] for t in before["tables"]}
    finally:
        con.close()
    assert (serving / "parquet").resolve().name == before["publication_id"]
    # nothing half-built is visible: the warehouse was never swapped in, so a later publish has nothing to publish
    assert not warehouse.exists()
    assert pub.last_build_state(warehouse)["status"] == "interrupted"
    refused = subprocess.run([sys.executable, "-m", "oncoduck.cli", "publish"], cwd=REPO, capture_output=True,
                             text=True, env={**os.environ, **env}, timeout=120)
    assert refused.returncode == 1 and "no warehouse here" in refused.stderr, refused.stderr
    assert json.loads((serving / "publication.json").read_text())["publication_id"] == before["publication_id"]


def test_failed_publish_removes_its_temporaries_and_keeps_the_previous_version(built_demo, tmp_path, monkeypatch):
    serving = tmp_path / "serving"
    shutil.copytree(built_demo["serving_dir"], serving, symlinks=True)
    before = publication_id(serving / "oncoduck_serving.duckdb")
    versions = sorted(p.name for p in (serving / "parquet_versions").iterdir())

    # the rename of the new DuckDB file fails: after the Parquet is written, before anything is switched
    monkeypatch.setattr(pub.os, "replace", _fail_on_db_replace(os.replace))
    with pytest.raises(RuntimeError, match="simulated"):
        pub.publish(built_demo["warehouse"], serving)
    assert publication_id(serving / "oncoduck_serving.duckdb") == before
    assert not list(serving.glob(".oncoduck_serving.duckdb.*"))
    assert sorted(p.name for p in (serving / "parquet_versions").iterdir()) == versions
    assert (serving / "parquet").resolve().name == before


def _fail_on_db_replace(real):
    def replace(src, dst):
        if str(dst).endswith(pub.SERVING_FILE_NAME):
            raise RuntimeError("rename refused (simulated)")
        return real(src, dst)
    return replace


def test_default_serving_dir_is_beside_the_warehouse_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("ONCODUCK_SERVING_DIR", raising=False)
    assert pub.default_serving_dir(tmp_path / "warehouse" / "x.duckdb") == tmp_path / "serving"
    assert pub.default_serving_dir(tmp_path / "x.duckdb") == tmp_path / "serving"
    monkeypatch.setenv("ONCODUCK_SERVING_DIR", str(tmp_path / "elsewhere"))
    assert pub.default_serving_dir(tmp_path / "x.duckdb") == tmp_path / "elsewhere"
