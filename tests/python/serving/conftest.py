"""Fixtures of the serving tests: the demo built once by `oncoduck build` (which publishes), in tmp paths."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from oncoduck.publish import publish
from oncoduck_testing import graph_from_demo
from serving_helpers import publication_id, serving_env, start_oncoduck, table_counts


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory, demo_warehouse) -> dict:
    """`oncoduck build` of the demo into a tmp warehouse, publishing to tmp serving/ on success. It runs the project
    the session's demo fixture compiled, as a user's build after the first does.

    The one demo build of the session doubles as the concurrency check: before it starts, a small stand-in
    warehouse is published (version 1) and a read-only connection to the serving file is held and queried
    throughout the build and its publish; what that reader saw is returned under "reader".
    """
    root = tmp_path_factory.mktemp("serving_demo")
    env = serving_env(root)
    graph_from_demo(demo_warehouse, Path(env["DBT_TARGET_PATH"]), "dev")
    serving = Path(env["ONCODUCK_SERVING_DIR"])
    serving_file = serving / "oncoduck_serving.duckdb"
    stand_in = root / "stand_in" / "previous.duckdb"
    stand_in.parent.mkdir()
    with duckdb.connect(str(stand_in)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.dim_patient as select 'old_study' as study_id, 'OLD-P1' as patient_id")
    publish(stand_in, serving)

    reader = duckdb.connect(str(serving_file), read_only=True)
    first_id = publication_id(serving_file, reader)
    first_counts = table_counts(reader)
    log = root / "build.log"
    proc = start_oncoduck("build", env=env, log=log)
    queries, mismatches = 0, []
    while proc.poll() is None:
        seen = (publication_id(serving_file, reader), table_counts(reader))
        if seen != (first_id, first_counts):
            mismatches.append(seen)
        queries += 1
        time.sleep(0.2)
    after = (publication_id(serving_file, reader), table_counts(reader))
    reader.close()
    out = log.read_text()
    assert proc.returncode == 0, f"oncoduck build failed:\n{out[-4000:]}"
    return {
        "root": root, "env": env, "warehouse": Path(env["ONCODUCK_WAREHOUSE"]), "serving_dir": serving,
        "serving_file": serving_file, "stdout": out,
        "publication": json.loads((serving / "publication.json").read_text()),
        "reader": {"first_id": first_id, "first_counts": first_counts, "queries": queries,
                   "mismatches": mismatches, "after_build": after},
    }
