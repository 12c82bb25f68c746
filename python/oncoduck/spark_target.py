"""The Spark target: build the SQL models with dbt-spark (local mode or a cluster, `method: session`; or a Spark
Thrift Server, `method: thrift`) and run the Python models above landing on the tables Spark produced, in the
same build.

dbt-spark cannot run dbt Python models outside Databricks, so the landing tables (models/landing/*.py)
are built on DuckDB first ("pre-landed"), exported to Parquet and registered on Spark as the
`prelanded` source, which the landing models of that target read (models/landing/spark/: views with the
landing models' names, so staging refs landing_x on both engines). The Python models above landing (the stats
models and the NMF subtypes mart) run here instead (run_stats_models), as dbt compiled them for DuckDB, level
by level between the SQL models they read and those that read them (build_on_spark); each result is written
to the `stats_results` schema and read by a view of the model's name (models/**/spark/, twin_files). What a
model pulls into Python is narrowed on Spark first, pulled as an Arrow table and recorded (pull_bound).

    python -m oncoduck.spark_target build --duckdb WAREHOUSE.duckdb --spark-warehouse DIR [--with-tests]
        [--manifest target/manifest.json] [--master spark://host:7077 | --target spark_thrift]
    python -m oncoduck.spark_target cluster [--workers 2]     # a standalone cluster on this machine
    python -m oncoduck.spark_target thrift [--master URL]     # a Spark Thrift Server on this machine
    python -m oncoduck.spark_target twins [--write]           # the Spark views of the Python models

Needs the `spark` extra (`pip install -e ".[spark]"`) and Java 17.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import datetime
import gc
import hashlib
import json
import math
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .compiled import python_model_module
from .paths import PROJECT_ROOT, profile_output

LANDING_SCHEMA = "landing"
STATS_RESULTS_SCHEMA = "stats_results"  # the Python models' results on Spark (run_stats_models)
PULLS_FILE = "stats_pulls.jsonl"  # in the Spark warehouse folder: every pull of build_on_spark's stats steps
MARTS_SCHEMA = "marts"
SPARK_WAREHOUSE_ENV = "ONCODUCK_SPARK_WAREHOUSE"
SPARK_MASTER_ENV = "ONCODUCK_SPARK_MASTER"  # profiles.yml's spark.master (default local[4])


# --- building -------------------------------------------------------------------------------------

EXPORT_DUCKDB_SETTINGS = {"memory_limit": "1GB"}


def export_landing(duckdb_path: Path, parquet_dir: Path) -> list[str]:
    """Write every table of the landing schema of a built DuckDB warehouse to PARQUET_DIR/<table>.parquet
    (the files `dbt run-operation register_prelanded` registers on Spark). Returns the table names."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    # bounded: this runs in the driver's own process (unbounded, 30M MAF rows took 5.4 GB of it)
    con = duckdb.connect(str(duckdb_path), read_only=True, config=EXPORT_DUCKDB_SETTINGS)
    try:
        con.execute("set enable_progress_bar = false")
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name",
            [LANDING_SCHEMA]).fetchall()]
        if not tables:
            raise ValueError(f"{duckdb_path}: no tables in schema {LANDING_SCHEMA!r}; build landing on DuckDB first")
        for table in tables:
            target = parquet_dir / f"{table}.parquet"
            con.execute(f"copy {LANDING_SCHEMA}.{table} to '{target}' (format parquet)")
    finally:
        con.close()
    return tables


def _dbt_spark(args: list[str], spark_warehouse: Path, log_dir: Path, master: str | None = None,
               target: str = "spark") -> subprocess.CompletedProcess:
    """One dbt command on a spark target of profiles.yml, in a fresh process (dbt and Spark keep process-wide state)."""
    command = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *args, "--target", target,
               "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
               "--target-path", str(log_dir / "target"), "--log-path", str(log_dir / "logs")]
    env = {**os.environ, SPARK_WAREHOUSE_ENV: str(spark_warehouse.resolve()), "DBT_PROFILES_DIR": str(PROJECT_ROOT),
           **({SPARK_MASTER_ENV: master} if master else {})}
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env)


class UncompiledManifest(RuntimeError):
    """The DuckDB build's manifest has no compiled code for some Python models (build_on_spark runs that code)."""


