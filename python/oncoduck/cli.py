"""The `oncoduck` command: build a warehouse from study folders, validate a folder, write cohorts.

    oncoduck build [--study DIR ...] [--add | --replace] [--warehouse FILE] [--full] [--verbose]
                                                       build the studies (default: the demo), then publish and
                                                       report; once built, only the studies that changed are
                                                       recomputed (--full: all of them)
    oncoduck validate DIR [DIR ...]                    every finding as file:line:column: SEVERITY: code: detail;
                                                       exit 0 clean, 3 warnings only, 1 errors (several folders:
                                                       a comparison across studies needs all of its studies)
    oncoduck simulate --demo | --samples N ...         write the demo or a benchmark cohort
    oncoduck publish [--pseudonymize] [--serving-dir DIR]   read-only serving copy (DuckDB + Parquet) for BI tools
    oncoduck report [--comparison NAME] [--out DIR]    the cohort report: one HTML file, interactive figures
    oncoduck sql [--source serving|warehouse] [QUERY]  SQL on the serving copy or the warehouse, read-only
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from .progress import BuildProgress
from .paths import DEMO_STUDIES_DIR, PROJECT_ROOT, dbt_target_dir, demo_study_dirs, profile_output, target_warehouse

EXIT_PROBLEMS = 2


def _dbt(args: list[str], env: dict[str, str] | None = None, callbacks: list | None = None):
    """Run dbt in-process through its programmatic runner, from the project root; ``callbacks`` get every event."""
    from dbt.cli.main import dbtRunner

    os.environ.update(env or {})
    os.environ.setdefault("DBT_PROFILES_DIR", str(PROJECT_ROOT))
    cwd = os.getcwd()
    os.chdir(PROJECT_ROOT)
    try:
        return dbtRunner(callbacks=callbacks or []).invoke(
            [*args, "--project-dir", str(PROJECT_ROOT), "--profiles-dir", str(PROJECT_ROOT)])
    finally:
        os.chdir(cwd)


def _release_dbt_connection() -> None:
    """Close the DuckDB instance dbt-duckdb keeps open in-process, so the warehouse can be attached read-only."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager
    except ImportError:
        return
    with manager._LOCK:
        if manager._ENV is not None:
            manager._ENV.close()
            manager._ENV = None


def _study_vars(studies: list[str]) -> str:
    return json.dumps({"studies": [str(Path(s).resolve()) for s in studies]})


def _print_findings(findings, command: str) -> bool:
    """Print the findings of the study folders; True when an ERROR among them stops the command."""
    for f in findings:
        print(f, file=sys.stderr if f.severity == "ERROR" else sys.stdout)
    n_errors = sum(f.severity == "ERROR" for f in findings)
    if n_errors:
        print(f"oncoduck {command}: {n_errors} error(s) stop the build; `oncoduck validate DIR` lists every finding.",
              file=sys.stderr)
    return bool(n_errors)


def _build_incremental(warehouse: Path, study_dirs: list[Path], target: str) -> bool:
    """Update the warehouse for the changed studies; False (with the reason printed) if a full build is needed."""
    from . import incremental

    try:
        result = incremental.build_incremental(warehouse, study_dirs, profile_output(target).get("settings"))
    except incremental.FullBuildNeeded as exc:
        print(f"oncoduck build: a full build: {exc}")
        return False
    for warning in result.warnings:
        print(f"oncoduck build: data test warning: {warning}")
    if not result.dirty_studies:
        print("oncoduck build: no study changed; the warehouse is up to date")
    else:
        print(f"oncoduck build: only what changed was recomputed (the other studies' rows are as built): "
              f"{', '.join(result.dirty_studies)}: {result.models_run} models and {result.tests_run} data tests in "
              f"{result.seconds:.1f} s (--full rebuilds every study)")
    return True


