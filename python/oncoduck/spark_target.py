"""The Spark target: build the SQL models with dbt-spark (local mode, `method: session`) and run the
statistics library on the marts Spark produced.

dbt-spark cannot run dbt Python models outside Databricks, so the landing tables (models/landing/*.py)
are built on DuckDB first ("pre-landed"), exported to Parquet and registered on Spark as the
`prelanded` source; staging reads them through macros/cross_db/landing_relation.sql. The Python stats
models are disabled on that target; the functions here pull the marts to pandas (Spark toPandas) and
call the same library (oncoduck.stats.declared) the dbt Python models call on DuckDB.

    python -m oncoduck.spark_target build --duckdb WAREHOUSE.duckdb --spark-warehouse DIR [--with-tests]

Needs the `spark` extra (`pip install -e ".[spark]"`) and Java 17.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .paths import PROJECT_ROOT
from .stats import declared

LANDING_SCHEMA = "landing"
MARTS_SCHEMA = "marts"
SPARK_WAREHOUSE_ENV = "ONCODUCK_SPARK_WAREHOUSE"


# --- building -------------------------------------------------------------------------------------

def export_landing(duckdb_path: Path, parquet_dir: Path) -> list[str]:
    """Write every table of the landing schema of a built DuckDB warehouse to PARQUET_DIR/<table>.parquet
    (the files `dbt run-operation register_prelanded` registers on Spark). Returns the table names."""
    parquet_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(duckdb_path), read_only=True)
    try:
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


def _dbt_spark(args: list[str], spark_warehouse: Path, log_dir: Path) -> subprocess.CompletedProcess:
    """One dbt command on the spark target, in a fresh process (dbt and Spark keep process-wide state)."""
    command = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", *args, "--target", "spark",
               "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT),
               "--target-path", str(log_dir / "target"), "--log-path", str(log_dir / "logs")]
    env = {**os.environ, SPARK_WAREHOUSE_ENV: str(spark_warehouse.resolve()), "DBT_PROFILES_DIR": str(PROJECT_ROOT)}
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env)


def build_on_spark(duckdb_path: Path, spark_warehouse: Path, log_dir: Path | None = None,
                   dbt_vars: str | None = None, with_tests: bool = False) -> list[subprocess.CompletedProcess]:
    """Pre-land from a DuckDB warehouse, then `dbt build` the seeds and every enabled SQL model on Spark.
    Data and unit tests run only ``with_tests`` (they pass on Spark but add minutes; the DuckDB build runs
    them, and the marts are compared with DuckDB's instead). Stops at the first failing step; returns the
    completed dbt processes."""
    spark_warehouse = spark_warehouse.resolve()
    log_dir = (log_dir or spark_warehouse / "dbt").resolve()
    parquet_dir = spark_warehouse / "prelanded_parquet"
    export_landing(duckdb_path, parquet_dir)
    build = ["build", "--full-refresh", *(["--vars", dbt_vars] if dbt_vars else [])]
    if not with_tests:
        build += ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    steps = [["run-operation", "register_prelanded", "--args", f"{{parquet_dir: '{parquet_dir}'}}"], build]
    done = []
    for step in steps:
        done.append(_dbt_spark(step, spark_warehouse, log_dir))
        if done[-1].returncode != 0:
            break
    return done


def spark_session(spark_warehouse: Path):
    """A local Spark session over the tables a spark-target build wrote (same settings as profiles.yml's
    `spark` output, read from there). Only one process at a time may open the embedded metastore."""
    import jinja2
    import yaml
    from pyspark.sql import SparkSession

    env = {**os.environ, SPARK_WAREHOUSE_ENV: str(spark_warehouse.resolve())}
    template = jinja2.Template((PROJECT_ROOT / "profiles.yml").read_text())
    profiles = yaml.safe_load(template.render(env_var=lambda name, default=None: env.get(name, default)))
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in profiles["oncoduck"]["outputs"]["spark"]["server_side_parameters"].items():
        builder = builder.config(key, str(value))
    return builder.getOrCreate()


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

Reader = Callable[[str], pd.DataFrame]


def spark_reader(spark, landing_schema: str = "prelanded") -> Reader:
    """`read("marts.fct_gene_frequency")` -> pandas, via Spark toPandas. `landing.x` reads the
    pre-landed copy of the landing table."""
    def read(name: str) -> pd.DataFrame:
        schema, table = name.split(".")
        return spark.table(f"{landing_schema if schema == LANDING_SCHEMA else schema}.{table}").toPandas()
    return read


def burden_tests(read: Reader) -> pd.DataFrame:
    """Wilcoxon / Kruskal-Wallis burden tests of every comparison declaring `burden`: the library call
    models/stats/computed/stat_burden_tests_computed.py makes on DuckDB, on the marts `read` pulls."""
    return declared.burden_tests(read("landing.landing_comparisons"), read("intermediate.int_comparison_members"),
                                 read("marts.fct_sample_burden"), read("marts.fct_sample_cnv_burden"))


def enrichment_tests(read: Reader) -> pd.DataFrame:
    """Fisher enrichment of every comparison: the library call
    models/stats/computed/stat_enrichment_computed.py makes on DuckDB, on the marts `read` pulls."""
    return declared.frequency_enrichment(read("landing.landing_comparisons"), read("marts.fct_gene_frequency"),
                                         read("marts.fct_pathway_frequency"), read("marts.fct_cytoband_frequency"),
                                         read("marts.fct_hotspot_frequency"))


def _survival_times(read: Reader) -> pd.DataFrame:
    return declared.survival_times(read("landing.landing_comparisons"), read("intermediate.int_comparison_members"),
                                   read("marts.fct_survival"))


def survival_curves(read: Reader) -> pd.DataFrame:
    """Kaplan-Meier tables of every comparison declaring `survival`: the library call
    models/stats/computed/stat_survival_curves_computed.py makes on DuckDB, on the marts `read` pulls."""
    return declared.survival_curves(_survival_times(read))


def survival_tests(read: Reader) -> pd.DataFrame:
    """KM medians, log-rank, Cox and cox.zph of every comparison declaring `survival`: the library call
    models/stats/computed/stat_survival_tests_computed.py makes on DuckDB, on the marts `read` pulls."""
    return declared.survival_tests(_survival_times(read))


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
    args = parser.parse_args(argv)
    for step in build_on_spark(args.duckdb, args.spark_warehouse, dbt_vars=args.vars, with_tests=args.with_tests):
        sys.stdout.write(step.stdout)
        if step.returncode != 0:
            sys.stderr.write(step.stderr)
            return step.returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