def build_on_spark(duckdb_path: Path, spark_warehouse: Path, manifest_path: Path, log_dir: Path | None = None,
                   dbt_vars: str | None = None, with_tests: bool = False, master: str | None = None,
                   target: str = "spark") -> list[subprocess.CompletedProcess]:
    """Pre-land from a DuckDB warehouse, then `dbt build` the seeds and the SQL models on Spark and run the
    Python models above landing there, as compiled for the DuckDB build (``manifest_path``), in levels
    (python_model_levels): the SQL under no Python model first; then per level its Python models (a process of
    `python -m oncoduck.spark_target stats`, writing their results; their pulls appended to
    SPARK_WAREHOUSE/stats_pulls.jsonl) and the SQL models over that level. ``target``: the output of
    profiles.yml, `spark` (a SparkSession in each step's process: ``master``, a cluster's master URL, else
    profiles.yml's, local mode by default) or `spark_thrift` (every step sends SQL to a Spark Thrift Server,
    thrift_server, whose Spark owns the tables; the landing Parquet is written where that server reads it). Data and unit tests run only ``with_tests`` (they add minutes;
    `make test-spark` runs them). Stops at the first failing step; returns the completed processes. Raises
    UncompiledManifest, before anything runs, when the manifest lacks a Python model's compiled code."""
    uncompiled = [n["name"] for n in stats_models(manifest_path) if "compiled_code" not in n]
    if uncompiled:  # the last dbt command compiled a selection: without their code the stats steps would fail late
        raise UncompiledManifest(
            f"{manifest_path} lacks the compiled code of {len(uncompiled)} Python model(s) ({', '.join(uncompiled[:3])}"
            f"{', ...' if len(uncompiled) > 3 else ''}): the last dbt command there compiled a selection. Compile the "
            f"whole DuckDB project first (DBT_PROFILES_DIR=. .venv/bin/dbt compile) and build again.")
    spark_warehouse = spark_warehouse.resolve()
    log_dir = (log_dir or spark_warehouse / "dbt").resolve()
    parquet_dir = spark_warehouse / "prelanded_parquet"
    pulls = spark_warehouse / PULLS_FILE
    pulls.unlink(missing_ok=True)
    export_landing(duckdb_path, parquet_dir)
    levels = python_model_levels(manifest_path)

    def build(select: list[str], exclude: list[str]) -> list[str]:
        step = ["build", "--full-refresh", *(["--vars", dbt_vars] if dbt_vars else [])]
        step += (["--select", *select] if select else []) + (["--exclude", *exclude] if exclude else [])
        if not with_tests:
            step += ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
        return step

    steps: list[list[str]] = [["run-operation", "register_prelanded", "--args", f"{{parquet_dir: '{parquet_dir}'}}"],
                              build([], [f"{name}+" for level in levels for name in level])]
    for i, level in enumerate(levels):
        steps.append(["stats", *level])
        steps.append(build([f"{name}+" for name in level], [f"{name}+" for later in levels[i + 1:] for name in later]))
    env = {SPARK_WAREHOUSE_ENV: str(spark_warehouse), **({SPARK_MASTER_ENV: master} if master else {})}
    done = []
    for step in steps:
        if step[0] == "stats":
            done.append(subprocess.run(
                [sys.executable, "-m", "oncoduck.spark_target", "stats", "--spark-warehouse", str(spark_warehouse),
                 "--manifest", str(Path(manifest_path).resolve()), "--models", ",".join(step[1:]), "--target", target],
                capture_output=True, text=True, cwd=PROJECT_ROOT, env={**os.environ, **env}))
        else:
            done.append(_dbt_spark(step, spark_warehouse, log_dir, master, target))
        if done[-1].returncode != 0:
            break
    return done


def run_stats_step(spark_warehouse: Path, manifest_path: Path, models: set[str], target: str = "spark") -> StatsRun:
    """One level of build_on_spark: ``models`` run on the Spark warehouse through profiles.yml's ``target``
    (stats_engine; run_stats_models), their results written, their pulls appended to
    SPARK_WAREHOUSE/stats_pulls.jsonl (one JSON object per line)."""
    engine = stats_engine(target, spark_warehouse)
    try:
        run = run_stats_models(engine, manifest_path, models, write=True)
    finally:
        engine.close()
    with open(Path(spark_warehouse) / PULLS_FILE, "a") as out:
        for pull in run.pulls:
            out.write(json.dumps(dataclasses.asdict(pull)) + "\n")
    return run


def read_pulls(spark_warehouse: Path) -> list[Pull]:
    """The pulls of a build_on_spark run, in order."""
    lines = (Path(spark_warehouse) / PULLS_FILE).read_text().splitlines()
    return [Pull(**{**row, "columns": tuple(row["columns"]) if row["columns"] is not None else None})
            for row in map(json.loads, lines)]


def spark_session(spark_warehouse: Path, target: str = "spark"):
    """A Spark session over the tables a spark-target build wrote (the settings of profiles.yml's ``target``
    output, a `method: session` one, read from there). Only one process at a time may open the embedded metastore."""
    from pyspark.sql import SparkSession

    output = profile_output(target, {**os.environ, SPARK_WAREHOUSE_ENV: str(spark_warehouse.resolve())})
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in output["server_side_parameters"].items():
        builder = builder.config(key, str(value))
    return builder.getOrCreate()


