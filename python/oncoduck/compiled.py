"""The compiled project, and the one executor of it that runs on DuckDB without dbt.

dbt spends most of a small build on itself: parsing the project (~1,000 nodes), and per node its start-up,
events and adapter calls; the SQL of a 10-sample study takes about 5 s of a 60 s `dbt build`. Its output, the
compiled code of every model and data test, changes only with the project. So:

  - After a full `dbt build` by `oncoduck build`, the *compiled graph* is kept beside dbt's manifest
    (``<dbt target dir>/oncoduck_graph/<target>__<catalog>.duckdb``, write_graph): every model, data test and
    seed as dbt compiled it (code, dependencies, materialisation, contract columns, test severity), the
    project fingerprint (incremental.project_fingerprint), and the reference seed tables as dbt loaded them.
  - The next full build of the same project, of any studies, runs that graph in this process (run_graph): seeds
    copied, models in dependency order (SQL tables and views; Python models called as dbt calls them, with the
    build's study list; contracted tables created with their declared column types, as dbt's contract does),
    each model's data tests as soon as its parents are built, with dbt's severity, ``warn_if`` and
    ``error_if``. A failed model or error-level test skips its descendants, as ``dbt build`` does; the build
    then fails with every failure named. The reference seeds' own data tests passed when the graph was written,
    on the same seed files, and are not run again.
  - Tables equal those of ``dbt build`` on the same studies (tests/python/test_compiled_build.py). Unit tests
    test the code, not the data: the test suite runs them.

``oncoduck build --incremental`` (incremental.py) runs the same nodes with the same functions, on the rows of
the changed studies only.
"""

from __future__ import annotations

import dataclasses
import graphlib
import json
import os
import time
import types
from pathlib import Path

import duckdb
import pandas

NODE_COLUMNS = ("unique_id varchar, resource_type varchar, name varchar, relation_name varchar, language varchar, "
                "materialized varchar, compiled_code varchar, depends_on varchar[], incremental_meta varchar, "
                "test_config varchar, contract_columns varchar")
GRAPH_ALIAS = "oncoduck_graph"


@dataclasses.dataclass
class CompiledNode:
    """A model, data test or seed as dbt compiled it."""
    unique_id: str
    resource_type: str  # model, test or seed
    name: str
    relation_name: str | None  # "catalog"."schema"."table" (models and seeds)
    language: str | None  # sql or python (models)
    materialized: str | None
    compiled_code: str
    depends_on: list[str]
    incremental_meta: dict | None  # the model's meta.incremental (incremental.py)
    test_config: dict  # severity, fail_calc, warn_if, error_if (tests)
    contract_columns: list[tuple[str, str]] | None  # [(column, data type)] of an enforced contract

    @property
    def schema(self) -> str:
        return self.relation_name.split(".")[1].strip('"')

    @property
    def table(self) -> str:
        return self.relation_name.split(".")[2].strip('"')


# ---------------------------------------------------------------- the graph: from dbt's manifest, kept, read back

def nodes_from_manifest(manifest_path: Path) -> list[CompiledNode]:
    """The enabled models (with their compiled code), data tests and seeds of a manifest dbt wrote after a build."""
    manifest = json.loads(Path(manifest_path).read_text())
    nodes = []
    for uid, node in manifest["nodes"].items():
        kind = node["resource_type"]
        if kind not in ("model", "test", "seed") or (kind != "seed" and not node.get("compiled_code")):
            continue
        config = node["config"]
        contract = None
        if kind == "model" and config.get("contract", {}).get("enforced"):
            contract = [(c["name"], c["data_type"]) for c in node["columns"].values()]
        nodes.append(CompiledNode(
            uid, kind, node["name"], node.get("relation_name"), node.get("language"), config.get("materialized"),
            node.get("compiled_code") or "", node["depends_on"].get("nodes", []), config.get("meta", {}).get("incremental"),
            {k: config.get(k) for k in ("severity", "fail_calc", "warn_if", "error_if")}, contract))
    return nodes