def cmd_build(ns: argparse.Namespace) -> int:
    if ns.warehouse:
        if ns.target != "dev":
            print("oncoduck build: --warehouse is the dev target's file; the test target's is ONCODUCK_TEST_WAREHOUSE",
                  file=sys.stderr)
            return EXIT_PROBLEMS
        os.environ["ONCODUCK_WAREHOUSE"] = str(Path(ns.warehouse).resolve())
    from . import atomic

    warehouse_file = target_warehouse(ns.target)
    if warehouse_file is None:
        return _checked_build(ns, None)
    try:
        with atomic.build_lock(warehouse_file):  # first: a second build is told at once, before any file is read
            return _checked_build(ns, warehouse_file)
    except atomic.WarehouseBusy as exc:
        print(f"oncoduck build: {exc}", file=sys.stderr)
        return 1


def _checked_build(ns: argparse.Namespace, warehouse_file: Path | None) -> int:
    """The studies to build (``--add`` / ``--replace`` against those the warehouse holds), their folders checked."""
    from . import incremental
    from .findings import folder_findings

    studies = [str(Path(s).resolve()) for s in ns.study or []]
    study_dirs = [Path(s) for s in studies] if studies else demo_study_dirs()
    recorded = incremental.recorded_build(warehouse_file) if warehouse_file is not None else None
    others = [d for d in (recorded.study_dirs if recorded else []) if d not in study_dirs]
    if others and not (ns.add or ns.replace):
        print(f"oncoduck build: the warehouse also holds {', '.join(d.name for d in others)}; say --add to build them "
              f"with {', '.join(d.name for d in study_dirs)}, or --replace to build "
              f"{'these' if len(study_dirs) > 1 else 'it'} alone", file=sys.stderr)
        return EXIT_PROBLEMS
    if others and ns.add:
        study_dirs = others + study_dirs
        studies = [str(d) for d in study_dirs]
    if others:
        print(f"oncoduck build: {'adding to' if ns.add else 'replacing'} {', '.join(d.name for d in others)}")
    if _print_findings(folder_findings(study_dirs), "build"):
        return EXIT_PROBLEMS
    return _build(ns, studies, study_dirs, warehouse_file, recorded)


def _build(ns: argparse.Namespace, studies: list[str], study_dirs: list[Path], warehouse_file: Path | None,
           recorded) -> int:
    """The build itself; with the dev target, its state beside the warehouse (publish.record_build_state) ends
    succeeded or failed whatever happens, an exception included (a killed process: publish sees its pid gone)."""
    from . import publish as pub

    publishes = ns.target == "dev" and not ns.no_publish  # the dev target writes ONCODUCK_WAREHOUSE
    if not publishes:
        return _build_steps(ns, studies, study_dirs, warehouse_file, publishes, recorded)
    pub.record_build_state(warehouse_file, "running")
    try:
        return _build_steps(ns, studies, study_dirs, warehouse_file, publishes, recorded)
    except BaseException:
        pub.record_build_state(warehouse_file, "failed")
        raise


