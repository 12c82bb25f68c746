"""Helpers shared by the test modules: where the real data is, running the CLI and dbt, querying a
warehouse. A named module (not conftest) so that `from oncoduck_testing import ...` is unambiguous
when several test folders have a conftest.py."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from oncoduck import compiled, paths

REPO = Path(__file__).resolve().parents[2]
SHARED_DATA = REPO.parent / "shared" / "data"
FIXTURE_STUDIES = REPO / "tests" / "fixtures" / "studies"


def require_shared_data(*relative: str) -> Path:
    """Path under ../shared/data, or skip the test with a message saying what is missing."""
    path = SHARED_DATA.joinpath(*relative)
    if not path.exists():
        pytest.skip(f"real-data test: {path} is absent (../shared/data sits beside the repo in CI, not in a user's clone)")
    return path


def run_oncoduck(*args: str, env: dict[str, str] | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    """Run the `oncoduck` CLI in a fresh process (dbt keeps process-wide state)."""
    return subprocess.run([sys.executable, "-m", "oncoduck.cli", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=timeout, cwd=REPO)


def dbt_build(warehouse: Path, studies: list[Path] | None = None, *extra: str,
              unit_tests: bool = False) -> subprocess.CompletedProcess:
    """`dbt build` on the test target writing `warehouse` (studies None: the demo); with --select, only
    the tests whose parents are all selected run (indirect selection "cautious"). dbt unit tests test SQL,
    not data, and the data tests of the reference seeds test files that no study changes: both run once per
    session (the demo_warehouse fixture, unit_tests=True), not in every build. The build's DuckDB memory limit is
    1GB unless ONCODUCK_DUCKDB_MEMORY_LIMIT says otherwise: at the profile's 500MB, the demo build with its unit
    tests ran out of memory in 2 of about 10 runs (a staging model and two unit tests at once; dbt, unlike
    `oncoduck build`, does not run such a node again alone). These builds test results, not the memory bound,
    which benchmarks/RESULTS.md measures."""
    args = [sys.executable, "-c", "from dbt.cli.main import cli; cli()", "build", "--target", "test",
            "--project-dir", str(REPO), "--profiles-dir", str(REPO),
            "--target-path", str(warehouse.parent / "target"), "--log-path", str(warehouse.parent / "logs"), *extra]
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test", "--exclude", "path:seeds,resource_type:test"]
    if "--select" in extra and "--indirect-selection" not in extra:
        args += ["--indirect-selection", "cautious"]  # a partial build runs only tests whose parents it built
    if studies is not None:
        args += ["--vars", json.dumps({"studies": [str(s) for s in studies]})]
    return subprocess.run(args, capture_output=True, text=True, cwd=REPO, timeout=900,
                          env={"ONCODUCK_DUCKDB_MEMORY_LIMIT": "1GB", **os.environ,
                               "ONCODUCK_TEST_WAREHOUSE": str(warehouse), "DBT_PROFILES_DIR": str(REPO)})


def graph_from_demo(demo_warehouse: Path, target_dir: Path, target: str = "test") -> Path:
    """The compiled graph (oncoduck.compiled) of the demo fixture's `dbt build` (warehouse name oncoduck), written
    where `oncoduck build --target TARGET` with DBT_TARGET_PATH=``target_dir`` looks for it: a later build of a
    warehouse named oncoduck.duckdb runs it, as a user's build runs the project their first build compiled. (The
    test and dev targets compile to the same code: they differ in the warehouse path only.)"""
    from oncoduck import incremental

    graph = compiled.graph_file(target_dir, target, demo_warehouse.stem)
    compiled.write_graph(graph, compiled.nodes_from_manifest(demo_warehouse.parent / "target" / "manifest.json"),
                         demo_warehouse, incremental.project_fingerprint())
    return graph


@dataclasses.dataclass
class CompiledProject:
    """The project as the demo fixture's `dbt build` compiled it (graph_from_demo). The builds of fixture studies
    run it in the test process, as `oncoduck build` runs a compiled project: a few seconds each, where a `dbt
    build` took 30-50 s, most of it dbt's full parse. test_compiled_build.py checks that its tables equal
    `dbt build`'s; the dbt builds left in the suite are the demo fixture's and those that set other vars."""
    graph: Path
    manifest: Path  # the demo build's, for `path:` selectors

    def build(self, warehouse: Path, studies: list[Path] | None, *select: str) -> compiled.GraphRun:
        """Build ``warehouse`` (a new file named oncoduck.duckdb: the catalog the project was compiled for) from
        ``studies`` (None: the demo's). ``select``: dbt selectors, ``+name`` or ``+path:models/...`` (several
        may share a string), as `dbt build --select ... --indirect-selection cautious` builds them: those models
        and every model they read, with the data tests whose models are all built; none: everything. Raises
        compiled.BuildFailed naming every failure, as the build's summary does."""
        assert warehouse.name == "oncoduck.duckdb", f"{warehouse}: the project was compiled for oncoduck.duckdb"
        output = paths.profile_output("test")
        return compiled.run_graph(warehouse, self.graph, paths.demo_study_dirs() if studies is None else studies,
                                  output.get("settings"), output.get("threads", 1),
                                  select=self._models(select) if select else None)

    @functools.cached_property
    def model_paths(self) -> dict[str, str]:
        """Model name -> its file in the project (the manifest read once, not per build)."""
        return {n["name"]: n["original_file_path"] for n in json.loads(self.manifest.read_text())["nodes"].values()
                if n["resource_type"] == "model"}

    def _models(self, selectors: tuple[str, ...]) -> set[str]:
        names = set()
        for selector in " ".join(selectors).split():
            selector = selector.removeprefix("+")
            if selector.startswith("path:"):
                folder = selector.removeprefix("path:").rstrip("/") + "/"
                names |= {name for name, path in self.model_paths.items() if path.startswith(folder)}
            else:
                names.add(selector)
        return names


