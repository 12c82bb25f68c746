"""Findings of a study folder and the summary printed after every build.

Severities are cBioPortal's validator's: an ERROR stops the build (nothing is landed), a WARNING does
not (the build goes on and says so in its summary). One set of findings serves both commands:

- ``oncoduck validate DIR`` prints the folder's findings (discovery, fatal file problems, rejected
  rows) and exits 0 when clean, 3 with warnings only, 1 with errors;
- ``oncoduck build`` prints the same discovery and file findings before dbt starts (errors stop it),
  then, from the built warehouse, the summary: per input file the lines landed / accepted / rejected by
  reason, the discovery warnings, the data tests that warned, and where the rejected rows are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .ingest.kinds import line_tables
from .ingest.study import SEVERITIES, Finding

EXIT_CLEAN, EXIT_ERRORS, EXIT_WARNINGS = 0, 1, 3

_LOCATED = re.compile(r"^(?P<location>\S.*?:\d+:\d+): (?P<message>.*)$")
_FILE = re.compile(r"^(?P<location>/\S+?): (?P<message>.*)$")


def finding_from_message(severity: str, code: str, text: str) -> Finding:
    """A Finding from a ``file[:line:column]: message`` text (StudyError, fatal file problems)."""
    assert severity in SEVERITIES
    match = _LOCATED.match(text) or _FILE.match(text)
    if match:
        return Finding(severity, match["location"], code, match["message"])
    return Finding(severity, "", code, text)


def folder_findings(study_dirs: Iterable[str | Path]) -> list[Finding]:
    """Everything found before anything is landed: unreadable folders and declarations (ERROR), files that
    cannot be landed (ERROR) and what discovery worked around (WARNING), in folder order."""
    from .ingest.landing import check_studies
    from .ingest.reader import FileFormatError
    from .ingest.study import StudyError, discover, duplicate_study_ids, unknown_comparison_studies

    findings: list[Finding] = []
    studies = []
    for directory in study_dirs:
        try:
            study = discover(directory)
        except StudyError as exc:
            findings += [finding_from_message("ERROR", "study_not_readable", line) for line in str(exc).splitlines() if line]
            continue
        studies.append(study)
        findings += list(study.findings)
    findings += [finding_from_message("ERROR", "duplicate_study_id", problem) for problem in duplicate_study_ids(studies)]
    findings += [finding_from_message("ERROR", "unknown_comparison_study", problem)
                 for problem in unknown_comparison_studies(studies)]
    try:
        fatal = check_studies(studies)
    except FileFormatError as exc:
        fatal = [str(exc)]
    findings += [finding_from_message("ERROR", "file_not_landable", problem) for problem in fatal]
    return findings


def exit_code(findings: Iterable[Finding]) -> int:
    severities = {f.severity for f in findings}
    if "ERROR" in severities:
        return EXIT_ERRORS
    return EXIT_WARNINGS if "WARNING" in severities else EXIT_CLEAN


# --------------------------------------------------------------------------------------------
# after a build
# --------------------------------------------------------------------------------------------

# landed tables whose rows are lines of an input file (source_file, source_row)
_LINE_TABLES = line_tables()


@dataclass(frozen=True)
class FileCounts:
    source_file: str
    lines_landed: int
    lines_rejected: int
    reasons: tuple[tuple[str, int], ...]  # (reject_reason, lines), most frequent first

    @property
    def lines_accepted(self) -> int:
        return self.lines_landed - self.lines_rejected


@dataclass(frozen=True)
class StudyCounts:
    study_id: str
    patients: int  # with a sample in the registry
    samples: int
    sequenced: int
    patients_without_sample: int = 0  # in a clinical patient file but with no sample (a pan-cancer file's others)


@dataclass(frozen=True)
class BuildSummary:
    files: tuple[FileCounts, ...]
    discovery_warnings: tuple[Finding, ...]
    test_warnings: tuple[tuple[str, int, str | None], ...]  # (data test, rows it lists, the table it lists them of)
    studies: tuple[StudyCounts, ...] = ()

    @property
    def n_rejected(self) -> int:
        return sum(f.lines_rejected for f in self.files)

    def lines(self) -> list[str]:
        out = ["Build summary (a line with any rejected value counts as rejected; staging.all_rejects has every "
               "rejected value with file, line, column and reason):"]
        width = max((len(f.source_file) for f in self.files), default=0)
        for f in self.files:
            reasons = ", ".join(f"{reason} {n}" for reason, n in f.reasons)
            out.append(f"  {f.source_file:<{width}}  landed {f.lines_landed:>9,}  accepted {f.lines_accepted:>9,}  "
                       f"rejected {f.lines_rejected:>7,}{f'  ({reasons})' if reasons else ''}")
        for w in self.discovery_warnings:
            out.append(f"  {w}")
        for name, n, table in self.test_warnings:
            out.append(f"  WARNING: data test {name} lists {n} row(s)" + (f" of {table}" if table else ""))
        for c in self.studies:
            if c.samples:
                without = (f"; {c.patients_without_sample:,} more patients in the patient file have no sample"
                           if c.patients_without_sample else "")
                out.append(f"  study {c.study_id}: {c.patients:,} patients, {c.samples:,} samples "
                           f"({c.sequenced:,} sequenced){without}")
            else:
                out.append(f"  study {c.study_id}: no sample; {c.patients_without_sample:,} patients in the patient file")
        n_warnings = len(self.discovery_warnings) + len(self.test_warnings)
        out.append(f"  {self.n_rejected:,} line(s) rejected, {n_warnings} warning(s)"
                   + ("; rejected rows: select * from staging.all_rejects" if self.n_rejected else ""))
        return out


def summarise(warehouse: Path, warned_tests: Iterable[tuple[str, int]] = ()) -> BuildSummary:
    """Read the build's reconciliation and findings from the warehouse (opened read-only)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        present = {r[0] for r in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'landing'").fetchall()}
        landed_sql = " union all ".join(
            f"select distinct source_file, source_row from landing.{t}" for t in _LINE_TABLES if t in present)
        counts = con.execute(f"""
            with landed as ({landed_sql}),
            rejected as (select distinct source_file, source_row, reject_reason from staging.all_rejects),
            per_file as (select source_file, count(*) as n from (select distinct * from landed) group by source_file),
            rejected_lines as (select source_file, count(distinct source_row) as n from rejected group by source_file),
            reasons as (select source_file, reject_reason, count(distinct source_row) as n from rejected group by all)
            select per_file.source_file, per_file.n, coalesce(rejected_lines.n, 0),
                   list(struct_pack(reason := reasons.reject_reason, n := reasons.n) order by reasons.n desc,
                        reasons.reject_reason) filter (where reasons.reject_reason is not null)
            from per_file
            left join rejected_lines using (source_file)
            left join reasons using (source_file)
            group by all order by per_file.source_file""").fetchall()
        warnings = con.execute(
            "select severity, location, finding_code, message from landing.landing_study_findings "
            "order by location").fetchall() if "landing_study_findings" in present else []
        marts = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()}
        # every study with a sample or a patient (a study whose patient file has no sample still gets its line)
        without_sample = ("select study_id, count(*) filter (where n_samples = 0) as n from marts.dim_patient "
                          "group by study_id" if "dim_patient" in marts else
                          "select cast(null as varchar) as study_id, 0 as n where false")
        studies = con.execute(f"""
            with samples as (
                select study_id, count(distinct patient_id) as n_patients, count(*) as n_samples,
                       count(*) filter (where is_sequenced) as n_sequenced
                from marts.dim_sample group by study_id),
            without_sample as ({without_sample})
            select study_id, coalesce(n_patients, 0), coalesce(n_samples, 0), coalesce(n_sequenced, 0),
                   coalesce(without_sample.n, 0)
            from samples full join without_sample using (study_id)
            order by study_id""").fetchall() if "dim_sample" in marts else []
        tables_tested = _tables_tested(con, [name for name, _ in warned_tests])
    finally:
        con.close()
    files = tuple(FileCounts(f, n, r, tuple((x["reason"], x["n"]) for x in (reasons or []))) for f, n, r, reasons in counts)
    return BuildSummary(files, tuple(Finding(*w) for w in warnings),
                        tuple((name, n, tables_tested.get(name)) for name, n in warned_tests),
                        tuple(StudyCounts(*row) for row in studies))


def _tables_tested(con, test_names: list[str]) -> dict[str, str]:
    """{data test name: schema.table of the model it is attached to}, from the build record's compiled nodes
    (incremental.record_full_build); a singular test, attached to no model, is not listed."""
    from .incremental import STATE_SCHEMA

    if not test_names:
        return {}
    recorded = con.execute("select count(*) from duckdb_tables() where schema_name = ? and table_name = 'nodes'",
                           [STATE_SCHEMA]).fetchall()[0][0]
    if not recorded:
        return {}
    rows = con.execute(f"""
        select test.name, model.relation_name
        from {STATE_SCHEMA}.nodes as test
        inner join {STATE_SCHEMA}.nodes as model on model.unique_id = test.tested_node
        where test.resource_type = 'test' and list_contains(?, test.name)""", [test_names]).fetchall()
    return {name: relation.split(".", 1)[1].replace('"', "") for name, relation in rows}