def _build_steps(ns: argparse.Namespace, studies: list[str], study_dirs: list[Path], warehouse_file: Path | None,
                 publishes: bool, recorded) -> int:
    """An incremental build in place, else a full build into a new file swapped in at the end (atomic.py).
    ``recorded``: the warehouse's build record before this build (incremental.recorded_build), or None."""
    from . import atomic, incremental
    from . import publish as pub

    built_incrementally = False
    fingerprint = incremental.project_fingerprint()
    # a build record is written only when a build succeeded (the warehouse swapped in, or the update committed):
    # a warehouse built by this same project is brought up to date by recomputing what changed
    updatable = not (ns.full or ns.with_dbt) and recorded is not None and recorded.fingerprint == fingerprint
    up_to_date = updatable and recorded.is_current(study_dirs, fingerprint)
    if up_to_date:
        print("oncoduck build: nothing changed since the last build of this warehouse (the project and every study "
              "file are the same); it is up to date (--full rebuilds it anyway)")
    elif updatable:
        try:
            built_incrementally = _build_incremental(warehouse_file, study_dirs, ns.target)
        except atomic.WarehouseBusy as exc:  # an update writes in place; a full build writes a new file beside
            print(f"oncoduck build: a full build: the changed studies cannot be updated in place: {exc}")
        except incremental.IncrementalBuildFailed as exc:
            print(f"oncoduck build: {exc}\nThe warehouse is unchanged.", file=sys.stderr)
            if publishes:
                pub.record_build_state(warehouse_file, "failed")
            return 1
    if not built_incrementally and not up_to_date:
        building = atomic.building_file(warehouse_file) if warehouse_file is not None else None
        graph = (_current_graph(ns.target, warehouse_file, fingerprint) if warehouse_file is not None
                 and not ns.with_dbt else None)
        built = (_full_build_from_graph(ns, graph, study_dirs, building, fingerprint) if graph
                 else _full_build_with_dbt(ns, studies, study_dirs, building, warehouse_file, recorded, fingerprint))
        if built is None:
            if publishes:
                pub.record_build_state(warehouse_file, "failed")
            print("oncoduck build: the build failed (see the messages above); "
                  + ("the warehouse and " if building else "") + "the serving copy are unchanged.", file=sys.stderr)
            return 1
        if warehouse_file is not None:
            atomic.swap_in(building, warehouse_file)
            from .findings import summarise

            print("\n".join(summarise(warehouse_file, built).lines()))
    else:  # the data-test warnings of the rebuilt studies were printed by _build_incremental
        from .findings import summarise

        print("\n".join(summarise(warehouse_file).lines()))
    print(f"oncoduck build: warehouse ready at {warehouse_file or ns.target} "
          f"({'demo cohort' if not studies else ', '.join(studies)})")
    if not publishes:
        return 0
    pub.record_build_state(warehouse_file, "succeeded")
    _release_dbt_connection()
    published = _publish_and_report(warehouse_file, None, os.environ.get("ONCODUCK_PSEUDONYMIZE", "") not in ("", "0"),
                                    force=False, command="build")
    if published != 0 or ns.no_report:
        return published
    from .report import build_report

    print(f"oncoduck build: report refreshed at {build_report()} (as `oncoduck report` renders it)")
    return 0


_SEEDS_TESTED = "oncoduck build: the reference seeds' data tests passed at {:%Y-%m-%d %H:%M:%S %Z} on this same project; not run again"


def _current_graph(target: str, warehouse_file: Path, fingerprint: str) -> Path | None:
    """The compiled graph (compiled.py) of this target and warehouse name, if compiled from the project as it is
    (``fingerprint``: incremental.project_fingerprint)."""
    from . import compiled

    graph = compiled.graph_file(dbt_target_dir(), target, warehouse_file.stem)
    return graph if compiled.graph_fingerprint(graph) == fingerprint else None


def _full_build_from_graph(ns: argparse.Namespace, graph: Path, study_dirs: list[Path], building: Path,
                           fingerprint: str) -> list[tuple[str, int]] | None:
    """A full build by the compiled graph, in this process; the warned tests, or None when it failed."""
    from . import compiled, incremental

    progress = BuildProgress()
    try:
        output = profile_output(ns.target)
        run = compiled.run_graph(building, graph, study_dirs, output.get("settings"), output.get("threads", 1), progress)
    except compiled.BuildFailed as exc:
        progress.close()
        print(f"oncoduck build: {exc}", file=sys.stderr)
        return None
    progress.close()
    print(f"oncoduck build: {run.models_run} models and {run.tests_run} data tests run from the project compiled at "
          f"the last dbt build ({graph.name}) in {run.seconds:.1f} s; {run.tests_on_empty_tables} row tests of empty "
          f"tables passed without a query")
    if run.run_again_alone:
        print(f"oncoduck build: {len(run.run_again_alone)} node(s) ran out of DuckDB memory beside others and passed "
              f"when run again alone ({', '.join(run.run_again_alone)}); set ONCODUCK_DUCKDB_MEMORY_LIMIT above the "
              f"profile's to avoid the wait")
    for name, limit in run.needed_more_memory:
        print(f"oncoduck build: {name} ran out of the profile's DuckDB memory limit even alone; it passed with "
              f"{limit} (set ONCODUCK_DUCKDB_MEMORY_LIMIT to at least that for this cohort)")
    print(_SEEDS_TESTED.format(run.seeds_tested_at))
    incremental.record_full_build(building, run.nodes, study_dirs, fingerprint, seed_tests_carried=run.seeds_tested_at)
    return run.warned_tests