@contextlib.contextmanager
def standalone_cluster(workers: int = 2, cores: int = 1, memory: str = "2g", port: int = 7077,
                       log_dir: Path | None = None) -> Iterator[str]:
    """A Spark standalone cluster on this machine, from pyspark's own distribution: a master and ``workers``
    workers (``spark-class org.apache.spark.deploy.master.Master`` / ``...worker.Worker``), each worker with
    ``cores`` cores and ``memory`` for its executors. Yields the master URL (``spark://host:port``), which
    ``ONCODUCK_SPARK_MASTER`` hands to the spark target; stops every daemon on exit. The builds' files stay
    where ``ONCODUCK_SPARK_WAREHOUSE`` says: shared by driver and executors because they share this disk."""
    from pyspark.find_spark_home import _find_spark_home

    spark_class = str(Path(_find_spark_home()) / "bin" / "spark-class")
    host = "127.0.0.1"
    url = f"spark://{host}:{port}"
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="oncoduck-spark-cluster-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SPARK_LOCAL_IP": host, "SPARK_LOG_DIR": str(log_dir)}
    daemons: list[subprocess.Popen] = []
    logs = contextlib.ExitStack()

    def start(name: str, *args: str) -> None:
        log = logs.enter_context(open(log_dir / f"{name}.log", "w"))
        daemons.append(subprocess.Popen([spark_class, *args], stdout=log, stderr=subprocess.STDOUT, env=env))

    def wait_for(check, what: str, seconds: float = 60.0) -> None:
        deadline = time.monotonic() + seconds
        while not check():
            if time.monotonic() > deadline or any(d.poll() is not None for d in daemons):
                raise RuntimeError(f"Spark standalone {what} did not start; logs in {log_dir}")
            time.sleep(0.5)

    try:
        start("master", "org.apache.spark.deploy.master.Master", "--host", host, "--port", str(port),
              "--webui-port", "0")
        wait_for(lambda: _listening(host, port), "master")
        for i in range(workers):
            start(f"worker-{i + 1}", "org.apache.spark.deploy.worker.Worker", url, "--host", host,
                  "--cores", str(cores), "--memory", memory, "--webui-port", "0",
                  "--work-dir", str(log_dir / f"work-{i + 1}"))
        wait_for(lambda: (log_dir / "master.log").read_text().count("Registering worker") >= workers,
                 f"workers ({workers})")
        yield url
    finally:
        for daemon in reversed(daemons):
            daemon.terminate()
        for daemon in daemons:
            try:
                daemon.wait(timeout=30)
            except subprocess.TimeoutExpired:
                daemon.kill()
        logs.close()


THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"


def _listening(host: str, port: int) -> bool:
    """Whether something accepts connections at host:port (a Spark master or Thrift server that has started)."""
    with socket.socket() as probe:
        return probe.connect_ex((host, port)) == 0


@contextlib.contextmanager
def thrift_server(spark_warehouse: Path, master: str | None = None, port: int | None = None,
                  log_dir: Path | None = None) -> Iterator[tuple[str, int]]:
    """A Spark Thrift Server on this machine, from pyspark's own distribution (``spark-submit --class
    HiveThriftServer2``), with the settings of profiles.yml's `spark` output (its tables and Derby metastore
    under ``spark_warehouse``) and its Spark application on ``master`` (a standalone cluster's URL; default:
    the `spark` output's master, local mode). Listens where the `spark_thrift` output connects (127.0.0.1 and
    ONCODUCK_SPARK_THRIFT_PORT, default 10000; or ``port``). Yields (host, port); stops the server on exit."""
    from pyspark.find_spark_home import _find_spark_home

    spark_warehouse = Path(spark_warehouse).resolve()
    env = {**os.environ, SPARK_WAREHOUSE_ENV: str(spark_warehouse), **({SPARK_MASTER_ENV: master} if master else {})}
    settings = profile_output("spark", env)["server_side_parameters"]
    connect = profile_output("spark_thrift", env)
    host, port = connect["host"], int(port or connect["port"])
    log_dir = Path(log_dir or spark_warehouse / "thrift_server")
    log_dir.mkdir(parents=True, exist_ok=True)
    command = [str(Path(_find_spark_home()) / "bin" / "spark-submit"), "--class", THRIFT_SERVER_CLASS,
               "--name", "oncoduck-thrift"]
    for key, value in settings.items():
        if key != "spark.app.name":
            command += ["--conf", f"{key}={value}"]
    command += ["spark-internal", "--hiveconf", f"hive.server2.thrift.port={port}",
                "--hiveconf", f"hive.server2.thrift.bind.host={host}"]

    if _listening(host, port):
        raise RuntimeError(f"{host}:{port} is already in use: stop that server or pass another port")
    with open(log_dir / "thrift_server.log", "w") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env={**env, "SPARK_LOCAL_IP": host},
                                  cwd=spark_warehouse)
        try:
            deadline = time.monotonic() + 180
            while not _listening(host, port):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the Spark Thrift Server did not start; log in {log_dir / 'thrift_server.log'}")
                time.sleep(1)
            yield host, port
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()


# --- comparing a mart across engines --------------------------------------------------------------

NULL_MARKER = "\x00null"


def _normalised_cell(value) -> str:
    """One value as text that is the same on DuckDB and Spark: floats to 9 significant digits, whole
    numbers without a decimal part, dates and timestamps as ISO strings, NULL/NaN as a marker."""
    if value is None or value is pd.NA or value is pd.NaT:
        return NULL_MARKER
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)) or type(value).__name__ == "Decimal":
        number = float(value)
        if math.isnan(number):
            return NULL_MARKER
        if math.isinf(number):
            return "inf" if number > 0 else "-inf"
        if number == int(number) and abs(number) < 2**53:
            return str(int(number))
        return f"{number:.9g}"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date().isoformat()  # a DATE pulled to pandas as a midnight timestamp
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, np.ndarray)):
        return "[" + ",".join(_normalised_cell(v) for v in value) + "]"
    return str(value)


