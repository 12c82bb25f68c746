"""Benchmark: the fixed cost of `oncoduck build` on small studies, through dbt and from the compiled project.

    python benchmarks/small_study_benchmark.py [--study DIR | --maf FILE | --samples N --variants-per-sample K]
        [--maftools] [--repeat 3] [--record]

For one study folder (any cBioPortal folder; any MAF, wrapped as one by ../shared/bench/maftools/make_study_folder.py
with a comparison of the two halves of its sorted sample barcodes; or a simulator cohort: --samples,
--variants-per-sample), three ways of building it, interleaved, each --repeat times into a fresh warehouse of the
same name:
  dbt        `oncoduck build --with-dbt`: dbt parses, compiles and runs (and writes the compiled graph);
  compiled   `oncoduck build`: the compiled graph run in one process (python/oncoduck/compiled.py);
  unchanged  `oncoduck build` again with nothing changed: the build record says the warehouse is up to date.
Each is the whole `oncoduck` process (--no-publish --no-report, dev target, the profile's threads and DuckDB
memory limit), timed with GNU time: wall, user + system CPU and peak RSS; the median of the runs is reported,
with the 1-minute load average before each run.

--maftools adds three ways to each round, on the study's MAF (its data_mutations file), with the maftools kit in
../shared/bench/maftools (R and maftools installed by its install_maftools.sh):
  portion     the maftools-equivalent portion of the build: the compiled graph's models that fct_sample_burden,
              fct_gene_frequency and stat_enrichment need (run_build_benchmark.MAFTOOLS_PORTION_MODELS; dbt's
              `--select +model`), no data test, in a fresh process as `oncoduck build` runs them (the profile's
              threads and memory limit); its tables are compared with the compiled build's;
  maftools    `Rscript maftools_bench.R MAF full`: read.maf + tmb + getGeneSummary + subsetMaf of the two halves of
              the sorted sample barcodes + mafCompare (minMut 5), the work of oncoduck's burden, gene frequency
              and two-group comparison (a simulator cohort compares its primary and metastasis samples instead);
  raw_duckdb  the kit's raw_duckdb_floor.py: the MAF read into a DuckDB file as text, TMB, per-gene counts and
              Fisher tests with no validation, provenance or statistics beyond them: the engine's floor.
and reports each build's wall, CPU and peak RSS as a ratio of maftools' (issue 24's line: the portion at most 1/4
of maftools' wall and 1/2 of its peak RSS; the full build with its data tests at most maftools' wall).

The compiled and the dbt build's tables are compared
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
# The way "portion", in a process of its own: python -c PORTION_RUN WAREHOUSE GRAPH STUDY MODEL...
PORTION_RUN = """
import sys
from pathlib import Path
from oncoduck import compiled
from oncoduck.paths import profile_output
warehouse, graph, study, *models = sys.argv[1:]
output = profile_output("dev")
run = compiled.run_graph(Path(warehouse), Path(graph), [Path(study)], output.get("settings"), output.get("threads", 1),
                         select=set(models), data_tests=False)
print(f"portion: {run.models_run} models in {run.seconds:.2f} s")
"""
MAFTOOLS_KIT = REPO.parent / "shared" / "bench" / "maftools"


def _timed(args: list[str], warehouse: Path, target_dir: Path) -> dict:
    """An `oncoduck` command, timed."""
    return _time([sys.executable, "-m", "oncoduck.cli", *args],
                 {"ONCODUCK_WAREHOUSE": str(warehouse), "DBT_TARGET_PATH": str(target_dir)})


def _time(command: list[str], env: dict[str, str] | None = None) -> dict:
    load = os.getloadavg()[0]
    result = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", *command], capture_output=True, text=True,
                            cwd=REPO, env={**os.environ, **(env or {})})
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    wall, user, system, rss_kib = result.stderr.strip().splitlines()[-1].split()
    return {"wall_s": float(wall), "cpu_s": float(user) + float(system), "rss_mib": round(int(rss_kib) / 1024),
            "load": load, "stdout": result.stdout}


def study_maf(study: Path) -> Path:
    """The study's MAF: its data_mutations file."""
    mafs = sorted(study.glob("data_mutations*.txt"))
    if not mafs:
        sys.exit(f"{study} has no data_mutations*.txt for maftools to read")
    return mafs[0]


def maf_samples(maf: Path) -> int:
    import duckdb

    return duckdb.execute(f"select count(distinct Tumor_Sample_Barcode) from read_csv('{maf}', delim = '\t', "
                          "header = true, all_varchar = true, comment = '#')").fetchall()[0][0]


