"""Session fixtures shared by the test modules (helpers live in oncoduck_testing.py)."""

from __future__ import annotations

import fcntl
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # study_fixtures.py, oncoduck_testing.py

from oncoduck_testing import CompiledProject, assert_build_ok, dbt_build, graph_from_demo  # noqa: E402


def pytest_configure(config) -> None:
    """Each test process (`make test` runs two, pytest-xdist) gets its own dbt target and log folders, so that
    `oncoduck build` and `oncoduck validate` in concurrent tests never share a manifest or partial-parse file."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    scratch = Path(tempfile.mkdtemp(prefix=f"oncoduck_dbt_{worker}_"))
    os.environ["DBT_TARGET_PATH"] = str(scratch / "target")
    os.environ["DBT_LOG_PATH"] = str(scratch / "logs")


# The modules that take longest (pytest --durations), run first: `make test` hands whole modules to its two
# processes in this order (--no-loadscope-reorder), two each to start with, and these, collected last by name, kept
# one process busy for minutes after the other had finished. The first process builds the demo fixture (about
# 100 s) in the first module; the second starts with modules that do not wait for it.
LONGEST_MODULES = ("test_generated_studies.py", "test_cli_build.py", "test_incremental_build.py",
                   "test_optional_reference_inputs.py", "test_compiled_build.py", "test_stratified.py",
                   "test_atomic_build.py", "test_warehouse_build.py", "test_bad_input_corpus.py", "test_tcga_brca.py",
                   "test_serving_publish.py", "test_cli_validate.py")


def pytest_collection_modifyitems(config, items) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo cohort built once (dbt build with every data and unit test: the session's one run of the
    dbt unit tests), shared by the test processes: the first that needs it builds it while holding a lock,
    the other reads it once built. Tests open it read-only."""
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else \
        tmp_path_factory.getbasetemp()
    folder = shared / "demo_shared"
    folder.mkdir(exist_ok=True)
    warehouse = folder / "oncoduck.duckdb"
    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / "build.log").exists():  # written once the build passed
            result = dbt_build(warehouse, unit_tests=True)
            assert_build_ok(result)
            (folder / "build.log").write_text(result.stdout)
    return warehouse


@pytest.fixture(scope="session")
def compiled_project(demo_warehouse, tmp_path_factory) -> CompiledProject:
    """The project as the demo fixture's dbt build compiled it, for this test process: fixture studies build from
    it in seconds (oncoduck_testing.CompiledProject.build)."""
    graph = graph_from_demo(demo_warehouse, tmp_path_factory.mktemp("compiled_project"))
    return CompiledProject(graph, demo_warehouse.parent / "target" / "manifest.json")


@pytest.fixture(scope="session")
def cli_compiled_graph(demo_warehouse) -> Path:
    """The same compiled project, where `oncoduck build` (the test and the dev targets) in this test process looks
    for it (its DBT_TARGET_PATH): a CLI build of a warehouse named oncoduck.duckdb runs it, as a user's build runs
    the project their first build compiled (a 200-study build through dbt took 203 s of the suite)."""
    graph_from_demo(demo_warehouse, Path(os.environ["DBT_TARGET_PATH"]), "dev")
    return graph_from_demo(demo_warehouse, Path(os.environ["DBT_TARGET_PATH"]))
