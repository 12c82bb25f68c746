"""Add, replace or remove studies in a built warehouse without recomputing the other studies.

A full `oncoduck build` records, in the warehouse's ``oncoduck_build`` schema, what built it:
  - ``nodes``: every model, data test and seed as dbt compiled them (compiled.py: the compiled graph);
  - ``project``: a fingerprint of the project (models, macros, seeds, Python sources, versions);
  - ``studies``: each study folder's ``study_id`` and a fingerprint of its files.

The next ``oncoduck build`` of that warehouse by the same project (without ``--full``) compares the requested
study folders with that record. Studies that are
new, changed or no longer requested are *dirty*, and so is every study a comparison across studies links to a
dirty one (it reads all its studies' rows). It then re-runs the recorded compiled code for the dirty
studies only, in dependency order, inside one DuckDB transaction (a failure leaves the warehouse as it was):

  - **Per-study models** (tables with a ``study_id`` column; every model but a handful of dimensions):
    the model's rows of the dirty studies are deleted, then its compiled code is run with every per-study
    input replaced by a view of that input's dirty-study rows, and the rows are inserted.
  - **Cross-study models** (``dim_gene``, ``dim_assay``, ``bridge_assay_gene`` ...; no ``study_id``) are
    recomputed whole; they are small. Each declares in its YAML ``meta: {incremental: {rebuilds: ...}}``
    which studies a change of its rows affects (``studies_on_changed_assay``: the studies with samples on a
    changed assay; ``every_study`` with an optional ``when`` predicate on the changed rows); those studies
    become dirty too. A cross-study model without the declaration stops the incremental build.
  - **Views** are left alone: their definitions are unchanged and they read the updated tables.
  - **Data tests** run on the dirty studies' rows of the model they test (other studies' rows passed when
    they were built and are unchanged). Unit tests test the code, which is unchanged, so they do not run.

A per-study model that returns a row for a study outside the dirty set, or without a study, is not
study-partitioned: the build stops and names it. Results equal a full rebuild; tests check this on the demo.
The project fingerprint guards the compiled code: after any change to the project, the build is full.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from pathlib import Path

import duckdb

from .atomic import connect_warehouse
from .compiled import (CompiledNode, apply_settings, compiled_catalog, keep_rows, order, python_model_rows, read_nodes,
                       test_failures, write_nodes)
from .paths import PROJECT_ROOT

STATE_SCHEMA = "oncoduck_build"
# What the compiled code depends on besides the study folders: a change here makes the next build full.
PROJECT_INPUTS = ("models", "macros", "seeds", "python/oncoduck", "dbt_project.yml", "profiles.yml")
PROJECT_INPUTS_EXCLUDED = ("seeds/demo_studies",)  # the demo's study folders are studies, fingerprinted as such
DIRTY_TABLE = "temp.main.oncoduck_dirty_studies"


class FullBuildNeeded(Exception):
    """The warehouse cannot be updated incrementally; the message says why."""


class IncrementalBuildFailed(Exception):
    """A model or data test failed; the transaction was rolled back and the warehouse is unchanged."""


@dataclasses.dataclass
class IncrementalResult:
    dirty_studies: list[str]
    models_run: int
    tests_run: int
    warnings: list[str]
    seconds: float


# ---------------------------------------------------------------- fingerprints and the recorded state

def _digest_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        with open(path, "rb") as fh:
            digest.update(hashlib.file_digest(fh, "sha256").digest())
    return digest.hexdigest()


def project_fingerprint() -> str:
    """Digest of the files the compiled code and the Python models come from, plus the engine versions."""
    from importlib.metadata import version

    files = []
    for entry in PROJECT_INPUTS:
        path = PROJECT_ROOT / entry
        candidates = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
        files += [p for p in candidates if "__pycache__" not in p.parts
                  and not any(p.is_relative_to(PROJECT_ROOT / x) for x in PROJECT_INPUTS_EXCLUDED)]
    return f"{_digest_files(files, PROJECT_ROOT)}:dbt {version('dbt-core')}:duckdb {duckdb.__version__}"


def study_fingerprint(directory: Path) -> str:
    """Digest of every file in a study folder (names and contents), and of the files its oncoduck_study.yml names
    outside the folder (path, size and modification time: a shared MAF or a genome FASTA is not read whole at each
    build), so that a changed outside file makes the study changed."""
    from .ingest.study import StudyError, files_named_outside

    inside = _digest_files([p for p in Path(directory).rglob("*") if p.is_file()], Path(directory))
    try:
        named_outside = files_named_outside(directory)
    except StudyError:  # an unreadable oncoduck_study.yml: its digest above differs already; discovery reports it
        named_outside = []
    outside = hashlib.sha256()
    for path in named_outside:
        stat = path.stat() if path.exists() else None
        outside.update(f"{path}\0{stat.st_size if stat else 'absent'}\0{stat.st_mtime_ns if stat else ''}\0".encode())
    return f"{inside}:outside {outside.hexdigest()}"


def _requested_studies(study_dirs: list[Path]) -> dict[str, tuple[str, str]]:
    """study_id -> (folder, fingerprint) for the folders of a build."""
    from .ingest.study import discover

    out = {}
    for directory in study_dirs:
        study = discover(str(directory))
        out[study.study_id] = (str(Path(directory).resolve()), study_fingerprint(directory))
    return out


@dataclasses.dataclass(frozen=True)
class RecordedBuild:
    """What the build record of a warehouse says about its last full build (record_full_build)."""
    study_dirs: list[Path]  # in build order
    fingerprint: str
    seed_tests_passed_at: object  # datetime; None in a record from before the column
    study_fingerprints: dict[str, str]  # folder -> study_fingerprint, as built

    def is_current(self, study_dirs: list[Path], fingerprint: str) -> bool:
        """True when building ``study_dirs`` with the project of ``fingerprint`` would give this warehouse again:
        the same project, the same study folders, each with the same files."""
        return fingerprint == self.fingerprint and self.study_fingerprints == {
            str(Path(d).resolve()): study_fingerprint(d) for d in study_dirs}


def recorded_build(warehouse: Path) -> RecordedBuild | None:
    """The warehouse's build record, read-only; None when the file or its record does not exist."""
    if not Path(warehouse).exists():
        return None
    con = connect_warehouse(Path(warehouse), read_only=True)
    try:
        columns = {(t, c) for t, c in con.execute(
            "select table_name, column_name from duckdb_columns() where schema_name = ?", [STATE_SCHEMA]).fetchall()}
        if ("studies", "directory") not in columns or ("project", "fingerprint") not in columns:
            return None
        studies = con.execute(f"select directory, fingerprint from {STATE_SCHEMA}.studies order by rowid").fetchall()
        passed = "seed_tests_passed_at" if ("project", "seed_tests_passed_at") in columns else "null"
        fingerprint, passed_at = con.execute(f"select fingerprint, {passed} from {STATE_SCHEMA}.project").fetchone()
        return RecordedBuild([Path(d) for d, _ in studies], fingerprint, passed_at, dict(studies))
    finally:
        con.close()


