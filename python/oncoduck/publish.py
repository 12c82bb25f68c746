"""Publish the marts and statistics of a built warehouse to a read-only serving copy.

    serving/oncoduck_serving.duckdb                      one DuckDB file, every table of `marts` and `stats`
    serving/parquet -> parquet_versions/<publication>/   a symlink to the current Parquet version
    serving/parquet_versions/<publication>/<schema>/<table>.parquet
    serving/publication.json                             what was published, when, from which warehouse

Readers (BI tools, notebooks, the report) open only these; the dbt file is never opened by a reader,
so a build never waits for a reader and a reader never sees a half-built warehouse.

Atomicity: everything is written under a temporary name in the destination folder and only then
renamed into place (``os.replace`` / a symlink swap, both atomic on one POSIX file system). A reader
opens either the previous file or the new one, never a mix; an open reader keeps the file (inode) it
opened. A failed or killed publish leaves temporaries (removed by the next publish) and the last
published version untouched. ``storage_compatibility_version`` is pinned so that every DuckDB 1.x
reader (BI drivers embed older DuckDB) can open the file.

Sensitive columns (patient and sample identifiers, dates) come from the dbt manifest
(``meta: {sensitive: patient_identifier | sample_identifier | date}`` on a column), falling back to
``SENSITIVE_COLUMN_RULES`` below. With ``pseudonymize=True`` identifiers are replaced by salted hashes
(the same value gives the same hash in every table, so joins still work) and dates are dropped.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from .paths import dbt_target_dir, target_warehouse

SERVING_FILE_NAME = "oncoduck_serving.duckdb"
PARQUET_LINK = "parquet"
PARQUET_VERSIONS = "parquet_versions"
PUBLICATION_FILE = "publication.json"
PUBLISHED_SCHEMAS = ("marts", "stats")
META_SCHEMA = "serving"  # publication metadata inside the serving file
# The storage format every DuckDB >= 0.10 (so every 1.x) reads; DuckDB >= 2.0 writes v2.0.0 by default,
# which no 1.x release can open.
STORAGE_COMPATIBILITY_VERSION = "v1.0.0"
KEEP_PARQUET_VERSIONS = 3  # the current one and two previous ones, for readers still holding old paths
SALT_ENV = "ONCODUCK_PSEUDONYM_SALT"
SALT_FILE_NAME = "oncoduck.pseudonym_salt"

# Fallback when the dbt manifest flags nothing: (column-name regex, sensitivity). The manifest's
# `meta: {sensitive: ...}` wins column by column. Identifier kinds are hashed, every other kind dropped.
SENSITIVE_COLUMN_RULES: tuple[tuple[str, str], ...] = (
    (r".*patient_id.*", "patient_identifier"),       # patient_id, normal_patient_id, patient_id_a, ...
    (r".*sample_id.*", "sample_identifier"),         # sample_id, normal_sample_id, sample_id_a, ...
    (r".*sample_barcode|.*_barcode", "sample_identifier"),  # aliquot_barcode, tumor_sample_barcode (hold the patient id)
    (r"date_of_.*|.*_date", "date"),                 # calendar dates; relative days (days_to_*) are not sensitive
)
IDENTIFIER_KINDS = ("patient_identifier", "sample_identifier")


class PublishError(RuntimeError):
    """Publishing stopped; the last published version is intact."""


@dataclass
class PublishResult:
    publication_id: str
    serving_file: Path
    parquet_dir: Path
    tables: list[dict] = field(default_factory=list)
    pseudonymized: bool = False


# ---------------------------------------------------------------------------------------------- paths

def warehouse_path() -> Path:
    """The warehouse dbt writes (profiles.yml target dev): ONCODUCK_WAREHOUSE or warehouse/oncoduck.duckdb."""
    return target_warehouse("dev")


def default_serving_dir(warehouse: Path | None = None) -> Path:
    """ONCODUCK_SERVING_DIR, else `serving/` beside the warehouse folder (…/warehouse/x.duckdb -> …/serving),
    else (a warehouse not in a folder named `warehouse`) `serving/` in the warehouse's own folder."""
    env = os.environ.get("ONCODUCK_SERVING_DIR")
    if env:
        return Path(env).resolve()
    wh = Path(warehouse or warehouse_path()).resolve()
    return (wh.parent.parent if wh.parent.name == "warehouse" else wh.parent) / "serving"


