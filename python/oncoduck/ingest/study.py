"""Study folder discovery: which files of a cBioPortal-layout folder hold which kind of data.

A study folder is read the way cBioPortal's importer reads it: ``meta_study.txt`` names the study,
each ``meta_*.txt`` names a data file (``data_filename``) and says what it holds
(``genetic_alteration_type`` / ``datatype``). Files without a meta file are recognised by the
conventional names (``data_mutations*.txt``, ``*.seg`` ...). ``oncoduck_study.yml`` (ours, optional)
may list files explicitly, map vendor column names and values to canonical ones, and set the
assay, definitions and thresholds of the study. Annotated VCFs (``*.vcf``, ``*.vcf.gz``, kind ``vcf``)
land with the MAFs; ``vcf: {tumor_sample: NAME, normal_sample: NAME, sample_ids: {COLUMN: ID}}`` says
which sample columns are the tumour and the matched normal (defaults and rules: ingest/vcf.py).

Every file in the folder is accounted for: either it is ingested under a kind, or it is listed
with the reason it is not (``unsupported`` data types such as expression, or documentation).
Every file the folder itself names (a meta file's ``data_filename``, a file or symbolic link in it, a case
list) must lie in the folder once symbolic links are resolved, or discovery stops with an error naming it:
a downloaded folder cannot make oncoduck read ``/etc/passwd``. Files named under ``files:`` in
``oncoduck_study.yml`` are the study's own declaration and may lie anywhere.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import os
from pathlib import Path
from typing import Any

import yaml

from . import kinds

#: File kinds that oncoduck lands (declared in ingest/kinds.py, with their meta types and file names).
KINDS = kinds.NAMES

# Files that are part of a study folder but carry no data oncoduck lands.
_NOT_DATA = ("meta_*.txt", "oncoduck_study.yml", "*.md", "PROVENANCE*", "study_tags.yml", "LICENSE*")

CONFIG_FILE = "oncoduck_study.yml"


class StudyError(Exception):
    """A study folder that cannot be read at all (the message names the file)."""


#: Severities as cBioPortal's validator has them: an ERROR stops the build, a WARNING is shown in
#: the build summary and by ``oncoduck validate`` (exit 3 when there are only warnings).
SEVERITIES = ("ERROR", "WARNING")


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem of a study folder, located as precisely as known (``file:line:column``)."""

    severity: str  # one of SEVERITIES
    location: str  # file:line:column
    code: str  # a short stable name, e.g. data_file_absent
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.code}: {self.message}"


@dataclasses.dataclass(frozen=True)
class StudyFile:
    study_id: str
    kind: str | None  # None: not ingested (see reason)
    path: Path
    meta: dict[str, str]
    reason: str  # how the kind was decided, or why the file is not ingested
    encoding: str = "utf-8"  # the study's declared text encoding (oncoduck_study.yml encoding:)

    def sniff(self, has_header: bool = True):
        """The file's shape (reader.sniff), read in the study's encoding."""
        from .reader import sniff

        return sniff(self.path, has_header, self.encoding)


@dataclasses.dataclass(frozen=True)
class Study:
    study_id: str
    directory: Path
    meta: dict[str, str]
    config: dict[str, Any]
    files: tuple[StudyFile, ...]
    findings: tuple[Finding, ...] = ()  # what discovery found wrong but could work around (warnings)

    def files_of(self, kind: str) -> list[StudyFile]:
        return [f for f in self.files if f.kind == kind]

    def column_map(self, kind: str | None = None, *, all_targets: bool = False) -> dict[str, Any]:
        """Source column name (lower-case) -> canonical name, from oncoduck_study.yml ``columns:``.

        ``columns:`` maps names for every file of the study; a nested mapping under a kind name
        (``columns: {clinical_sample: {Tumor_Sample_Barcode: SAMPLE_ID}}``) applies to that kind only
        and wins over the study-wide one.

        A source column may feed several canonical attributes: the value is then a list
        (``columns: {clinical_patient: {VITAL_STATUS: [OS_STATUS, DSS_STATUS]}}``, METABRIC's
        Living / Died of Disease / Died of Other Causes read as OS status and as disease-specific status).
        With ``all_targets=True`` every value is a tuple of canonical names, in the order given (the
        clinical landing lands one row per name). Without it each source maps to its first name, so a
        reader that takes one column per canonical name (MAF columns, clinical ids) is unchanged.
        The values are checked once, by declarations.py, when the study is discovered."""
        columns = self.config.get("columns") or {}

        def targets(value: Any) -> tuple[str, ...]:
            names = value if isinstance(value, list) else [value]
            return tuple(dict.fromkeys(str(n).strip() for n in names))  # a name listed twice lands once

        merged = {str(k).strip().lower(): targets(v) for k, v in columns.items() if not isinstance(v, dict)}
        if kind and isinstance(columns.get(kind), dict):
            merged.update({str(k).strip().lower(): targets(v) for k, v in columns[kind].items()})
        if all_targets:
            return merged
        return {source: names[0] for source, names in merged.items()}