def seed_tests_passed_at(recorded: RecordedBuild | None, fingerprint: str):
    """When the data tests of the reference seeds last passed, if the recorded build was of this same project
    (fingerprint: seeds, models, macros, code, engine versions); else None (run them)."""
    return recorded.seed_tests_passed_at if recorded and recorded.fingerprint == fingerprint else None


def record_full_build(warehouse: Path, nodes: list[CompiledNode], study_dirs: list[Path], fingerprint: str,
                      seed_tests_carried=None) -> None:
    """After a successful full build: keep the compiled nodes (compiled.py), the fingerprint of the project they
    were compiled from (project_fingerprint), the studies' fingerprints, and when the seeds' data tests passed (now, or ``seed_tests_carried``: the time they passed on
    the same project)."""
    studies = _requested_studies(study_dirs)
    con = duckdb.connect(str(warehouse))
    try:
        compiled_for = compiled_catalog(nodes)
        if compiled_for != _catalog(con):
            raise ValueError(f"the nodes were compiled for {compiled_for}, not for {warehouse}")
        con.execute(f"create schema if not exists {STATE_SCHEMA}")
        write_nodes(con, f"{STATE_SCHEMA}.nodes", nodes)
        con.execute(f"create or replace table {STATE_SCHEMA}.project as select ? as fingerprint, ? as database_name, "
                    "current_timestamp as built_at, coalesce(cast(? as timestamptz), current_timestamp) as "
                    "seed_tests_passed_at", [fingerprint, _catalog(con), seed_tests_carried])
        con.execute(f"create or replace table {STATE_SCHEMA}.studies "
                    "(study_id varchar primary key, directory varchar, fingerprint varchar)")
        con.executemany(f"insert into {STATE_SCHEMA}.studies values (?, ?, ?)",
                        [(sid, d, fp) for sid, (d, fp) in studies.items()])
    finally:
        con.close()


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchall()[0][0]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


# ---------------------------------------------------------------- the incremental build