def _full_build_with_dbt(ns: argparse.Namespace, studies: list[str], study_dirs: list[Path], building: Path | None,
                         warehouse_file: Path | None, recorded, fingerprint: str) -> list[tuple[str, int]] | None:
    """A full `dbt build` (parse, compile, run), its compiled graph then kept for the next builds; the warned tests,
    or None when it failed."""
    from . import atomic, compiled, incremental

    manifest = dbt_target_dir() / "manifest.json"
    # dbt unit tests check the SQL, not the data: the test suite runs them (tests/python/conftest.py), a
    # user's build does not pay for them (plain `dbt build` still runs them)
    args = ["build", "--target", ns.target, "--target-path", str(manifest.parent),
            "--exclude-resource-type", "unit_test"]
    if studies:
        args += ["--vars", _study_vars(studies)]
    if not ns.verbose:  # dbt prints errors only; its line per node still goes to logs/dbt.log
        args.insert(1, "--quiet")
    # the reference seeds' data tests test files no study changes: once per project version
    seeds_tested = incremental.seed_tests_passed_at(recorded, fingerprint)
    if seeds_tested is not None:
        args += ["--exclude", "path:seeds,resource_type:test"]
        print(_SEEDS_TESTED.format(seeds_tested))
    progress = None if ns.verbose else BuildProgress()
    try:
        result = _dbt(args, env={atomic.BUILD_INTO: str(building)} if building else None,
                      callbacks=[progress] if progress else None)
    finally:
        if progress:
            progress.close()
    os.environ.pop(atomic.BUILD_INTO, None)
    if not result.success:
        return None
    warned_tests = [(r.node.name, r.failures or 0) for r in getattr(result.result, "results", None) or []
                    if str(r.status) == "warn"]
    if building is not None:  # what the next builds need: an update of the changed studies, or the compiled graph
        _release_dbt_connection()
        nodes = compiled.nodes_from_manifest(manifest)
        try:
            incremental.record_full_build(building, nodes, study_dirs, fingerprint, seed_tests_carried=seeds_tested)
            compiled.write_graph(compiled.graph_file(dbt_target_dir(), ns.target, warehouse_file.stem), nodes,
                                 building, fingerprint, seeds_tested)
        except ValueError as exc:  # the build itself succeeded; only the record is unavailable
            print(f"oncoduck build: not recorded (the next build will be full): {exc}", file=sys.stderr)
    return warned_tests


def _publish_and_report(warehouse: Path | None, serving_dir: str | None, pseudonymize: bool, force: bool,
                        command: str) -> int:
    from . import publish as pub

    try:
        res = pub.publish(warehouse, serving_dir, pseudonymize=pseudonymize, force=force)
    except pub.PublishError as exc:
        print(f"oncoduck {command}: publish failed: {exc}", file=sys.stderr)
        return 1
    n_rows = sum(t["n_rows"] for t in res.tables)
    print(f"oncoduck {command}: published {len(res.tables)} tables ({n_rows} rows"
          f"{', pseudonymized' if res.pseudonymized else ''}) to {res.serving_file} and {res.parquet_dir}/ "
          f"(publication {res.publication_id})")
    return 0


def cmd_publish(ns: argparse.Namespace) -> int:
    warehouse = Path(ns.warehouse).resolve() if ns.warehouse else None
    return _publish_and_report(warehouse, ns.serving_dir, ns.pseudonymize, ns.force, "publish")


def cmd_report(ns: argparse.Namespace) -> int:
    from .report import build_report

    path = build_report(out_dir=ns.out, comparison=ns.comparison, serving_dir=ns.serving_dir, warehouse=ns.warehouse)
    print(f"oncoduck report: wrote {path}")
    return 0


