"""Benchmark: build a generated cohort with dbt and record wall time, peak RSS and MAF rows/s.

    python benchmarks/run_build_benchmark.py --portion {core,maftools,full}
        [--samples 10000] [--variants-per-sample 100] [--assay demo_panel_520] [--threads N]
        [--memory-limit SIZE] [--record]

Portions (each into a fresh warehouse; dbt start-up and parsing included):
  core      landing, staging and the core marts, models only (no tests).
  maftools  what maftools' read.maf + tmb + getGeneSummary + mafCompare compute: the MAF and clinical
            files landed and typed, TMB per sample (fct_sample_burden), per-gene altered-sample counts
            (fct_gene_frequency) and the two-group Fisher test per gene (stat_enrichment), models only.
  full      `dbt build` of everything: seeds, every model, every data and unit test.
  incremental
            adding one small study (--small-samples, default 200) to a built warehouse of the cohort:
            `oncoduck build --study COHORT --study SMALL` (an update: SMALL alone is computed) after a full
            `oncoduck build --study COHORT`, against a full build of both; the two warehouses are then compared table by table
            (oncoduck.incremental.differences) and the benchmark fails if they differ.

The cohort comes from the simulator (oncoduck.simulate.write_benchmark; cached under benchmarks/work/,
or --work DIR): a cBioPortal study with a MAF, clinical patient and sample files, SEG segments, a gene
panel matrix for panel assays, and an oncoduck_study.yml declaring the comparison metastasis_vs_primary
(maftools' two-cohort mafCompare) with burden, survival, clinical and interactions analyses besides genes
(BENCHMARK_ANALYSES; a cached cohort takes the current declaration). The same MAF and clinical file run through maftools with
benchmarks/maftools_side_by_side.R. Peak RSS is the dbt process's (getrusage of children). --record
adds a row at the end of the portion's table in benchmarks/RESULTS.md.
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

# The marts of maftools' read.maf + tmb + getGeneSummary + mafCompare: the "maftools-equivalent portion" is
# them and every model they read, without data tests (also small_study_benchmark.py's way "portion").
MAFTOOLS_PORTION_MODELS = ("fct_sample_burden", "fct_gene_frequency", "stat_enrichment")
PORTIONS = {
    "core": ["--select", "+path:models/marts/core", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
    "maftools": ["--select", *(f"+{model}" for model in MAFTOOLS_PORTION_MODELS),
                 "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"],
    "full": [],
    "incremental": [],  # run_incremental: through the oncoduck CLI, not dbt's selection
}
PORTION_LABELS = {
    "core": "ingest + core marts (models, no tests)",
    "maftools": "maftools-equivalent: read + TMB + gene summary + two-group Fisher (models, no tests)",
    "full": "full dbt build: seeds, all models, all data and unit tests",
    "incremental": "add one small study to a built warehouse (oncoduck build updates it, data tests included)",
}


# RESULTS.md tables, by the start of their header line: rows go at the end of their table.
PORTION_TABLE = "| # | date | portion |"
INCREMENTAL_TABLE = "| # | date | what | size after |"


def append_row(results: Path, table_header: str, line: str) -> None:
    """Insert `line` (its cells from the date on) after the last row of the table whose header line starts
    with `table_header`, numbered: the first cell is the row's number in its table, by which RESULTS.md's
    prose cites rows (rows are only ever appended, so the numbers stay)."""
    lines = results.read_text().splitlines(keepends=True)
    first = next(i for i, text in enumerate(lines) if text.startswith(table_header)) + 2  # header, separator
    end = first
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    lines.insert(end, f"| {end - first + 1} {line}")
    results.write_text("".join(lines))


def cohort(work: Path, samples: int, variants_per_sample: int, assay: str) -> Path:
    """The generated study folder, written once per size and assay."""
    from oncoduck.simulate import benchmark_study_id, write_benchmark, write_benchmark_settings

    study = work / benchmark_study_id(samples, variants_per_sample, assay)
    if not (study / "meta_study.txt").exists():
        write_benchmark(work, n_samples=samples, variants_per_sample=variants_per_sample, seed=1, assay=assay)
    else:  # the files are the seed's; the declared comparison is the current one
        write_benchmark_settings(study, assay)
    return study


def run(portion: str, study: Path, work: Path, threads: int | None) -> dict:
    warehouse = work / f"bench_{portion}.duckdb"
    warehouse.unlink(missing_ok=True)
    cmd = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "build", "--target", "test",
           *PORTIONS[portion], "--project-dir", str(REPO), "--profiles-dir", str(REPO),
           "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
           "--vars", json.dumps({"studies": [str(study)]})]
    if threads:
        cmd += ["--threads", str(threads)]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(result.stdout[-3000:])
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    landed = con.sql("select count(*) from landing.landing_mutations").fetchall()[0][0]
    n_samples = con.sql("select count(*) from marts.dim_sample").fetchall()[0][0]
    con.close()
    return {"portion": portion, "samples": n_samples, "maf_rows": landed, "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "peak_rss_mib": round(usage.ru_maxrss / 1024),
            "rows_per_s": round(landed / wall)}


def _timed_oncoduck(args: list[str], warehouse: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of one `oncoduck` CLI run (GNU time)."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "oncoduck.cli", *args],
                            capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
    if result.returncode != 0:
        sys.exit(f"oncoduck {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    wall, rss_kib = result.stderr.strip().splitlines()[-1].split()
    return float(wall), round(int(rss_kib) / 1024)


def run_incremental(study: Path, work: Path, small_samples: int, variants_per_sample: int, assay: str) -> dict:
    """Full build of `study`, then add a small study incrementally; compare with a full build of both."""
    from oncoduck.incremental import differences
    from oncoduck.simulate import write_benchmark

    small = write_benchmark(work / "small", n_samples=small_samples, variants_per_sample=variants_per_sample,
                            seed=2, assay=assay)
    warehouse, reference = work / "bench_incremental.duckdb", work / "bench_incremental_reference.duckdb"
    for path in (warehouse, reference):
        path.unlink(missing_ok=True)
    both = ["--study", str(study), "--study", str(small)]
    base_wall, base_rss = _timed_oncoduck(["build", "--target", "test", "--study", str(study)], warehouse)
    inc_wall, inc_rss = _timed_oncoduck(["build", "--target", "test", *both], warehouse)  # only SMALL is computed
    full_wall, full_rss = _timed_oncoduck(["build", "--target", "test", *both], reference)
    differing = differences(warehouse, reference)
    if differing:
        sys.exit("the incremental build differs from the full build:\n" + "\n".join(differing))
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    landed, n_samples = con.execute("select (select count(*) from landing.landing_mutations), "
                                    "(select count(*) from marts.dim_sample)").fetchall()[0]
    con.close()
    return {"portion": "incremental", "samples": n_samples, "maf_rows": landed, "wall_s": inc_wall,
            "cpu_s": None, "peak_rss_mib": inc_rss, "rows_per_s": None,
            "full_build_of_cohort_s": base_wall, "full_build_of_cohort_rss_mib": base_rss,
            "full_build_with_new_study_s": full_wall, "full_build_with_new_study_rss_mib": full_rss,
            "incremental_over_full": round(inc_wall / full_wall, 3), "tables_differing": 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--portion", choices=sorted(PORTIONS), default="full")
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--variants-per-sample", type=int, default=100)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--threads", type=int, help="dbt threads (default: the profile's)")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 250MB (sets ONCODUCK_DUCKDB_MEMORY_LIMIT; "
                                               "default: the profile's)")
    parser.add_argument("--small-samples", type=int, default=200, help="samples of the study added (portion incremental)")
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work")
    parser.add_argument("--record", action="store_true", help="add the result to its table in benchmarks/RESULTS.md")
    ns = parser.parse_args()
    ns.work.mkdir(parents=True, exist_ok=True)
    if ns.memory_limit:
        os.environ["ONCODUCK_DUCKDB_MEMORY_LIMIT"] = ns.memory_limit  # the dbt and oncoduck processes inherit it
    study = cohort(ns.work, ns.samples, ns.variants_per_sample, ns.assay)
    if ns.portion == "incremental":
        result = run_incremental(study, ns.work, ns.small_samples, ns.variants_per_sample, ns.assay)
    else:
        result = run(ns.portion, study, ns.work, ns.threads)
    command = (f"python benchmarks/run_build_benchmark.py --portion {ns.portion} --samples {ns.samples} "
               f"--variants-per-sample {ns.variants_per_sample} --assay {ns.assay}"
               + (f" --threads {ns.threads}" if ns.threads else "")
               + (f" --memory-limit {ns.memory_limit}" if ns.memory_limit else "")
               + (f" --small-samples {ns.small_samples}" if ns.portion == "incremental" else ""))
    print(json.dumps({**result, "command": command}, indent=2))
    if ns.record:
        import dbt.version
        import duckdb

        from oncoduck.paths import profile_output

        memory_limit = profile_output("test")["settings"]["memory_limit"]
        rows_per_s = f"{result['rows_per_s']:,}" if result["rows_per_s"] else "n/a"
        label = PORTION_LABELS[ns.portion]
        if ns.portion == "incremental":
            label += (f": {result['incremental_over_full']:.0%} of the {result['full_build_with_new_study_s']} s full "
                      f"build of the same studies, tables equal")
        line = (f"| {dt.date.today()} | {label} | {result['samples']:,} samples, "
                f"{result['maf_rows']:,} MAF rows ({ns.assay}) | {result['wall_s']} s | {result['cpu_s'] or 'n/a'} s | "
                f"{result['peak_rss_mib']} MiB | {rows_per_s} | {os.cpu_count()} cores, "
                f"{platform.python_version()}, duckdb {duckdb.__version__}, dbt-core {dbt.version.__version__}, "
                f"DuckDB memory_limit {memory_limit}, load {os.getloadavg()[0]:.1f} | `{command}` |\n")
        append_row(REPO / "benchmarks" / "RESULTS.md", INCREMENTAL_TABLE if ns.portion == "incremental" else PORTION_TABLE, line)


if __name__ == "__main__":
    main()
