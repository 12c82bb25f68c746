"""Benchmark: ingest (landing + staging) and the core marts for a generated cohort.

    python benchmarks/run_ingest_benchmark.py [--samples 10000] [--variants-per-sample 100] [--record]

Generates the cohort with the simulator (cached under benchmarks/work/), builds the core marts and
their parents with dbt (models only, no tests) into a fresh warehouse, and reports wall time and the
peak RSS of the dbt process. --record appends the result to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "benchmarks" / "work"


def run(samples: int, variants_per_sample: int, assay: str) -> dict:
    from oncoduck.simulate import write_benchmark

    WORK.mkdir(parents=True, exist_ok=True)
    study = WORK / f"bench_{assay}_{samples}x{variants_per_sample}"
    if not (study / "meta_study.txt").exists():
        write_benchmark(WORK, n_samples=samples, variants_per_sample=variants_per_sample, seed=1, assay=assay)
    warehouse = WORK / "bench.duckdb"
    warehouse.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "build", "--target", "test",
           "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test",
           "--select", "+path:models/marts/core", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
           "--target-path", str(WORK / "target"), "--log-path", str(WORK / "logs"),
           "--vars", json.dumps({"studies": [str(study)]})]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(result.stdout[-3000:])
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    landed = con.sql("select count(*) from landing.landing_mutations").fetchall()[0][0]
    variants = con.sql("select count(*) from marts.fct_variant").fetchall()[0][0]
    n_samples = con.sql("select count(*) from marts.dim_sample").fetchall()[0][0]
    con.close()
    return {"samples": n_samples, "maf_rows": landed, "fct_variant_rows": variants, "wall_s": round(wall, 2),
            "peak_rss_mib": round(peak_mib), "rows_per_s": round(landed / wall), "command": " ".join(
                ["python benchmarks/run_ingest_benchmark.py", f"--samples {samples}",
                 f"--variants-per-sample {variants_per_sample}", f"--assay {assay}"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--variants-per-sample", type=int, default=100)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--record", action="store_true", help="append the result to benchmarks/RESULTS.md")
    ns = parser.parse_args()
    result = run(ns.samples, ns.variants_per_sample, ns.assay)
    print(json.dumps(result, indent=2))
    if ns.record:
        import duckdb
        import dbt.version

        line = (f"| {dt.date.today()} | ingest + core marts (dbt build without tests: seeds + models, incl. ~3 s dbt start-up) | {result['samples']:,} samples, "
                f"{result['maf_rows']:,} MAF rows | {result['wall_s']} s | {result['peak_rss_mib']} MiB | "
                f"{result['rows_per_s']:,} | {os.cpu_count()} cores, {platform.python_version()}, duckdb {duckdb.__version__}, "
                f"dbt-core {dbt.version.__version__} | `{result['command']}` |\n")
        with open(REPO / "benchmarks" / "RESULTS.md", "a") as out:
            out.write(line)


if __name__ == "__main__":
    main()
