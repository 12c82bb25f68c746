"""The compiled project, and the one executor of it that runs on DuckDB without dbt.

dbt spends most of a small build on itself: parsing the project (about 1,400 nodes), and per node its
start-up, events and adapter calls; the SQL of a 10-sample study takes about 5 s of a 60 s `dbt build`. Its
output, the compiled code of every model and data test, changes only with the project. So:

  - After a full `dbt build` by `oncoduck build`, the *compiled graph* is kept beside dbt's manifest
    (``<dbt target dir>/oncoduck_graph/<target>__<catalog>.duckdb``, write_graph): every model, data test and
    seed as dbt compiled it (code, dependencies, materialisation, contract columns, test severity), the
    project fingerprint (incremental.project_fingerprint), and the reference seed tables as dbt loaded them.
  - The next full build of the same project, of any studies, runs that graph in this process (run_graph):
    seeds copied; models and data tests in the order `dbt build` runs them, side by side on the profile's
    threads (_GraphRunner); Python models called as dbt calls them, with the build's study list; contracted
    tables created with their declared column types, as dbt's contract does; data tests with dbt's severity,
    ``warn_if`` and ``error_if``, those of the same models in one query. A generic test whose failing rows would be rows of its table (not_null,
    unique, relationships ...: ROW_TESTS) passes without a query when that table is empty; the build says how
    many. A failed model or error-level test skips its descendants, as ``dbt build`` does; the build then
    fails with every failure named. The reference seeds' own data tests passed when the graph was written, on
    the same seed files, and are not run again.
  - Tables equal those of ``dbt build`` on the same studies (tests/python/test_compiled_build.py). Unit tests
    test the code, not the data: the test suite runs them.

An update of the changed studies (incremental.py) runs the same nodes with the same functions, on the rows of
the changed studies only. `oncoduck validate` runs the graph's landing and staging models (run_graph's ``select``,
without data tests) into a throw-away database, and the test suite builds its fixture studies the same way.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import graphlib
import heapq
import json
import os
import threading
import time
import types
from pathlib import Path

import duckdb

NODE_COLUMNS = ("unique_id varchar, resource_type varchar, name varchar, relation_name varchar, language varchar, "
                "materialized varchar, compiled_code varchar, depends_on varchar[], incremental_meta varchar, "
                "test_config varchar, contract_columns varchar, test_kind varchar, tested_node varchar")
GRAPH_ALIAS = "oncoduck_graph"
# A unit (model or batch of data tests) that reads at least this many rows, as built, runs beside no other such
# unit (_GraphRunner): at 10M MAF rows and the profile's 500MB, two of them side by side ran out of DuckDB memory
# and lost their partial runs (benchmarks/RESULTS.md, "10M rows from the compiled project"). The largest unit
# input of the 1M-row cohort is about 7M rows (int_sample_gene_alterations), so that build runs as before.
HEAVY_INPUT_ROWS = 8_000_000


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
    test_kind: str | None  # a generic data test's name (not_null, relationships ...)
    tested_node: str | None  # the model or seed a generic data test is attached to

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
            {k: config.get(k) for k in ("severity", "fail_calc", "warn_if", "error_if")}, contract,
            (node.get("test_metadata") or {}).get("name"), node.get("attached_node")))
    return nodes


def write_nodes(con: duckdb.DuckDBPyConnection, table: str, nodes: list[CompiledNode]) -> None:
    """Keep ``nodes`` in ``table`` (replaced), in one statement."""
    import pandas  # here: the build's first second is better spent on the models (the statistics import it anyway)

    con.execute(f"create or replace table {table} ({NODE_COLUMNS})")
    frame = pandas.DataFrame([(
        n.unique_id, n.resource_type, n.name, n.relation_name, n.language, n.materialized, n.compiled_code,
        n.depends_on, json.dumps(n.incremental_meta), json.dumps(n.test_config), json.dumps(n.contract_columns),
        n.test_kind, n.tested_node)
        for n in nodes], columns=[c.split()[0] for c in NODE_COLUMNS.split(", ")])
    con.register("oncoduck_compiled_nodes", frame)
    con.execute(f"insert into {table} select * from oncoduck_compiled_nodes")
    con.unregister("oncoduck_compiled_nodes")


def read_nodes(con: duckdb.DuckDBPyConnection, table: str) -> list[CompiledNode]:
    rows = con.execute(f"select * from {table}").fetchall()
    return [CompiledNode(*r[:8], json.loads(r[8]) if r[8] else None, json.loads(r[9]),
                         [tuple(c) for c in json.loads(r[10])] if r[10] and r[10] != "null" else None, *r[11:13])
            for r in rows]


def graph_file(target_dir: Path, target: str, catalog: str) -> Path:
    """Where the compiled graph of a target and warehouse name (the catalog its relation names carry) is kept."""
    return Path(target_dir) / "oncoduck_graph" / f"{target}__{catalog}.duckdb"


def current_graph(target_dir: Path, fingerprint: str) -> Path | None:
    """The newest graph under ``target_dir`` (any target and warehouse name) compiled from the project as it is
    (``fingerprint``: incremental.project_fingerprint), if any."""
    graphs = sorted((Path(target_dir) / "oncoduck_graph").glob("*__*.duckdb"), key=lambda p: -p.stat().st_mtime)
    return next((g for g in graphs if graph_fingerprint(g) == fingerprint), None)


def graph_catalog(path: Path) -> str:
    """The warehouse name (catalog) the graph at ``path`` was compiled for, from its file name (graph_file)."""
    return Path(path).stem.split("__", 1)[1]


def write_graph(path: Path, nodes: list[CompiledNode], warehouse: Path, fingerprint: str, seeds_tested_at=None) -> None:
    """Keep the compiled graph of a successful full build: its nodes (nodes_from_manifest), the project fingerprint, the
    seed tables of ``warehouse`` (the build's own file, closed by dbt) and when their data tests passed
    (``seeds_tested_at``, else now). Written to a new file, then renamed."""
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


def python_model_rows(con: duckdb.DuckDBPyConnection, node: CompiledNode, load, land_dirs: list[str] | None,
                      module: types.ModuleType | None = None, skip_files: list[str] | None = None):
    """What a Python model returns (a DuckDB relation or a data frame). ``load(relation_name)`` answers its
    ``dbt.ref``; a landing model (``studies_json`` in its config) lands ``land_dirs`` but ``skip_files``, or returns
    None when that list is empty (nothing to land). ``module``: the model's module, if already made
    (python_model_module)."""
    module = module or python_model_module(node.unique_id, node.compiled_code)
    if "studies_json" in module.config_dict:
        if not land_dirs:
            return None
        module.config_dict["studies_json"] = json.dumps(land_dirs)
        module.config_dict["skip_files_json"] = json.dumps(skip_files or [])
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
    return test_failures(con, [node], [code])[0]


def test_failures(con: duckdb.DuckDBPyConnection, nodes: list[CompiledNode],
                  codes: list[str | None] | None = None) -> list[tuple[str, str, int] | None]:
    """test_failure of each data test in ``nodes``, all in one query (a union of their verdicts): a query per
    test costs more than most tests' own work on a small study. A test whose SQL fails makes the query fail."""
    branches = []
    for i, (node, code) in enumerate(zip(nodes, codes or [None] * len(nodes))):
        cfg = node.test_config
        fail_calc = cfg.get("fail_calc") or "count(*)"
        branches.append(
            f"select {i} as test_index, {fail_calc} as failures, {fail_calc} {cfg.get('warn_if') or '!= 0'} as warn, "
            f"{fail_calc} {cfg.get('error_if') or '!= 0'} as error from (\n{code or node.compiled_code}\n) as dbt_internal_test")
    verdicts: list[tuple[str, str, int] | None] = [None] * len(nodes)
    for i, failures, warn, error in con.execute("\nunion all\n".join(branches)).fetchall():
        node = nodes[i]
        if (node.test_config.get("severity") or "ERROR").upper() == "ERROR" and error:
            verdicts[i] = ("error", f"{node.name}: {failures} failing row(s)", failures)
        elif warn:
            verdicts[i] = ("warn", f"{node.name}: {failures} failing row(s)", failures)
    return verdicts


# ---------------------------------------------------------------- the full build

class BuildFailed(Exception):
    """Models or error-level data tests failed; the message names each."""


@dataclasses.dataclass
class GraphRun:
    models_run: int
    tests_run: int
    tests_on_empty_tables: int  # row tests of empty tables: passed without a query (ROW_TESTS)
    warned_tests: list[tuple[str, int]]  # (test name, failing rows), as dbt reports warnings
    run_again_alone: list[str]  # nodes that ran out of DuckDB memory beside others and passed when run alone
    needed_more_memory: list[tuple[str, str]]  # (node, the DuckDB memory limit it passed with) above the profile's
    heavy_waits: int  # times a unit reading HEAVY_INPUT_ROWS or more waited for another such unit
    seconds: float
    nodes: list[CompiledNode]  # what ran: the warehouse's build record keeps them (incremental.record_full_build)
    seeds_tested_at: object  # datetime: when the seeds' data tests passed on these seed files


def run_graph(warehouse: Path, graph: Path, study_dirs: list[Path], settings: dict | None = None, threads: int = 1,
              progress=None, select: set[str] | None = None, data_tests: bool = True,
              skip_files: list[str] | None = None) -> GraphRun:
    """Build ``warehouse`` (a new, empty file whose name is the graph's catalog) from the compiled ``graph``, for
    ``study_dirs``. ``settings``: DuckDB settings (the profile's); ``threads``: nodes run at once (the profile's
    dbt threads); ``progress``: a progress.BuildProgress; ``select``: model names to build with every model they
    read (dbt's ``--select +name ... --indirect-selection cautious``: only the data tests whose models are all
    built), else all; ``data_tests``: False builds the models only; ``skip_files``: study files not to land (files
    refused by an ERROR finding, as `oncoduck validate` skips them). Raises BuildFailed (the file is then
    incomplete: the caller leaves it unswapped)."""
    start = time.perf_counter()
    con = duckdb.connect(str(warehouse))
    try:
        apply_settings(con, settings)
        con.execute(f"attach '{_sql_text(graph)}' as {GRAPH_ALIAS} (read_only)")
        nodes = read_nodes(con, f"{GRAPH_ALIAS}.main.nodes")
        if select is not None:
            nodes = selected(nodes, select)
        if not data_tests:
            nodes = [n for n in nodes if n.resource_type != "test"]
        compiled_for, seeds_tested_at = con.execute(
            f"select database_name, seeds_tested_at from {GRAPH_ALIAS}.main.project").fetchall()[0]
        if compiled_for != _catalog(con):
            raise BuildFailed(f"{graph} was compiled for {compiled_for}, not for {warehouse}")
        run = _GraphRunner(con, nodes, [str(Path(d).resolve()) for d in study_dirs], progress,
                          (settings or {}).get("memory_limit"), skip_files or [])
        run.run(threads)
        con.execute(f"detach {GRAPH_ALIAS}")
        return GraphRun(run.models_run, run.tests_run, run.tests_on_empty, run.warned, run.run_again_alone,
                        run.needed_more_memory, run.held_back, time.perf_counter() - start, nodes, seeds_tested_at)
    finally:
        con.close()


def apply_settings(con: duckdb.DuckDBPyConnection, settings: dict | None) -> None:
    """Set a build connection's DuckDB ``settings`` (the profile's: memory_limit, disabled_optimizers)."""
    for key, value in (settings or {}).items():
        con.execute(f"set {key} = '{_sql_text(str(value))}'")


def selected(nodes: list[CompiledNode], names: set[str]) -> list[CompiledNode]:
    """The seeds, the models named and every model they read, and the data tests whose models are all among them."""
    by_id = {n.unique_id: n for n in nodes}
    unknown = names - {n.name for n in nodes if n.resource_type == "model"}
    if unknown:
        raise BuildFailed(f"no such model(s) in the compiled project: {', '.join(sorted(unknown))}")
    keep: set[str] = set()
    todo = [n.unique_id for n in nodes if n.resource_type == "model" and n.name in names]
    while todo:
        uid = todo.pop()
        if uid not in keep and by_id[uid].resource_type == "model":
            keep.add(uid)
            todo.extend(d for d in by_id[uid].depends_on if d in by_id)
    return [n for n in nodes if n.resource_type == "seed" or n.unique_id in keep or (
        n.resource_type == "test" and all(d in keep or d in by_id and by_id[d].resource_type == "seed" for d in n.depends_on))]


# Generic data tests whose failing rows are rows of the table they are attached to: on an empty table they pass
# without a query. (reconciles_with_landing, signature_context_missing and singular tests can fail on an empty
# table, and always run.)
ROW_TESTS = frozenset({"not_null", "unique", "accepted_values", "relationships", "unique_combination",
                       "relationships_combination", "values_in_range", "is_empty"})


class _GraphRunner:
    """Models and data tests in dependency order, as `dbt build` orders them: a test after the models it reads,
    a model after its parents and their tests. The data tests of the same models run as one batch, in one query
    (test_failures): a query per test cost more than the tests' own work on a small study. A batch whose query
    fails runs its tests one by one, to name the test that failed. Ready units (a model or a batch of tests)
    run side by side on worker threads, each with its own cursor (DuckDB runs queries of several cursors at
    once and releases the GIL meanwhile); this thread only schedules and counts.

    The units running side by side share one DuckDB memory limit. A unit reading HEAVY_INPUT_ROWS or more
    (the rows of the tables it reads, a view counting the rows it reads) waits while another such unit runs;
    smaller units run beside it. A unit that runs out of the limit beside others all the same (some
    operators cannot spill) is run again alone once the others have finished: a build does not fail, or pass,
    by the luck of which units happened to overlap. A unit out of memory even alone (at 10M rows, the full
    join of int_sample_gene_alterations at 500MB) is run with the limit doubled, up to half the machine's
    memory, and the build names the limit it needed."""

    def __init__(self, con, nodes: list[CompiledNode], land_dirs: list[str], progress, memory_limit: str | None = None,
                 skip_files: list[str] | None = None):
        self.con, self.land_dirs, self.progress, self.skip_files = con, land_dirs, progress, skip_files
        self.memory_limit = memory_limit  # the profile's DuckDB setting, set back after a unit needed more
        self.seeds = [n for n in nodes if n.resource_type == "seed"]
        models = order(nodes)
        self.models = {m.unique_id: m for m in models}
        # data tests of models; those of the seeds alone passed when the graph was written (see the module doc)
        tests = [n for n in sorted(nodes, key=lambda n: n.unique_id)
                 if n.resource_type == "test" and any(d in self.models for d in n.depends_on)]
        by_models: dict[frozenset[str], list[CompiledNode]] = {}
        for test in tests:
            by_models.setdefault(frozenset(d for d in test.depends_on if d in self.models), []).append(test)
        # a batch: the data tests of one set of models, by id ("tests of" and the models' ids)
        self.batches = {"tests of " + " ".join(sorted(tested)): (tested, batch) for tested, batch in by_models.items()}
        self.rank = {uid: i for i, uid in enumerate([*self.models, *sorted(self.batches)])}  # models first, in order
        ancestors: dict[str, set[str]] = {}
        for model in models:  # in dependency order: a model's parents come first
            parents = {d for d in model.depends_on if d in self.models}
            ancestors[model.unique_id] = parents.union(*(ancestors[p] for p in parents))
        batches_of: dict[str, list[str]] = {}  # model -> the batches testing it
        for bid, (tested, _) in self.batches.items():
            for model in tested:
                batches_of.setdefault(model, []).append(bid)
        self.needs: dict[str, set[str]] = {bid: set(tested) for bid, (tested, _) in self.batches.items()}
        for uid, model in self.models.items():
            parents = {d for d in model.depends_on if d in self.models}
            # and the tests of its parents whose models are all upstream of it (dbt's own rule: a relationships
            # test of a parent that reads a model built later does not hold it up)
            self.needs[uid] = parents | {b for p in parents for b in batches_of.get(p, [])
                                         if self.batches[b][0] <= ancestors[uid]}
        self.needed_by: dict[str, list[str]] = {}
        for uid, parents in self.needs.items():
            for parent in parents:
                self.needed_by.setdefault(parent, []).append(uid)
        self.n_tests = len(tests)
        self.failed: set[str] = set()  # failed or skipped units
        self.empty: set[str] = set()  # models whose table has no row
        self.failures: list[str] = []
        self.warned: list[tuple[str, int]] = []
        self.models_run = self.tests_run = self.tests_on_empty = 0
        self.out_of_memory: list[str] = []  # waiting to run again alone
        self.run_again_alone: list[str] = []
        self.needed_more_memory: list[tuple[str, str]] = []
        self.rows: dict[str, int] = {}  # model -> rows of its table, as built (_build)
        self.heavy: dict[str, bool] = {}  # unit -> whether it reads HEAVY_INPUT_ROWS or more (_is_heavy)
        self.held_back = 0  # times a heavy unit waited for another to finish (GraphRun.heavy_waits)
        # The modules of the Python models above landing import pandas and scipy: over a second of the GIL, made
        # on a thread of their own (_prepare_modules) once the landing models are done, while staging and the
        # marts build in DuckDB, which runs without the GIL. Made from the start, beside landing, they held back
        # the landing models' own Python: a 10-sample study's landing took 1.3 s instead of 0.5 s.
        self.prepared = {uid for uid, m in self.models.items() if m.language == "python" and m.schema != "landing"}
        self.landing_left = {uid for uid, m in self.models.items() if m.schema == "landing"}
        self.preparing: concurrent.futures.Executor | None = None
        self.modules: concurrent.futures.Future | None = None
        self.local = threading.local()
        self.modules_lock = threading.Lock()  # one preparation of the modules, whichever thread asks first

    def run(self, threads: int) -> None:
        if self.progress:
            self.progress.start(len(self.seeds) + len(self.models) + self.n_tests)
        for schema in sorted({n.schema for n in self.seeds} | {m.schema for m in self.models.values()}):
            self.con.execute(f"create schema if not exists {_quote(schema)}")
        for seed in self.seeds:
            self.con.execute(f"create table {seed.relation_name} as "
                             f"select * from {GRAPH_ALIAS}.{_quote(seed.schema)}.{_quote(seed.table)}")
            self._advance(seed.schema)
        waiting = {uid: len(parents) for uid, parents in self.needs.items()}
        ready = [(self.rank[uid], uid) for uid, n in waiting.items() if n == 0]  # a heap: lowest rank first
        heapq.heapify(ready)
        running: dict[concurrent.futures.Future, str] = {}
        with concurrent.futures.ThreadPoolExecutor(1) as preparing, \
                concurrent.futures.ThreadPoolExecutor(max(1, threads)) as pool:
            self.preparing = preparing
            alone = None  # the unit running alone, after it ran out of memory beside others
            while ready or running or self.out_of_memory:
                if self.modules is None and not self.landing_left:
                    self._prepare_modules()
                if self.out_of_memory and not running:
                    alone = self.out_of_memory.pop(0)
                    self.run_again_alone.append(self._name(alone))
                    running[pool.submit(self._run_unit, alone, True)] = alone
                waiting_for_heavy = []  # heavy units ready while another heavy one runs
                while ready and not self.out_of_memory and alone is None and len(running) < max(1, threads):
                    rank, uid = heapq.heappop(ready)
                    if self.needs[uid] & self.failed:  # skipped: what it reads failed
                        self._finish(uid, [True] * self._size(uid), waiting, ready)
                        continue
                    if self._is_heavy(uid) and any(self._is_heavy(other) for other in running.values()):
                        waiting_for_heavy.append((rank, uid))
                        continue
                    running[pool.submit(self._run_unit, uid)] = uid
                self.held_back += len(waiting_for_heavy)
                for item in waiting_for_heavy:
                    heapq.heappush(ready, item)
                if not running:
                    continue
                done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: self.rank[running[f]]):
                    uid = running.pop(future)
                    alone = None if uid == alone else alone
                    outcome = future.result()
                    if outcome == "out_of_memory":
                        self.out_of_memory.append(uid)
                        continue
                    self._finish(uid, self._record(uid, outcome), waiting, ready)
        never_run = [uid for uid, n in waiting.items() if n > 0]
        if never_run:  # a cycle in the graph: a bug, never a silently partial warehouse
            raise BuildFailed(f"{len(never_run)} node(s) never became ready, e.g. {never_run[0]}")
        if self.failures:
            raise BuildFailed(f"{len(self.failures)} failure(s):\n  " + "\n  ".join(self.failures))

    def _prepare_modules(self) -> concurrent.futures.Future:
        """The modules of the Python models above landing, {unique_id: module}, made once on the preparing thread."""
        with self.modules_lock:
            if self.modules is None:
                self.modules = self.preparing.submit(lambda: {
                    uid: python_model_module(uid, self.models[uid].compiled_code) for uid in self.prepared})
            return self.modules

    def _name(self, uid: str) -> str:
        if uid in self.models:
            return self.models[uid].name
        return "data tests of " + ", ".join(sorted(self.models[m].name for m in self.batches[uid][0]))

    def _is_heavy(self, uid: str) -> bool:
        """Whether a unit whose inputs are built reads HEAVY_INPUT_ROWS or more."""
        if uid not in self.heavy:
            self.heavy[uid] = self._input_rows(uid) >= HEAVY_INPUT_ROWS
        return self.heavy[uid]

    def _input_rows(self, uid: str) -> int:
        """The rows a unit reads: those of the models it reads (a batch: the tested models), a view's being the
        rows it reads in turn."""
        reads = self.batches[uid][0] if uid in self.batches else [d for d in self.models[uid].depends_on
                                                                   if d in self.models]
        total = 0
        for model in reads:
            if model not in self.rows:  # a view (or a model that failed: nothing)
                self.rows[model] = self._input_rows(model) if self.models[model].materialized == "view" else 0
            total += self.rows[model]
        return total

    def _size(self, uid: str) -> int:
        return 1 if uid in self.models else len(self.batches[uid][1])

    def _finish(self, uid: str, failed: list[bool], waiting: dict[str, int], ready: list[tuple[int, str]]) -> None:
        """``failed``: for a model, whether it failed or was skipped; for a batch, the same of each test."""
        if any(failed):
            self.failed.add(uid)
            if uid in self.batches:  # dbt skips what reads the tested models
                self.failed.update(self.batches[uid][0])
        self.landing_left.discard(uid)
        schema = self.models[uid].schema if uid in self.models else ""
        for node_failed in failed:
            self._advance(schema, node_failed)
        for child in self.needed_by.get(uid, []):
            waiting[child] -= 1
            if not waiting[child]:
                heapq.heappush(ready, (self.rank[child], child))

    def _record(self, uid: str, outcome) -> list[bool]:
        """Count a unit's outcome (worker result): a model's ('built', empty) or ('error', message), a batch's
        outcome of each test; whether each failed."""
        if uid in self.models:
            if outcome[0] == "built":
                self.models_run += 1
                if outcome[1]:
                    self.empty.add(uid)
                return [False]
            self.failures.append(outcome[1])
            return [True]
        failed = []
        for test, (kind, detail) in zip(self.batches[uid][1], outcome):
            if kind == "empty":
                self.tests_on_empty += 1
            else:
                self.tests_run += 1
            if kind == "warn":
                self.warned.append((test.name, detail[2] or 0))
            elif kind == "error":  # an error-level test failure, or the test's SQL failed
                self.failures.append(detail)
            failed.append(kind == "error")
        return failed

    def _advance(self, schema: str, failed: bool = False) -> None:
        if self.progress:
            self.progress.advance(schema, failed)

    # ---- on a worker thread

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        if not hasattr(self.local, "cursor"):
            self.local.cursor = self.con.cursor()
        return self.local.cursor

    def _run_unit(self, uid: str, alone: bool = False) -> object:
        """Build a model or run a batch of tests on this thread's cursor: its outcome (see _record), or
        'out_of_memory' beside others. ``alone``: nothing else runs (a run again after running out of memory);
        out of memory then, it runs with more (_with_more_memory)."""
        cur = self._cursor()
        try:
            return self._attempt(cur, uid, alone)
        except duckdb.OutOfMemoryException as exc:
            return self._with_more_memory(cur, uid, exc) if alone else "out_of_memory"

    def _attempt(self, cur: duckdb.DuckDBPyConnection, uid: str, alone: bool) -> object:
        """A unit's outcome; raises OutOfMemoryException. A model's other exceptions are its outcome."""
        if uid in self.batches:
            return self._tests(cur, self.batches[uid][1])
        model = self.models[uid]
        try:
            if alone:  # what the attempt beside others left (a contracted table is created before its rows)
                cur.execute(f"drop {'view' if model.materialized == 'view' else 'table'} if exists {model.relation_name}")
            return "built", self._build(cur, model)
        except duckdb.OutOfMemoryException:
            raise
        except Exception as exc:  # the model's SQL or Python failed: say which
            return "error", f"{model.name}: {type(exc).__name__}: {exc}"

    def _with_more_memory(self, cur: duckdb.DuckDBPyConnection, uid: str, exc: Exception) -> object:
        """Run unit ``uid`` (alone: nothing else runs) with DuckDB's memory limit doubled until it passes or the
        limit would pass half the machine's memory; the profile's limit is set back after."""
        profile_limit = cur.execute("select current_setting('memory_limit')").fetchall()[0][0]
        ceiling = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
        limit = _bytes(profile_limit)
        try:
            while 2 * limit <= ceiling:
                limit *= 2
                cur.execute(f"set memory_limit = '{limit // 2**20}MiB'")
                try:
                    outcome = self._attempt(cur, uid, alone=True)
                except duckdb.OutOfMemoryException as again:
                    exc = again
                    continue
                self.needed_more_memory.append((self._name(uid), f"{limit / 2**30:.1f} GiB"))
                return outcome
        finally:
            cur.execute(f"set memory_limit = '{self.memory_limit or profile_limit}'")
        message = f"{self._name(uid)}: {type(exc).__name__} even alone with {limit / 2**30:.1f} GiB: {exc}"
        return ("error", message) if uid in self.models else [("error", message)] * len(self.batches[uid][1])

    def _build(self, cur: duckdb.DuckDBPyConnection, model: CompiledNode) -> bool:
        """Build a model; True when its table is empty."""
        if model.language == "python":
            rows = python_model_rows(cur, model, lambda relation: cur.query(f"select * from {relation}"),
                                     self.land_dirs,
                                     self._prepare_modules().result()[model.unique_id]
                                     if model.unique_id in self.prepared else None,
                                     self.skip_files)
            frame = f"oncoduck_rows_of_{model.name}"
            cur.register(frame, rows)
            try:
                written = self._create_table(cur, model, f"select * from {frame}")
            finally:
                cur.unregister(frame)
        elif model.materialized == "view":
            cur.execute(f"create view {model.relation_name} as (\n{model.compiled_code}\n)")
            return False
        else:
            written = self._create_table(cur, model, model.compiled_code)
        self.rows[model.unique_id] = written
        return written == 0

    @staticmethod
    def _create_table(cur: duckdb.DuckDBPyConnection, model: CompiledNode, select: str) -> int:
        """Create the model's table from ``select``; the rows written (what DuckDB's create ... as and insert return:
        no catalog query after each of a build's models)."""
        if not model.contract_columns:
            return cur.execute(f"create table {model.relation_name} as (\n{select}\n)").fetchall()[0][0]
        # as dbt's enforced contract: the declared columns and types, the query's columns inserted by name
        columns = ", ".join(f"{_quote(c)} {t}" for c, t in model.contract_columns)
        names = ", ".join(_quote(c) for c, _ in model.contract_columns)
        cur.execute(f"create table {model.relation_name} ({columns})")
        return cur.execute(f"insert into {model.relation_name} ({names}) select {names} from (\n{select}\n) as model_rows"
                           ).fetchall()[0][0]

    def _tests(self, cur: duckdb.DuckDBPyConnection, tests: list[CompiledNode]) -> list[tuple[str, object]]:
        """The outcome of each data test of a batch: ('passed' | 'empty', None), ('warn', test_failure's
        outcome) or ('error', message). Raises OutOfMemoryException."""
        queried = [t for t in tests if not (t.test_kind in ROW_TESTS and t.tested_node in self.empty)]
        try:
            verdicts = dict(zip((t.unique_id for t in queried), test_failures(cur, queried) if queried else []))
        except duckdb.OutOfMemoryException:
            raise
        except Exception:  # a test's SQL failed: each test alone, to say which
            verdicts = {t.unique_id: self._verdict_alone(cur, t) for t in queried}
        outcomes = []
        for test in tests:
            if test.unique_id not in verdicts:
                outcomes.append(("empty", None))
            elif verdicts[test.unique_id] is None:
                outcomes.append(("passed", None))
            elif verdicts[test.unique_id][0] == "warn":
                outcomes.append(("warn", verdicts[test.unique_id]))
            else:
                outcomes.append(("error", verdicts[test.unique_id][1]))
        return outcomes

    @staticmethod
    def _verdict_alone(cur: duckdb.DuckDBPyConnection, test: CompiledNode) -> tuple[str, str, int] | None:
        try:
            return test_failure(cur, test)
        except duckdb.OutOfMemoryException:
            raise
        except Exception as exc:
            return "error", f"{test.name}: {type(exc).__name__}: {exc}", None


def compiled_catalog(nodes: list[CompiledNode]) -> str:
    """The catalog (warehouse name) the relation names of compiled nodes carry."""
    catalogs = {n.relation_name.split(".")[0].strip('"') for n in nodes if n.resource_type == "model"}
    if len(catalogs) != 1:
        raise ValueError(f"nodes compiled for {len(catalogs)} catalogs: {', '.join(sorted(catalogs))}")
    return catalogs.pop()


def _catalog(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_database()").fetchall()[0][0]


def _bytes(size: str) -> int:
    """Bytes of a DuckDB size setting as current_setting shows it ('476.8 MiB', '1.8 GiB', '500.0 MB')."""
    number, unit = size.split()
    powers = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40, "KB": 10**3, "MB": 10**6,
              "GB": 10**9, "TB": 10**12}
    return int(float(number) * powers[unit])


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_text(value) -> str:
    return str(value).replace("'", "''")