def validate(study_dirs: list[str]) -> list:
    """Every finding of study folders built together (ingest.study.Finding), without building a warehouse.

    Discovery and file findings come from Python (findings.folder_findings, as the build prints them);
    rejected rows are the rejects of the staging models (WARNING: the build goes on without them), built into a
    temporary database (_rejects_database)."""
    import duckdb

    from .findings import folder_findings
    from .ingest.study import Finding

    findings = folder_findings(study_dirs)
    if any(f.code == "study_not_readable" for f in findings):  # nothing more can be checked
        return findings
    skip = sorted({f.location.split(":", 1)[0] for f in findings if f.severity == "ERROR"})
    with tempfile.TemporaryDirectory(prefix="oncoduck_validate_") as tmp:
        db, failure = _rejects_database(study_dirs, skip, Path(tmp))
        if failure:
            return findings + [Finding("ERROR", f"{study_dirs[0]}:1:1", "not_checked",
                                       f"the folder could not be checked: {failure}")]
        con = duckdb.connect(str(db))  # same configuration as the connection dbt keeps open in-process
        try:
            rows = con.sql(
                # one message per rejected line and reason (a duplicated clinical line rejects every column);
                # a survival endpoint rejected because of a clinical value already rejected on the same line
                # is an echo of that root cause, not a second problem
                "with problems as (select * from staging.all_rejects where reject_reason <> 'not_measured'), "
                "roots as (select distinct source_file, source_row from problems where input_kind <> 'survival') "
                "select p.source_file, p.source_row, min(p.source_column), p.reject_reason, "
                "arg_min(p.reject_detail, coalesce(p.source_column, 0)) from problems p "
                "left join roots r on r.source_file = p.source_file and r.source_row = p.source_row "
                "where p.input_kind <> 'survival' or r.source_file is null "
                "group by p.source_file, p.source_row, p.reject_reason order by p.source_file, p.source_row"
            ).fetchall()
        finally:
            con.close()
    return findings + [Finding("WARNING", f"{f}:{r}:{c or 1}", reason, f"row rejected: {detail}")
                       for f, r, c, reason, detail in rows]


def _rejects_database(study_dirs: list[str], skip: list[str], folder: Path) -> tuple[Path, str | None]:
    """The landing and staging models up to staging.all_rejects (no data tests), for ``study_dirs`` but the files
    in ``skip``, built into a new database in ``folder``: the database, and why it could not be built (None: it
    was). From the compiled project when a build compiled the project as it is (compiled.py: a second or two),
    else by dbt (15-25 s, most of it dbt's parse)."""
    from . import compiled, incremental

    graph = compiled.current_graph(dbt_target_dir(), incremental.project_fingerprint())
    if graph is not None:
        db = folder / f"{compiled.graph_catalog(graph)}.duckdb"
        output = profile_output("test")
        try:
            compiled.run_graph(db, graph, [Path(d) for d in study_dirs], output.get("settings"),
                               output.get("threads", 1), select={"all_rejects"}, data_tests=False, skip_files=skip)
        except compiled.BuildFailed as exc:
            return db, str(exc)
        return db, None
    db = folder / "validate.duckdb"
    vars_ = json.loads(_study_vars(study_dirs))
    vars_["skip_files"] = skip
    result = _dbt(["--quiet", "build", "--target", "test", "--select", "+tag:rejects", "--resource-type", "seed",
                   "--resource-type", "model", "--vars", json.dumps(vars_)], env={"ONCODUCK_TEST_WAREHOUSE": str(db)})
    return db, None if result.success else str(result.exception or "dbt run failed")


def cmd_validate(ns: argparse.Namespace) -> int:
    from .findings import exit_code

    findings = validate(ns.study_dirs)
    for f in findings:
        print(f)
    code = exit_code(findings)
    n_errors = sum(f.severity == "ERROR" for f in findings)
    folders = " ".join(ns.study_dirs)
    if findings:
        print(f"{folders}: {n_errors} error(s), {len(findings) - n_errors} warning(s)", file=sys.stderr)
    else:
        print(f"{folders}: no problems found")
    return code


