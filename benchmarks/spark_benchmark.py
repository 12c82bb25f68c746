"""Benchmark: build a generated cohort on the Spark target (local mode or a standalone cluster on this machine)
and record wall time, driver and executor peak RSS, beside the DuckDB build of the same cohort.

    .venv-spark/bin/python benchmarks/spark_benchmark.py [--samples 100000] [--variants-per-sample 100]
        [--cluster --workers 2 --cores 1 --worker-memory 3g] [--executor-memory 2g] [--driver-memory 2g]
        [--shuffle-partitions 8] [--compare-with FULL_DUCKDB_BUILD.duckdb] [--record]

What is timed is the whole Spark path, as a user runs it (README, "The Spark target"):
  1. pre-landing: the landing models on DuckDB (`dbt build --select path:models/landing`, models only), which
     also compiles the manifest whose Python models the Spark build runs;
  2. `oncoduck.spark_target.build_on_spark`: export of landing to Parquet, `dbt build` on Spark (seeds and SQL
     models, no data tests unless --with-tests) and the Python statistics, level by level.
Memory is sampled from /proc once a second over every process this benchmark starts: the driver (the dbt and
stats processes and the JVM each starts), the executors (`CoarseGrainedExecutorBackend`, cluster only) and the
cluster's master and worker daemons; a peak is the largest sum over a class at one instant. The driver's
peak is also kept per build step (a stats level, a dbt command): the result's driver_peak_by_step_mib.

--compare-with a full DuckDB build of the same cohort (e.g. `oncoduck build` or run_build_benchmark.py's
warehouse): every table of the marts and stats schemas must have the same row count on both engines, and those
of at most --checksum-rows rows the same order-independent checksum (oncoduck.spark_target.frame_checksum);
the benchmark fails otherwise. --record adds a row to the Spark table of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from run_build_benchmark import append_row, cohort

REPO = Path(__file__).resolve().parents[1]
SPARK_TABLE = "| # | date | Spark target |"
COMPARED_SCHEMAS = ("marts", "stats")


def _processes() -> dict[int, tuple[int, str, int]]:
    """pid -> (parent pid, command line, RSS in KiB) of every process readable in /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            rss = next((int(line.split()[1]) for line in (entry / "status").read_text().splitlines()
                        if line.startswith("VmRSS:")), 0)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        parent = int(stat[stat.rindex(")") + 2:].split()[1])
        found[int(entry.name)] = (parent, cmdline, rss)
    return found


def process_class(cmdline: str) -> str:
    """Which part of a Spark build a process is: an executor, a standalone daemon, or the driver (everything
    else this benchmark started: dbt, the stats steps, DuckDB's pre-landing and their JVMs)."""
    if "CoarseGrainedExecutorBackend" in cmdline:
        return "executors"
    if "deploy.master.Master" in cmdline or "deploy.worker.Worker" in cmdline:
        return "daemons"
    return "driver"


def build_step(cmdlines: list[str]) -> str | None:
    """Which step of build_on_spark the processes with these command lines are running: a stats level (its
    models) or a dbt command (its first selector), or None."""
    for cmdline in cmdlines:
        if " -m oncoduck.spark_target stats " in cmdline:
            return "stats " + cmdline.split(" --models ")[1].split(" ")[0]
    for cmdline in cmdlines:
        if "from dbt.cli.main import cli; cli()" in cmdline:
            words = cmdline.split("cli()", 1)[1].split()
            selected = words[words.index("--select") + 1] if "--select" in words else ""
            return " ".join(["dbt", words[0], selected]).strip()
    return None


class PeakMemory:
    """Samples the RSS of this process (the driver's: it exports landing and starts the steps) and of its
    descendants, by process_class, until stopped; ``peaks[phase][class]`` is the largest sum (MiB) seen while
    ``phase`` was set, ``driver_by_step[step]`` the driver's while a step (build_step) ran."""

    def __init__(self, interval: float = 1.0):
        self.interval, self.phase, self.peaks, self.driver_by_step = interval, "start", {}, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        processes, me = _processes(), os.getpid()
        children: dict[int, list[int]] = {}
        for pid, (parent, _, _) in processes.items():
            children.setdefault(parent, []).append(pid)
        sums: dict[str, int] = {}
        todo, cmdlines = [me], []
        while todo:
            pid = todo.pop()
            todo += children.get(pid, [])
            kind = process_class(processes[pid][1])
            sums[kind] = sums.get(kind, 0) + processes[pid][2]
            cmdlines.append(processes[pid][1])
        peaks = self.peaks.setdefault(self.phase, {})
        for kind, kib in sums.items():
            peaks[kind] = max(peaks.get(kind, 0), round(kib / 1024))
        step = build_step(cmdlines)
        if step is not None:
            self.driver_by_step[step] = max(self.driver_by_step.get(step, 0), round(sums.get("driver", 0) / 1024))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def peak(self, kind: str) -> int:
        return max((phase.get(kind, 0) for phase in self.peaks.values()), default=0)


