"""Benchmark: how `oncoduck build` scales with the cohort (issue 24: the 10M-row build at most 8x the 1M-row build,
with peak RSS at most 3 GB).

    python benchmarks/scale_benchmark.py [--samples 10000 100000] [--variants-per-sample 100] [--repeat 3]
        [--work DIR] [--record]

The simulator's cohorts of each size (seed 1, assay demo_panel_520, written once into --work), each built by
`oncoduck build` from the compiled project (python/oncoduck/compiled.py; the profile's threads and DuckDB memory
limit; --no-publish --no-report) into a fresh warehouse of the same name, interleaved: each round builds every
size once. The compiled graph is written first, once and untimed, by `oncoduck build --with-dbt` of the smallest
cohort: a 10M-row first build through dbt needs more than the profile's 500MB (benchmarks/RESULTS.md, "10M rows
from the compiled project"). Each build is the whole `oncoduck` process under GNU time (wall, user + system CPU,
peak RSS) with the 1-minute load average before it; medians are reported with each size's median wall as a
multiple of the smallest size's. --record adds rows to the table "Scale" of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
from pathlib import Path

from run_build_benchmark import append_row, cohort  # benchmarks/, this script's folder
from small_study_benchmark import _median, _timed

REPO = Path(__file__).resolve().parents[1]
TABLE = "| # | date | cohort | MAF rows |"
WAREHOUSE = "bench_scale.duckdb"  # one name: the compiled graph is the project's for this warehouse name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--variants-per-sample", type=int, default=100)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work" / "scale")
    parser.add_argument("--record", action="store_true")
    ns = parser.parse_args()

    sizes = sorted(ns.samples)
    studies = {n: cohort(ns.work, n, ns.variants_per_sample, ns.assay) for n in sizes}
    target_dir = ns.work / "target"
    first = ns.work / "dbt" / WAREHOUSE
    shutil.rmtree(first.parent, ignore_errors=True)
    first.parent.mkdir(parents=True)
    build = ["build", "--no-publish", "--no-report"]
    _timed([*build, "--study", str(studies[sizes[0]]), "--with-dbt"], first, target_dir)
    shutil.rmtree(first.parent)

    runs: dict[int, list[dict]] = {n: [] for n in sizes}
    for _ in range(ns.repeat):
        for n in sizes:
            warehouse = ns.work / "compiled" / WAREHOUSE
            shutil.rmtree(warehouse.parent, ignore_errors=True)
            warehouse.parent.mkdir(parents=True)
            runs[n].append(_timed([*build, "--study", str(studies[n])], warehouse, target_dir))
            if "data tests run from the project compiled" not in runs[n][-1]["stdout"]:
                sys.exit("the build did not run from the compiled project:\n" + runs[n][-1]["stdout"])
            shutil.rmtree(warehouse.parent)

    import dbt.version
    import duckdb

    base = _median(runs[sizes[0]], "wall_s")
    command = (f"python benchmarks/scale_benchmark.py --samples {' '.join(map(str, sizes))} "
               f"--variants-per-sample {ns.variants_per_sample} --assay {ns.assay} --repeat {ns.repeat}")
    for n in sizes:
        r = runs[n]
        wall = _median(r, "wall_s")
        print(f"{studies[n].name:40} wall {wall:7.2f} s ({wall / base:.2f}x)  cpu {_median(r, 'cpu_s'):7.2f} s  "
              f"peak RSS {_median(r, 'rss_mib'):5.0f} MiB  runs {[x['wall_s'] for x in r]}  "
              f"load {[round(x['load'], 2) for x in r]}")
        if ns.record:
            walls = ", ".join(f"{x['wall_s']:.2f}" for x in r)
            loads = ", ".join(f"{x['load']:.2f}" for x in r)
            line = (f"| {dt.date.today()} | {studies[n].name} | {n * ns.variants_per_sample:,} | {wall:.2f} s | "
                    f"{wall / base:.2f}x | {_median(r, 'cpu_s'):.2f} s | {_median(r, 'rss_mib'):.0f} MiB | {walls} | "
                    f"{loads} | {os.cpu_count()} cores, {platform.python_version()}, duckdb {duckdb.__version__}, "
                    f"dbt-core {dbt.version.__version__} | `{command}` |\n")
            append_row(REPO / "benchmarks" / "RESULTS.md", TABLE, line)


if __name__ == "__main__":
    main()
