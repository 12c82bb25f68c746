"""Serving under load (issue 23, Build 7): 8 BI readers, each a fresh process, query the published serving copy
(the DuckDB file and the Parquet folder) while `oncoduck build` rebuilds and republishes 5 times in a row. Every
read must come from one publication: a reader records the publication id it opened and the row counts it saw,
and each is checked against what that publication wrote (serving/publication.json, saved after every build).

    .venv/bin/python benchmarks/serving_load.py [--readers 8] [--builds 5] [--out /tmp/oncoduck_load]

The builds alternate between the five demo studies and four of them, so consecutive publications differ in
every checked count. Prints reads per second, errors and inconsistent reads; exits 1 on any of the latter two.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from oncoduck.paths import demo_study_dirs  # noqa: E402

TABLES = (("marts", "dim_sample"), ("marts", "fct_variant"), ("stats", "stat_enrichment"))

READER = r'''
import json, sys, time, duckdb
from pathlib import Path
serving, until, log = Path(sys.argv[1]), float(sys.argv[2]), open(sys.argv[3], "w")
tables = json.loads(sys.argv[4])
while time.time() < until:
    for source in ("duckdb", "parquet"):
        try:
            if source == "duckdb":
                con = duckdb.connect(str(serving / "oncoduck_serving.duckdb"), read_only=True)
                publication = con.execute("select publication_id from serving.publication").fetchone()[0]
                counts = [con.execute(f"select count(*) from {s}.{t}").fetchone()[0] for s, t in tables]
            else:
                version = (serving / "parquet").resolve()  # one publication's folder, whatever swaps after
                publication = json.loads((version / "_publication.json").read_text())["publication_id"]
                con = duckdb.connect()
                counts = [con.execute(f"select count(*) from read_parquet('{version / s / t}.parquet')").fetchone()[0]
                          for s, t in tables]
            con.close()
            log.write(json.dumps({"at": time.time(), "source": source, "publication": publication, "counts": counts}) + "\n")
        except Exception as exc:  # noqa: BLE001 - every error is a finding of the benchmark
            log.write(json.dumps({"at": time.time(), "source": source, "error": f"{type(exc).__name__}: {exc}"}) + "\n")
'''


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--out", default="/tmp/oncoduck_load")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ONCODUCK_WAREHOUSE": str(out / "warehouse" / "oncoduck.duckdb"),
           "ONCODUCK_SERVING_DIR": str(out / "serving")}
    studies = demo_study_dirs()
    study_sets = [studies, [s for s in studies if s.name != "demo_li2024_fish"]]  # no comparison reads li2024

    def build(i: int) -> dict:
        command = [sys.executable, "-m", "oncoduck.cli", "build"]
        for study in study_sets[i % 2]:
            command += ["--study", str(study)]
        started = time.perf_counter()
        result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"build {i} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        publication = json.loads((out / "serving" / "publication.json").read_text())
        counts = {(t["schema"], t["table"]): t["n_rows"] for t in publication["tables"]}
        return {"publication": publication["publication_id"], "seconds": time.perf_counter() - started,
                "counts": [counts[t] for t in TABLES]}

    published = {}
    first = build(1)  # a publication to read from the start
    published[first["publication"]] = first["counts"]
    until = time.time() + 24 * 3600  # readers run until terminated after the last build
    logs = [out / f"reader_{r}.jsonl" for r in range(args.readers)]
    readers = []
    start = time.time()
    for log in logs:
        readers.append(subprocess.Popen([sys.executable, "-c", READER, str(out / "serving"), str(until), str(log),
                                         json.dumps(TABLES)], cwd=REPO))
    build_seconds = []
    for i in range(args.builds):
        result = build(i)
        published[result["publication"]] = result["counts"]
        build_seconds.append(result["seconds"])
    for reader in readers:
        reader.terminate()
        reader.wait()
    elapsed = time.time() - start

    reads = errors = inconsistent = 0
    by_source = {"duckdb": 0, "parquet": 0}
    publications_seen = set()
    for log in logs:
        for line in log.read_text().splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:  # the last line of a terminated reader
                continue
            if "error" in record:
                errors += 1
                print("error:", record["error"])
                continue
            reads += 1
            by_source[record["source"]] += 1
            publications_seen.add(record["publication"])
            if published.get(record["publication"]) != record["counts"]:
                inconsistent += 1
                print("inconsistent:", record, "published:", published.get(record["publication"]))
    print(json.dumps({
        "readers": args.readers, "builds": args.builds, "seconds": round(elapsed, 1),
        "build_seconds": [round(s, 1) for s in build_seconds], "reads": reads, "reads_per_second": round(reads / elapsed, 1),
        "reads_by_source": by_source, "publications_read": len(publications_seen), "errors": errors,
        "inconsistent_reads": inconsistent, "load_average_at_end": os.getloadavg()}, indent=1))
    return 1 if errors or inconsistent else 0


if __name__ == "__main__":
    raise SystemExit(main())
