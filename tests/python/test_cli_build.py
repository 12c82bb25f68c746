"""`oncoduck build` as a user meets it (issue 21, Build 4): `--version`, `--warehouse`, a study set that changes
only as the user says (`--add` / `--replace`), one progress line instead of dbt's line per node, and a plain
message within a second when another build holds the warehouse."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from oncoduck import atomic, cli
from oncoduck_testing import query, run_oncoduck


def _study(root: Path, study_id: str, gene: str) -> Path:
    folder = root / study_id
    folder.mkdir()
    (folder / "meta_study.txt").write_text(f"cancer_study_identifier: {study_id}\nname: {study_id}\nreference_genome: hg19\n")
    (folder / "data_clinical_sample.txt").write_text("PATIENT_ID\tSAMPLE_ID\nP1\tS1\nP2\tS2\n")
    (folder / "data_mutations.txt").write_text(
        "Hugo_Symbol\tChromosome\tStart_Position\tReference_Allele\tTumor_Seq_Allele2\tVariant_Classification\t"
        f"Tumor_Sample_Barcode\n{gene}\t17\t7578406\tC\tT\tMissense_Mutation\tS1\n")
    return folder


def test_version_names_oncoduck_and_its_engines():
    result = run_oncoduck("--version")
    assert result.returncode == 0
    assert re.fullmatch(r"oncoduck \d+\.\d+\.\d+ \(dbt-core 1\.11\.\d+, dbt-duckdb 1\.11\.\d+, duckdb \S+\)\n",
                        result.stdout), result.stdout


def test_a_held_warehouse_is_one_plain_line_within_a_second(tmp_path, monkeypatch, capsys):
    warehouse = tmp_path / "warehouse" / "oncoduck.duckdb"
    monkeypatch.setenv("ONCODUCK_WAREHOUSE", str(warehouse))
    with atomic.build_lock(warehouse):  # another build of the same warehouse
        started = time.monotonic()
        code = cli.main(["build", "--warehouse", str(warehouse)])
        elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 1 and elapsed < 1.0, elapsed
    assert err.splitlines() == [f"oncoduck build: {warehouse} is being built by pid {__import__('os').getpid()}; "
                                "wait for that build to end"]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    """Study A built into a --warehouse file; B refused without --add or --replace; then B added by a full build
    (--full: without it only B would be computed, tests/python/test_incremental_build.py)."""
    root = tmp_path_factory.mktemp("cli_build")
    a, b = _study(root, "cli_a", "TP53"), _study(root, "cli_b", "PIK3CA")
    warehouse = root / "elsewhere" / "mine.duckdb"
    env = {"ONCODUCK_SERVING_DIR": str(root / "serving")}
    first = run_oncoduck("build", "--study", str(a), "--warehouse", str(warehouse), "--no-report", env=env)
    refused = run_oncoduck("build", "--study", str(b), "--warehouse", str(warehouse), "--no-report", env=env)
    added = run_oncoduck("build", "--study", str(b), "--add", "--full", "--warehouse", str(warehouse), "--no-report",
                         env=env)
    return {"warehouse": warehouse, "first": first, "refused": refused, "added": added}


def test_warehouse_option_builds_that_file(two_builds):
    assert two_builds["first"].returncode == 0, two_builds["first"].stderr[-3000:]
    assert f"warehouse ready at {two_builds['warehouse']}" in two_builds["first"].stdout


def test_a_build_shows_progress_and_a_summary_not_a_line_per_node(two_builds):
    out = two_builds["first"].stdout
    assert re.search(r"^oncoduck build: \S+: \d+/\d+ nodes, \d+ s$", out, re.M), out[:2000]
    assert " START " not in out and "OK created" not in out  # dbt's per-node lines: --verbose, and logs/dbt.log
    assert "Build summary" in out
    assert "  study cli_a: 2 patients, 2 samples (2 sequenced)\n" in out  # the closing summary counts the cohort


def test_a_build_that_would_drop_a_study_is_refused_until_the_user_says(two_builds):
    refused = two_builds["refused"]
    assert refused.returncode == 2
    assert refused.stderr.strip() == ("oncoduck build: the warehouse also holds cli_a; say --add to build them with "
                                      "cli_b, or --replace to build it alone")
    added = two_builds["added"]
    assert added.returncode == 0, added.stderr[-3000:]
    assert "oncoduck build: adding to cli_a" in added.stdout
    assert query(two_builds["warehouse"], "select study_id, hugo_symbol from marts.fct_variant order by 1") == [
        ("cli_a", "TP53"), ("cli_b", "PIK3CA")]


def test_the_seeds_data_tests_run_once_per_project_version(two_builds):
    # issue 24: the 163 data tests of the reference seeds ran in every build, though no study changes a seed
    carried = "oncoduck build: the reference seeds' data tests passed at"
    assert carried not in two_builds["first"].stdout
    assert carried in two_builds["added"].stdout and "on this same project; not run again" in two_builds["added"].stdout
    passed_at = query(two_builds["warehouse"], "select seed_tests_passed_at, built_at from oncoduck_build.project")[0]
    assert passed_at[0] < passed_at[1]  # carried from the first build, not this one