def read_key_value_file(path: Path) -> dict[str, str]:
    """Parse a cBioPortal ``key: value`` file (meta files, gene panel files)."""
    result: dict[str, str] = {}
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if sep:
            result[key.strip()] = value.strip()
    return result


def read_config(directory: Path) -> dict[str, Any]:
    path = directory / CONFIG_FILE
    if not path.exists():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise StudyError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise StudyError(f"{path}:1:1: expected a mapping of settings, got {type(loaded).__name__}")
    return loaded


def _check_declarations(config_path: Path, config: dict[str, Any]) -> None:
    """Refuse a study file that does not keep the contract of declarations.py (every key known, typed, its ids
    in their seeds, its files present, its comparisons honourable): one StudyError listing every problem, one
    ``file:line:column: key: reason`` per line."""
    from .declarations import problems

    found = problems(config_path, config)
    if found:
        raise StudyError("\n".join(found))


def _declaration_cautions(config_path: Path, config: dict[str, Any]) -> list[Finding]:
    """The WARNINGs of a valid study file (declarations.cautions), each with its line and its own code."""
    from .declarations import cautions

    return [Finding("WARNING", f"{config_path}:{c.line}:{c.column}", c.code, f"{c.key}: {c.message}")
            for c in cautions(config_path, config)]


