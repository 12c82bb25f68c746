"""Readers of the serving copy: an older DuckDB (as BI drivers embed), SQLAlchemy/duckdb-engine, pseudonymized
publishing, and the read-only dbt target."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import duckdb
import pytest

from serving_helpers import REPO, publication_id

OLD_DUCKDB = os.environ.get("ONCODUCK_OLD_DUCKDB_SPEC", "duckdb==1.4.*")


@pytest.fixture(scope="module")
def old_duckdb_python(tmp_path_factory) -> Path:
    """A throw-away venv with an older DuckDB wheel from PyPI (skipped, saying what failed, when offline)."""
    env_dir = tmp_path_factory.mktemp("old_duckdb") / "venv"
    try:
        venv.create(env_dir, with_pip=True)
    except Exception as exc:  # noqa: BLE001 - any failure means: cannot check, say why
        pytest.skip(f"cannot create a venv for {OLD_DUCKDB}: {exc}")
    python = env_dir / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                              "--only-binary", ":all:", OLD_DUCKDB], capture_output=True, text=True, timeout=300)
    if install.returncode != 0:
        pytest.skip(f"pip install {OLD_DUCKDB} failed (offline?): {install.stderr.strip()[-500:]}")
    return python


def test_duckdb_1x_reader_opens_the_serving_file(built_demo, old_duckdb_python, record_property):
    script = textwrap.dedent("""
        import json, sys, duckdb
        con = duckdb.connect(sys.argv[1], read_only=True)
        tables = con.execute("select schema_name, table_name from duckdb_tables() "
                             "where schema_name in ('marts', 'stats')").fetchall()
        counts = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
        pq = con.execute(f"select count(*) from read_parquet('{sys.argv[2]}/marts/dim_sample.parquet')").fetchone()[0]
        print(json.dumps({"version": duckdb.__version__, "counts": counts, "parquet_dim_sample": pq,
                          "publication": con.execute("select publication_id from serving.publication").fetchone()[0]}))
    """)
    serving_file = built_demo["serving_file"]
    run = subprocess.run([str(old_duckdb_python), "-c", script, str(serving_file), str(serving_file.parent / "parquet")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"{OLD_DUCKDB} could not read the serving file:\n{run.stderr[-2000:]}"
    seen = json.loads(run.stdout)
    record_property("old_duckdb_version_checked", seen["version"])
    print(f"serving file read by DuckDB {seen['version']}")
    assert seen["version"].startswith("1.")
    assert seen["publication"] == publication_id(serving_file)
    current = json.loads((serving_file.parent / "publication.json").read_text())
    assert seen["counts"] == {f"{t['schema']}.{t['table']}": t["n_rows"] for t in current["tables"]}
    assert seen["parquet_dim_sample"] == seen["counts"]["marts.dim_sample"]


def test_sqlalchemy_duckdb_engine_lists_marts_and_queries(built_demo):
    sqlalchemy = pytest.importorskip("sqlalchemy")
    pytest.importorskip("duckdb_engine")
    engine = sqlalchemy.create_engine(f"duckdb:///{built_demo['serving_file']}", connect_args={"read_only": True})
    try:
        inspector = sqlalchemy.inspect(engine)
        # duckdb-engine names schemas <catalog>.<schema>; the catalog is the file's stem
        assert {"oncoduck_serving.marts", "oncoduck_serving.serving"} <= set(inspector.get_schema_names())
        marts = inspector.get_table_names(schema="marts")
        assert {"dim_patient", "dim_sample", "fct_variant", "fct_sample_gene_profiled"} <= set(marts)
        with engine.connect() as conn:
            # (inspector.get_columns needs pg_catalog.pg_collation, which DuckDB 2.0 lacks: duckdb-engine 0.17
            # reflection of columns fails there; a zero-row select gives the columns, as BI tools fall back to)
            columns = set(conn.execute(sqlalchemy.text("select * from marts.dim_sample limit 0")).keys())
            assert {"study_id", "sample_id", "patient_id"} <= columns
            rows = conn.execute(sqlalchemy.text(
                "select p.study_id, count(distinct s.sample_id) as n_samples "
                "from marts.dim_patient as p join marts.dim_sample as s "
                "on s.study_id = p.study_id and s.patient_id = p.patient_id group by p.study_id order by 1")).all()
        assert rows and all(n > 0 for _, n in rows)
    finally:
        engine.dispose()


def test_pseudonymize_leaves_no_original_identifier_in_any_text_column(built_demo, tmp_path):
    serving = tmp_path / "pseudo"
    env = {**built_demo["env"], "ONCODUCK_SERVING_DIR": str(serving), "ONCODUCK_PSEUDONYM_SALT": "test-salt-7"}
    run = subprocess.run([sys.executable, "-m", "oncoduck.cli", "publish", "--pseudonymize"], cwd=REPO,
                         capture_output=True, text=True, env={**os.environ, **env}, timeout=300)
    assert run.returncode == 0, run.stderr
    wh = duckdb.connect(str(built_demo["warehouse"]), read_only=True)
    patients = [r[0] for r in wh.execute("select distinct patient_id from marts.dim_patient").fetchall()]
    samples = [r[0] for r in wh.execute("select distinct sample_id from marts.dim_sample").fetchall()]
    original_join = wh.execute("select count(*) from marts.dim_sample s join marts.dim_patient p "
                               "using (study_id, patient_id)").fetchone()[0]
    wh.close()
    assert len(patients) > 100

    con = duckdb.connect(str(serving / "oncoduck_serving.duckdb"), read_only=True)
    try:
        pattern = "|".join(re.escape(i) for i in sorted(set(patients + samples)))  # any original, anywhere in a value
        text_columns = con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database() and data_type like 'VARCHAR%'").fetchall()
        assert len(text_columns) > 20
        for schema, table, column in text_columns:
            hits = con.execute(f'select count(*) from "{schema}"."{table}" where regexp_matches(cast("{column}" as varchar), ?)',
                               [pattern]).fetchone()[0]
            assert hits == 0, f"{schema}.{table}.{column} holds {hits} original identifiers"
        # pseudonyms are consistent across tables: joins give the same rows as on the originals
        assert con.execute("select count(*) from marts.dim_sample s join marts.dim_patient p "
                           "using (study_id, patient_id)").fetchone()[0] == original_join
        assert con.execute("select bool_and(patient_id like 'anon_%') from marts.dim_patient").fetchone()[0]
        assert con.execute("select pseudonymized from serving.publication").fetchone()[0] is True
    finally:
        con.close()
    assert b"test-salt-7" not in (serving / "oncoduck_serving.duckdb").read_bytes()
    parquet_ids = duckdb.execute(f"select count(*) from read_parquet('{serving}/parquet/marts/dim_patient.parquet') "
                                 "where patient_id in (select unnest(?::varchar[]))", [patients]).fetchone()[0]
    assert parquet_ids == 0


def test_readonly_dbt_target_works_while_a_reader_holds_the_warehouse(built_demo, tmp_path):
    reader = duckdb.connect(str(built_demo["warehouse"]), read_only=True)
    try:
        env = {**os.environ, "ONCODUCK_WAREHOUSE": str(built_demo["warehouse"]), "DBT_PROFILES_DIR": str(REPO)}
        show = subprocess.run(
            [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "show", "--target", "readonly",
             "--inline", "select count(*) as n from {{ ref('dim_patient') }}", "--output", "json",
             "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
             "--project-dir", str(REPO)], capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
        assert show.returncode == 0, show.stdout[-3000:]
        n = reader.execute("select count(*) from marts.dim_patient").fetchone()[0]
        assert f'"n": {n}' in show.stdout
    finally:
        reader.close()