class _Run:
    """One incremental build on an open connection (inside its transaction)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, nodes: list[CompiledNode], dirty: set[str], land_dirs: list[str],
                 links: list[set[str]]):
        self.con = con
        self.links = links
        self.nodes = {n.unique_id: n for n in nodes}
        self.land_dirs = land_dirs
        self.warnings: list[str] = []
        con.execute("create temp table oncoduck_dirty_studies (study_id varchar primary key)")
        self._add_dirty(dirty)
        catalog = _catalog(con)
        per_study_tables = {(s, t) for s, t in con.sql(
            "select table_schema, table_name from information_schema.columns "
            "where table_catalog = ? and column_name = 'study_id'", params=[catalog]).fetchall()}
        # relation name -> the view of its dirty-study rows, for every per-study table or view a model builds
        self.scoped: dict[str, str] = {}
        for node in nodes:
            if node.resource_type != "model":
                continue
            schema, table = [part.strip('"') for part in node.relation_name.split(".")[1:]]
            if (schema, table) in per_study_tables:
                con.execute(f"create temp view {_quote(table)} as select * from {node.relation_name} "
                            f"where study_id in (select study_id from {DIRTY_TABLE})")
                self.scoped[node.relation_name] = f"temp.main.{_quote(table)}"
        self._pattern = re.compile("|".join(re.escape(r) for r in sorted(self.scoped, key=len, reverse=True))) \
            if self.scoped else None

    def _add_dirty(self, study_ids) -> None:
        """Mark ``study_ids`` dirty, with the studies a comparison across studies ties to them."""
        rows = [(s,) for s in sorted(_linked(study_ids, self.links))]
        if rows:
            self.con.executemany(f"insert or ignore into {DIRTY_TABLE} values (?)", rows)

    def dirty(self) -> list[str]:
        return [r[0] for r in self.con.sql(f"select study_id from {DIRTY_TABLE} order by study_id").fetchall()]

    def _scope(self, code: str) -> str:
        """Compiled code with every per-study relation replaced by the view of its dirty-study rows."""
        return self._pattern.sub(lambda m: self.scoped[m.group(0)], code) if self._pattern else code

    # ---- models

    def run_model(self, node: CompiledNode) -> None:
        if node.materialized == "view":
            return
        if node.relation_name in self.scoped:
            self._run_per_study(node)
        else:
            self._run_cross_study(node)

    def _model_rows(self, node: CompiledNode, scoped: bool):
        """The rows the model's compiled code returns now (a relation or data frame), inputs scoped or not."""
        if node.language != "python":
            return self.con.sql(self._scope(node.compiled_code) if scoped else node.compiled_code)

        def load(relation_name: str):
            target = self.scoped.get(relation_name, relation_name) if scoped else relation_name
            return self.con.query(f"select * from {target}")

        return python_model_rows(self.con, node, load, self.land_dirs)

    def _run_per_study(self, node: CompiledNode) -> None:
        dirty_filter = f"study_id in (select study_id from {DIRTY_TABLE})"
        self.con.execute(f"delete from {node.relation_name} where {dirty_filter}")
        rows = self._model_rows(node, scoped=True)
        if rows is None:
            return
        keep_rows(self.con, rows, "oncoduck_model_rows")
        stray = self.con.execute(f"select count(*) from temp.main.oncoduck_model_rows where study_id is null "
                                 f"or not {dirty_filter}").fetchall()[0][0]
        if stray:
            raise IncrementalBuildFailed(
                f"{node.name}: {stray} row(s) belong to no rebuilt study; the model is not study-partitioned, "
                f"so it cannot be built incrementally (run a full build: oncoduck build --full)")
        self.con.execute(f"insert into {node.relation_name} by name select * from temp.main.oncoduck_model_rows")

    def _run_cross_study(self, node: CompiledNode) -> None:
        rule = node.incremental_meta
        if not rule or rule.get("rebuilds") not in ("studies_on_changed_assay", "every_study"):
            raise FullBuildNeeded(f"{node.name} has no study_id column and declares no meta incremental.rebuilds "
                                  f"(studies_on_changed_assay or every_study), so the studies its changes affect are unknown")
        self.con.execute("drop table if exists temp.main.oncoduck_rows_before")
        self.con.execute(f"create temp table oncoduck_rows_before as select * from {node.relation_name}")
        self.con.execute(f"delete from {node.relation_name}")
        keep_rows(self.con, self._model_rows(node, scoped=False), "oncoduck_model_rows")
        self.con.execute(f"insert into {node.relation_name} by name select * from temp.main.oncoduck_model_rows")
        changed = (f"((select * from {node.relation_name} except all select * from temp.main.oncoduck_rows_before) "
                   f"union all (select * from temp.main.oncoduck_rows_before except all select * from {node.relation_name}))")
        where = f"where {rule['when']}" if rule.get("when") else ""
        if rule["rebuilds"] == "every_study":
            if self.con.execute(f"select count(*) from {changed} as changed {where}").fetchall()[0][0]:
                self._add_dirty(s for (s,) in self.con.sql(
                    f"select distinct study_id from {self._relation('dim_sample')}").fetchall())
        else:
            self._add_dirty(s for (s,) in self.con.sql(
                f"select distinct study_id from {self._relation('dim_sample')} where assay_id in "
                f"(select assay_id from {changed} as changed {where})").fetchall())

    def _relation(self, model_name: str) -> str:
        return next(n.relation_name for n in self.nodes.values() if n.resource_type == "model" and n.name == model_name)

    # ---- data tests

    def run_tests(self, tests: list[CompiledNode]) -> list[tuple[str, str, int] | None]:
        """For each data test (of the same models, in one query), None if it passes on the dirty studies' rows,
        else compiled.test_failure's outcome. A test whose SQL fails aborts the update's transaction: the update
        fails naming the tests of that query."""
        try:
            return test_failures(self.con, tests, [self._scope(t.compiled_code) for t in tests])
        except duckdb.Error as exc:
            raise IncrementalBuildFailed(f"the data tests {', '.join(t.name for t in tests)} could not run on the "
                                         f"rebuilt studies: {type(exc).__name__}: {exc}") from exc


