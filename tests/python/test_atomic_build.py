"""All-or-nothing builds (issue 23, Build 5; python/oncoduck/atomic.py): kill -9 of a full build at node ~921 of
1012 left the dev warehouse mixed (new fct_variant, old stat_enrichment) for anyone reading it; a reader holding
the warehouse made a build fail with a raw IOException traceback. Now `oncoduck build` builds into a new file
and swaps it in: a reader sees the previous build or the new one, never a mix.

In CI: one kill early in a full build, and a build while a reader holds the warehouse, which cannot update it in
place and builds a new file instead (small studies). `make test-kill` (marker `kill`) kills a demo build at five random points
and checks old-or-new every time."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from oncoduck.incremental import STATE_SCHEMA
from oncoduck.paths import demo_study_dirs
from oncoduck.publish import last_build_state

from bad_input_corpus import write_base
from oncoduck_testing import REPO, run_oncoduck


def _build_args(studies: list[Path], *flags: str) -> list[str]:
    args = ["build", "--target", "dev", "--replace", "--no-report", *flags]  # the dev target records its build state and publishes
    for study in studies:
        args += ["--study", str(study)]
    return args


def _env(warehouse: Path) -> dict[str, str]:
    return {"ONCODUCK_WAREHOUSE": str(warehouse), "ONCODUCK_SERVING_DIR": str(warehouse.parent / "serving")}


def _build(warehouse: Path, studies: list[Path], *flags: str) -> subprocess.CompletedProcess:
    return run_oncoduck(*_build_args(studies, *flags), env=_env(warehouse))


def fingerprint(warehouse: Path, exact: bool = True) -> list[tuple]:
    """Every table's row count and an order-independent checksum of its rows: equal fingerprints, equal files.
    Not ``exact``: row counts only, to tell two builds of the same studies apart from a mix (two builds differ in
    the last digits of some sums of doubles, whose order DuckDB does not fix)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = current_database() "
                             "order by 1, 2").fetchall()
        measure = "count(*), sum(hash(columns(*)::varchar))" if exact else "count(*)"
        return [(s, t, *con.execute(f'select {measure} from "{s}"."{t}"').fetchone())
                for s, t in tables if s != STATE_SCHEMA]  # when it was built differs between builds
    finally:
        con.close()


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("atomic_studies")
    return write_base(root / "old", "atomic_old"), write_base(root / "added", "atomic_added")


@pytest.fixture(scope="module")
def old_build(tmp_path_factory, studies, cli_compiled_graph) -> tuple[Path, list[tuple]]:
    """The old study built from the compiled project, as a user's build after the first."""
    warehouse = tmp_path_factory.mktemp("atomic") / "oncoduck.duckdb"
    result = _build(warehouse, [studies[0]])
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert not (warehouse.parent / ".building" / warehouse.name).exists()  # swapped in, nothing left behind
    assert last_build_state(warehouse)["status"] == "succeeded"
    return warehouse, fingerprint(warehouse)


def _kill_after(warehouse: Path, studies: list[Path], seconds: float, once_running: bool = False) -> None:
    """Start a build and kill -9 its process group ``seconds`` after it started (``once_running``: after it
    recorded itself running, however slow the machine is to get there)."""
    process = subprocess.Popen([sys.executable, "-m", "oncoduck.cli", *_build_args(studies, "--full")], cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, **_env(warehouse)})
    deadline = time.time() + 120
    while once_running and time.time() < deadline and (last_build_state(warehouse) or {}).get("pid") != process.pid:
        time.sleep(0.1)
    time.sleep(seconds)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_build_killed_midway_leaves_the_previous_warehouse(old_build, studies):
    warehouse, before = old_build
    # landing or staging: far from its end (a build of these two small studies from the compiled project takes ~4 s)
    _kill_after(warehouse, list(studies), 1.0, once_running=True)
    assert fingerprint(warehouse) == before
    assert last_build_state(warehouse)["status"] == "interrupted"  # recorded running; its process is gone


def test_a_reader_neither_blocks_a_build_nor_sees_it_half_done(old_build, studies):
    """Last of the tests sharing old_build: it leaves the new build there. Adding a study would update the
    warehouse in place, which a reader holds off: the build says so in one line and builds a new file instead."""
    warehouse, _ = old_build
    reader = duckdb.connect(str(warehouse), read_only=True)
    try:
        n_samples = reader.execute("select count(*) from marts.dim_sample").fetchone()[0]
        result = _build(warehouse, list(studies))
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        assert f"a full build: the changed studies cannot be updated in place: {warehouse} is open in another " \
               f"process" in result.stdout
        assert "Traceback" not in result.stderr and "IOException" not in result.stderr
        assert reader.execute("select count(*) from marts.dim_sample").fetchone()[0] == n_samples  # still the old
    finally:
        reader.close()
    assert duckdb.connect(str(warehouse), read_only=True).execute(
        "select count(*) from marts.dim_sample").fetchone()[0] == 2 * n_samples  # reconnected: the new build


@pytest.mark.kill
def test_kill_a_demo_build_at_five_random_points_finds_old_or_new(tmp_path):
    """make test-kill: builds of the demo (old: without li2024, which no comparison reads; new: all five studies);
    the new build's fingerprint is known first; each kill leaves exactly the old or the new warehouse."""
    demo = demo_study_dirs()
    old_studies = [d for d in demo if d.name != "demo_li2024_fish"]
    warehouse, new_reference = tmp_path / "oncoduck.duckdb", tmp_path / "new" / "oncoduck.duckdb"
    new_reference.parent.mkdir()
    assert _build(new_reference, demo).returncode == 0
    new = fingerprint(new_reference, exact=False)
    started = time.perf_counter()
    assert _build(warehouse, old_studies).returncode == 0
    duration = time.perf_counter() - started
    old = fingerprint(warehouse, exact=False)
    assert old != new
    rng = random.Random(23)
    for point in sorted(rng.uniform(0.5, 1.1 * duration) for _ in range(5)):
        _kill_after(warehouse, demo, point)
        found = fingerprint(warehouse, exact=False)
        assert found in (old, new), f"killed after {point:.1f} s: a mix"
        if found == new:  # back to the old one for the next kill
            assert _build(warehouse, old_studies).returncode == 0