def frame_checksum(frame: pd.DataFrame) -> tuple[int, int]:
    """(row count, order-independent checksum): the sum of per-row SHA-256 hashes mod 2**64, each row
    hashed over its normalised values in column-name order (column order and row order do not count)."""
    columns = sorted(frame.columns)
    total = 0
    for row in frame[columns].itertuples(index=False, name=None):
        text = "\x1f".join(_normalised_cell(v) for v in row)
        total = (total + int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")) % 2**64
    return len(frame), total


# --- statistics on the Spark marts ----------------------------------------------------------------

PYTHON_MODEL_FOLDERS = ("models/stats/", "models/marts/")  # Python models above landing
# DuckDB views, not results: disabled on the spark target, which serves no wide clinical views
DUCKDB_ONLY_MODELS = ("sample_clinical_wide_views",)

# What a stats model may pull from Spark into Python (pull_bound). Tables whose rows are study declarations, not
# cohort data: read whole.
DECLARATION_TABLES = {
    "int_comparisons": "one row per declared comparison",
    "stg_study__analysis_settings": "one row per declared analysis setting",
    "stg_study__studies": "one row per study",
    "stg_study__gene_sets": "the declared gene sets: collection x set x gene",
    "dim_assay": "one row per assay",
    "bridge_assay_gene": "the genes of each assay: assay x gene, reference data",  # read with 2 of its columns
}
# Tables of one row per entity (or per group of them), whose size follows samples, not variants: read with their
# columns named (no `select *`), every row.
ENTITY_TABLES = {
    "dim_sample": "sample",
    "fct_sample_burden": "sample x TMB definition",
    "fct_sample_cnv_burden": "sample",
    "fct_sample_apobec": "sample",
    "fct_sample_pair_concordance": "pair of samples",
    "int_pair_cna_call_counts": "pair rule x side x gene: counts over the pairs",
    "fct_longitudinal_ctdna": "pair of plasma samples",
    "fct_survival": "patient x endpoint",
    "fct_response": "patient",
    "fct_her2_fish_pre_post_treatment": "patient",
    "fct_sample_nmf_cluster": "sample x NMF rank tried",
}


@dataclasses.dataclass(frozen=True)
class Pull:
    """One read of a Spark table by a stats model, as it reached Python: ``condition`` the filter Spark
    applied (None: every row), ``columns`` those Spark kept (None: all), ``query`` the SQL Spark ran over the
    (filtered) table, if the model asked for one (``relation.query``)."""
    model: str
    table: str
    condition: str | None
    columns: tuple[str, ...] | None
    query: str | None
    rows: int


def pull_bound(pull: Pull) -> str | None:
    """What bounds a pull, or None when nothing does (the whole of a cohort table): an aggregate computed on
    Spark (a query with ``group by``), a declaration table, a slice of the studies that declare the analysis
    (declared.study_rows' ``study_id in (...)``), or an entity table read with its columns named."""
    table = pull.table.split(".")[-1]
    if pull.query is not None and re.search(r"\bgroup\s+by\b", pull.query, re.IGNORECASE):
        return "aggregate computed on Spark"
    if table in DECLARATION_TABLES:
        return f"declarations: {DECLARATION_TABLES[table]}"
    if pull.condition is not None and re.search(r"\bstudy_id in \(", pull.condition):
        return "the declaring studies' rows"
    if pull.condition == "false":
        return "no row: no study declares the analysis"
    if table in ENTITY_TABLES and pull.columns is not None and pull.query is None:
        return f"{len(pull.columns)} named columns, one row per {ENTITY_TABLES[table]}"
    return None


# DuckDB's type names as Spark names them (spark_frame: a pandas frame typed as DuckDB types it)
SPARK_TYPES = {"VARCHAR": "string", "BIGINT": "bigint", "INTEGER": "int", "DOUBLE": "double", "BOOLEAN": "boolean",
               "DATE": "date", "TIMESTAMP": "timestamp", "FLOAT": "float", "SMALLINT": "smallint",
               "TINYINT": "tinyint", "HUGEINT": "decimal(38,0)", "\"NULL\"": "string"}


def spark_frame(spark, scratch: duckdb.DuckDBPyConnection, frame: pd.DataFrame):
    """A pandas frame as a Spark DataFrame with the column types DuckDB gives it (the types the frame's table
    has on DuckDB), not Spark's inference, which fails on an all-null column."""
    relation = scratch.from_df(frame)
    schema = ", ".join(f"`{name}` {SPARK_TYPES.get(str(kind), 'string')}"
                       for name, kind in zip(relation.columns, relation.types))
    return spark.createDataFrame(relation.fetchall(), schema)


class SessionEngine:
    """Spark SQL through a SparkSession in this process (the `spark` output, `method: session`: local mode or a
    cluster's master): pulls go through Arrow, frames become DataFrames typed as DuckDB types them."""

    def __init__(self, spark):
        self.spark = spark

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def frame(self, sql: str):
        """The result of ``sql`` as an Arrow table, collected as toPandas collects it (pyspark 3.5's
        DataFrame._collect_as_arrow; public as toArrow from 4.0) but with no pandas copy: a pull reaches the stats
        model's DuckDB relation as Arrow, and its text never becomes Python objects."""
        import pyarrow as pa
        from pyspark.sql.pandas.types import to_arrow_schema

        result = self.spark.sql(sql)
        return pa.Table.from_batches(result._collect_as_arrow(), schema=to_arrow_schema(result.schema))

    def create_view(self, name: str, frame: pd.DataFrame, scratch: duckdb.DuckDBPyConnection) -> None:
        spark_frame(self.spark, scratch, frame).createOrReplaceTempView(name)

    def drop_view(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)

    def write_table(self, table: str, frame: pd.DataFrame, scratch: duckdb.DuckDBPyConnection) -> None:
        spark_frame(self.spark, scratch, frame).write.mode("overwrite").saveAsTable(table)

    def close(self) -> None:
        self.spark.stop()


# PyHive's names of Spark's result types -> Arrow's; a pull's frame is made by Arrow, as pyspark's Arrow path makes it
_THRIFT_ARROW_TYPES = {"BOOLEAN_TYPE": "bool_", "TINYINT_TYPE": "int8", "SMALLINT_TYPE": "int16", "INT_TYPE": "int32",
                       "BIGINT_TYPE": "int64", "FLOAT_TYPE": "float32", "DOUBLE_TYPE": "float64",
                       "STRING_TYPE": "string", "VARCHAR_TYPE": "string", "CHAR_TYPE": "string", "DATE_TYPE": "date32",
                       "TIMESTAMP_TYPE": "timestamp", "NULL_TYPE": "null"}
THRIFT_INSERT_ROWS = 500  # rows per INSERT statement when a frame is written through the Thrift server


def spark_literal(value, spark_type: str) -> str:
    """One Python value (as DuckDB returns it) as a Spark SQL literal of ``spark_type``: an escaped string cast
    to the type (as the seed loader writes seeds on Spark, macros/cross_db/spark_seed_rows.sql), so that text
    with quotes or backslashes, NaN and the full precision of a double survive."""
    if value is None:
        return f"cast(null as {spark_type})"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity") if math.isinf(value) else repr(value)
    else:
        text = str(value)
    return "cast('" + text.replace("\\", "\\\\").replace("'", "\\'") + f"' as {spark_type})"


class ThriftEngine:
    """Spark SQL through a Spark Thrift Server (the `spark_thrift` output, dbt-spark `method: thrift`; PyHive): the
    statistics send SQL only, as dbt does, so they run wherever that server's Spark runs. Pulls are fetched as rows
    and typed by Arrow from the result's column types; a frame is written as a table by INSERTs of escaped literals
    typed as DuckDB types the frame (spark_literal), a model's registered frame as a scratch table under a
    temporary view."""

    SCRATCH_SCHEMA = "stats_scratch"

    def __init__(self, host: str, port: int, user: str):
        from pyhive import hive

        self.connection = hive.connect(host=host, port=port, username=user, auth="NONE")
        self.cursor = self.connection.cursor(arraysize=10_000)

    def execute(self, sql: str) -> None:
        self.cursor.execute(sql)

    def frame(self, sql: str):
        """The result of ``sql`` as an Arrow table."""
        import pyarrow as pa

        self.cursor.execute(sql)
        rows = self.cursor.fetchall()
        arrays = []
        for i, (name, kind, *_) in enumerate(self.cursor.description):
            values = [row[i] for row in rows]
            if kind == "DATE_TYPE":
                values = [None if v is None else datetime.date.fromisoformat(v) for v in values]
            arrow_type = _THRIFT_ARROW_TYPES.get(kind)
            type_ = (pa.timestamp("us") if arrow_type == "timestamp" else getattr(pa, arrow_type)()) if arrow_type else None
            arrays.append(pa.array(values, type=type_))
        names = [column[0] for column in self.cursor.description]
        return pa.Table.from_arrays(arrays, names=names)

    def create_view(self, name: str, frame: pd.DataFrame, scratch: duckdb.DuckDBPyConnection) -> None:
        self.execute(f"create database if not exists {self.SCRATCH_SCHEMA}")
        self.write_table(f"{self.SCRATCH_SCHEMA}.{name}", frame, scratch)
        self.execute(f"create or replace temporary view {name} as select * from {self.SCRATCH_SCHEMA}.{name}")

    def drop_view(self, name: str) -> None:
        self.execute(f"drop view if exists {name}")
        self.execute(f"drop table if exists {self.SCRATCH_SCHEMA}.{name}")

    def write_table(self, table: str, frame: pd.DataFrame, scratch: duckdb.DuckDBPyConnection) -> None:
        relation = scratch.from_df(frame)
        types = [SPARK_TYPES.get(str(kind), "string") for kind in relation.types]
        self.execute(f"drop table if exists {table}")
        self.execute(f"create table {table} ("
                     + ", ".join(f"`{name}` {kind}" for name, kind in zip(relation.columns, types)) + ") using parquet")
        rows = relation.fetchall()
        for start in range(0, len(rows), THRIFT_INSERT_ROWS):
            values = ",\n".join("(" + ", ".join(spark_literal(v, t) for v, t in zip(row, types)) + ")"
                                for row in rows[start:start + THRIFT_INSERT_ROWS])
            self.execute(f"insert into {table} values {values}")

    def close(self) -> None:
        self.connection.close()


def stats_engine(target: str, spark_warehouse: Path):
    """The engine the statistics of a spark-target build use: ``target`` names an output of profiles.yml, whose
    `method` says how to reach Spark (session: a SparkSession here, spark_session; thrift: the Thrift server at
    its host and port)."""
    output = profile_output(target, {**os.environ, SPARK_WAREHOUSE_ENV: str(Path(spark_warehouse).resolve())})
    if output["method"] == "thrift":
        return ThriftEngine(output["host"], int(output["port"]), output.get("user", "oncoduck"))
    if output["method"] == "session":
        return SessionEngine(spark_session(spark_warehouse, target))
    raise ValueError(f"profiles.yml output {target!r}: method {output['method']!r}; the statistics reach Spark by "
                     "`session` or `thrift`")


class _SparkRelation:
    """The part of a DuckDB relation's API the stats models use (filter, project, df, arrow, query) over a
    Spark table: filters, projections and queries run on Spark as SQL (through a SessionEngine or ThriftEngine),
    and only their result reaches Python, recorded as a Pull."""

    def __init__(self, reads: _SparkReads, table: str, condition: str | None = None,
                 columns: tuple[str, ...] | None = None):
        self._reads, self._table, self._condition, self._columns = reads, table, condition, columns

    def filter(self, condition: str) -> _SparkRelation:
        both = f"({self._condition}) and ({condition})" if self._condition else condition
        return _SparkRelation(self._reads, self._table, both, self._columns)

    def project(self, columns: str) -> _SparkRelation:
        return _SparkRelation(self._reads, self._table, self._condition,
                              tuple(column.strip() for column in columns.split(",")))

    def _select(self) -> str:
        columns = ", ".join(f"`{column}`" for column in self._columns) if self._columns is not None else "*"
        return f"select {columns} from {self._table}" + (f" where {self._condition}" if self._condition is not None else "")

    def _pulled(self, sql: str, query: str | None = None) -> duckdb.DuckDBPyRelation:
        rows = self._reads.engine.frame(sql)
        self._reads.pulls.append(Pull(self._reads.model, self._table, self._condition, self._columns, query, rows.num_rows))
        return self._reads.scratch.from_arrow(rows)

    def df(self) -> pd.DataFrame:
        return self._pulled(self._select()).df()

    def arrow(self):
        return self._pulled(self._select()).arrow()

    def query(self, alias: str, sql: str) -> duckdb.DuckDBPyRelation:
        """``sql`` run on Spark with this relation as the view ``alias`` (and the frames the model
        registered on its session), its result pulled at once."""
        self._reads.engine.execute(f"create or replace temporary view {alias} as {self._select()}")
        try:
            return self._pulled(sql, sql)
        finally:
            self._reads.engine.execute(f"drop view if exists {alias}")


class _SparkReads:
    """A stats model's ``session`` on the Spark target: its ``register``/``unregister`` make Spark temporary
    views of pandas frames (for the queries of _SparkRelation), and it keeps the model's pulls."""

    def __init__(self, engine: SessionEngine | ThriftEngine, scratch: duckdb.DuckDBPyConnection, pulls: list[Pull]):
        self.engine, self.scratch, self.pulls, self.model = engine, scratch, pulls, ""

    def register(self, name: str, frame: pd.DataFrame) -> None:
        self.engine.create_view(name, frame, self.scratch)

    def unregister(self, name: str) -> None:
        self.engine.drop_view(name)


def is_python_model_above_landing(path: str) -> bool:
    """Whether a model file (its path within the project) is one of the Python models above landing that the spark
    target runs itself (run_stats_models) and reads through a view (twin_files): models/stats/**.py and
    models/marts/**.py, not the DuckDB-only ones."""
    return path.startswith(PYTHON_MODEL_FOLDERS) and path.endswith(".py") and Path(path).stem not in DUCKDB_ONLY_MODELS


def _manifest_nodes(manifest_path: Path) -> dict[str, dict]:
    return json.loads(Path(manifest_path).read_text())["nodes"]


def stats_models(manifest_path: Path) -> list[dict]:
    """The Python models above landing (is_python_model_above_landing) of a DuckDB build's manifest, each after the
    ones it reads (then by name): each node's name, unique_id, relation_name, depends_on and compiled code (the
    model with its YAML config baked in)."""
    return _in_read_order(_manifest_nodes(manifest_path))


def _in_read_order(nodes: dict[str, dict]) -> list[dict]:
    python = {uid: n for uid, n in nodes.items() if n["resource_type"] == "model" and n["language"] == "python"
              and is_python_model_above_landing(n["original_file_path"])}
    ordered: list[dict] = []
    done: set[str] = set()
    while len(ordered) < len(python):
        ready = sorted((n for uid, n in python.items() if uid not in done
                        and all(d in done or d not in python for d in n["depends_on"]["nodes"])),
                       key=lambda n: n["name"])
        ordered += ready
        done |= {n["unique_id"] for n in ready}
    return ordered


@dataclasses.dataclass
class StatsRun:
    """What run_stats_models did: each model's result, and every pull from Spark, in order."""
    results: dict[str, pd.DataFrame]
    pulls: list[Pull]


def run_stats_models(engine: SessionEngine | ThriftEngine, manifest_path: Path, models: set[str] | None = None,
                     write: bool = False) -> StatsRun:
    """Run the Python models above landing of a DuckDB build (all, or ``models``) on the tables of a spark-target
    build; with ``write``, keep each result as the table STATS_RESULTS_SCHEMA.<model>, typed as DuckDB types it.

    Each model is the code dbt compiled for the DuckDB build (``manifest_path``), unchanged, and reaches Spark
    through ``engine`` (stats_engine: a SparkSession or a Thrift server). Its
    ``dbt.ref(...)`` gets a _SparkRelation of the Spark table (a Python model's own table: the view of its
    written result, models/**/spark/): the model's filters, projections and queries run on Spark, and their
    results are pulled as Arrow tables, each recorded as a Pull (see pull_bound). The results are the rows the
    model's own table holds on DuckDB: stats_computed.stat_x_computed for a stats model stat_x_computed,
    marts.<name> for a Python mart. A model that reads another model of the same run gets that result."""
    scratch = duckdb.connect()
    run = StatsRun({}, [])
    reads = _SparkReads(engine, scratch, run.pulls)

    def load(relation_name: str):
        schema, table = [part.strip('"') for part in relation_name.split(".")[-2:]]
        if table in run.results:
            return scratch.from_df(run.results[table])
        return _SparkRelation(reads, f"{schema}.{table}")

    try:
        if write:
            engine.execute(f"create database if not exists {STATS_RESULTS_SCHEMA}")
        for node in stats_models(manifest_path):
            if models is not None and node["name"] not in models:
                continue
            reads.model = node["name"]
            module = python_model_module(node["unique_id"], node["compiled_code"])
            rows = module.model(module.dbtObj(load), reads)
            run.results[node["name"]] = rows.df() if isinstance(rows, duckdb.DuckDBPyRelation) else rows
            if write:
                engine.write_table(f"{STATS_RESULTS_SCHEMA}.{node['name']}", run.results[node["name"]], scratch)
            del module, rows
            _release_freed_memory()
    finally:
        scratch.close()
    return run


def _release_freed_memory() -> None:
    """Give back to the system what the last model freed (its pulls and frames): glibc keeps freed heap pages
    otherwise, and a level's models run one after another in one process, whose peak should be one model's."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def python_model_levels(manifest_path: Path) -> list[list[str]]:
    """The names of the Python models above landing (stats_models), by level: a model's level is one above the
    highest level of the Python models it reads, directly or through SQL models (0: it reads none). On Spark a
    level runs once the SQL models under it are built, before the SQL models over it (build_on_spark)."""
    nodes = _manifest_nodes(manifest_path)
    python = _in_read_order(nodes)
    python_ids = {n["unique_id"] for n in python}
    reads: dict[str, set[str]] = {}

    def python_read(uid: str) -> set[str]:
        """The Python models (above landing) node ``uid`` reads, directly or through other nodes."""
        if uid not in reads:
            found: set[str] = set()
            for parent in nodes.get(uid, {}).get("depends_on", {}).get("nodes", []):
                found |= {parent} if parent in python_ids else python_read(parent)
            reads[uid] = found
        return reads[uid]

    level: dict[str, int] = {}
    for node in python:  # each after the models it reads
        level[node["unique_id"]] = 1 + max((level[u] for u in python_read(node["unique_id"])), default=-1)
    return [[n["name"] for n in python if level[n["unique_id"]] == i] for i in range(max(level.values(), default=-1) + 1)]


# --- the views of the Python models' results, on the spark target -------------------------------------

TWIN_HEADER = "-- Written by `python -m oncoduck.spark_target twins --write` (python/oncoduck/spark_target.py): edit that.\n"


def python_model_files(project: Path = PROJECT_ROOT) -> list[Path]:
    """The Python models above landing (is_python_model_above_landing), as files."""
    return sorted(p for folder in PYTHON_MODEL_FOLDERS for p in (project / folder).rglob("*.py")
                  if is_python_model_above_landing(p.relative_to(project).as_posix()))


def twin_files(project: Path = PROJECT_ROOT) -> dict[Path, str]:
    """Every Python model above landing as the spark target has it (a view of the table run_stats_models wrote
    from its result, under the model's name, so the SQL over it and its unit tests' ``ref`` read it on both
    engines), and the ``stats_results`` source of those tables: path -> text."""
    models = python_model_files(project)
    files = {}
    for model in models:
        relative = model.relative_to(project)
        files[model.parent / "spark" / f"{model.stem}.sql"] = (
            TWIN_HEADER +
            f"-- {model.stem} on the spark target, where dbt cannot run the Python model ({relative}):\n"
            "-- the table oncoduck.spark_target wrote from that model's result, run on the Spark tables it reads\n"
            f"-- (the `{STATS_RESULTS_SCHEMA}` source). Enabled on the spark target only; DuckDB builds the Python model.\n"
            "{{ config(materialized='view', enabled=target.type == 'spark') }}\n"
            f"select * from {{{{ source('{STATS_RESULTS_SCHEMA}', '{model.stem}') }}}}\n")
    source = ["# " + TWIN_HEADER[3:].rstrip("\n"),
              "# The results of the Python models above landing as the Spark target keeps them: each model run by",
              "# oncoduck.spark_target.run_stats_models on the Spark tables it reads, its result written here and read",
              "# by the model's view of the same name (models/**/spark/). Only the spark target has this source.",
              "version: 2", "", "sources:", f"  - name: {STATS_RESULTS_SCHEMA}",
              "    description: The results of the Python models above landing, computed on the Spark tables "
              "(oncoduck.spark_target).",
              f"    schema: {STATS_RESULTS_SCHEMA}", "    config:", "      enabled: \"{{ target.type == 'spark' }}\"",
              "    tables:"]
    for model in models:
        source += [f"      - name: {model.stem}",
                   f"        description: The result of {model.relative_to(project)}, run on the Spark tables."]
    files[project / "models" / "stats" / "computed" / "spark" / "_stats_results.yml"] = "\n".join(source) + "\n"
    return files


def stale_twin_files(project: Path = PROJECT_ROOT) -> list[Path]:
    """The twin files that are missing or differ from twin_files, and those no Python model has any more."""
    files = twin_files(project)
    written = {p for folder in PYTHON_MODEL_FOLDERS for p in (project / folder).rglob("spark/*")}
    return sorted({p for p, text in files.items() if not p.exists() or p.read_text() != text} | (written - set(files)))


# --- command line ---------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oncoduck.spark_target", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub_build = sub.add_parser("build", help="pre-land from a DuckDB warehouse, then seed and build the SQL models on Spark")
    sub_build.add_argument("--duckdb", type=Path, required=True, help="a DuckDB warehouse whose landing schema is built")
    sub_build.add_argument("--spark-warehouse", type=Path,
                           default=Path(os.environ.get(SPARK_WAREHOUSE_ENV, PROJECT_ROOT / "warehouse" / "spark")))
    sub_build.add_argument("--vars", default=None, help="dbt --vars, as for the DuckDB build")
    sub_build.add_argument("--with-tests", action="store_true", help="also run the data and unit tests on Spark")
    sub_build.add_argument("--master", default=None,
                           help=f"a cluster's master URL (spark://host:7077); default: ${SPARK_MASTER_ENV}, else local[4]")
    sub_build.add_argument("--manifest", type=Path, default=PROJECT_ROOT / "target" / "manifest.json",
                           help="the manifest of the DuckDB build (its Python models' compiled code)")
    sub_build.add_argument("--target", default="spark",
                           help="the output of profiles.yml: spark (a session: local mode or --master) or spark_thrift "
                                "(a Spark Thrift Server, e.g. `python -m oncoduck.spark_target thrift`)")
    sub_stats = sub.add_parser("stats", help="run Python models on a spark-target build and write their results "
                                             "(one step of `build`)")
    sub_stats.add_argument("--spark-warehouse", type=Path, required=True)
    sub_stats.add_argument("--manifest", type=Path, required=True)
    sub_stats.add_argument("--models", required=True, help="comma-separated model names")
    sub_stats.add_argument("--target", default="spark", help="the output of profiles.yml that reaches Spark")
    sub_twins = sub.add_parser("twins", help="check (or --write) the spark target's views of the Python models")
    sub_twins.add_argument("--write", action="store_true")
    sub_cluster = sub.add_parser("cluster", help="run a Spark standalone cluster on this machine until interrupted")
    sub_cluster.add_argument("--workers", type=int, default=2)
    sub_cluster.add_argument("--cores", type=int, default=1, help="cores per worker")
    sub_cluster.add_argument("--memory", default="2g", help="executor memory per worker")
    sub_thrift = sub.add_parser("thrift", help="run a Spark Thrift Server on this machine until interrupted "
                                               "(the spark_thrift output connects to it)")
    sub_thrift.add_argument("--spark-warehouse", type=Path,
                            default=Path(os.environ.get(SPARK_WAREHOUSE_ENV, PROJECT_ROOT / "warehouse" / "spark")))
    sub_thrift.add_argument("--master", default=None, help=f"a cluster's master URL; default: ${SPARK_MASTER_ENV}, else local[4]")
    sub_thrift.add_argument("--port", type=int, default=None, help="default: $ONCODUCK_SPARK_THRIFT_PORT, else 10000")
    args = parser.parse_args(argv)
    if args.command == "cluster":
        return _serve_until_interrupted(
            standalone_cluster(args.workers, args.cores, args.memory),
            lambda master: f"Spark standalone master {master} with {args.workers} workers; Ctrl-C stops it")
    if args.command == "thrift":
        return _serve_until_interrupted(
            thrift_server(args.spark_warehouse, args.master, args.port),
            lambda address: f"Spark Thrift Server on {address[0]}:{address[1]}, tables under {args.spark_warehouse}; "
                            "Ctrl-C stops it")
    if args.command == "stats":
        run_stats_step(args.spark_warehouse, args.manifest, set(args.models.split(",")), args.target)
        return 0
    if args.command == "twins":
        stale, files = stale_twin_files(), twin_files()
        for path in stale:
            if args.write:
                text = files.get(path)
                if text is None:
                    path.unlink()
                    print(f"removed {path.relative_to(PROJECT_ROOT)}")
                else:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(text)
                    print(f"wrote {path.relative_to(PROJECT_ROOT)}")
            else:
                print(f"out of date: {path.relative_to(PROJECT_ROOT)} (run python -m oncoduck.spark_target twins --write)")
        return 1 if stale and not args.write else 0
    try:
        steps = build_on_spark(args.duckdb, args.spark_warehouse, args.manifest, dbt_vars=args.vars,
                               with_tests=args.with_tests, master=args.master, target=args.target)
    except UncompiledManifest as exc:
        print(f"python -m oncoduck.spark_target build: {exc}", file=sys.stderr)
        return 2
    for step in steps:
        sys.stdout.write(step.stdout)
        if step.returncode != 0:
            sys.stderr.write(step.stderr)
            return step.returncode
    return 0


def _serve_until_interrupted(service: contextlib.AbstractContextManager, announce) -> int:
    """Keep a service of this machine (standalone_cluster, thrift_server) running until Ctrl-C or `kill` (SIGTERM),
    either of which ends the with block and so stops its daemons; ``announce`` says what runs, once it does."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with service as running:
        print(announce(running), flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
