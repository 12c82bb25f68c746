"""The spark target (issue 8): the demo's SQL models built by dbt-spark in local mode give every mart the
same rows as the DuckDB build, and every Python stats model gives the same results run on the Spark tables.

Slow (a JVM and local Spark: about 6 minutes with the DuckDB demo build): marked `spark`, deselected from
the default run; `make test-spark` runs it (creating .venv-spark with the `spark` extra). Skips when pyspark
or Java is absent.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from oncoduck_testing import REPO

pytestmark = [pytest.mark.spark, pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark")]

pytest.importorskip("pyspark", reason="the spark target needs the `spark` extra: make test-spark")
if shutil.which("java") is None:
    pytest.skip("the spark target needs Java 17 on PATH", allow_module_level=True)

from oncoduck.spark_target import (  # noqa: E402  (needs pyspark, checked above)
    DUCKDB_ONLY_MODELS,
    build_on_spark,
    frame_checksum,
    run_stats_models,
    spark_session,
    stats_models,
)

# The marts schema: models/marts/<group>/*.sql, not a group's own intermediate step (schema intermediate).
# fct_nmf_rank_diagnostics reads the Python mart fct_sample_nmf_cluster, which the Spark target runs with the
# stats models (run_stats_models), not in dbt-spark: it is compared there.
MART_MODELS = sorted(p.stem for p in (REPO / "models" / "marts").rglob("*.sql")
                     if "intermediate" not in p.parts and p.stem != "fct_nmf_rank_diagnostics")
STATS_PYTHON_MODELS = sorted(p.stem for folder in ("stats", "marts") for p in (REPO / "models" / folder).rglob("*.py")
                             if p.stem not in DUCKDB_ONLY_MODELS)  # the wide clinical views: DuckDB views


@pytest.fixture(scope="module")
def spark_warehouse(demo_warehouse: Path, tmp_path_factory) -> Path:
    """The demo's SQL models built on the spark target, landing pre-landed from the DuckDB demo build."""
    warehouse = tmp_path_factory.mktemp("spark")
    steps = build_on_spark(demo_warehouse, warehouse)
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


def test_every_mart_is_built_on_spark(spark):
    built = sorted(row.tableName for row in spark.sql("show tables in marts").collect())
    assert built == MART_MODELS


def test_every_mart_has_the_same_rows_as_on_duckdb(spark, demo_warehouse: Path):
    differences = []
    for mart in MART_MODELS:
        on_duckdb = _duckdb_table(demo_warehouse, f"marts.{mart}")
        on_spark = spark.table(f"marts.{mart}").toPandas()
        if sorted(on_duckdb.columns) != sorted(on_spark.columns):
            differences.append(f"{mart}: columns differ: {sorted(set(on_duckdb.columns) ^ set(on_spark.columns))}")
            continue
        duck_rows, duck_sum = frame_checksum(on_duckdb)
        spark_rows, spark_sum = frame_checksum(on_spark)
        if (duck_rows, duck_sum) != (spark_rows, spark_sum):
            differences.append(f"{mart}: DuckDB {duck_rows} rows (checksum {duck_sum:016x}), "
                               f"Spark {spark_rows} rows (checksum {spark_sum:016x})")
    assert not differences, "marts differ between DuckDB and Spark:\n" + "\n".join(differences)


@pytest.fixture(scope="module")
def stats_on_spark(spark, demo_warehouse: Path) -> dict[str, pd.DataFrame]:
    """Every Python stats model, as compiled for the DuckDB demo build, run on the Spark tables."""
    return run_stats_models(spark, demo_warehouse.parent / "target" / "manifest.json")


def test_every_python_stats_model_runs_on_spark(stats_on_spark):
    assert sorted(stats_on_spark) == STATS_PYTHON_MODELS


@pytest.mark.parametrize("model", STATS_PYTHON_MODELS)
def test_statistics_on_the_spark_marts_match_the_duckdb_build(stats_on_spark, demo_warehouse: Path, model):
    node = next(n for n in stats_models(demo_warehouse.parent / "target" / "manifest.json") if n["name"] == model)
    on_duckdb = _duckdb_table(demo_warehouse, ".".join(node["relation_name"].split(".")[-2:]))
    on_spark = stats_on_spark[model]
    assert len(on_duckdb) > 0, f"{model} has no rows on the DuckDB demo build: nothing to compare"
    assert list(on_spark.columns) == list(on_duckdb.columns)
    assert frame_checksum(on_spark) == frame_checksum(on_duckdb), f"{model}: results differ between the engines"