def _order(nodes: list[CompiledNode]) -> list[CompiledNode]:
    """Models in dependency order, then data tests."""
    return order(nodes) + sorted((n for n in nodes if n.resource_type == "test"), key=lambda n: n.unique_id)


def build_incremental(warehouse: Path, study_dirs: list[Path], settings: dict | None = None) -> IncrementalResult:
    """Bring `warehouse` to the state a full build of `study_dirs` would give, recomputing dirty studies only.
    `settings`: DuckDB's, as the build target's profile sets them (None: DuckDB's defaults).

    Raises FullBuildNeeded when there is no usable record of a full build, IncrementalBuildFailed when a
    model or data test fails (the warehouse is then unchanged), atomic.WarehouseBusy when another process
    holds the warehouse."""
    start = time.perf_counter()
    if not Path(warehouse).exists():
        raise FullBuildNeeded(f"{warehouse} does not exist yet")
    con = connect_warehouse(Path(warehouse))  # WarehouseBusy, one plain line, when another process holds it
    try:
        apply_settings(con, settings)
        try:
            fingerprint, database = con.execute(f"select fingerprint, database_name from {STATE_SCHEMA}.project").fetchall()[0]
            recorded = {sid: (d, fp) for sid, d, fp in con.sql(f"select * from {STATE_SCHEMA}.studies").fetchall()}
        except duckdb.CatalogException:
            raise FullBuildNeeded(f"{warehouse} has no record of a full oncoduck build") from None
        if fingerprint != project_fingerprint():
            raise FullBuildNeeded("the project (models, macros, seeds or Python code) changed since the last full build")
        if database != _catalog(con):
            raise FullBuildNeeded(f"the warehouse was built as '{database}' and has been renamed since")
        requested = _requested_studies(study_dirs)
        dirty = {sid for sid, state in requested.items() if recorded.get(sid) != state} | (recorded.keys() - requested.keys())
        if not dirty:
            return IncrementalResult([], 0, 0, [], time.perf_counter() - start)
        nodes = read_nodes(con, f"{STATE_SCHEMA}.nodes")
        links = _study_links(con, nodes, requested)
        dirty = _linked(dirty, links)
        land_dirs = [d for sid, (d, _) in requested.items() if sid in dirty]
        print(f"oncoduck build: rebuilding {len(dirty)} of {len(requested | recorded)} studies: "
              f"{', '.join(sorted(dirty))}")
        con.begin()
        try:
            rebuilt, models, tests, warnings = _run(con, nodes, dirty, land_dirs, links)
            con.execute(f"delete from {STATE_SCHEMA}.studies")
            con.executemany(f"insert into {STATE_SCHEMA}.studies values (?, ?, ?)",
                            [(sid, d, fp) for sid, (d, fp) in requested.items()])
            con.commit()
        except BaseException:
            con.rollback()
            raise
        return IncrementalResult(rebuilt, models, tests, warnings, time.perf_counter() - start)
    finally:
        con.close()


