"""Every analysis/ file compiles with dbt and every query in it runs on the built demo warehouse."""

from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from oncoduck_testing import REPO

ANALYSES = sorted((REPO / "analysis").glob("*.sql"))
SEED_STUDIES = ("lim2021", "paul2020", "yi2024", "zhang2022", "li2024")


def test_one_analysis_per_seed_study_with_a_header_map():
    for study in SEED_STUDIES:
        files = [p for p in ANALYSES if p.name.startswith(f"{study}_")]
        assert len(files) == 1, f"analysis/{study}_*.sql: expected one file, found {files}"
        head = files[0].read_text().split("\n\n")[0]
        assert "->" in head and "paper table / figure" in head, f"{files[0].name}: header map missing"


@pytest.fixture(scope="module")
def compiled(demo_warehouse):
    target = demo_warehouse.parent / "analysis_target"
    result = subprocess.run(
        # the readonly target: the demo warehouse is shared by the test processes, which may be reading it
        [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "compile", "--target", "readonly",
         "--project-dir", str(REPO), "--profiles-dir", str(REPO), "--select", "path:analysis",
         "--target-path", str(target), "--log-path", str(demo_warehouse.parent / "analysis_logs")],
        capture_output=True, text=True, cwd=REPO, timeout=600,
        env={**os.environ, "ONCODUCK_WAREHOUSE": str(demo_warehouse), "DBT_PROFILES_DIR": str(REPO)})
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "deprecat" not in result.stdout.lower(), result.stdout[-3000:]
    return target / "compiled" / "oncoduck" / "analysis"


@pytest.mark.parametrize("path", ANALYSES, ids=lambda p: p.name)
def test_analysis_compiles_and_runs_on_demo(path, compiled, demo_warehouse):
    sql = (compiled / path.name).read_text()
    statements = duckdb.extract_statements(sql)
    assert len(statements) >= 5, f"{path.name}: expected the main tables and figures, found {len(statements)} queries"
    con = duckdb.connect(str(demo_warehouse), read_only=True)
    try:
        empty = []
        for i, statement in enumerate(statements, start=1):
            rows = con.execute(statement).fetchall()
            if not rows:
                empty.append(i)
        assert not empty, f"{path.name}: queries {empty} returned no rows on the demo"
    finally:
        con.close()
