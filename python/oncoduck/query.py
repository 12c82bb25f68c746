"""Read the warehouse from Python or the terminal, read-only.

    import oncoduck
    con = oncoduck.open_serving()              # the published copy: what BI tools and the report read
    con = oncoduck.open_warehouse()            # the dbt warehouse itself (warehouse/oncoduck.duckdb)
    df = oncoduck.read_sql("select * from marts.dim_sample")   # a pandas DataFrame, from the serving copy

`oncoduck sql` (cli.py) runs SQL on the same connections, so no DuckDB command-line tool is needed.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

SOURCES = ("serving", "warehouse")


def open_serving(serving_dir: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the serving copy (ONCODUCK_SERVING_DIR, else serving/ beside the warehouse)."""
    from .publish import serving_file

    path = serving_file(Path(serving_dir) if serving_dir else None)
    if not path.exists():
        raise FileNotFoundError(f"{path}: nothing published here yet (`oncoduck build` publishes after a build)")
    return duckdb.connect(str(path), read_only=True)


def open_warehouse(warehouse: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the warehouse (ONCODUCK_WAREHOUSE, else warehouse/oncoduck.duckdb); a plain
    WarehouseBusy error when a build or another writer holds it. Close it soon: a reader blocks a plain
    `dbt build` of the same file (`oncoduck build` does not wait for it)."""
    from .atomic import connect_warehouse
    from .publish import warehouse_path

    path = Path(warehouse) if warehouse else warehouse_path()
    if not path.exists():
        raise FileNotFoundError(f"{path}: no warehouse here yet (`oncoduck build` writes it)")
    return connect_warehouse(path, read_only=True)


def connect(source: str = "serving", path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """open_serving (``path``: the serving folder) or open_warehouse (``path``: the warehouse file)."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
    return open_serving(path) if source == "serving" else open_warehouse(path)


def read_sql(sql: str, source: str = "serving", path: Path | str | None = None):
    """The result of ``sql`` as a pandas DataFrame, on a connection opened and closed for it."""
    con = connect(source, path)
    try:
        return con.sql(sql).df()
    finally:
        con.close()
