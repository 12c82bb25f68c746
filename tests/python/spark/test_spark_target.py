"""The spark target (issues 8 and 22): the demo and an edge-value study, built by dbt-spark in local mode with
every data and unit test, give every table of every schema the same column types and the same rows as the
DuckDB build, and every Python stats model gives the same results run on the Spark tables.

The edge-value study (``write_edge_study``) holds the inputs engines are known to treat differently: a discrete
CNA of -1.5 (DuckDB's integer cast made it -2, Spark's -1) and 0.5, NA tokens, a FISH cell with no CEP17 signal
(division by zero), variant rows whose key has NULL parts (NULL ordering in the duplicate ranking), and a declared
comparison with a one-sample group that is empty for the genes its panel leaves out. The same study is also built on a Spark standalone cluster started here
(a master and two workers from pyspark's distribution), by a session and through a Spark Thrift Server whose
application runs on that cluster, and its marts (and, through the server, every Python model's result) equal DuckDB's.

Slow (JVMs and local Spark: about half an hour with the DuckDB builds, the cluster and the Thrift server): marked `spark`, deselected
from the default run; `make test-spark` runs it (creating .venv-spark with the `spark` extra). Skips when
pyspark or Java is absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from bad_input_corpus import append_line, edit_field, write_base, write_file
from oncoduck import paths
from oncoduck_testing import REPO

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark")]

pytest.importorskip("pyspark", reason="the spark target needs the `spark` extra: make test-spark")
if shutil.which("java") is None:
    pytest.skip("the spark target needs Java 17 on PATH", allow_module_level=True)

from oncoduck.spark_target import (  # noqa: E402  (needs pyspark, checked above)
    SPARK_TYPES,
    build_on_spark,
    frame_checksum,
    pull_bound,
    python_model_files,
    read_pulls,
    spark_session,
    standalone_cluster,
    thrift_server,
)

# The marts schema: models/marts/<group>/*.sql (a Python mart: its view in <group>/spark/), not a group's own
# intermediate step (schema intermediate).
MART_MODELS = sorted(p.stem for p in (REPO / "models" / "marts").rglob("*.sql") if "intermediate" not in p.parts)
STATS_PYTHON_MODELS = sorted(p.stem for p in python_model_files())  # not the wide clinical views: DuckDB views
# Spark's own database; the Parquet copy of DuckDB's landing schema; the Python models' results, which their views
# (stats_computed.*, marts.fct_sample_nmf_cluster) read and are compared as
NOT_ON_SPARK = ("default", "prelanded", "stats_results")
EDGE_STUDY = "spark_edge_values"


def write_edge_study(root: Path) -> Path:
    """The corpus' clean three-patient study with the values engines treat differently planted in it."""
    folder = write_base(root / EDGE_STUDY, EDGE_STUDY)
    edit_field("data_cna.txt", 3, 4, "-1.5")(folder)  # TP53 in S2: rejected (discrete_half_step_undeclared)
    append_line("data_cna.txt", "PTEN\t5728\t0.5\t-2\tNA")(folder)  # out of range, deep deletion, not measured
    append_line("data_fish_cells.txt", "S2\t1\t2\t5\t0")(folder)  # no CEP17 signal: a ratio over zero
    append_line("data_fish_cells.txt", "S3\t1\t1\t6\t3")(folder)
    # whole numbers as text: a fractional position (DuckDB's cast rounded it, Spark's truncated it: now rejected on
    # both), a position as R writes 100000 and a read count as pandas writes 30 (both kept)
    append_line("data_mutations.txt", "GATA3\t10\t8100000.5\t8100000.5\tC\tT\tMissense_Mutation\tSNP\tS3\t20\t5\t0.2\tPASS")(folder)
    append_line("data_mutations.txt", "GATA3\t10\t1e+05\t1e+05\tC\tT\tMissense_Mutation\tSNP\tS3\t30.0\t5\t0.14\tPASS")(folder)
    for _ in range(2):  # two rows without a chromosome: NULL key parts ranked together, then rejected
        append_line("data_mutations.txt", "GATA3\t\t8100000\t8100000\tC\tT\tMissense_Mutation\tSNP\tS3\t10\t5\t0.33\tPASS")(folder)
    # a group of a single sample: frequencies and medians over one value, zero counts for most genes; the Table 1
    # and the interactions send their members to the engine (registered views: through the Thrift server too)
    write_file("oncoduck_study.yml", "comparisons:\n"
               "- name: primary_vs_metastasis\n  unit: sample\n  group_by: SAMPLE_TYPE_CANONICAL\n"
               "  groups:\n    primary: [primary]\n    metastasis: [metastasis]\n"
               "  analyses: [burden, genes, clinical, interactions]\n"
               # a reference level read through the seed synonyms: a JSON object to rows and back on each engine
               "- name: by_sex\n  unit: sample\n  group_by: SAMPLE_TYPE_CANONICAL\n"
               "  groups:\n    primary: [primary]\n    metastasis: [metastasis]\n"
               "  analyses: [survival]\n  covariates: [SEX]\n  reference_levels: {SEX: f}\n")(folder)
    # ... which is empty for the genes its panel leaves out: S3 (metastasis) sequenced with a panel of GATA3 and
    # PIK3CA, so no metastasis member is profiled for TP53 or ERBB2 mutations (counts and fractions over nothing)
    edit_field("data_gene_panel_matrix.txt", 4, 2, "p2")(folder)
    write_file("data_gene_panel_p2.txt", "stable_id: p2\ndescription: edge panel\ngene_list: GATA3\tPIK3CA\n")(folder)
    return folder