def maftools_ways(maf: Path, work: Path) -> dict[str, list[str]]:
    """The commands of the maftools and raw DuckDB ways on ``maf``: the halves are the first half of its sorted
    sample barcodes and the rest."""
    if not (MAFTOOLS_KIT / "maftools_bench.R").exists():
        sys.exit(f"--maftools needs the maftools kit in {MAFTOOLS_KIT}")
    probe = subprocess.run(["Rscript", "-e", "library(maftools)"], capture_output=True, text=True)
    if probe.returncode != 0:
        sys.exit(f"--maftools needs R and maftools: run {MAFTOOLS_KIT / 'install_maftools.sh'}\n{probe.stderr[-500:]}")
    first = str(maf_samples(maf) // 2)
    return {"maftools": ["Rscript", str(MAFTOOLS_KIT / "maftools_bench.R"), str(maf), "full", "", first],
            "raw_duckdb": [sys.executable, str(MAFTOOLS_KIT / "raw_duckdb_floor.py"), str(maf),
                           str(work / "raw_duckdb.duckdb"), "--first", first]}


def portion(study: Path, work: Path) -> tuple[Path, list[str]]:
    """The portion's warehouse and the command building it from the compiled graph the dbt way writes."""
    from run_build_benchmark import MAFTOOLS_PORTION_MODELS  # benchmarks/, this script's folder

    warehouse = work / "portion" / "bench_small.duckdb"  # the graph's warehouse name
    graph = work / "target" / "oncoduck_graph" / f"dev__{warehouse.stem}.duckdb"
    return warehouse, [sys.executable, "-c", PORTION_RUN, str(warehouse), str(graph), str(study), *MAFTOOLS_PORTION_MODELS]


def run(study: Path, work: Path, repeat: int, others: dict[str, list[str]], with_portion: bool) -> dict[str, list[dict]]:
    """Each way of building ``study``, each command of ``others`` (way: command) and, ``with_portion``, the
    maftools-equivalent portion, once per round."""
    from oncoduck.incremental import differences

    target_dir = work / "target"  # its own dbt target folder: the compiled graph of this benchmark's warehouse name
    runs: dict[str, list[dict]] = {way: [] for way in (*WAYS, *others, *(("portion",) if with_portion else ()))}
    for _ in range(repeat):
        for way, command in others.items():
            runs[way].append(_time(command))
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
        if with_portion:  # after the dbt way, which compiles the graph it runs
            warehouse, command = portion(study, work)
            shutil.rmtree(warehouse.parent, ignore_errors=True)
            warehouse.parent.mkdir(parents=True)
            runs["portion"].append(_time(command))
            differing = [line for line in differences(warehouse, compiled) if not line.endswith(f": only in {compiled}")]
            if differing:
                sys.exit("the portion's tables differ from the compiled build's:\n" + "\n".join(differing))
    return runs


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--study", type=Path, help="a study folder (default: a simulator cohort)")
    parser.add_argument("--maf", type=Path, help="a MAF, wrapped as a study folder in --work")
    parser.add_argument("--maftools", action="store_true", help="maftools and the raw DuckDB floor side by side")
    parser.add_argument("--samples", type=int, default=155)
    parser.add_argument("--variants-per-sample", type=int, default=96)
    parser.add_argument("--assay", default="demo_panel_520")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / "work" / "small")
    parser.add_argument("--record", action="store_true")
    ns = parser.parse_args()
    ns.work.mkdir(parents=True, exist_ok=True)
    if ns.maf:
        study = ns.work / ns.maf.name.split(".")[0]
        if not (study / "meta_study.txt").exists():
            subprocess.run([sys.executable, str(MAFTOOLS_KIT / "make_study_folder.py"), str(ns.maf.resolve()), str(study),
                            "--study-id", study.name, "--first", str(maf_samples(ns.maf) // 2)], check=True)
        command = f"python benchmarks/small_study_benchmark.py --maf {ns.maf} --repeat {ns.repeat}"
    elif ns.study:
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
    others = maftools_ways(study_maf(study), ns.work) if ns.maftools else {}
    command += " --maftools" * ns.maftools
    runs = run(study, ns.work, ns.repeat, others, ns.maftools)
    import duckdb

    con = duckdb.connect(str(ns.work / "compiled" / "bench_small.duckdb"), read_only=True)
    patients, samples, maf_rows = con.execute(
        "select count(distinct patient_id), count(*), (select count(*) from landing.landing_mutations) "
        "from marts.dim_sample").fetchall()[0]
    con.close()
    what = f"{study.name}: {patients:,} patients, {samples:,} samples, {maf_rows:,} MAF rows"
    for way in runs:
        r = runs[way]
        print(f"{way:10} wall {_median(r, 'wall_s'):6.2f} s  cpu {_median(r, 'cpu_s'):6.2f} s  "
              f"peak RSS {_median(r, 'rss_mib'):5.0f} MiB  runs {[x['wall_s'] for x in r]}  "
              f"load {[round(x['load'], 2) for x in r]}")
    if ns.maftools:
        for way in ("dbt", "compiled", "portion", "raw_duckdb"):
            print(f"{way} / maftools: " + ", ".join(
                f"{key.split('_')[0]} {_median(runs[way], key) / _median(runs['maftools'], key):.2f}x"
                for key in ("wall_s", "cpu_s", "rss_mib")))
    if ns.record:
        import dbt.version

        results = REPO / "benchmarks" / "RESULTS.md"
        from run_build_benchmark import append_row  # benchmarks/, this script's folder

        for way in runs:
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
