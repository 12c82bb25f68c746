"""`oncoduck report` on the demo: one self-contained page, every comparison reachable, and in headless Chromium no
console error, every figure drawn, the RARA row and the non-estimable Cox row drawn as issue 21 specifies;
sections whose tables are missing say why instead of failing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from oncoduck.report.browser import Page, find_chromium
from serving_helpers import REPO

RARA_VIEW = "demo_zhang2022_panel_her2_zero_low_positive"
COX_VIEW = "demo_lim2021_wes_nonresponders_vs_responders"


def _chromium() -> Path:
    """Debian's chromium, installed here when absent (root in CI); skip, saying why, when that is impossible."""
    found = find_chromium()
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.skip("chromium is absent and cannot be installed here (needs apt-get as root)")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=900,
                             env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if run.returncode != 0:
            pytest.skip(f"`{' '.join(cmd)}` failed: {run.stderr.strip()[-300:]}")
    found = find_chromium()
    if found is None:
        pytest.skip("apt-get install chromium gave no chromium on PATH")
    return found


@pytest.fixture(scope="module")
def demo_report(built_demo) -> Path:
    """The report `oncoduck build` refreshed after publishing (issue 21: a build left the old report in place)."""
    report = built_demo["serving_dir"] / "report" / "index.html"
    assert f"oncoduck build: report refreshed at {report}" in built_demo["stdout"]
    return report


@pytest.fixture(scope="module")
def declared(built_demo) -> list[str]:
    with duckdb.connect(str(built_demo["serving_file"]), read_only=True) as con:
        rows = con.execute("select distinct study_id, comparison from marts.fct_comparison_member "
                           "where comparison not like 'cohort:%' order by all").fetchall()
    return [re.sub(r"[^A-Za-z0-9]+", "_", f"{s}--{c}").strip("_") for s, c in rows]


def test_report_is_one_self_contained_page_with_a_view_per_comparison(demo_report, declared):
    text = demo_report.read_text()
    assert not re.search(r"""<(script|link|img)[^>]+(src|href)=['"]?https?:""", text), "the page must work offline"
    assert "plotly" in text[:5_000_000] and "<script type='application/json'" in text
    for key in ("overview", "oncoprint", "signatures"):
        assert f"<section id='{key}'>" in text, key
    views = re.findall(r"<div class='view' data-view='([^']+)'>", text)
    assert views == declared  # every declared comparison, none of the automatic cohort:* groupings
    for spec in re.findall(r"<script type='application/json' id='spec-[^']+'>(.*?)</script>", text):
        figure = json.loads(spec)
        assert figure["data"], "a figure without data"
    assert "serving copy" in text  # read from the published copy, not the dbt file


def test_report_in_headless_chromium(demo_report, declared):
    with Page(_chromium()) as page:
        page.open(demo_report.as_uri())
        for view in declared:
            page.evaluate(f"oncoduckShow({json.dumps(view)})")
        drawn = page.evaluate("""Array.prototype.map.call(document.querySelectorAll('div.figure'), function (d) {
            return {id: d.id, traces: (d.data || []).length, svg: d.querySelectorAll('svg.main-svg').length}; })""")
        assert len(drawn) > 10 * len(declared)
        assert [d["id"] for d in drawn if not d["traces"] or not d["svg"]] == []
        assert page.errors() == []

        # RARA, OR 0 (CI 0 to 0.038) between her2_low and her2_positive: a triangle at the left edge of the axis
        # and a line from the edge to the finite upper bound; no square
        page.evaluate(f"oncoduckShow({json.dumps(RARA_VIEW)})")
        rara = page.evaluate(f"""(function () {{
            var gd = document.getElementById('fig-enrichment-gene-{RARA_VIEW}');
            var ticks = gd.layout.yaxis.ticktext, row = ticks.indexOf('RARA (her2_low vs her2_positive)');
            var byName = {{}}; gd.data.forEach(function (t) {{ byName[t.name] = t; }});
            var line = byName['95 % CI'], ends = [];
            for (var i = 0; i < line.y.length; i += 3) {{ if (line.y[i] === row) {{ ends = [line.x[i], line.x[i + 1]]; }} }}
            var shown = Array.prototype.map.call(gd.querySelectorAll('.ytick text'), function (t) {{ return t.textContent; }});
            return {{row: row, towardsZero: byName['towards 0'].y.indexOf(row) >= 0,
                     towardsZeroX: byName['towards 0'].x[byName['towards 0'].y.indexOf(row)],
                     square: byName['estimate'].y.indexOf(row) >= 0, ends: ends, axis: gd.layout.xaxis.range,
                     label: shown.indexOf('RARA (her2_low vs her2_positive)') >= 0,
                     triangles: gd.querySelectorAll('.scatterlayer .trace:nth-child(3) path.point').length}};
        }})()""")
        assert rara["row"] >= 0 and rara["label"]
        assert rara["towardsZero"] and not rara["square"] and rara["triangles"] >= 1
        left_edge = 10 ** rara["axis"][0]
        assert rara["towardsZeroX"] == pytest.approx(left_edge)
        assert rara["ends"][0] == pytest.approx(left_edge) and rara["ends"][1] == pytest.approx(0.037774, rel=1e-4)

        # the lim2021 PFS Cox model (monotone likelihood: no estimate) is a labelled row with no mark at all
        page.evaluate(f"oncoduckShow({json.dumps(COX_VIEW)})")
        cox = page.evaluate(f"""(function () {{
            var gd = document.getElementById('fig-cox-{COX_VIEW}');
            var row = gd.layout.yaxis.ticktext.indexOf('PFS: responder vs non_responder');
            var marked = gd.data.some(function (t) {{ return (t.y || []).indexOf(row) >= 0; }});
            var notes = Array.prototype.map.call(gd.querySelectorAll('.annotation-text'), function (t) {{
                return t.textContent; }});
            return {{row: row, marked: marked, notes: notes}};
        }})()""")
        assert cox["row"] >= 0 and not cox["marked"]
        assert "not estimable (monotone likelihood)" in cox["notes"]

        # declared group order (her2_zero, her2_low, her2_positive), not alphabetical, in bars and curves
        page.evaluate(f"oncoduckShow({json.dumps(RARA_VIEW)})")
        orders = page.evaluate(f"""[document.getElementById('fig-gene-frequency-{RARA_VIEW}').data.map(function (t) {{
                                        return t.name; }}),
                                    document.getElementById('fig-km-DFS-{RARA_VIEW}').data.filter(function (t) {{
                                        return t.showlegend !== false && t.mode === 'lines'; }}).map(function (t) {{
                                        return t.name; }})]""")
        assert orders == [["her2_zero", "her2_low", "her2_positive"]] * 2
        assert page.errors() == []


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
    assert "id='fig-oncoprint-studies'" in html
    for why in ("marts.fct_sample_sbs96 is not built",
                "no declared comparison with members (marts.fct_comparison_member)"):
        assert why in html, why


def test_unknown_comparison_is_a_clear_error(built_demo, tmp_path):
    run = subprocess.run([sys.executable, "-m", "oncoduck.cli", "report", "--comparison", "no_such_comparison",
                          "--out", str(tmp_path)], cwd=REPO, capture_output=True, text=True,
                         env={**os.environ, **built_demo["env"]}, timeout=300)
    assert run.returncode == 1 and "no_such_comparison" in run.stderr and "not declared" in run.stderr
