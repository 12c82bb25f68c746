"""All-or-nothing builds of a warehouse file: a reader sees the previous build or the new one, never a mix.

`oncoduck build` (a full build) does not write the warehouse in place. dbt builds into a new file of the same
name in the ``.building/`` folder beside it (the profiles' path reads ``ONCODUCK_BUILD_INTO`` first); when
everything succeeded the new file replaces the old with one ``os.replace``, atomic on a POSIX file system, as
publish.py swaps the serving copy. The file name stays the same because dbt-duckdb names the catalog after it
and qualifies the refs inside views with that name. Killed at any point before the swap, the build leaves the
warehouse as it was (the half-built file is removed by the next build); a reader holding the old file keeps
reading it until it reconnects. The cost is the disk space of a second warehouse while building, and no copy.

Two builds of one warehouse are kept apart by a lock file (``build_lock``); a build that cannot get it, or an
incremental build (which updates the warehouse in place, in transactions) that finds the file held by another
process, stops with one plain line (``WarehouseBusy``) naming what holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb

#: Environment variable the dev and test targets of profiles.yml read before their own path.
BUILD_INTO = "ONCODUCK_BUILD_INTO"


class WarehouseBusy(Exception):
    """Another process holds the warehouse (a build, or a reader during an incremental build)."""


def building_file(warehouse: Path) -> Path:
    """Where a full build of ``warehouse`` is written: ``.building/<same name>`` beside it, emptied first."""
    building = warehouse.parent / ".building" / warehouse.name
    building.parent.mkdir(parents=True, exist_ok=True)
    for stale in (building, building.with_name(building.name + ".wal")):
        stale.unlink(missing_ok=True)  # what a killed build left
    return building


def swap_in(building: Path, warehouse: Path) -> None:
    """Replace ``warehouse`` by the finished ``building`` in one rename. Every connection to ``building`` must be
    closed (DuckDB then has checkpointed its write-ahead log into the file). A write-ahead log the old warehouse
    left (a writer killed mid-transaction) belongs to the old file: it is removed before the swap, so it is never
    replayed onto the new one."""
    if building.with_name(building.name + ".wal").exists():
        con = duckdb.connect(str(building))  # an open connection's log: checkpoint it into the file
        con.execute("checkpoint")
        con.close()
    warehouse.with_name(warehouse.name + ".wal").unlink(missing_ok=True)
    os.replace(building, warehouse)


@contextlib.contextmanager
def build_lock(warehouse: Path) -> Iterator[None]:
    """Hold the build lock of ``warehouse`` (``.building/<name>.lock``), or raise WarehouseBusy at once."""
    lock_path = warehouse.parent / ".building" / f"{warehouse.name}.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise WarehouseBusy(f"{warehouse} is being built by {holder}; wait for that build to end") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def connect_warehouse(warehouse: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to ``warehouse``, or WarehouseBusy naming the process that holds the file (DuckDB allows one
    writer or many readers; its own message is a raw IOException)."""
    try:
        return duckdb.connect(str(warehouse), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        pid = re.search(r"PID (\d+)", str(exc))
        raise WarehouseBusy(f"{warehouse} is open in another process{f' (pid {pid[1]})' if pid else ''}; close "
                            "that connection (a notebook, a BI tool: they can read the published serving copy "
                            "instead) and build again") from None
