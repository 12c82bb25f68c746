"""SQL as the README says (issue 21, Build 5): `oncoduck sql` on the serving copy or the warehouse, read-only,
with no DuckDB command-line tool installed, and oncoduck.open_serving / open_warehouse / read_sql in Python."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

import duckdb
import pytest

import oncoduck
from serving_helpers import REPO


def _oncoduck_sql(built_demo, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "oncoduck.cli", "sql", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **built_demo["env"]})


def _count(built_demo, table: str) -> int:
    con = duckdb.connect(str(built_demo["warehouse"]), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_the_readmes_sql_commands_run_as_written(built_demo):
    readme = (REPO / "README.md").read_text()
    block = readme[readme.index("## Querying"):readme.index("## Serving: ad-hoc SQL and BI tools")]
    commands = [line.split("  #")[0].strip() for line in block.splitlines() if line.startswith(".venv/bin/")]
    runnable = [c for c in commands if shlex.split(c)[1:] != ["sql"]]  # the bare `sql` opens a prompt
    assert len(runnable) == 3, commands
    for command in runnable:
        argv = shlex.split(command)
        program = [sys.executable, "-m", "oncoduck.cli"] if argv[0].endswith("oncoduck") else [sys.executable]
        run = subprocess.run(program + argv[1:], cwd=REPO, capture_output=True, text=True, timeout=120,
                             env={**os.environ, **built_demo["env"]})
        assert run.returncode == 0, f"{command}\n{run.stderr[-2000:]}"
        assert run.stdout.strip(), command


def test_sql_reads_the_serving_copy_and_the_warehouse(built_demo):
    served = _oncoduck_sql(built_demo, "select count(*) as n from marts.dim_sample")
    assert served.returncode == 0, served.stderr
    assert re.search(rf"│\s+{_count(built_demo, 'marts.dim_sample')}\s+│", served.stdout), served.stdout
    # landing and staging are in the warehouse only
    warehouse = _oncoduck_sql(built_demo, "--source", "warehouse", "select count(*) as n from landing.landing_mutations")
    assert warehouse.returncode == 0, warehouse.stderr
    assert re.search(rf"│\s+{_count(built_demo, 'landing.landing_mutations')}\s+│", warehouse.stdout)
    piped = _oncoduck_sql(built_demo, stdin="select 41 + 1 as answer;\n")
    assert piped.returncode == 0 and re.search(r"│\s+42\s+│", piped.stdout), piped.stdout + piped.stderr


def test_sql_is_read_only_and_says_what_went_wrong(built_demo):
    write = _oncoduck_sql(built_demo, "delete from marts.dim_sample")
    assert write.returncode == 1 and "read-only" in write.stderr and "Traceback" not in write.stderr
    assert _count(built_demo, "marts.dim_sample") > 0
    typo = _oncoduck_sql(built_demo, "select nope from marts.dim_sample")
    assert typo.returncode == 1 and typo.stderr.startswith("oncoduck sql: Binder Error")


def test_python_helpers_give_read_only_connections_and_frames(built_demo, monkeypatch):
    for name, value in built_demo["env"].items():
        monkeypatch.setenv(name, value)
    frame = oncoduck.read_sql("select study_id, count(*) as n from marts.dim_sample group by 1 order by 1")
    assert list(frame.columns) == ["study_id", "n"] and frame["n"].sum() == _count(built_demo, "marts.dim_sample")
    assert len(oncoduck.read_sql("select * from staging.all_rejects", source="warehouse").columns) > 3
    for con in (oncoduck.open_serving(), oncoduck.open_warehouse()):
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table marts.scratch as select 1")
        con.close()