def prelanding(study: Path, work: Path) -> tuple[Path, Path, float]:
    """The landing models built on DuckDB for the study, and the Python models above landing compiled (their
    code is what the Spark build runs): (warehouse, manifest, seconds)."""
    from oncoduck.spark_target import python_model_files

    warehouse, target = work / "spark_prelanded.duckdb", work / "spark_prelanding_target"
    warehouse.unlink(missing_ok=True)
    dbt = [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]
    common = ["--target", "test", "--project-dir", str(REPO), "--profiles-dir", str(REPO), "--target-path",
              str(target), "--log-path", str(work / "logs"), "--vars", json.dumps({"studies": [str(study)]})]
    start = time.perf_counter()
    for step in (["build", "--select", "path:models/landing", "--exclude-resource-type", "test",
                  "--exclude-resource-type", "unit_test"],
                 ["compile", "--select", *(path.stem for path in python_model_files())]):
        result = subprocess.run([*dbt, *step, *common], capture_output=True, text=True, cwd=REPO,
                                env={**os.environ, "ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
        if result.returncode != 0:
            sys.exit(f"pre-landing ({step[0]}) failed:\n{result.stdout[-3000:]}")
    return warehouse, target / "manifest.json", time.perf_counter() - start


def compare(duckdb_warehouse: Path, spark_warehouse: Path, checksum_rows: int) -> tuple[int, int, list[str]]:
    """(tables compared, of which checksummed, differences) between a DuckDB build and the Spark build."""
    import duckdb

    from oncoduck.spark_target import frame_checksum, spark_session

    con = duckdb.connect(str(duckdb_warehouse), read_only=True)
    spark = spark_session(spark_warehouse)
    compared, checksummed, differences = 0, 0, []
    try:
        for schema in COMPARED_SCHEMAS:
            for row in spark.sql(f"show tables in {schema}").collect():
                table = f"{schema}.{row.tableName}"
                on_duckdb = con.execute(f"select count(*) from {table}").fetchall()[0][0]
                on_spark = spark.table(table).count()
                compared += 1
                if on_duckdb != on_spark:
                    differences.append(f"{table}: {on_duckdb} rows on DuckDB, {on_spark} on Spark")
                elif on_duckdb <= checksum_rows:
                    checksummed += 1
                    duck, spk = frame_checksum(con.sql(f"select * from {table}").df()), frame_checksum(
                        spark.table(table).toPandas())
                    if duck != spk:
                        differences.append(f"{table}: checksums differ ({duck[1]:016x} on DuckDB, {spk[1]:016x} on Spark)")
    finally:
        spark.stop()
        con.close()
    return compared, checksummed, differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--variants-per-sample", type=int, default=100)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--cluster", action="store_true", help="a standalone cluster on this machine, not local mode")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cores", type=int, default=1, help="cores per worker")
    parser.add_argument("--worker-memory", default="3g", help="memory each worker offers its executors")
    parser.add_argument("--executor-memory", default=None, help="ONCODUCK_SPARK_EXECUTOR_MEMORY (profile: 1g)")
    parser.add_argument("--driver-memory", default=None, help="ONCODUCK_SPARK_DRIVER_MEMORY (profile: 1g)")
    parser.add_argument("--shuffle-partitions", default=None, help="ONCODUCK_SPARK_SHUFFLE_PARTITIONS (profile: 4)")
    parser.add_argument("--with-tests", action="store_true", help="also run every data and unit test on Spark")
    parser.add_argument("--compare-with", type=Path, help="a full DuckDB build of the same cohort")
    parser.add_argument("--checksum-rows", type=int, default=300_000)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work")
    parser.add_argument("--record", action="store_true", help="add the result to benchmarks/RESULTS.md")
    ns = parser.parse_args()
    from oncoduck.spark_target import build_on_spark, standalone_cluster

    for variable, value in (("ONCODUCK_SPARK_EXECUTOR_MEMORY", ns.executor_memory),
                            ("ONCODUCK_SPARK_DRIVER_MEMORY", ns.driver_memory),
                            ("ONCODUCK_SPARK_SHUFFLE_PARTITIONS", ns.shuffle_partitions)):
        if value:
            os.environ[variable] = value  # profiles.yml's spark output reads them in every step's process
    ns.work.mkdir(parents=True, exist_ok=True)
    study = cohort(ns.work, ns.samples, ns.variants_per_sample, ns.assay)
    spark_warehouse = ns.work / ("spark_cluster" if ns.cluster else "spark_local")
    shutil.rmtree(spark_warehouse, ignore_errors=True)  # a fresh build: its metastore and tables
    cluster = (standalone_cluster(ns.workers, ns.cores, ns.worker_memory, log_dir=ns.work / "spark_cluster_logs")
               if ns.cluster else contextlib.nullcontext(None))
    with PeakMemory() as memory:
        memory.phase = "prelanding"
        duckdb_warehouse, manifest, prelanding_s = prelanding(study, ns.work)
        memory.phase = "spark"  # the cluster's start-up too (its daemons), untimed: a user starts it once
        with cluster as master:
            start = time.perf_counter()
            steps = build_on_spark(duckdb_warehouse, spark_warehouse, manifest, with_tests=ns.with_tests,
                                   master=master)
            spark_s = time.perf_counter() - start
    for step in steps:
        if step.returncode != 0:
            sys.exit(f"{' '.join(map(str, step.args[3:6]))} failed:\n{step.stdout[-3000:]}\n{step.stderr[-3000:]}")
    import duckdb

    con = duckdb.connect(str(duckdb_warehouse), read_only=True)
    maf_rows = con.execute("select count(*) from landing.landing_mutations").fetchall()[0][0]
    con.close()
    where = (f"standalone cluster: {ns.workers} workers x {ns.cores} core, {ns.worker_memory}" if ns.cluster
             else "local mode")
    result = {"where": where, "samples": ns.samples, "maf_rows": maf_rows, "prelanding_s": round(prelanding_s, 1),
              "spark_s": round(spark_s, 1), "wall_s": round(prelanding_s + spark_s, 1),
              "driver_peak_rss_mib": memory.peak("driver"), "executors_peak_rss_mib": memory.peak("executors"),
              "daemons_peak_rss_mib": memory.peak("daemons"), "peaks_by_phase": memory.peaks,
              "driver_peak_by_step_mib": dict(sorted(memory.driver_by_step.items(), key=lambda item: -item[1])[:8]),
              "settings": {k: os.environ.get(k, "profile default") for k in (
                  "ONCODUCK_SPARK_EXECUTOR_MEMORY", "ONCODUCK_SPARK_DRIVER_MEMORY", "ONCODUCK_SPARK_SHUFFLE_PARTITIONS")}}
    if ns.compare_with:
        compared, checksummed, differences = compare(ns.compare_with, spark_warehouse, ns.checksum_rows)
        if differences:
            sys.exit("the Spark build differs from the DuckDB build:\n" + "\n".join(differences))
        result["equal_to_duckdb"] = (f"{compared} marts and stats tables: equal row counts, "
                                     f"{checksummed} (<= {ns.checksum_rows:,} rows) equal checksums")
    command = " ".join(["benchmarks/spark_benchmark.py", *sys.argv[1:]])
    print(json.dumps({**result, "command": command}, indent=2))
    if ns.record:
        append_row(REPO / "benchmarks" / "RESULTS.md", SPARK_TABLE, results_row(result, ns, command))


def results_row(result: dict, ns: argparse.Namespace, command: str) -> str:
    """The RESULTS.md row of a run (after its number)."""
    import pyspark

    settings = ", ".join(f"{k.removeprefix('ONCODUCK_SPARK_').lower()} {v}" for k, v in result["settings"].items())
    return (f"| {dt.date.today()} | {result['where']}{', with tests' if ns.with_tests else ''} | {ns.samples:,} "
            f"samples, {result['maf_rows']:,} MAF rows ({ns.assay}) | {result['prelanding_s']} s + "
            f"{result['spark_s']} s = {result['wall_s']} s | {result['driver_peak_rss_mib']} MiB | "
            f"{result['executors_peak_rss_mib']} MiB | {result.get('equal_to_duckdb', 'not compared')} | "
            f"{os.cpu_count()} cores, pyspark {pyspark.__version__}, {settings}, Python {platform.python_version()}, "
            f"load {os.getloadavg()[0]:.1f} at the end | `{command}` |\n")


if __name__ == "__main__":
    main()