def _is_gene_panel_file(path: Path) -> bool:
    """A cBioPortal gene panel definition, whatever its name: ``stable_id:`` and ``gene_list:`` lines."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    keys = {line.partition(":")[0].strip().lower() for line in head.splitlines() if ":" in line}
    return {"stable_id", "gene_list"} <= keys


def _case_list_files(directory: Path, study_id: str) -> list[StudyFile]:
    """Every ``case_lists/*.txt``: a named sample set, landed whole (landing_case_lists); its key: value
    lines (stable_id, case_list_name, case_list_ids ...) are the file's ``meta``."""
    folder = directory / "case_lists"
    if not folder.is_dir():
        return []
    return [StudyFile(study_id, "case_list", path.absolute(), read_key_value_file(path),
                      "case_lists/ folder (cBioPortal case list)") for path in sorted(folder.glob("*.txt"))]


def discover(directory: str | Path) -> Study:
    """Inventory one study folder. Raises StudyError when the folder cannot be used at all."""
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise StudyError(f"{directory}: study folder does not exist or is not a folder")
    config = read_config(directory)
    _check_declarations(directory / CONFIG_FILE, config)
    meta_study_path = directory / "meta_study.txt"
    meta_study = read_key_value_file(meta_study_path) if meta_study_path.exists() else {}
    study_id = str(config.get("study_id") or meta_study.get("cancer_study_identifier") or directory.name)

    decided: dict[Path, StudyFile] = {}
    findings: list[Finding] = []
    outside: list[str] = []  # data files found by the folder (meta files, listing) that resolve elsewhere
    if not meta_study_path.exists():
        findings.append(Finding("WARNING", f"{meta_study_path}:1:1", "meta_study_absent",
                                f"no meta_study.txt: study id '{study_id}' taken from "
                                f"{'oncoduck_study.yml study_id' if config.get('study_id') else 'the folder name'}"))
    findings += _declaration_cautions(directory / CONFIG_FILE, config)
    if not (config.get("reference_genome") or meta_study.get("reference_genome")):
        findings.append(Finding("WARNING", f"{meta_study_path}:1:1", "reference_genome_assumed",
                                "reference_genome is given neither in meta_study.txt nor in oncoduck_study.yml: "
                                "hg19 is assumed (cBioPortal's default) for positions, cytobands and gene mapping"))
    # 1. explicit files from oncoduck_study.yml
    for kind, names in (config.get("files") or {}).items():
        if kind not in KINDS:
            raise StudyError(f"{directory / CONFIG_FILE}: files: unknown kind '{kind}' (expected one of {', '.join(KINDS)})")
        for i, name in enumerate(_file_names(names)):
            path = (directory / name)
            if not path.exists():
                from .declarations import _Positions

                key = ("files", kind) if isinstance(names, str) else ("files", kind, i)
                line, column = _Positions(directory / CONFIG_FILE).of(key)
                raise StudyError(f"{directory / CONFIG_FILE}:{line}:{column}: files: {kind}: '{name}' does not exist "
                                 f"in {directory}")
            path = _plain_path(path)
            decided[path] = StudyFile(study_id, kind, path, {}, f"{CONFIG_FILE} files.{kind}")
    # 2. meta files
    for meta_path in sorted(directory.glob("meta_*.txt")):
        if meta_path.name == "meta_study.txt":
            continue
        meta = read_key_value_file(meta_path)
        data_name = meta.get("data_filename")
        if not data_name:
            continue
        path = _plain_path(directory / data_name)
        if path in decided:
            continue
        kind = kinds.kind_of_meta(meta)
        data_type = _declared_data_type(meta)
        line = _key_line(meta_path, "data_filename")
        if not _inside(directory, path):
            outside.append(f"{meta_path}:{line}:1: data_filename '{data_name}' is {path.resolve()}, outside the "
                           f"study folder {directory}; {_OUTSIDE_HINT}")
            continue
        if not path.exists():  # cBioPortal downloads often ship a meta file without its data
            findings.append(Finding("WARNING", f"{meta_path}:{line}:1", "data_file_absent",
                                    f"data_filename '{data_name}' ({data_type}) is not in the folder; nothing of this "
                                    f"kind is landed"))
            continue
        reason = f"{meta_path.name}: {data_type}" if kind else f"unsupported data type {data_type} ({meta_path.name})"
        decided[path] = StudyFile(study_id, kind, path, meta, reason)
    # 3. everything else by name (files read through a declaration key, not as a data kind, are not data files)
    read_as_declared = _declared_inputs(directory, config)
    for path in sorted(p.absolute() for p in directory.iterdir() if p.is_file() or p.is_symlink()):
        if path in decided or path in read_as_declared:
            continue
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in _NOT_DATA):
            continue
        if not _inside(directory, path):
            outside.append(f"{path}:1:1: a symbolic link to {path.resolve()}, outside the study folder "
                           f"{directory}; {_OUTSIDE_HINT}")
            continue
        kind = kinds.kind_of_name(path.name)
        reason = f"file name matches {kind}" if kind else "not a data kind oncoduck lands"
        if kind is None and path.suffix == ".txt" and _is_gene_panel_file(path):
            kind, reason = "gene_panel", "stable_id: and gene_list: lines (cBioPortal gene panel file)"
        decided[path] = StudyFile(study_id, kind, path, {}, reason)
    for f in _case_list_files(directory, study_id):
        if not _inside(directory, f.path):
            outside.append(f"{f.path}:1:1: a symbolic link to {f.path.resolve()}, outside the study folder "
                           f"{directory}; {_OUTSIDE_HINT}")
            continue
        decided.setdefault(f.path, f)
    if outside:
        raise StudyError("\n".join(outside))
    encoding = str(config.get("encoding") or "utf-8")
    files = tuple(sorted((dataclasses.replace(f, encoding=encoding) for f in decided.values()),
                         key=lambda f: (f.kind or "~", f.path.name)))
    findings += [Finding("WARNING", f"{f.path}:1:1", "file_not_landed", f.reason)
                 for f in files if f.kind is None]
    study = Study(study_id, directory, meta_study, config, files, tuple(findings))
    from .identifiers import identifier_findings  # it reads Study: imported here, not at the top

    return dataclasses.replace(study, findings=study.findings + tuple(identifier_findings(study)))


#: How to read a file outside the study folder on purpose.
_OUTSIDE_HINT = ("a file the folder names must lie in it (symbolic links resolved); to read a file from elsewhere "
                 "on purpose, name it under files: in oncoduck_study.yml")


def _inside(directory: Path, path: Path) -> bool:
    """True when ``path``, with every symbolic link resolved, lies in the (resolved) study folder. A meta file's
    ``data_filename`` or a link in a downloaded folder may point anywhere (``../../etc/passwd``): only the
    study's own declaration (``files:``) may read beyond its folder."""
    return path.resolve().is_relative_to(directory)


def _declared_inputs(directory: Path, config: dict[str, Any]) -> set[Path]:
    """The files oncoduck_study.yml names under keys that read them directly (gene_sets, reference_fasta)."""
    named: list[str] = []
    for key in ("gene_sets", "reference_fasta"):
        value = config.get(key)
        items = value if isinstance(value, list) else [value]
        named += [item for item in items if isinstance(item, str)]
    return {_plain_path(directory / name) for name in named}


def files_named_outside(directory: str | Path) -> list[Path]:
    """The files a study's oncoduck_study.yml names outside its folder (``files:``, ``gene_sets``,
    ``reference_fasta``), which a fingerprint of the folder alone would miss."""
    directory = Path(directory).resolve()
    config = read_config(directory)
    files = config.get("files") if isinstance(config.get("files"), dict) else {}  # else refused by discover()
    named = [directory / name for names in files.values() for name in _file_names(names) if isinstance(name, str)]
    named += _declared_inputs(directory, config)
    return sorted({_plain_path(p) for p in named if not _inside(directory, p)})


def _file_names(names: Any) -> list:
    """The file names of one ``files: {kind: ...}`` entry: one name or a list of them."""
    return [names] if isinstance(names, str) else list(names) if isinstance(names, list) else []


def _plain_path(path: Path) -> Path:
    """``path`` absolute, with '..' taken out when that names the same file ('study/../../data/x.txt' is
    '/data/x.txt'); as given when a symbolic link on the way makes the two differ or the file does not exist."""
    plain = Path(os.path.normpath(path.absolute()))
    return plain if plain.exists() and path.exists() and os.path.samefile(plain, path) else path.absolute()


def _declared_data_type(meta: dict[str, str]) -> str:
    """What a meta file says its data is, for findings: GENETIC_ALTERATION_TYPE/DATATYPE, or the resource type of
    cBioPortal's resource files (meta_resource_*.txt), which have neither."""
    if "genetic_alteration_type" in meta or "datatype" in meta:
        return f"{meta.get('genetic_alteration_type', '(none)')}/{meta.get('datatype', '(none)')}"
    if "resource_type" in meta:
        return f"resource data, resource_type {meta['resource_type']}"
    return "(no genetic_alteration_type, datatype or resource_type)"


def _key_line(path: Path, key: str) -> int:
    """1-based line of ``key:`` in a cBioPortal key: value file (1 when absent)."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return next((i for i, line in enumerate(text.splitlines(), start=1) if line.partition(":")[0].strip() == key), 1)


def duplicate_study_ids(studies: list[Study]) -> list[str]:
    """``folder: study id 'x' is also used by other_folder`` for every study whose id an earlier one took."""
    seen: dict[str, Path] = {}
    problems = []
    for s in studies:
        if s.study_id in seen:
            problems.append(f"{s.directory}: study id '{s.study_id}' is also used by {seen[s.study_id]}")
        seen.setdefault(s.study_id, s.directory)
    return problems


def unknown_comparison_studies(studies: list[Study]) -> list[str]:
    """``file:line:column: comparisons[n].studies[m]: ...`` for every study a comparison draws on (``studies:``)
    that is not one of ``studies``: a comparison across studies needs each of them in the same build."""
    from .declarations import _Positions

    known = {s.study_id for s in studies}
    problems = []
    for study in studies:
        where = study.directory / CONFIG_FILE
        for i, comparison in enumerate(study.config.get("comparisons") or []):
            listed = comparison.get("studies") if isinstance(comparison, dict) else None
            for j, study_id in enumerate(listed if isinstance(listed, list) else []):
                if str(study_id) not in known:
                    line, column = _Positions(where).of(("comparisons", i, "studies", j))
                    problems.append(
                        f"{where}:{line}:{column}: comparisons[{i + 1}].studies[{j + 1}]: comparison "
                        f"'{comparison.get('name') or f'comparison_{i + 1}'}': study '{study_id}' is not among the "
                        f"studies given ({', '.join(sorted(known))}); give its folder too (oncoduck build --study "
                        f"DIR ..., oncoduck validate DIR DIR ...)")
    return problems


def discover_all(directories: list[str | Path]) -> list[Study]:
    studies = [discover(d) for d in directories]
    problems = duplicate_study_ids(studies) + unknown_comparison_studies(studies)
    if problems:
        raise StudyError("\n".join(problems))
    return studies