def write_nodes(con: duckdb.DuckDBPyConnection, table: str, nodes: list[CompiledNode]) -> None:
    """Keep ``nodes`` in ``table`` (replaced), in one statement."""
    con.execute(f"create or replace table {table} ({NODE_COLUMNS})")
    frame = pandas.DataFrame([(
        n.unique_id, n.resource_type, n.name, n.relation_name, n.language, n.materialized, n.compiled_code,
        n.depends_on, json.dumps(n.incremental_meta), json.dumps(n.test_config), json.dumps(n.contract_columns))
        for n in nodes], columns=[c.split()[0] for c in NODE_COLUMNS.split(", ")])
    con.register("oncoduck_compiled_nodes", frame)
    con.execute(f"insert into {table} select * from oncoduck_compiled_nodes")
    con.unregister("oncoduck_compiled_nodes")


def read_nodes(con: duckdb.DuckDBPyConnection, table: str) -> list[CompiledNode]:
    rows = con.execute(f"select * from {table}").fetchall()
    return [CompiledNode(*r[:8], json.loads(r[8]) if r[8] else None, json.loads(r[9]),
                         [tuple(c) for c in json.loads(r[10])] if r[10] and r[10] != "null" else None)
            for r in rows]


def graph_file(target_dir: Path, target: str, catalog: str) -> Path:
    """Where the compiled graph of a target and warehouse name (the catalog its relation names carry) is kept."""
    return Path(target_dir) / "oncoduck_graph" / f"{target}__{catalog}.duckdb"


