"""Benchmark: the fixed cost of `oncoduck build` on small studies, through dbt and from the compiled project.

    python benchmarks/small_study_benchmark.py [--study DIR | --samples N --variants-per-sample K]
        [--repeat 3] [--record]

For one study folder (any cBioPortal folder, or a simulator cohort: --samples, --variants-per-sample), three
ways of building it, interleaved, each --repeat times into a fresh warehouse of the same name:
  dbt        `oncoduck build --with-dbt`: dbt parses, compiles and runs (and writes the compiled graph);
  compiled   `oncoduck build`: the compiled graph run in one process (python/oncoduck/compiled.py);
  unchanged  `oncoduck build` again with nothing changed: the build record says the warehouse is up to date.
Each is the whole `oncoduck` process (--no-publish --no-report, dev target, the profile's threads and DuckDB
memory limit), timed with GNU time: wall, user + system CPU and peak RSS; the median of the runs is reported,
with the 1-minute load average before each run. The compiled and the dbt build's tables are compared
(oncoduck.incremental.differences): the benchmark fails if they differ. --record adds rows to the table
"Small studies" of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TABLE = "| # | date | study | build |"
WAYS = ("dbt", "compiled", "unchanged")


def _timed(args: list[str], warehouse: Path, target_dir: Path) -> dict:
    load = os.getloadavg()[0]
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", sys.executable, "-m", "oncoduck.cli", *args],
                            capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "ONCODUCK_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target_dir)})
    if result.returncode != 0:
        sys.exit(f"oncoduck {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    wall, user, system, rss_kib = result.stderr.strip().splitlines()[-1].split()
    return {"wall_s": float(wall), "cpu_s": float(user) + float(system), "rss_mib": round(int(rss_kib) / 1024),
            "load": load, "stdout": result.stdout}


def run(study: Path, work: Path, repeat: int) -> dict[str, list[dict]]:
    from oncoduck.incremental import differences

    target_dir = work / "target"  # its own dbt target folder: the compiled graph of this benchmark's warehouse name
    runs: dict[str, list[dict]] = {way: [] for way in WAYS}
    for _ in range(repeat):
        by_dbt = work / "dbt" / "bench_small.duckdb"
        compiled = work / "compiled" / "bench_small.duckdb"  # the same name: the graph dbt compiled for it
        for warehouse in (by_dbt, compiled):
            shutil.rmtree(warehouse.parent, ignore_errors=True)
            warehouse.parent.mkdir(parents=True)
        build = ["build", "--study", str(study), "--no-publish", "--no-report"]
        runs["dbt"].append(_timed([*build, "--with-dbt"], by_dbt, target_dir))
        runs["compiled"].append(_timed(build, compiled, target_dir))
        if "data tests run from the project compiled" not in runs["compiled"][-1]["stdout"]:
            sys.exit("the second build did not run from the compiled project:\n" + runs["compiled"][-1]["stdout"])
        runs["unchanged"].append(_timed(build, compiled, target_dir))
        if "it is up to date" not in runs["unchanged"][-1]["stdout"]:
            sys.exit("the unchanged rebuild rebuilt:\n" + runs["unchanged"][-1]["stdout"])
        differing = differences(by_dbt, compiled)
        if differing:
            sys.exit("the compiled build differs from the dbt build:\n" + "\n".join(differing))
    return runs


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--study", type=Path, help="a study folder (default: a simulator cohort)")
    parser.add_argument("--samples", type=int, default=155)
    parser.add_argument("--variants-per-sample", type=int, default=96)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work" / "small")
    parser.add_argument("--record", action="store_true")
    ns = parser.parse_args()
    ns.work.mkdir(parents=True, exist_ok=True)
    if ns.study:
        study = ns.study.resolve()
        command = f"python benchmarks/small_study_benchmark.py --study {ns.study} --repeat {ns.repeat}"
    else:
        from oncoduck.simulate import benchmark_study_id, write_benchmark

        study = ns.work / benchmark_study_id(ns.samples, ns.variants_per_sample, ns.assay)
        if not (study / "meta_study.txt").exists():
            write_benchmark(ns.work, n_samples=ns.samples, variants_per_sample=ns.variants_per_sample, seed=1,
                            assay=ns.assay)
        command = (f"python benchmarks/small_study_benchmark.py --samples {ns.samples} "
                   f"--variants-per-sample {ns.variants_per_sample} --assay {ns.assay} --repeat {ns.repeat}")
    runs = run(study, ns.work, ns.repeat)
    import duckdb

    con = duckdb.connect(str(ns.work / "compiled" / "bench_small.duckdb"), read_only=True)
    patients, samples, maf_rows = con.execute(
        "select count(distinct patient_id), count(*), (select count(*) from landing.landing_mutations) "
        "from marts.dim_sample").fetchall()[0]
    con.close()
    what = f"{study.name}: {patients:,} patients, {samples:,} samples, {maf_rows:,} MAF rows"
    for way in WAYS:
        r = runs[way]
        print(f"{way:9} wall {_median(r, 'wall_s'):6.2f} s  cpu {_median(r, 'cpu_s'):6.2f} s  "
              f"peak RSS {_median(r, 'rss_mib'):5.0f} MiB  runs {[x['wall_s'] for x in r]}  "
              f"load {[round(x['load'], 2) for x in r]}")
    if ns.record:
        import dbt.version

        results = REPO / "benchmarks" / "RESULTS.md"
        from run_build_benchmark import append_row  # benchmarks/, this script's folder

        for way in WAYS:
            r = runs[way]
            walls = ", ".join(f"{x['wall_s']:.2f}" for x in r)
            loads = ", ".join(f"{x['load']:.2f}" for x in r)
            line = (f"| {dt.date.today()} | {what} | {way} | {_median(r, 'wall_s'):.2f} s | {_median(r, 'cpu_s'):.2f} s | "
                    f"{_median(r, 'rss_mib'):.0f} MiB | {walls} | {loads} | {os.cpu_count()} cores, "
                    f"{platform.python_version()}, duckdb {duckdb.__version__}, dbt-core {dbt.version.__version__} "
                    f"| `{command}` |\n")
            append_row(results, TABLE, line)


if __name__ == "__main__":
    main()