def _study_links(con, nodes: list[CompiledNode], requested: dict) -> list[set[str]]:
    """The studies each comparison across studies (``studies:``) ties together, from the warehouse's record
    (the studies as last built) and from the requested folders' declarations (as they are now)."""
    from .ingest.study import StudyError, discover

    links: list[set[str]] = []
    landing = next((n.relation_name for n in nodes if n.resource_type == "model" and n.name == "landing_comparisons"),
                   None)
    if landing:  # the project fingerprint matched, so the recorded landing has the studies column
        links += [{home, *listed.split(";")} for home, listed in con.execute(
            f"select distinct study_id, studies from {landing} where studies is not null").fetchall()]
    for study_id, (directory, _) in requested.items():
        try:
            comparisons = discover(directory).config.get("comparisons") or []
        except StudyError:
            continue  # the landing reports it
        links += [{study_id, *map(str, c["studies"])} for c in comparisons
                  if isinstance(c, dict) and isinstance(c.get("studies"), list)]
    return links


def _linked(dirty, links: list[set[str]]) -> set[str]:
    """``dirty`` with every study a link ties to a dirty one, until none is added: a comparison across studies
    reads the rows of all its studies and its declaring study's rows hold its results, so all of them are
    rebuilt together (a study no longer built drops out: landing refuses a comparison that names it)."""
    dirty = set(dirty)
    while True:
        linked = set().union(*(link for link in links if link & dirty))
        if linked <= dirty:
            return dirty
        dirty |= linked


def _run(con, nodes: list[CompiledNode], dirty: set[str], land_dirs: list[str], links: list[set[str]]) -> tuple[list[str], int, int, list[str]]:
    """Every model, then every data test: (studies rebuilt, models run, tests run, test warnings)."""
    run = _Run(con, nodes, dirty, land_dirs, links)
    models = tests = 0
    errors = []
    batches: dict[tuple[str, ...], list[CompiledNode]] = {}  # the data tests of the same models, run in one query
    for node in _order(nodes):
        if node.resource_type == "model":
            try:
                run.run_model(node)
            except (FullBuildNeeded, IncrementalBuildFailed):
                raise
            except Exception as exc:  # a model's SQL or Python failed: say which model
                raise IncrementalBuildFailed(f"{node.name}: {type(exc).__name__}: {exc}") from exc
            models += 1
        else:
            batches.setdefault(tuple(sorted(node.depends_on)), []).append(node)
    for batch in batches.values():
        for outcome in run.run_tests(batch):
            tests += 1
            if outcome:
                (errors if outcome[0] == "error" else run.warnings).append(outcome[1])
    if errors:
        raise IncrementalBuildFailed(f"{len(errors)} data test(s) failed on the rebuilt studies:\n  " + "\n  ".join(errors))
    return run.dirty(), models, tests, run.warnings


def differences(warehouse_a: Path, warehouse_b: Path, significant_digits: int = 10,
                ignore_columns: tuple[str, ...] = ("source_file", "study_dir")) -> list[str]:
    """Tables whose rows differ between two warehouses (every schema but the build record), one line each.

    Doubles are compared to `significant_digits`: DuckDB sums in parallel, so two full builds of the same
    studies can differ in the last bit of a floating-point sum. `ignore_columns` hold file paths, which differ
    when the same study is read from another folder."""
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{warehouse_a}' as a (read_only)")
        con.execute(f"attach '{warehouse_b}' as b (read_only)")
        out = []
        tables = {(s, t) for db in "ab" for s, t in con.execute(
            f"select schema_name, table_name from duckdb_tables() where database_name = '{db}' "
            f"and schema_name <> '{STATE_SCHEMA}'").fetchall()}
        for schema, table in sorted(tables):
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = 'a' and schema_name = ? "
                "and table_name = ? order by column_index", [schema, table]).fetchall()
            if not columns:
                out.append(f"{schema}.{table}: only in {warehouse_b}")
                continue
            values = ", ".join(
                f"case when isfinite({_quote(c)}) and {_quote(c)} <> 0 then round({_quote(c)}, "
                f"{significant_digits - 1} - cast(floor(log10(abs({_quote(c)}))) as integer)) else {_quote(c)} end"
                if kind in ("DOUBLE", "FLOAT") else _quote(c)
                for c, kind in columns if c not in ignore_columns)
            try:
                only_a, only_b = (con.execute(
                    f"select count(*) from (select {values} from {x}.{_quote(schema)}.{_quote(table)} except all "
                    f"select {values} from {y}.{_quote(schema)}.{_quote(table)})").fetchall()[0][0] for x, y in ("ab", "ba"))
            except duckdb.CatalogException:
                out.append(f"{schema}.{table}: only in {warehouse_a}")
                continue
            if only_a or only_b:
                out.append(f"{schema}.{table}: {only_a} row(s) only in {warehouse_a}, {only_b} only in {warehouse_b}")
        return out
    finally:
        con.close()
