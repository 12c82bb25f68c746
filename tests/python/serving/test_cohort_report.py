"""`oncoduck report`: renders for the demo from the serving copy, figures are real PNGs, Chromium shows the page;
sections whose tables are missing say why instead of failing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import matplotlib.image
import pytest

from serving_helpers import REPO

CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ("overview", "oncoprint", "burden", "gene_frequency", "enrichment", "survival", "cox")


def _ensure_chromium() -> Path:
    """Debian's chromium, installed here when absent (root in CI); skip, saying why, when that is impossible."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.skip("chromium is absent and cannot be installed here (needs apt-get as root)")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if run.returncode != 0:
            pytest.skip(f"`{' '.join(cmd)}` failed: {run.stderr.strip()[-300:]}")
    if not CHROMIUM.exists():
        pytest.skip("apt-get install chromium gave no /usr/bin/chromium")
    return CHROMIUM


def _assert_png(path: Path) -> None:
    assert path.stat().st_size > 5_000, f"{path} is suspiciously small"
    image = matplotlib.image.imread(path)
    assert image.ndim == 3 and image.shape[0] > 100 and image.shape[1] > 100, path
    assert image.std() > 0.01, f"{path} is blank"


@pytest.fixture(scope="module")
def demo_report(built_demo) -> Path:
    """The report `oncoduck build` refreshed after publishing (issue 21: a build left the old report in place)."""
    report = built_demo["serving_dir"] / "report" / "index.html"
    assert f"oncoduck build: report refreshed at {report}" in built_demo["stdout"]
    return report


def test_report_renders_every_section_with_png_figures(demo_report):
    text = demo_report.read_text()
    for key in SECTIONS:
        assert f"<section id='{key}'>" in text, key
    assert "serving copy" in text  # read from the published copy, not the dbt file
    figures = re.findall(r"<img src='([^']+)'", text)
    assert {"figures/cohort_samples.png", "figures/oncoprint.png"} <= set(figures)
    for rel in figures:
        _assert_png(demo_report.parent / rel)


def test_report_opens_in_headless_chromium(demo_report, tmp_path):
    chromium = _ensure_chromium()
    shot = tmp_path / "shot.png"
    run = subprocess.run(
        [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2400",
         demo_report.as_uri()], capture_output=True, text=True, timeout=120)
    assert shot.exists(), f"no screenshot: {run.stderr[-1500:]}"
    _assert_png(shot)


def test_missing_tables_are_explained_not_fatal(built_demo, tmp_path):
    """A serving copy with only the core marts: the report renders and says what each empty section lacks."""
    core = tmp_path / "core.duckdb"
    con = duckdb.connect(str(core))
    con.execute(f"attach '{built_demo['serving_file']}' as src (read_only)")
    con.execute("create schema marts")
    for table in ("dim_patient", "dim_sample", "fct_variant", "fct_sample_gene_profiled"):
        con.execute(f"create table marts.{table} as select * from src.marts.{table}")
    con.close()
    from oncoduck.report import build_report

    html = build_report(out_dir=tmp_path / "out", warehouse=core).read_text()
    assert "figures/oncoprint.png" in html
    for why in ("marts.fct_sample_burden / marts.fct_sample_cnv_burden are not built yet",
                "marts.fct_survival (study_id, patient_id, endpoint, time_months, event) is not built yet",
                "no stats table with odds_ratio, q and feature yet"):
        assert why in html, why


def test_unknown_comparison_is_a_clear_error(built_demo, tmp_path):
    run = subprocess.run([sys.executable, "-m", "oncoduck.cli", "report", "--comparison", "no_such_comparison",
                          "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, **built_demo["env"]}, timeout=300)
    with duckdb.connect(str(built_demo["serving_file"]), read_only=True) as con:
        declared = con.execute("select count(*) from duckdb_tables() where schema_name = 'stats'").fetchone()[0]
    if declared:
        assert run.returncode == 1 and "no_such_comparison" in run.stderr and "not declared" in run.stderr