def assert_build_ok(result: subprocess.CompletedProcess) -> None:
    tail = "\n".join(result.stdout.splitlines()[-40:])
    assert result.returncode == 0, f"dbt build failed:\n{tail}\n{result.stderr[-2000:]}"


def typed_clinical_text(header: list[str], types: list[str], rows: list[tuple]) -> str:
    """A cBioPortal clinical file: the four `#` header lines (display names, descriptions, datatypes,
    priorities), the column names, then ``rows``."""
    lines = ["#" + "\t".join(h.title() for h in header), "#" + "\t".join(header), "#" + "\t".join(types),
             "#" + "\t".join("1" for _ in header), "\t".join(header)]
    return "\n".join(lines + ["\t".join(str(v) for v in row) for row in rows]) + "\n"


def write_panel_study(folder: Path, samples: list[tuple[str, str, str, bool]], panel_genes: list[str],
                      variants: list[tuple], study_yml: str) -> Path:
    """A small cBioPortal study folder named after ``folder`` (hg19): ``samples`` as (sample, patient, sample type,
    sequenced), the sequenced ones on the gene panel SMALL of ``panel_genes`` (written as given) and the others NA
    in the gene panel matrix; a MAF of ``variants`` as (sample, gene, chromosome, position, ref, alt, class); and
    ``study_yml`` as its oncoduck_study.yml."""
    folder.mkdir()
    (folder / "meta_study.txt").write_text(f"cancer_study_identifier: {folder.name}\nreference_genome: hg19\n")
    patients = sorted({patient for _, patient, _, _ in samples})
    (folder / "data_clinical_patient.txt").write_text(typed_clinical_text(["PATIENT_ID"], ["STRING"], [(p,) for p in patients]))
    (folder / "data_clinical_sample.txt").write_text(typed_clinical_text(
        ["PATIENT_ID", "SAMPLE_ID", "SAMPLE_TYPE"], ["STRING"] * 3, [(p, s, t) for s, p, t, _ in samples]))
    (folder / "data_gene_panel_small.txt").write_text(
        "stable_id: SMALL\ndescription: a small panel\ngene_list: " + "\t".join(panel_genes) + "\n")
    (folder / "data_gene_panel_matrix.txt").write_text(
        "SAMPLE_ID\tmutations\n" + "".join(f"{s}\t{'SMALL' if sequenced else 'NA'}\n" for s, _, _, sequenced in samples))
    maf = ["Hugo_Symbol\tChromosome\tStart_Position\tEnd_Position\tReference_Allele\tTumor_Seq_Allele2\t"
           "Variant_Classification\tTumor_Sample_Barcode"]
    maf += [f"{g}\t{c}\t{p}\t{p}\t{r}\t{a}\t{k}\t{s}" for s, g, c, p, r, a, k in variants]
    (folder / "data_mutations.txt").write_text("\n".join(maf) + "\n")
    (folder / "oncoduck_study.yml").write_text(study_yml)
    return folder


def query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def untyped_columns(warehouse) -> list[tuple]:
    """Columns of the warehouse's own tables whose type is NULL: a Python model returned a column without any
    value and no type (stats.tidy.tidy_result types them); a later build with a value could not insert it."""
    return query(warehouse, """select schema_name, table_name, column_name from duckdb_columns()
        where database_name = current_database() and data_type = '"NULL"' order by all""")
