"""Helpers of the serving tests: `oncoduck` runs that write only under a tmp folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[3]


def serving_env(root: Path, warehouse: Path | None = None, serving: Path | None = None) -> dict[str, str]:
    """Environment of an `oncoduck` run that writes only under ``root`` (warehouse, serving, dbt target, logs)."""
    return {
        "ONCODUCK_WAREHOUSE": str(warehouse or root / "warehouse" / "oncoduck.duckdb"),
        "ONCODUCK_SERVING_DIR": str(serving or root / "serving"),
        "DBT_TARGET_PATH": str(root / "target"),
        "DBT_LOG_PATH": str(root / "logs"),
        "DBT_PROFILES_DIR": str(REPO),
    }


def start_oncoduck(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`oncoduck ARGS` in its own process group (so a test can SIGKILL it), stdout and stderr to ``log``."""
    with open(log, "w") as fh:
        return subprocess.Popen([sys.executable, "-m", "oncoduck.cli", *args], cwd=REPO, env={**os.environ, **env},
                                stdout=fh, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def publication_id(serving_file: Path, con: duckdb.DuckDBPyConnection | None = None) -> str:
    own = con is None
    con = con or duckdb.connect(str(serving_file), read_only=True)
    try:
        return con.execute("select publication_id from serving.publication").fetchone()[0]
    finally:
        if own:
            con.close()


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every table of the published schemas, as a reader sees them."""
    tables = con.execute("select schema_name, table_name from duckdb_tables() "
                         "where schema_name in ('marts', 'stats') order by all").fetchall()
    return {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