def write_graph(path: Path, manifest_path: Path, warehouse: Path, fingerprint: str, seeds_tested_at=None) -> None:
    """Keep the compiled graph of a successful full build: the manifest's nodes, the project fingerprint, the
    seed tables of ``warehouse`` (the build's own file, closed by dbt) and when their data tests passed
    (``seeds_tested_at``, else now). Written to a new file, then renamed."""
    nodes = nodes_from_manifest(manifest_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.unlink(missing_ok=True)
    con = duckdb.connect(str(partial))
    try:
        write_nodes(con, "nodes", nodes)
        con.execute(f"attach '{_sql_text(warehouse)}' as built (read_only)")
        con.execute("create table project as select ? as fingerprint, ? as database_name, "
                    "coalesce(cast(? as timestamptz), current_timestamp) as seeds_tested_at",
                    [fingerprint, compiled_catalog(nodes), seeds_tested_at])
        for seed in (n for n in nodes if n.resource_type == "seed"):
            con.execute(f"create schema if not exists {_quote(seed.schema)}")
            con.execute(f"create table {_quote(seed.schema)}.{_quote(seed.table)} as "
                        f"select * from built.{_quote(seed.schema)}.{_quote(seed.table)}")
    finally:
        con.close()
    partial.replace(path)


def graph_fingerprint(path: Path) -> str | None:
    """The project fingerprint the graph at ``path`` was compiled from; None when there is no readable graph."""
    if not Path(path).exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("select fingerprint from project").fetchall()[0][0]
    except duckdb.Error:
        return None
    finally:
        con.close()


# ---------------------------------------------------------------- running nodes (full and incremental builds)

def order(nodes: list[CompiledNode]) -> list[CompiledNode]:
    """The models in dependency order (ties by id, so every build runs them in the same order)."""
    by_id = {n.unique_id: n for n in nodes if n.resource_type == "model"}
    graph = graphlib.TopologicalSorter()
    for uid in sorted(by_id):
        graph.add(uid, *[d for d in by_id[uid].depends_on if d in by_id])
    return [by_id[uid] for uid in graph.static_order()]


def python_model_module(unique_id: str, compiled_code: str) -> types.ModuleType:
    """The module of a Python model's code as dbt compiled it: ``model(dbt, session)``, ``dbtObj(load)``
    (whose ``ref`` calls ``load(relation_name)``) and ``config_dict`` (the model's config)."""
    module = types.ModuleType(unique_id.split(".")[-1])
    exec(compile(compiled_code, f"<{unique_id}>", "exec"), module.__dict__)
    return module


def python_model_rows(con: duckdb.DuckDBPyConnection, node: CompiledNode, load, land_dirs: list[str] | None):
    """What a Python model returns (a DuckDB relation or a data frame). ``load(relation_name)`` answers its
    ``dbt.ref``; a landing model (``studies_json`` in its config) lands ``land_dirs``, or returns None when that
    list is empty (nothing to land)."""
    module = python_model_module(node.unique_id, node.compiled_code)
    if "studies_json" in module.config_dict:
        if not land_dirs:
            return None
        module.config_dict["studies_json"] = json.dumps(land_dirs)
        module.config_dict["skip_files_json"] = "[]"
    return module.model(module.dbtObj(load), con)


def keep_rows(con: duckdb.DuckDBPyConnection, rows, table: str) -> None:
    """Keep a model's rows (a DuckDB relation or a data frame) in the temp table ``table`` (replaced)."""
    con.execute(f"drop table if exists temp.main.{table}")
    con.register("oncoduck_model_frame", rows)
    con.execute(f"create temp table {table} as select * from oncoduck_model_frame")
    con.unregister("oncoduck_model_frame")


def test_failure(con: duckdb.DuckDBPyConnection, node: CompiledNode, code: str | None = None) -> tuple[str, str, int] | None:
    """None if the data test passes; else ('error' or 'warn', message, failures), as dbt's severity, fail_calc,
    warn_if and error_if say. ``code``: the test's compiled code, rewritten (incremental builds scope it)."""
    cfg = node.test_config
    fail_calc = cfg.get("fail_calc") or "count(*)"
    failures, warn, error = con.execute(
        f"select {fail_calc}, {fail_calc} {cfg.get('warn_if') or '!= 0'}, {fail_calc} {cfg.get('error_if') or '!= 0'} "
        f"from (\n{code or node.compiled_code}\n) as dbt_internal_test").fetchall()[0]
    if (cfg.get("severity") or "ERROR").upper() == "ERROR" and error:
        return "error", f"{node.name}: {failures} failing row(s)", failures
    if warn:
        return "warn", f"{node.name}: {failures} failing row(s)", failures
    return None


# ---------------------------------------------------------------- the full build

class BuildFailed(Exception):
    """Models or error-level data tests failed; the message names each."""


@dataclasses.dataclass
class GraphRun:
    models_run: int
    tests_run: int
    warned_tests: list[tuple[str, int]]  # (test name, failing rows), as dbt reports warnings
    seconds: float
    nodes: list[CompiledNode]  # what ran: the warehouse's build record keeps them (incremental.record_full_build)
    seeds_tested_at: object  # datetime: when the seeds' data tests passed on these seed files


def run_graph(warehouse: Path, graph: Path, study_dirs: list[Path], settings: dict | None = None,
              progress=None) -> GraphRun:
    """Build ``warehouse`` (a new, empty file whose name is the graph's catalog) from the compiled ``graph``, for
    ``study_dirs``. ``settings``: DuckDB settings (the profile's); ``progress``: a progress.BuildProgress.
    Raises BuildFailed (the file is then incomplete: the caller leaves it unswapped)."""
    start = time.perf_counter()
    con = duckdb.connect(str(warehouse))
    try:
        for key, value in (settings or {}).items():
            con.execute(f"set {key} = '{_sql_text(str(value))}'")
        con.execute(f"attach '{_sql_text(graph)}' as {GRAPH_ALIAS} (read_only)")
        nodes = read_nodes(con, f"{GRAPH_ALIAS}.main.nodes")
        compiled_for, seeds_tested_at = con.execute(
            f"select database_name, seeds_tested_at from {GRAPH_ALIAS}.main.project").fetchall()[0]
        if compiled_for != _catalog(con):
            raise BuildFailed(f"{graph} was compiled for {compiled_for}, not for {warehouse}")
        run = _GraphRunner(con, nodes, [str(Path(d).resolve()) for d in study_dirs], progress)
        run.run()
        con.execute(f"detach {GRAPH_ALIAS}")
        return GraphRun(run.models_run, run.tests_run, run.warned, time.perf_counter() - start, nodes, seeds_tested_at)
    finally:
        con.close()


class _GraphRunner:
    def __init__(self, con, nodes: list[CompiledNode], land_dirs: list[str], progress):
        self.con, self.land_dirs, self.progress = con, land_dirs, progress
        self.seeds = [n for n in nodes if n.resource_type == "seed"]
        self.models = order(nodes)
        model_ids = {m.unique_id for m in self.models}
        # data tests of models; those of the seeds alone passed when the graph was written (see the module doc)
        self.tests = [n for n in sorted(nodes, key=lambda n: n.unique_id)
                      if n.resource_type == "test" and any(d in model_ids for d in n.depends_on)]
        self.done: set[str] = {s.unique_id for s in self.seeds}
        self.failed: set[str] = set()  # failed or skipped models
        self.failures: list[str] = []
        self.warned: list[tuple[str, int]] = []
        self.models_run = self.tests_run = 0

    def run(self) -> None:
        if self.progress:
            self.progress.start(len(self.seeds) + len(self.models) + len(self.tests))
        for schema in sorted({n.schema for n in self.seeds + self.models}):
            self.con.execute(f"create schema if not exists {_quote(schema)}")
        for seed in self.seeds:
            self.con.execute(f"create table {seed.relation_name} as "
                             f"select * from {GRAPH_ALIAS}.{_quote(seed.schema)}.{_quote(seed.table)}")
            self._advance(seed.schema)
        pending = list(self.tests)
        for model in self.models:
            if any(d in self.failed for d in model.depends_on):
                self.failed.add(model.unique_id)
                self._advance(model.schema, failed=True)
                continue
            try:
                self._build(model)
                self.done.add(model.unique_id)
                self.models_run += 1
                self._advance(model.schema)
            except duckdb.Error as exc:
                self._fail(model, f"{model.name}: {type(exc).__name__}: {exc}")
            except Exception as exc:  # a Python model's own error: say which model
                self._fail(model, f"{model.name}: {type(exc).__name__}: {exc}")
            ready = [t for t in pending if all(d in self.done or d in self.failed for d in t.depends_on)]
            pending = [t for t in pending if t not in ready]
            for test in ready:
                self._test(test)
        if self.failures:
            raise BuildFailed(f"{len(self.failures)} failure(s):\n  " + "\n  ".join(self.failures))

    def _fail(self, model: CompiledNode, message: str) -> None:
        self.failures.append(message)
        self.failed.add(model.unique_id)
        self._advance(model.schema, failed=True)

    def _advance(self, schema: str, failed: bool = False) -> None:
        if self.progress:
            self.progress.advance(schema, failed)

    def _build(self, model: CompiledNode) -> None:
        if model.language == "python":
            rows = python_model_rows(self.con, model, lambda relation: self.con.query(f"select * from {relation}"),
                                     self.land_dirs)
            keep_rows(self.con, rows, "oncoduck_model_rows")
            self._create_table(model, "select * from temp.main.oncoduck_model_rows")
            self.con.execute("drop table temp.main.oncoduck_model_rows")
        elif model.materialized == "view":
            self.con.execute(f"create view {model.relation_name} as (\n{model.compiled_code}\n)")
        else:
            self._create_table(model, model.compiled_code)

    def _create_table(self, model: CompiledNode, select: str) -> None:
        if not model.contract_columns:
            self.con.execute(f"create table {model.relation_name} as (\n{select}\n)")
            return
        # as dbt's enforced contract: the declared columns and types, the query's columns inserted by name
        columns = ", ".join(f"{_quote(c)} {t}" for c, t in model.contract_columns)
        names = ", ".join(_quote(c) for c, _ in model.contract_columns)
        self.con.execute(f"create table {model.relation_name} ({columns})")
        self.con.execute(f"insert into {model.relation_name} ({names}) select {names} from (\n{select}\n) as model_rows")

    def _test(self, test: CompiledNode) -> None:
        if any(d in self.failed for d in test.depends_on):
            self._advance("", failed=True)
            return
        self.tests_run += 1
        try:
            outcome = test_failure(self.con, test)
        except duckdb.Error as exc:
            outcome = ("error", f"{test.name}: {type(exc).__name__}: {exc}", None)
        if outcome and outcome[0] == "error":
            self.failures.append(outcome[1])
            self.failed.update(d for d in test.depends_on if d.startswith("model."))
        elif outcome:
            self.warned.append((test.name, outcome[2] or 0))
        self._advance("", failed=bool(outcome and outcome[0] == "error"))


def compiled_catalog(nodes: list[CompiledNode]) -> str:
    """The catalog (warehouse name) the relation names of compiled nodes carry."""
    catalogs = {n.relation_name.split(".")[0].strip('"') for n in nodes if n.resource_type == "model"}
    if len(catalogs) != 1:
        raise ValueError(f"nodes compiled for {len(catalogs)} catalogs: {', '.join(sorted(catalogs))}")
    return catalogs.pop()


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchall()[0][0]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_text(value) -> str:
    return str(value).replace("'", "''")
