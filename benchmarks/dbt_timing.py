"""Shared by the model benchmarks: run dbt on one study into a warehouse, and read the models' timings.

`run_dbt` runs dbt (test target) in a fresh process under /usr/bin/time, so each call also reports the dbt
process's peak RSS; `model_timings` reads the last run's run_results.json: model wall = last model
completed - first model started (no dbt start-up or parsing), and the execution seconds per model.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run_dbt(args: list[str], warehouse: Path, work: Path, study: Path) -> tuple[subprocess.CompletedProcess, int]:
    """dbt ``args`` on ``study`` writing ``warehouse``; exits with dbt's output tail on failure. Returns the
    result and the process's peak RSS in KiB."""
    rss_file = work / "peak_rss_kib"
    cmd = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file), sys.executable, "-c",
           "from dbt.cli.main import cli; cli()", *args, "--target", "test", "--project-dir", str(REPO),
           "--profiles-dir", str(REPO), "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
           "--vars", json.dumps({"studies": [str(study)]})]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO,
                            env={**os.environ, "ONCODUCK_TEST_WAREHOUSE": str(warehouse)})
    if result.returncode != 0:
        sys.exit(result.stdout[-3000:])
    return result, int(rss_file.read_text().split()[-1])


def model_timings(work: Path) -> tuple[float, dict[str, float]]:
    """(model wall in s, execution s per model) of the last dbt run under ``work``."""
    results = json.loads((work / "target" / "run_results.json").read_text())["results"]
    starts, ends, per_model = [], [], {}
    for result in results:
        timing = {t["name"]: t for t in result["timing"]}
        starts.append(dt.datetime.fromisoformat(timing["compile"]["started_at"].replace("Z", "+00:00")))
        ends.append(dt.datetime.fromisoformat(timing["execute"]["completed_at"].replace("Z", "+00:00")))
        per_model[result["unique_id"].split(".")[-1]] = round(result["execution_time"], 2)
    return round((max(ends) - min(starts)).total_seconds(), 2), per_model