def serving_file(serving_dir: Path | None = None) -> Path:
    return Path(serving_dir or default_serving_dir()) / SERVING_FILE_NAME


def build_state_file(warehouse: Path) -> Path:
    """Beside the warehouse: `oncoduck build` records running/succeeded/failed here (see ``record_build_state``)."""
    return warehouse.with_name(warehouse.stem + ".build_state.json")


def record_build_state(warehouse: Path, status: str, **extra) -> None:
    """Written by `oncoduck build` before dbt starts ('running') and after it ends ('succeeded'/'failed'),
    so `oncoduck publish` refuses a warehouse whose last build did not finish."""
    warehouse = Path(warehouse)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    _write_json_atomic(build_state_file(warehouse), {
        "status": status, "pid": os.getpid(), "at_utc": _utc_now(), **extra})


def last_build_state(warehouse: Path) -> dict | None:
    """The recorded state; a build recorded as running whose process is gone (killed: it could record nothing)
    reads as 'interrupted', so a state is never left running after its process ends."""
    try:
        state = json.loads(build_state_file(Path(warehouse)).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if state.get("status") == "running" and not _pid_alive(int(state.get("pid", -1))):
        state["status"] = "interrupted"
    return state


# ------------------------------------------------------------------------------------- sensitivity

def _manifest_path() -> Path:
    return dbt_target_dir() / "manifest.json"


def sensitive_columns_from_manifest(manifest: Path | None = None) -> dict[tuple[str, str, str], str]:
    """(schema, table, column) -> sensitivity from dbt column `meta: {sensitive: ...}` ({} when no manifest).

    The schema is the model's custom schema (`marts`, `stats`), as dbt-duckdb names it in the warehouse.
    """
    path = manifest or _manifest_path()
    try:
        nodes = json.loads(Path(path).read_text()).get("nodes", {})
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    flagged: dict[tuple[str, str, str], str] = {}
    for node in nodes.values():
        if node.get("resource_type") not in ("model", "snapshot", "seed"):
            continue
        table = node.get("alias") or node.get("name")
        for col in (node.get("columns") or {}).values():
            kind = (col.get("meta") or {}).get("sensitive") or (col.get("config", {}).get("meta") or {}).get("sensitive")
            if kind:
                flagged[(node.get("schema"), table, col["name"])] = str(kind)
    return flagged


def column_sensitivity(schema: str, table: str, column: str, data_type: str,
                       manifest_flags: dict[tuple[str, str, str], str]) -> str | None:
    """The manifest's flag for this column, else the first matching ``SENSITIVE_COLUMN_RULES`` entry, else None.

    A DATE/TIMESTAMP column counts as `date` whatever its name.
    """
    if (schema, table, column) in manifest_flags:
        return manifest_flags[(schema, table, column)]
    for pattern, kind in SENSITIVE_COLUMN_RULES:
        if re.fullmatch(pattern, column.lower()):
            return kind
    if data_type.upper().startswith(("DATE", "TIMESTAMP")):
        return "date"
    return None


def pseudonym_salt(warehouse: Path) -> str:
    """ONCODUCK_PSEUDONYM_SALT, else a random salt generated once and kept beside the warehouse
    (``oncoduck.pseudonym_salt``, mode 0600), never in the serving folder: pseudonyms stay stable across
    publications, and sharing the serving folder does not share the salt."""
    env = os.environ.get(SALT_ENV)
    if env:
        return env
    path = Path(warehouse).resolve().parent / SALT_FILE_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text().strip()


def _pseudonym_sql(expr: str, salt_literal: str) -> str:
    """Salted SHA-256, 20 hex digits, the same for the same value in every table and column."""
    return f"case when {expr} is null then null else 'anon_' || substr(sha256({salt_literal} || {expr}), 1, 20) end"


# -------------------------------------------------------------------------------------------- publish

def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json_atomic(path: Path, payload: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    os.replace(tmp, path)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale_temporaries(serving_dir: Path) -> None:
    """Temporaries of publishes that were killed (their pid is gone)."""
    candidates = list(serving_dir.glob(f".{SERVING_FILE_NAME}.*.tmp*")) + list(serving_dir.glob(".parquet.*.tmp"))
    versions = serving_dir / PARQUET_VERSIONS
    if versions.is_dir():
        candidates += list(versions.glob("*.tmp"))
    for path in candidates:
        m = re.search(r"-p(\d+)-", path.name)
        if m and _pid_alive(int(m.group(1))) and int(m.group(1)) != os.getpid():
            continue  # another publish is writing it right now
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _prune_parquet_versions(serving_dir: Path, keep: int) -> None:
    versions = serving_dir / PARQUET_VERSIONS
    current = (serving_dir / PARQUET_LINK).resolve().name
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.endswith(".tmp")), key=lambda p: p.name)
    for old in done[:-keep] if keep > 0 else done:
        if old.name != current:
            shutil.rmtree(old, ignore_errors=True)


