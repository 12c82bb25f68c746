"""Session fixtures shared by the test modules (helpers live in oncoduck_testing.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # study_fixtures.py, oncoduck_testing.py

from oncoduck_testing import assert_build_ok, dbt_build  # noqa: E402


@pytest.fixture(scope="session")
def demo_warehouse(tmp_path_factory) -> Path:
    """The demo cohort built once (dbt build with every data and unit test: the session's one run of the
    dbt unit tests)."""
    warehouse = tmp_path_factory.mktemp("demo") / "oncoduck.duckdb"
    result = dbt_build(warehouse, unit_tests=True)
    assert_build_ok(result)
    (warehouse.parent / "build.log").write_text(result.stdout)
    return warehouse