@pytest.fixture(scope="module")
def duckdb_warehouse(compiled_project, tmp_path_factory) -> Path:
    """The demo's studies and the edge-value study built on DuckDB, from the demo's compiled project."""
    root = tmp_path_factory.mktemp("duckdb")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [*paths.demo_study_dirs(), write_edge_study(root / "studies")])
    return warehouse


@pytest.fixture(scope="module")
def spark_warehouse(duckdb_warehouse: Path, compiled_project, tmp_path_factory) -> Path:
    """The same studies built on the spark target with every data and unit test, landing pre-landed from the
    DuckDB build, the Python models above landing run on Spark in the build."""
    warehouse = tmp_path_factory.mktemp("spark")
    steps = build_on_spark(duckdb_warehouse, warehouse, compiled_project.manifest, with_tests=True)
    for step in steps:
        tail = "\n".join(step.stdout.splitlines()[-40:])
        assert step.returncode == 0, f"{' '.join(step.args[3:5])} on the spark target failed:\n{tail}\n{step.stderr[-2000:]}"
    return warehouse


@pytest.fixture(scope="module")
def spark(spark_warehouse: Path):
    session = spark_session(spark_warehouse)
    yield session
    session.stop()


def _duckdb_table(warehouse: Path, name: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(f"select * from {name}").df()
    finally:
        con.close()


def _duckdb_columns(warehouse: Path, tables: list[str]) -> dict[str, list[tuple[str, str]]]:
    """schema.table -> [(column, type as Spark names it)] of the given tables on DuckDB (absent: no entry)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute("""select table_schema || '.' || table_name, column_name, data_type
            from information_schema.columns where table_catalog = current_database()
            order by table_schema, table_name, ordinal_position""").fetchall()
    finally:
        con.close()
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        if table in tables:
            columns.setdefault(table, []).append((column, _spark_type(data_type)))
    return columns


def _spark_type(duckdb_type: str) -> str:
    if duckdb_type.endswith("[]"):
        return f"array<{_spark_type(duckdb_type[:-2])}>"
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.lower().replace(" ", "")
    return SPARK_TYPES.get(duckdb_type, duckdb_type.lower())


def _spark_tables(spark) -> list[str]:
    return sorted(f"{db.namespace}.{t.tableName}" for db in spark.sql("show databases").collect()
                  if db.namespace not in NOT_ON_SPARK
                  for t in spark.sql(f"show tables in {db.namespace}").collect())


def _built_nodes(spark_warehouse: Path) -> list[dict]:
    """The seeds and models a spark-target build enabled (its manifest): every one but the DuckDB-only
    (DUCKDB_ONLY_MODELS), with the Python models above landing as views of their results."""
    manifest = json.loads((spark_warehouse / "dbt" / "target" / "manifest.json").read_text())
    return [n for n in manifest["nodes"].values() if n["resource_type"] in ("model", "seed")]


@pytest.fixture(scope="module")
def spark_relations(spark_warehouse: Path) -> list[str]:
    """schema.table of every seed and model the Spark build wrote."""
    return sorted(n["relation_name"] for n in _built_nodes(spark_warehouse))


def test_every_mart_is_built_on_spark(spark):
    built = sorted(row.tableName for row in spark.sql("show tables in marts").collect())
    assert built == MART_MODELS


def test_every_table_of_every_schema_is_built_on_spark(spark, spark_relations, duckdb_warehouse: Path):
    assert _spark_tables(spark) == spark_relations
    assert sorted(_duckdb_columns(duckdb_warehouse, spark_relations)) == spark_relations


def test_every_column_has_the_same_type_on_both_engines(spark, spark_relations, duckdb_warehouse: Path):
    """A BI tool reading the Spark tables sees the DuckDB types: no DOUBLE that Spark makes DECIMAL (x * 1.0 / n),
    no BIGINT that it makes INT (row_number(), length())."""
    differences = []
    for table, columns in _duckdb_columns(duckdb_warehouse, spark_relations).items():
        on_spark = [(f.name, f.dataType.simpleString()) for f in spark.table(table).schema.fields]
        if on_spark != columns:
            spark_types, duckdb_types = dict(on_spark), dict(columns)
            differences += [f"{table}.{name}: DuckDB {duck}, Spark {spark_types.get(name, 'absent')}"
                            for name, duck in columns if spark_types.get(name) != duck]
            differences += [f"{table}.{name}: only on Spark" for name in spark_types if name not in duckdb_types]
    assert not differences, "column types differ between DuckDB and Spark:\n" + "\n".join(differences)


@contextlib.contextmanager
def _rows_without_arrow(spark):
    """Whole tables pulled row by row: with Arrow, the driver's default 1 GiB heap ran out on the demo's largest
    tables (the statistics pull narrow inputs with Arrow; this test pulls every table whole)."""
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "false")
    try:
        yield
    finally:
        spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")


def test_every_table_of_every_schema_has_the_same_rows_on_both_engines(spark, spark_relations, duckdb_warehouse: Path):
    differences = []
    for table in spark_relations:
        on_duckdb = _duckdb_table(duckdb_warehouse, table)
        with _rows_without_arrow(spark):
            on_spark = spark.table(table).toPandas()
        duck_rows, duck_sum = frame_checksum(on_duckdb)
        spark_rows, spark_sum = frame_checksum(on_spark)
        if (duck_rows, duck_sum) != (spark_rows, spark_sum):
            differences.append(f"{table}: DuckDB {duck_rows} rows (checksum {duck_sum:016x}), "
                               f"Spark {spark_rows} rows (checksum {spark_sum:016x})")
    assert not differences, "tables differ between DuckDB and Spark:\n" + "\n".join(differences)


def test_the_edge_values_reach_both_engines_alike(spark, duckdb_warehouse: Path):
    """The planted values are there, and each ends where the other engine puts it (the row comparison above
    then covers them): -1.5 and 0.5 rejected, not cast; the ratio over zero a NULL; the one-sample group there,
    and empty for the genes its panel leaves out (no frequency row; a test result with its reason)."""
    rejects = sorted(tuple(r) for r in spark.sql(f"""select source_row, reject_reason from staging.all_rejects
        where study_id = '{EDGE_STUDY}' and input_kind = 'gene_cna'""").collect())
    assert rejects == [(3, "discrete_half_step_undeclared"), (4, "discrete_value_out_of_range"), (4, "not_measured")]
    assert spark.sql(f"""select count(*) from marts.fct_gene_cna
        where study_id = '{EDGE_STUDY}' and value not in (-2, -1, 0, 1, 2)""").collect()[0][0] == 0
    ratio = spark.sql(f"""select cell_ratio from intermediate.int_fish_cells_classified
        where study_id = '{EDGE_STUDY}' and sample_id = 'S2' and cell_id = '2'""").collect()
    assert [r.cell_ratio for r in ratio] == [None]
    assert spark.sql(f"""select count(*) from staging.all_rejects where study_id = '{EDGE_STUDY}'
        and input_kind = 'mutations' and reject_reason = 'unknown_chromosome'""").collect()[0][0] == 2
    assert spark.sql(f"""select count(*) from staging.all_rejects where study_id = '{EDGE_STUDY}'
        and input_kind = 'mutations' and reject_reason = 'non_numeric_position'""").collect()[0][0] == 1
    kept = spark.sql(f"""select start_position, t_ref_count from staging.stg_study__mutations
        where study_id = '{EDGE_STUDY}' and start_position = 100000""").collect()
    assert [(r.start_position, r.t_ref_count) for r in kept] == [(100000, 30)]
    groups = {r.group_label: r.n for r in spark.sql("""select group_label, count(*) as n
        from intermediate.int_comparison_members where comparison = 'primary_vs_metastasis' group by 1""").collect()}
    assert groups == {"primary": 2, "metastasis": 1}
    levels = spark.sql(f"""select distinct reference_levels, declared_reference_levels from staging.stg_study__comparisons
        where study_id = '{EDGE_STUDY}' and comparison = 'by_sex'""").collect()
    assert [tuple(r) for r in levels] == [('{"SEX":"Female"}', '{"SEX": "f"}')]
    empty = spark.sql(f"""select feature, reason from stats.stat_enrichment where study_id = '{EDGE_STUDY}'
        and comparison = 'primary_vs_metastasis' and alteration_type = 'mutation' and reason is not null""").collect()
    assert sorted((r.feature, r.reason) for r in empty) == [
        (gene, "no member of group metastasis is profiled for this feature (its assays do not cover it)")
        for gene in ("ERBB2", "TP53")]
    assert spark.sql(f"""select count(*) from marts.fct_gene_frequency where study_id = '{EDGE_STUDY}'
        and group_label = 'metastasis' and alteration_type = 'mutation' and hugo_symbol in ('ERBB2', 'TP53')
        """).collect()[0][0] == 0


def test_every_python_model_runs_on_spark_and_pulls_only_bounded_inputs(spark, spark_warehouse: Path):
    """Issue 22, Build 2: each Python model above landing ran on the Spark tables in the build (its result is
    compared with DuckDB's above, through its view), and what reached Python is an aggregate computed on Spark,
    the rows of the studies that declare the analysis, a declaration table, or an entity table's named columns,
    pulled with Arrow."""
    assert spark.conf.get("spark.sql.execution.arrow.pyspark.enabled") == "true"
    assert spark.conf.get("spark.sql.execution.arrow.pyspark.fallback.enabled") == "false"
    pulls = read_pulls(spark_warehouse)
    assert sorted({pull.model for pull in pulls}) == STATS_PYTHON_MODELS
    unbounded = [pull for pull in pulls if pull_bound(pull) is None]
    assert not unbounded, "\n".join(f"{p.model} pulls {p.table} ({p.rows} rows) unbounded" for p in unbounded)
    # the variant- and sample x gene-grain tables reach Python only as aggregates or declared slices
    for pull in pulls:
        if pull.table.endswith(("int_sample_gene_alterations", "int_pair_variants_compared")):
            assert pull_bound(pull) in ("aggregate computed on Spark", "the declaring studies' rows"), pull


def test_the_nmf_clusters_reach_the_comparisons_on_spark(spark):
    """The Python NMF mart runs between the SQL models it reads and those that read it (int_entity_attributes):
    the comparisons grouping by NMF_CLUSTER_DERIVED have their members on Spark too."""
    derived = spark.sql("""select count(*) from intermediate.int_entity_attributes
        where attribute = 'NMF_CLUSTER_DERIVED'""").collect()[0][0]
    assert derived > 0


# --- a standalone cluster -------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def cluster_build(compiled_project, tmp_path_factory) -> tuple[Path, Path, Path, str]:
    """The edge-value study built on DuckDB, then on a Spark standalone cluster started here from pyspark's own
    distribution (a master and two workers) twice: by a session joining the cluster (the `spark` output), and
    through a Spark Thrift Server whose application runs on the cluster (the `spark_thrift` output: dbt and the
    statistics send SQL only). (DuckDB warehouse, session's Spark warehouse, Thrift server's, the master's log)."""
    root = tmp_path_factory.mktemp("cluster")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [write_edge_study(root / "studies")])
    port = os.environ.get("ONCODUCK_SPARK_THRIFT_PORT")
    os.environ["ONCODUCK_SPARK_THRIFT_PORT"] = str(_free_port())
    try:
        with standalone_cluster(workers=2, cores=1, memory="1g", log_dir=root / "cluster") as master:
            builds = {"session": build_on_spark(warehouse, root / "spark", compiled_project.manifest, master=master)}
            with thrift_server(root / "thrift", master=master):
                builds["thrift"] = build_on_spark(warehouse, root / "thrift", compiled_project.manifest,
                                                  target="spark_thrift")
    finally:
        os.environ.pop("ONCODUCK_SPARK_THRIFT_PORT")
        if port is not None:
            os.environ["ONCODUCK_SPARK_THRIFT_PORT"] = port
    for how, steps in builds.items():
        for step in steps:
            tail = "\n".join(step.stdout.splitlines()[-40:])
            assert step.returncode == 0, f"{' '.join(step.args[3:5])} ({how}) on the standalone cluster failed:\n{tail}\n{step.stderr[-2000:]}"
    return warehouse, root / "spark", root / "thrift", (root / "cluster" / "master.log").read_text()


def _differences_from_duckdb(warehouse: Path, spark_warehouse: Path, tables: list[tuple[str, str, str]]) -> list[str]:
    """Each (DuckDB table, Spark schema, Spark table) whose rows differ between the DuckDB warehouse and the Parquet
    files Spark wrote for it (read here by DuckDB)."""
    differences = []
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for duckdb_table, schema, table in tables:
            files = sorted((spark_warehouse / "tables" / f"{schema}.db" / table).glob("*.parquet"))
            on_spark = con.sql(f"select * from read_parquet({[str(f) for f in files]})").df() if files else None
            duckdb_rows = frame_checksum(con.sql(f"select * from {duckdb_table}").df())
            spark_rows = frame_checksum(on_spark) if on_spark is not None else (0, 0)
            if spark_rows != duckdb_rows:  # a table Spark wrote without a file is empty: (0, 0)
                differences.append(f"{duckdb_table}: DuckDB {duckdb_rows}, Spark {spark_rows}")
    finally:
        con.close()
    return differences


def _mart_tables(spark_warehouse: Path) -> list[tuple[str, str, str]]:
    """Every mart a build wrote as a table (views hold no data)."""
    tables = sorted(n["name"] for n in _built_nodes(spark_warehouse) if n["resource_type"] == "model"
                    and n["schema"] == "marts" and n["config"]["materialized"] == "table")
    assert len(tables) >= len(MART_MODELS) - 2  # fct_sample_gene_profiled and the NMF mart are views
    return [(f"marts.{mart}", "marts", mart) for mart in tables]


def test_the_spark_target_builds_on_a_standalone_cluster(cluster_build):
    warehouse, spark_warehouse, _, master_log = cluster_build
    # the build ran as an application of the cluster, its executors on the two workers
    assert "Registering app oncoduck" in master_log
    assert master_log.count("Launching executor") >= 4  # two for the session's application, two for the server's
    differences = _differences_from_duckdb(warehouse, spark_warehouse, _mart_tables(spark_warehouse))
    assert not differences, "marts differ between DuckDB and the cluster build:\n" + "\n".join(differences)


def test_the_thrift_server_builds_the_marts_and_statistics_on_the_cluster(cluster_build):
    """Through a Spark Thrift Server (dbt-spark `method: thrift`, the statistics by ThriftEngine), every mart and
    every Python model's result equals DuckDB's, and every pull of the statistics was bounded."""
    warehouse, _, thrift_warehouse, master_log = cluster_build
    assert "Registering app oncoduck-thrift" in master_log
    results = [(f"stats_computed.{name}" if name.startswith("stat_") else f"marts.{name}", "stats_results", name)
               for name in STATS_PYTHON_MODELS]
    differences = _differences_from_duckdb(warehouse, thrift_warehouse, _mart_tables(thrift_warehouse) + results)
    assert not differences, "tables differ between DuckDB and the Thrift build:\n" + "\n".join(differences)
    pulls = read_pulls(thrift_warehouse)
    assert pulls and not [p for p in pulls if pull_bound(p) is None]