def _swap_parquet_link(serving_dir: Path, version_dir: Path, publication_id: str) -> None:
    """Point serving/parquet at the new version with one atomic rename of a fresh symlink."""
    link = serving_dir / PARQUET_LINK
    tmp_link = serving_dir / f".parquet.{publication_id}.tmp"
    tmp_link.unlink(missing_ok=True)
    os.symlink(os.path.relpath(version_dir, serving_dir), tmp_link)
    if link.exists() and not link.is_symlink():  # a plain folder (copied by hand): move it aside once
        os.replace(link, serving_dir / f"{PARQUET_LINK}.replaced-{publication_id}")
    os.replace(tmp_link, link)


def _published_relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str, str]]:
    return con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() where database_name = ? and schema_name in ? "
        "union all "
        "select schema_name, view_name, 'view' from duckdb_views() where database_name = ? and schema_name in ? "
        "and not internal order by 1, 2",
        [catalog, list(PUBLISHED_SCHEMAS), catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall()


def _descriptions_from_manifest(manifest: Path | None = None) -> dict[tuple[str, str], dict]:
    """(schema, table) -> {'description': ..., 'columns': {name: description}} from dbt docs, for COMMENTs."""
    try:
        nodes = json.loads(Path(manifest or _manifest_path()).read_text()).get("nodes", {})
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    out = {}
    for node in nodes.values():
        if node.get("resource_type") == "model" and node.get("schema") in PUBLISHED_SCHEMAS:
            out[(node["schema"], node.get("alias") or node["name"])] = {
                "description": node.get("description") or "",
                "columns": {c["name"]: c.get("description") or "" for c in (node.get("columns") or {}).values()},
            }
    return out


def _check_no_identifier_leaks(con: duckdb.DuckDBPyConnection, catalog: str, originals: list[str],
                               tables: list[dict]) -> None:
    """Fail closed: no text column of the new serving file may contain an original identifier."""
    # Short identifiers ("1", "P2") would match unrelated text as substrings: those are checked for equality.
    long_ids = sorted({i for i in originals if i and len(i) >= 5})
    short_ids = sorted({i for i in originals if i and len(i) < 5})
    con.execute("create or replace temp table _short_ids as select unnest(?::varchar[]) as id", [short_ids])
    leaks = []
    for t in tables:
        for col in t["text_columns"]:
            if col in t["pseudonymized_columns"]:
                continue
            ref = f"{catalog}.{_q(t['schema'])}.{_q(t['table'])}"
            hits = 0
            for start in range(0, len(long_ids), 400):  # RE2 programs stay small
                pattern = "|".join(re.escape(i) for i in long_ids[start:start + 400])
                hits += con.execute(f"select count(*) from {ref} where regexp_matches({_q(col)}, ?)",
                                    [pattern]).fetchone()[0]
            hits += con.execute(f"select count(*) from {ref} where {_q(col)} in (select id from _short_ids)").fetchone()[0]
            if hits:
                leaks.append(f"{t['schema']}.{t['table']}.{col} ({hits} rows)")
    if leaks:
        raise PublishError(
            "pseudonymized publish stopped: original patient/sample identifiers remain in "
            + ", ".join(leaks)
            + ". Flag these columns in the model YAML (`meta: {sensitive: sample_identifier}`) so they are hashed, "
              "or `meta: {sensitive: drop}` to leave them out; the previous serving copy is unchanged.")


def publish(warehouse: Path | str | None = None, serving_dir: Path | str | None = None, *,
            pseudonymize: bool = False, salt: str | None = None, force: bool = False,
            manifest: Path | None = None, keep_parquet_versions: int = KEEP_PARQUET_VERSIONS) -> PublishResult:
    """Copy every table and view of the `marts` and `stats` schemas of ``warehouse`` to the serving folder.

    Views are materialised as tables. The warehouse is opened read-only (ATTACH ... READ_ONLY). Raises
    ``PublishError`` (and leaves the previous publication in place) when the last `oncoduck build` of this
    warehouse did not succeed (unless ``force``), when the warehouse is missing or locked by a running
    build, or when a pseudonymized copy would still hold an original identifier.
    """
    wh = Path(warehouse or warehouse_path()).resolve()
    out = Path(serving_dir or default_serving_dir(wh)).resolve()
    if not wh.exists():
        raise PublishError(f"{wh}: no warehouse here; run `oncoduck build` first")
    state = last_build_state(wh)
    if state and state.get("status") != "succeeded" and not force:
        alive = state.get("status") == "running"  # last_build_state: 'interrupted' once its process is gone
        raise PublishError(
            f"{wh}: the last build " + ("is still running" if alive else f"did not succeed (status {state.get('status')!r} "
                                        f"at {state.get('at_utc')})")
            + "; the serving copy keeps the last published version. Rebuild, or pass --force to publish anyway.")

    out.mkdir(parents=True, exist_ok=True)
    (out / PARQUET_VERSIONS).mkdir(exist_ok=True)
    _remove_stale_temporaries(out)
    publication_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ") + f"-p{os.getpid()}-{secrets.token_hex(3)}"
    tmp_db = out / f".{SERVING_FILE_NAME}.{publication_id}.tmp"
    tmp_parquet = out / PARQUET_VERSIONS / f"{publication_id}.tmp"
    final_parquet = out / PARQUET_VERSIONS / publication_id
    flags = sensitive_columns_from_manifest(manifest)
    docs = _descriptions_from_manifest(manifest)
    salt_literal = _lit(salt or pseudonym_salt(wh)) if pseudonymize else ""
    # Views in the warehouse name their catalog (dbt-duckdb qualifies refs with the file's stem): attach
    # under that name so they resolve.
    catalog = wh.stem
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"attach {_lit(str(wh))} as {_q(catalog)} (read_only)")
        except duckdb.Error as exc:
            raise PublishError(f"{wh}: cannot open the warehouse read-only ({exc}); is a build running?") from exc
        con.execute(f"attach {_lit(str(tmp_db))} as serving_new (storage_version {_lit(STORAGE_COMPATIBILITY_VERSION)})")
        relations = _published_relations(con, catalog)
        if not relations:
            raise PublishError(f"{wh}: no table in schemas {', '.join(PUBLISHED_SCHEMAS)}; was the build complete?")
        tables = []
        for schema, table, kind in relations:
            cols = con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = ? and schema_name = ? "
                "and table_name = ? order by column_index", [catalog, schema, table]).fetchall()
            select, hashed, dropped, text_cols = [], [], [], []
            for name, dtype in cols:
                sens = column_sensitivity(schema, table, name, dtype, flags)
                if pseudonymize and sens in IDENTIFIER_KINDS:
                    select.append(f"{_pseudonym_sql(f'cast({_q(name)} as varchar)', salt_literal)} as {_q(name)}")
                    hashed.append(name)
                elif pseudonymize and sens:
                    dropped.append(name)
                    continue
                else:
                    select.append(_q(name))
                if dtype.upper() == "VARCHAR" or sens in IDENTIFIER_KINDS:
                    text_cols.append(name)
            con.execute(f"create schema if not exists serving_new.{_q(schema)}")
            con.execute(f"create table serving_new.{_q(schema)}.{_q(table)} as "
                        f"select {', '.join(select)} from {_q(catalog)}.{_q(schema)}.{_q(table)}")
            doc = docs.get((schema, table))
            if doc:
                if doc["description"]:
                    con.execute(f"comment on table serving_new.{_q(schema)}.{_q(table)} is {_lit(doc['description'])}")
                for cname, cdesc in doc["columns"].items():
                    if cdesc and cname in [c for c, _ in cols] and cname not in dropped:
                        con.execute(f"comment on column serving_new.{_q(schema)}.{_q(table)}.{_q(cname)} is {_lit(cdesc)}")
            n_rows = con.execute(f"select count(*) from serving_new.{_q(schema)}.{_q(table)}").fetchone()[0]
            tables.append({"schema": schema, "table": table, "warehouse_kind": kind, "n_rows": n_rows,
                           "n_columns": len(cols) - len(dropped), "pseudonymized_columns": hashed,
                           "dropped_columns": dropped, "text_columns": text_cols})
        if pseudonymize:
            originals = [r[0] for r in con.execute(
                f"select distinct patient_id from {_q(catalog)}.marts.dim_patient where patient_id is not null "
                f"union select distinct sample_id from {_q(catalog)}.marts.dim_sample where sample_id is not null"
            ).fetchall()] if any(t["table"] == "dim_sample" for t in tables) else []
            _check_no_identifier_leaks(con, "serving_new", originals, tables)

        published_at = _utc_now()
        con.execute(f"create schema serving_new.{META_SCHEMA}")
        con.execute(
            f"create table serving_new.{META_SCHEMA}.publication as select ?::varchar as publication_id, "
            "?::varchar as published_at_utc, ?::varchar as source_warehouse, ?::boolean as pseudonymized, "
            "?::varchar as storage_compatibility_version, ?::varchar as written_by_duckdb, ?::bigint as n_tables",
            [publication_id, published_at, str(wh), pseudonymize, STORAGE_COMPATIBILITY_VERSION, duckdb.__version__,
             len(tables)])
        con.execute(
            f"create table serving_new.{META_SCHEMA}.published_tables (schema_name varchar, table_name varchar, "
            "warehouse_kind varchar, n_rows bigint, n_columns bigint, pseudonymized_columns varchar[], "
            "dropped_columns varchar[])")
        con.executemany(f"insert into serving_new.{META_SCHEMA}.published_tables values (?, ?, ?, ?, ?, ?, ?)",
                        [[t["schema"], t["table"], t["warehouse_kind"], t["n_rows"], t["n_columns"],
                          t["pseudonymized_columns"], t["dropped_columns"]] for t in tables])
        con.execute(f"comment on table serving_new.{META_SCHEMA}.publication is "
                    "'One row: which publication this file is (compare publication_id with serving/publication.json).'")

        # Parquet from the serving copy (so it carries exactly the same, possibly pseudonymized, values)
        for t in tables:
            target = tmp_parquet / t["schema"] / f"{t['table']}.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            con.execute(f"copy serving_new.{_q(t['schema'])}.{_q(t['table'])} to {_lit(str(target))} "
                        "(format parquet, compression zstd)")
        _write_json_atomic(tmp_parquet / "_publication.json", {"publication_id": publication_id,
                                                               "published_at_utc": published_at})
        con.execute("detach serving_new")  # checkpoints: the file is complete, no WAL beside it
        con.close()
        with open(tmp_db, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_db, 0o444)  # a reminder to readers: open it read-only
        os.replace(tmp_parquet, final_parquet)
        # --- the switch: two atomic renames; each reader sees the old or the new DuckDB file / Parquet folder
        os.replace(tmp_db, out / SERVING_FILE_NAME)
        _swap_parquet_link(out, final_parquet, publication_id)
        _fsync_dir(out)
        _write_json_atomic(out / PUBLICATION_FILE, {
            "publication_id": publication_id, "published_at_utc": published_at, "source_warehouse": str(wh),
            "serving_file": SERVING_FILE_NAME, "parquet": f"{PARQUET_LINK}/<schema>/<table>.parquet",
            "storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION, "pseudonymized": pseudonymize,
            "tables": [{k: v for k, v in t.items() if k != "text_columns"} for t in tables],
        })
    except BaseException:
        try:
            con.close()
        except duckdb.Error:
            pass
        for leftover in (tmp_db, Path(str(tmp_db) + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(tmp_parquet, ignore_errors=True)
        if final_parquet.exists() and (out / PARQUET_LINK).resolve() != final_parquet:
            shutil.rmtree(final_parquet, ignore_errors=True)
        raise
    _prune_parquet_versions(out, keep_parquet_versions)
    return PublishResult(publication_id, out / SERVING_FILE_NAME, out / PARQUET_LINK,
                         [{k: v for k, v in t.items() if k != "text_columns"} for t in tables], pseudonymize)