def cmd_sql(ns: argparse.Namespace) -> int:
    """SQL on the serving copy (default) or the warehouse, read-only: the statement given, else SQL read from a
    pipe, else an interactive prompt (statements end with ';', an empty line or Ctrl-D ends)."""
    from .query import connect

    con = connect(ns.source, ns.warehouse if ns.source == "warehouse" else ns.serving_dir)
    try:
        if ns.query:
            return _run_sql(con, ns.query)
        if not sys.stdin.isatty():
            return _run_sql(con, sys.stdin.read())
        pending = ""
        while True:
            try:
                line = input("oncoduck> " if not pending else "     ...> ")
            except EOFError:
                return 0
            if not line.strip() and not pending:
                return 0
            pending += line + "\n"
            if pending.rstrip().endswith(";"):
                _run_sql(con, pending)
                pending = ""
    finally:
        con.close()


def _run_sql(con, sql: str) -> int:
    """Run the statements of ``sql``; each result is printed as DuckDB's command-line tool prints a table."""
    import duckdb

    try:
        for statement in con.extract_statements(sql):
            relation = con.sql(statement.query)
            if relation is not None:
                relation.show(max_width=200, max_rows=100)
    except duckdb.Error as exc:
        print(f"oncoduck sql: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_simulate(ns: argparse.Namespace) -> int:
    from . import simulate

    if ns.demo:
        out = Path(ns.out) if ns.out else DEMO_STUDIES_DIR
        written = simulate.write_demo(out)
        print(f"oncoduck simulate: wrote the demo cohort ({len(written)} files) under {out}")
        return 0
    if not ns.out:
        print("oncoduck simulate: --out DIR is required for a benchmark cohort", file=sys.stderr)
        return EXIT_PROBLEMS
    path = simulate.write_benchmark(Path(ns.out), n_samples=ns.samples, variants_per_sample=ns.variants_per_sample,
                                    seed=ns.seed, assay=ns.assay)
    print(f"oncoduck simulate: wrote a benchmark study at {path}")
    return 0


def _version() -> str:
    from importlib.metadata import version

    return (f"oncoduck {version('oncoduck')} (dbt-core {version('dbt-core')}, dbt-duckdb {version('dbt-duckdb')}, "
            f"duckdb {version('duckdb')})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oncoduck", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build the warehouse (dbt build) from study folders; no --study: the demo")
    build.add_argument("--study", action="append", metavar="DIR", help="a study folder (cBioPortal layout); repeatable")
    build.add_argument("--target", default="dev", help="dbt target of profiles.yml (default: dev)")
    chosen = build.add_mutually_exclusive_group()
    chosen.add_argument("--add", action="store_true",
                        help="keep the studies the warehouse holds and build these with them")
    chosen.add_argument("--replace", action="store_true",
                        help="build these studies alone, dropping the others the warehouse holds (without --add or "
                             "--replace, a build that would drop a study is refused)")
    build.add_argument("--warehouse", metavar="FILE",
                       help="the dev target's warehouse file (default: ONCODUCK_WAREHOUSE or warehouse/oncoduck.duckdb)")
    build.add_argument("--verbose", action="store_true",
                       help="dbt's line per model and test (always written to logs/dbt.log) instead of one progress line")
    build.add_argument("--no-report", action="store_true", help="do not render the HTML report after publishing")
    build.add_argument("--no-publish", action="store_true",
                       help="do not publish the serving copy after a successful build (target dev publishes by default; "
                            "ONCODUCK_PSEUDONYMIZE=1 publishes pseudonymized)")
    build.add_argument("--full", action="store_true",
                       help="rebuild every study. Without it, a warehouse built by this same project is updated: only "
                            "the studies added, changed or removed since its last build are recomputed "
                            "(python/oncoduck/incremental.py), or a full build when that is not possible")
    build.add_argument("--with-dbt", action="store_true",
                       help="a full build through dbt (parse, compile, run, dbt's log), even when the project compiled "
                            "at the last dbt build is current (python/oncoduck/compiled.py)")
    build.set_defaults(func=cmd_build)

    publish = sub.add_parser("publish", help="copy the marts and stats of the built warehouse to the read-only "
                                             "serving DuckDB file and Parquet, atomically")
    publish.add_argument("--pseudonymize", action="store_true",
                         help="replace patient and sample identifiers by salted hashes and drop dates "
                              "(salt: ONCODUCK_PSEUDONYM_SALT, else a generated one kept beside the warehouse)")
    publish.add_argument("--serving-dir", metavar="DIR",
                         help="serving folder (default: ONCODUCK_SERVING_DIR, else serving/ beside the warehouse folder)")
    publish.add_argument("--warehouse", metavar="FILE", help="warehouse (default: ONCODUCK_WAREHOUSE or warehouse/oncoduck.duckdb)")
    publish.add_argument("--force", action="store_true", help="publish even though the last build did not succeed")
    publish.set_defaults(func=cmd_publish)

    report = sub.add_parser("report", help="the cohort report (one HTML file, interactive figures) of the published "
                                           "warehouse")
    report.add_argument("--comparison", metavar="NAME",
                        help="the declared comparison the page opens on (default: the first by study and name)")
    report.add_argument("--out", metavar="DIR", help="output folder (default: report/ beside the serving folder)")
    report.add_argument("--serving-dir", metavar="DIR", help="serving folder to read (default as for publish)")
    report.add_argument("--warehouse", metavar="FILE",
                        help="read this warehouse read-only instead (used when no serving copy exists)")
    report.set_defaults(func=cmd_report)

    validate_help = ("check study folders without building (the findings a build of them prints): exit 0 clean, "
                     "3 warnings only (the build goes on), 1 errors (the build stops)")
    check = sub.add_parser("validate", help=validate_help, description=validate_help[0].upper() + validate_help[1:])
    check.add_argument("study_dirs", metavar="DIR", nargs="+",
                       help="study folders (give every study a comparison across studies draws on)")
    check.set_defaults(func=cmd_validate)

    sql = sub.add_parser("sql", help="run SQL read-only on the serving copy (default) or the warehouse; no QUERY: "
                                     "SQL from a pipe, or an interactive prompt")
    sql.add_argument("query", nargs="?", metavar="QUERY", help="SQL statement(s); without it, read stdin or prompt")
    sql.add_argument("--source", choices=["serving", "warehouse"], default="serving",
                     help="serving: the published copy (default; never blocks a build); warehouse: the dbt warehouse")
    sql.add_argument("--warehouse", metavar="FILE", help="with --source warehouse: the file (default as for build)")
    sql.add_argument("--serving-dir", metavar="DIR", help="with --source serving: the folder (default as for publish)")
    sql.set_defaults(func=cmd_sql)

    sim = sub.add_parser("simulate", help="write the demo cohort or a benchmark cohort")
    sim.add_argument("--demo", action="store_true", help="(re)write the demo studies (default: seeds/demo_studies)")
    sim.add_argument("--out", metavar="DIR", help="output folder")
    sim.add_argument("--samples", type=int, default=10_000, help="benchmark cohort: number of samples")
    sim.add_argument("--variants-per-sample", type=int, default=100, help="benchmark cohort: MAF rows per sample")
    sim.add_argument("--seed", type=int, default=1, help="random seed of a benchmark cohort (the demo has its own)")
    sim.add_argument("--assay", default="demo_panel_520", choices=["demo_wes_lim2021", "demo_panel_1021", "demo_panel_520"])
    sim.set_defaults(func=cmd_simulate)
    return parser


def main(argv: list[str] | None = None) -> int:
    ns = build_parser().parse_args(argv)
    try:
        return ns.func(ns)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a user sees what went wrong, not a traceback
        print(f"oncoduck {ns.command}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
