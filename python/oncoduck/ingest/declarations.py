"""The contract of ``oncoduck_study.yml``: every key a study may declare, checked and documented from one place.

``KEYS`` declares each key once: where it sits, its type, its default, its allowed values (or the seed whose
ids it takes), what it does and an example. The same list drives

* the check (:func:`problems`): every problem of a file, not only the first, each as
  ``{file}:{line}:{column}: {key}: {message}``, with the closest valid names (difflib) for a misspelt key,
  choice or id. An unknown key, a value of the wrong type, an id that is not in its seed, a file that does not
  exist, a key given twice and a selection oncoduck cannot honour are all refused: a declaration is honoured
  or refused, never dropped.
* the README table (:func:`markdown_table`; ``python -m oncoduck.ingest.declarations`` prints it, and
  tests/python/ingest/test_declarations.py fails when the README's copy differs).

Positions come from the composed YAML (node marks), so a message points where an editor shows the key.
List items are numbered from 1 in key paths (``comparisons[2].groups``).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import functools
import math
from pathlib import Path
from typing import Any

import yaml

from ..paths import PROJECT_ROOT
from .study import CONFIG_FILE, KINDS

COSMIC_VERSIONS = ("3.4",)
GENOMES = ("GRCh37", "GRCh38")
VARIANT_SETS = ("all_snv", "nonsynonymous_snv")
NMF_FEATURES = ("genes", "pathways")
REFERENCE_GENOMES = ("hg19", "hg38", "GRCh37", "GRCh38")
SEQUENCED_SAMPLES = ("declared", "maf")
UNITS = ("sample", "patient")
ALTERNATIVES = ("two.sided", "greater", "less")
ANALYSES = ("burden", "genes", "pathways", "cytobands", "hotspots", "survival", "clinical", "response",
            "interactions", "paired", "longitudinal", "signatures", "nmf")
DEFAULT_ANALYSES = ("burden", "genes", "pathways")
DERIVED_PREFIXES = ("mutated", "tmb", "cnv_burden")
DERIVED_GROUPS = {"mutated": ("mutated", "wildtype"), "tmb": ("high", "low"), "cnv_burden": ("high", "low")}
#: dim_sample.sample_type (accepted_values in models/marts/burden/_burden__models.yml)
SAMPLE_TYPES = ("primary", "metastasis", "recurrence", "plasma", "normal", "other", "unknown")
#: the dim_sample columns a comparison's ``samples:`` may select on (int_comparison_members honours these only)
SELECTION_KEYS = ("sample_type", "timepoint", "case_list")


def case_list_stable_ids(directory: Path) -> dict[str, str]:
    """The study's case lists (``case_lists/*.txt``): every name a declaration may use -> stable_id. A list is
    named by its stable_id, or without the ``<study>_`` prefix cBioPortal puts in front (``her2_pos`` for
    ``brca_x_her2_pos``)."""
    from .study import read_key_value_file

    names: dict[str, str] = {}
    for path in sorted((directory / "case_lists").glob("*.txt")):
        keys = read_key_value_file(path)
        stable_id = keys.get("stable_id") or path.stem
        names[stable_id] = stable_id
        study = keys.get("cancer_study_identifier", "")
        if study and stable_id.startswith(study + "_"):
            names.setdefault(stable_id[len(study) + 1:], stable_id)
    return names

SEEDS_DIR = PROJECT_ROOT / "seeds" / "reference"


@dataclasses.dataclass(frozen=True)
class Key:
    """One declarable key. ``path`` is dotted; ``[]`` marks the items of a list and ``<...>`` a key the
    study names itself (a file kind, a column, an attribute)."""

    path: str
    kind: str  # see _TYPE_DOCS
    default: str  # as documented ("" = not set: nothing happens)
    description: str
    example: str
    choices: tuple[str, ...] = ()
    seed: tuple[str, str] | None = None  # (csv file under seeds/reference, id column)
    ignore_case: bool = False
    value: Any = None  # the default as a value, where the Python code fills it in (signatures, nmf)

    @property
    def name(self) -> str:
        return self.path.rsplit(".", 1)[-1]

    @property
    def parent(self) -> str:
        return self.path.rsplit(".", 1)[0] if "." in self.path else ""

    @property
    def type_doc(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(f"`{c}`" for c in self.choices)
        if self.kind == "seed":
            return f"id: `{self.seed[1]}` of `seeds/reference/{self.seed[0]}`"
        if self.kind == "list_of_choice":
            return "list of: " + ", ".join(f"`{c}`" for c in self.choices)
        return _TYPE_DOCS[self.kind]


_TYPE_DOCS = {
    "text": "text",
    "name": "text (or a whole number)",
    "path": "path, relative to the study folder",
    "paths": "path or list of paths, relative to the study folder",
    "positive_number": "number > 0",
    "percent": "number from 0 to 100",
    "positive_int": "whole number >= 1",
    "non_negative_int": "whole number >= 0",
    "list_of_text": "list of names",
    "list_of_rank": "list of whole numbers >= 2",
    "text_or_list": "text or list of text",
    "canonical": "text or list of text (canonical names)",
    "mapping": "mapping",
    "signatures_block": "mapping (or `true`: every default)",
    "list_of_mappings": "list of mappings",
    "group_by": "text: an attribute, or `mutated:GENE`, `tmb:median`, `tmb:<number>`, `cnv_burden:median`, "
                "`cnv_burden:<number>`",
    "group": "list of values, or `{samples: [...]}`",
    "scalar": "text or number",
}

# Every key of oncoduck_study.yml, in the order the README lists them.
KEYS: tuple[Key, ...] = (
    Key("study_id", "text", "meta_study.txt `cancer_study_identifier`, else the folder name",
        "The study's id in every table.", "study_id: my_study"),
    Key("reference_genome", "choice", "meta_study.txt `reference_genome`, else `hg19`",
        "Genome build of the coordinates (GRCh37/GRCh38 are read as hg19/hg38; any case).",
        "reference_genome: hg19", choices=REFERENCE_GENOMES, ignore_case=True),
    Key("assay_id", "seed", "`exome_undeclared`: every gene profiled, no coding size, so no TMB",
        "Assay of the samples neither the gene panel matrix nor a Gene Panel attribute names (its genes, coding "
        "size, type); `wes_generic` is cBioPortal's 30 Mb exome.",
        "assay_id: demo_panel_520", seed=("assays.csv", "assay_id")),
    Key("tmb_definition", "seed", "`nonsyn_maftools_v1`",
        "Which variants count for TMB and which coding size divides them (also the nonsynonymous definition "
        "used by the frequency marts).", "tmb_definition: nonsyn_zhang2022_v1",
        seed=("tmb_definitions.csv", "definition_id")),
    Key("variant_filter_rule_set", "seed", "`none`", "Which variant filters apply (PASS, depth, VAF ...).",
        "variant_filter_rule_set: zhang2022_tissue", seed=("variant_filter_rules.csv", "rule_set")),
    Key("cna_call_rule_set", "seed", "`log2_default`",
        "Thresholds that call amplifications and deletions from copy-number values and segments.",
        "cna_call_rule_set: log2_default", seed=("cna_call_rules.csv", "rule_set")),
    Key("sequenced_samples", "choice", "`declared`",
        "`declared`: #Sequenced_Samples, cases_sequenced.txt or the gene panel matrix (else every non-normal "
        "sample of a study with a MAF); `maf`: the samples in the mutation files (maftools' view).",
        "sequenced_samples: maf", choices=SEQUENCED_SAMPLES, ignore_case=True),
    Key("coding_mb", "positive_number", "the assay's coding size",
        "Coding size in Mb that divides TMB, over the assay's and the definition's.", "coding_mb: 33.5"),
    Key("thresholds", "mapping", "", "Study-specific cut-offs of clinical rules.",
        "thresholds: {ki67_cutoff_percent: 20}"),
    Key("thresholds.ki67_cutoff_percent", "percent", "var `ki67_cutoff_percent` (14)",
        "Ki-67 % at or above which an HR+/HER2- tumour is Luminal B-like (St. Gallen 2013).",
        "thresholds: {ki67_cutoff_percent: 20}"),
    Key("thresholds.lim2021_historical_pfs_months", "positive_number",
        "var `lim2021_historical_pfs_months` (6)",
        "Historical median PFS (months) of the lim2021 extreme-responder rule.",
        "thresholds: {lim2021_historical_pfs_months: 6}"),
    Key("thresholds.lim2021_durable_multiple", "positive_number", "var `lim2021_durable_multiple` (2)",
        "A PR is extreme when PFS >= this multiple of the historical median (lim2021 rule).",
        "thresholds: {lim2021_durable_multiple: 2}"),
    Key("files", "mapping", "files found by meta files and conventional names",
        "Lists files explicitly, by file kind (paths may point outside the folder; each must exist).",
        "files: {mutations: [a.maf.gz, b.maf.gz]}"),
    Key("files.<kind>", "paths", "",
        "The files of one kind: " + ", ".join(KINDS) + ".",
        "files: {clinical_sample: data_clinical_sample.txt}"),
    Key("columns", "mapping", "", "Vendor column names -> canonical names, for every file of the study.",
        "columns: {tumors_var_reads: t_alt_count}"),
    Key("columns.<source column>", "canonical", "",
        "The canonical name(s) a source column lands as (a list lands it under each name).",
        "columns: {VITAL_STATUS: [OS_STATUS, DSS_STATUS]}"),
    Key("columns.<kind>.<source column>", "canonical", "",
        "The same for one file kind only (wins over the study-wide name).",
        "columns: {clinical_sample: {Tumor_Sample_Barcode: SAMPLE_ID}}"),
    Key("values", "mapping", "", "Raw value -> canonical value, per attribute.",
        "values: {ER_STATUS: {Positve: Positive}}"),
    Key("values.<ATTRIBUTE>.<raw value>", "scalar", "",
        "The canonical value of one raw value (matched ignoring case; quote yes/no/true/false).",
        "values: {HER2_IHC_SCORE: {'2+ (equivocal)': '2+'}}"),
    Key("vcf", "mapping", "single sample: tumour; TUMOR/NORMAL columns paired; else every column a tumour",
        "Which VCF sample columns are the tumour and the matched normal.",
        "vcf: {tumor_sample: T1, normal_sample: N1}"),
    Key("vcf.tumor_sample", "name", "", "The tumour sample column.", "vcf: {tumor_sample: T1}"),
    Key("vcf.normal_sample", "name", "", "The matched normal sample column.", "vcf: {normal_sample: N1}"),
    Key("vcf.sample_ids", "mapping", "the column name",
        "Sample column -> sample id landed.", "vcf: {sample_ids: {TUMOR: S1-T}}"),
    Key("vcf.files", "mapping", "", "Per-file overrides: VCF file name -> tumor_sample, normal_sample, sample_ids.",
        "vcf: {files: {t2.vcf.gz: {tumor_sample: T2}}}"),
    Key("reference_fasta", "path", "",
        "FASTA giving the sequence context of SNVs whose MAF has no context column (must exist).",
        "reference_fasta: ref/GRCh37.fa"),
    Key("signatures", "signatures_block", "", "Fit COSMIC SBS exposures (stats.stat_signature_exposures).",
        "signatures: {min_snvs: 5}"),
    Key("signatures.cosmic_version", "choice", "`3.4`", "COSMIC reference (SigProfilerAssignment's files).",
        "signatures: {cosmic_version: '3.4'}", choices=COSMIC_VERSIONS, value="3.4"),
    Key("signatures.genome", "choice", "the study's reference genome",
        "Genome of the COSMIC reference.", "signatures: {genome: GRCh37}", choices=GENOMES),
    Key("signatures.variant_set", "choice", "`all_snv`",
        "SNVs fitted: every PASS SNV, or the nonsynonymous ones of the study's TMB definition.",
        "signatures: {variant_set: all_snv}", choices=VARIANT_SETS, value="all_snv"),
    Key("signatures.signatures", "list_of_text", "every SBS of the reference",
        "The signatures to fit (each must be in the reference).", "signatures: {signatures: [SBS1, SBS2, SBS13]}"),
    Key("signatures.min_snvs", "positive_int", "`10`", "Samples with fewer SNVs are not fitted (reason given).",
        "signatures: {min_snvs: 10}", value=10),
    Key("signatures.de_novo_ranks", "list_of_rank", "no de novo extraction",
        "Also extract signatures de novo by NMF at these ranks (stats.stat_signatures_de_novo).",
        "signatures: {de_novo_ranks: [2, 3, 4]}"),
    Key("signatures.de_novo_runs", "positive_int", "`10`", "NMF runs per rank for the extraction.",
        "signatures: {de_novo_runs: 10}", value=10),
    Key("signatures.seed", "non_negative_int", "`1`", "Run r uses seed + r (stored with the result).",
        "signatures: {seed: 2021}", value=1),
    Key("nmf", "signatures_block", "", "Consensus NMF subtypes (marts.fct_sample_nmf_cluster).",
        "nmf: {ranks: [2, 3, 4]}"),
    Key("nmf.features", "choice", "`genes`", "What is clustered: genes, or pathways (seed gene_sets).",
        "nmf: {features: genes}", choices=NMF_FEATURES, value="genes"),
    Key("nmf.ranks", "list_of_rank", "`[2, 3, 4, 5]`",
        "Ranks tried; the one with the highest cophenetic correlation is kept.", "nmf: {ranks: [2, 3]}",
        value=[2, 3, 4, 5]),
    Key("nmf.runs", "positive_int", "`20`", "NMF runs per rank (consensus matrix).", "nmf: {runs: 10}", value=20),
    Key("nmf.seed", "non_negative_int", "`1`", "Run r uses seed + r (stored with the result).", "nmf: {seed: 2022}",
        value=1),
    Key("nmf.min_altered_samples", "positive_int", "`3`", "Features altered in fewer samples are left out.",
        "nmf: {min_altered_samples: 8}", value=3),
    Key("comparisons", "list_of_mappings", "", "Declared comparisons between groups of samples or patients.",
        "comparisons: [{name: a_vs_b, group_by: SEX, groups: {f: [Female], m: [Male]}}]"),
    Key("comparisons[].name", "text", "`comparison_<n>`", "The comparison's name (unique in the study).",
        "name: nonresponders_vs_responders"),
    Key("comparisons[].unit", "choice", "`sample`", "`patient`: one representative sample per patient.",
        "unit: patient", choices=UNITS),
    Key("comparisons[].samples", "mapping", "every sample",
        "Selection of the samples compared, on sample_type, timepoint and case lists (clinical attributes: future "
        "work); a sample must pass every key given.",
        "samples: {sample_type: [primary, metastasis]}"),
    Key("comparisons[].samples.sample_type", "list_of_choice", "", "Sample types kept (any case).",
        "samples: {sample_type: [primary]}", choices=SAMPLE_TYPES, ignore_case=True),
    Key("comparisons[].samples.timepoint", "text_or_list", "", "Timepoints kept (any case).",
        "samples: {timepoint: [baseline]}"),
    Key("comparisons[].samples.case_list", "text_or_list", "",
        "Case lists (`case_lists/*.txt`, by stable_id, with or without the `<study>_` prefix) whose samples are kept "
        "(in any of them).", "samples: {case_list: her2_pos}"),
    Key("comparisons[].group_by", "group_by", "none: each group lists its samples",
        "The attribute whose values make the groups (clinical canonical name, SAMPLE_TYPE_CANONICAL, TIMEPOINT, "
        "*_DERIVED), or a derived grouping.", "group_by: RESPONSE_GROUP"),
    Key("comparisons[].groups", "mapping", "derived groupings: mutated/wildtype or high/low",
        "Two or more groups, in order: label -> values of the attribute.",
        "groups: {responder: [Extreme responder], non_responder: [Non-responder]}"),
    Key("comparisons[].groups.<label>", "group", "",
        "The values that make the group, or an explicit list of samples.", "groups: {a: {samples: [S1, S2]}}"),
    Key("comparisons[].alternative", "choice", "`two.sided`", "Direction of the test: group 1 vs group 2.",
        "alternative: greater", choices=ALTERNATIVES),
    Key("comparisons[].analyses", "list_of_choice", "`[burden, genes, pathways]`", "The analyses run.",
        "analyses: [burden, genes, survival]", choices=ANALYSES),
)

BY_PATH = {k.path: k for k in KEYS}


def children(parent: str) -> dict[str, Key]:
    """The fixed keys directly under ``parent`` ("" = top level), by name."""
    return {k.name: k for k in KEYS if k.parent == parent and not k.name.startswith("<")}


# ---------------------------------------------------------------------------------------------------------------
# positions
# ---------------------------------------------------------------------------------------------------------------

KeyPath = tuple  # a key path: str keys and int list indices


@dataclasses.dataclass(frozen=True)
class Problem:
    """One problem of a study file: the key path, its position and what is wrong."""

    path: KeyPath
    line: int
    column: int
    message: str

    @property
    def key(self) -> str:
        return key_name(self.path)

    def format(self, file: Path | str) -> str:
        return f"{file}:{self.line}:{self.column}: {self.key}: {self.message}"

    def format_short(self, file: Path | str) -> str:
        """``file:line: key: message`` (analysis_settings' historical form)."""
        return f"{file}:{self.line}: {self.key}: {self.message}"


def key_name(path: KeyPath) -> str:
    """``("comparisons", 1, "groups")`` -> ``comparisons[2].groups`` (list items numbered from 1)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if _is_int(part) else (f".{part}" if text else str(part))
    return text or "(file)"


class _Positions:
    """Line and column (1-based) of every mapping key and list item of a YAML file, by key path; and the keys
    given twice in one mapping (YAML loaders keep the last one silently)."""

    def __init__(self, config_path: Path):
        self.marks: dict[KeyPath, tuple[int, int]] = {}
        self.duplicates: list[tuple[KeyPath, int, int, int]] = []
        if not config_path.is_file():
            return
        try:
            root = yaml.compose(config_path.read_text(encoding="utf-8-sig"))
        except yaml.YAMLError:
            return  # read_config reports invalid YAML
        self._constructor = yaml.SafeLoader("")
        self._walk(root, ())

    def _key(self, node) -> Any:
        try:
            key = self._constructor.construct_object(node, deep=True)
            hash(key)
            return key
        except Exception:  # noqa: BLE001 - an unhashable or odd key: locate it by its text
            return str(getattr(node, "value", ""))

    def _walk(self, node, prefix: KeyPath) -> None:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node)
                path = prefix + (key,)
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if key in seen:
                    self.duplicates.append((path, line, column, seen[key]))
                seen[key] = line
                self.marks[path] = (line, column)
                self._walk(value_node, path)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.marks[prefix + (i,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
                self._walk(item, prefix + (i,))

    def of(self, path: KeyPath) -> tuple[int, int]:
        """The position of ``path``, else of its nearest parent that has one, else 1:1."""
        for n in range(len(path), 0, -1):
            if path[:n] in self.marks:
                return self.marks[path[:n]]
        return 1, 1


# ---------------------------------------------------------------------------------------------------------------
# value checks
# ---------------------------------------------------------------------------------------------------------------

def closest(word: Any, candidates, n: int = 3) -> str:
    """``did you mean 'x'?`` (up to n names, difflib), or "" when nothing is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in candidates], n=n)
    if not close:
        return ""
    names = [f"'{c}'" for c in close]
    return "did you mean " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]) + "?"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_int(value) or isinstance(value, float)) and not (isinstance(value, float) and math.isnan(value))


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{value!r} (YAML reads yes/no/true/false/on/off as a boolean: quote it)"
    return repr(value)


@functools.lru_cache(maxsize=None)
def seed_ids(file: str, column: str) -> tuple[str, ...]:
    """The ids of one seed column (seeds/reference/<file>), in file order, without duplicates."""
    with open(SEEDS_DIR / file, newline="", encoding="utf-8") as handle:
        return tuple(dict.fromkeys(row[column] for row in csv.DictReader(handle) if row.get(column)))


def check_value(key: Key, value: Any) -> str | None:
    """Why ``value`` cannot be ``key``'s value, or None when it can (scalar and list kinds)."""
    kind = key.kind
    if value is None:
        return "no value given (remove the key to take the default)" if key.default else "no value given"
    if kind == "choice":
        choices = key.choices
        text = str(value)
        known = {c.lower(): c for c in choices} if key.ignore_case else {c: c for c in choices}
        if isinstance(value, (dict, list, bool)) or (text.lower() if key.ignore_case else text) not in known:
            return _choice_message(value, choices, closest(text, choices, n=1))
        return None
    if kind == "seed":
        file, column = key.seed
        ids = seed_ids(file, column)
        if not isinstance(value, str) or value not in ids:
            hint = closest(value, ids)
            shown = f"'{value}'" if isinstance(value, str) else _describe(value)
            return (f"{shown} is not in seeds/reference/{file} ({column}: {', '.join(ids)})"
                    + (f"; {hint}" if hint else ""))
        return None
    if kind in ("text", "path"):
        return None if _is_text(value) else f"expected {'a path' if kind == 'path' else 'text'}, got {_describe(value)}"
    if kind == "name":
        return None if _is_text(value) or _is_int(value) else f"expected a name, got {_describe(value)}"
    if kind == "scalar":
        return None if _is_text(value) or _is_number(value) else f"expected text or a number, got {_describe(value)}"
    if kind == "positive_number":
        return None if _is_number(value) and value > 0 else f"expected a number > 0, got {_describe(value)}"
    if kind == "percent":
        ok = _is_number(value) and 0 <= value <= 100
        return None if ok else f"expected a number from 0 to 100, got {_describe(value)}"
    if kind == "list_of_text":
        ok = isinstance(value, list) and value and all(_is_text(v) for v in value)
        return None if ok else f"expected a non-empty list of names, got {value!r}"
    if kind == "list_of_rank":
        ok = isinstance(value, list) and value and all(_is_int(v) and v >= 2 for v in value)
        return None if ok else f"expected a non-empty list of whole numbers >= 2, got {value!r}"
    if kind in ("positive_int", "non_negative_int"):
        low = 1 if kind == "positive_int" else 0
        return None if _is_int(value) and value >= low else f"expected a whole number >= {low}, got {value!r}"
    if kind in ("text_or_list", "canonical", "paths"):
        items = value if isinstance(value, list) else [value]
        what = {"paths": "a path or a list of paths", "canonical": "a canonical name or a list of them"}.get(
            kind, "text or a list of text")
        ok = bool(items) and all(_is_text(v) for v in items)
        return None if ok else f"expected {what}, got {_describe(value)}"
    raise AssertionError(kind)


def _choice_message(value: Any, choices, hint: str) -> str:
    shown = f"'{value}'" if isinstance(value, str) else _describe(value)
    return f"{shown} is not one of {', '.join(choices)}" + (f" ({hint})" if hint else "")


# ---------------------------------------------------------------------------------------------------------------
# the walk
# ---------------------------------------------------------------------------------------------------------------

class _Checker:
    def __init__(self, config_path: Path, config: dict[str, Any]):
        self.config_path = config_path
        self.directory = config_path.parent
        self.config = config
        self.positions = _Positions(config_path)
        self.found: list[Problem] = []

    def problem(self, path: KeyPath, message: str) -> None:
        line, column = self.positions.of(path)
        self.found.append(Problem(tuple(path), line, column, message))

    def unknown_key(self, path: KeyPath, known) -> None:
        known = list(known)
        hint = closest(path[-1], known)
        self.problem(path, f"unknown key (known: {', '.join(known)})" + (f"; {hint}" if hint else ""))

    def leaf(self, key: Key, path: KeyPath, value: Any) -> bool:
        why = check_value(key, value)
        if why:
            self.problem(path, why)
        return why is None

    def mapping(self, path: KeyPath, value: Any, what: str) -> dict | None:
        """``value`` as a mapping (None = empty); a problem and None when it is not one."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, f"expected {what}, got {_describe(value)}")
            return None
        return value

    def fixed(self, parent: str, path: KeyPath, block: dict) -> dict[str, Key]:
        """Check the keys of a mapping whose keys are fixed; returns the known ones."""
        known = children(parent)
        for name, value in block.items():
            if name not in known:
                self.unknown_key(path + (name,), known)
            elif known[name].kind not in ("mapping", "list_of_mappings", "signatures_block", "group_by",
                                          "list_of_choice"):
                self.leaf(known[name], path + (name,), value)
        return known

    def run(self) -> list[Problem]:
        for path, line, column, first in self.positions.duplicates:
            self.found.append(Problem(path, line, column, f"given twice (first on line {first}); YAML keeps only "
                                                          f"the last: remove one"))
        top = children("")
        for name, value in self.config.items():
            if name not in top:
                self.unknown_key((name,), top)
                continue
            handler = getattr(self, f"check_{name}", None)
            if handler:
                handler(value)
            else:
                self.leaf(top[name], (name,), value)
        self.found.sort(key=lambda p: (p.line, p.column))
        return self.found

    # --- blocks --------------------------------------------------------------------------------------------------

    def check_thresholds(self, value: Any) -> None:
        block = self.mapping(("thresholds",), value, "a mapping of cut-offs")
        if block:
            self.fixed("thresholds", ("thresholds",), block)

    def check_files(self, value: Any) -> None:
        block = self.mapping(("files",), value, "a mapping of file kind -> path(s)")
        for kind, names in (block or {}).items():
            path = ("files", kind)
            if kind not in KINDS:
                hint = closest(kind, KINDS)
                self.problem(path, f"unknown file kind '{kind}' (known: {', '.join(KINDS)})"
                                   + (f"; {hint}" if hint else ""))
                continue
            if not self.leaf(BY_PATH["files.<kind>"], path, names):
                continue
            for i, name in enumerate([names] if isinstance(names, str) else names):
                item = path if isinstance(names, str) else path + (i,)
                if not (self.directory / name).exists():
                    self.problem(item, f"'{name}' does not exist in {self.directory}")

    def check_columns(self, value: Any) -> None:
        block = self.mapping(("columns",), value, "a mapping of source column -> canonical name")
        for source, target in (block or {}).items():
            path = ("columns", source)
            if not isinstance(source, str):
                self.problem(path, f"a source column name must be text, got {_describe(source)}")
            if isinstance(target, dict):
                if source not in KINDS:
                    hint = closest(source, KINDS)
                    self.problem(path, f"'{source}' is not a file kind (a nested mapping maps the columns of one "
                                       f"file kind: {', '.join(KINDS)})" + (f"; {hint}" if hint else ""))
                    continue
                for inner, inner_target in target.items():
                    if not isinstance(inner, str):
                        self.problem(path + (inner,), f"a source column name must be text, got {_describe(inner)}")
                    self.leaf(BY_PATH["columns.<kind>.<source column>"], path + (inner,), inner_target)
            else:
                self.leaf(BY_PATH["columns.<source column>"], path, target)

    def check_values(self, value: Any) -> None:
        block = self.mapping(("values",), value, "a mapping of attribute -> {raw value: canonical value}")
        for attribute, mapping in (block or {}).items():
            path = ("values", attribute)
            if not _is_text(attribute) or "." in attribute:
                self.problem(path, f"expected an attribute name (text without '.'), got {_describe(attribute)}")
                continue
            inner = self.mapping(path, mapping, "a mapping of raw value -> canonical value")
            for raw, canonical in (inner or {}).items():
                if not (_is_text(raw) or _is_number(raw)):
                    self.problem(path + (raw,), f"a raw value must be text or a number, got {_describe(raw)}")
                self.leaf(BY_PATH["values.<ATTRIBUTE>.<raw value>"], path + (raw,), canonical)

    def _vcf_settings(self, path: KeyPath, block: dict, allow_files: bool) -> None:
        known = {k: v for k, v in children("vcf").items() if allow_files or k != "files"}
        for name, value in block.items():
            if name not in known:
                self.unknown_key(path + (name,), known)
            elif name == "sample_ids":
                ids = self.mapping(path + (name,), value, "a mapping of sample column -> sample id")
                for column, sample in (ids or {}).items():
                    self.leaf(BY_PATH["vcf.tumor_sample"], path + (name, column), sample)
            elif name == "files":
                files = self.mapping(path + (name,), value, "a mapping of VCF file name -> settings")
                listed = self.config.get("files") or {}
                listed = listed.get("vcf") if isinstance(listed, dict) else None
                listed_names = {Path(str(p)).name for p in ([listed] if isinstance(listed, str) else listed or [])}
                for file_name, settings in (files or {}).items():
                    where = path + (name, file_name)
                    if not (self.directory / str(file_name)).is_file() and str(file_name) not in listed_names:
                        vcfs = sorted(p.name for p in self.directory.glob("*.vcf*")) + sorted(listed_names)
                        hint = closest(file_name, vcfs)
                        self.problem(where, f"'{file_name}' is not a file of the study" + (f"; {hint}" if hint else ""))
                    inner = self.mapping(where, settings, "a mapping of tumor_sample, normal_sample, sample_ids")
                    if inner:
                        self._vcf_settings(where, inner, allow_files=False)
            else:
                self.leaf(known[name], path + (name,), value)

    def check_vcf(self, value: Any) -> None:
        block = self.mapping(("vcf",), value, "a mapping of tumor_sample, normal_sample, sample_ids, files")
        if block:
            self._vcf_settings(("vcf",), block, allow_files=True)

    def check_reference_fasta(self, value: Any) -> None:
        if self.leaf(BY_PATH["reference_fasta"], ("reference_fasta",), value):
            if not (self.directory / value).is_file():
                self.problem(("reference_fasta",),
                             f"'{value}' does not exist (paths are relative to {self.directory})")

    def _analysis_block(self, name: str, value: Any) -> dict | None:
        known = children(name)
        if value is True:
            value = {}
        block = self.mapping((name,), value, f"a mapping of settings ({', '.join(known)})")
        if block is None:
            return None
        self.fixed(name, (name,), block)
        return block

    def check_signatures(self, value: Any) -> None:
        block = self._analysis_block("signatures", value)
        names = (block or {}).get("signatures")
        version = (block or {}).get("cosmic_version", BY_PATH["signatures.cosmic_version"].value)
        if not names or check_value(BY_PATH["signatures.signatures"], names) \
                or check_value(BY_PATH["signatures.cosmic_version"], version):
            return
        from ..stats.signatures import cosmic_reference

        known = list(cosmic_reference(str(version), "GRCh37", False).columns)
        for signature in names:
            if signature not in known:
                hint = closest(signature, known, n=1)
                self.problem(("signatures", "signatures"),
                             f"'{signature}' is not a COSMIC v{version} SBS signature" + (f" ({hint})" if hint else ""))

    def check_nmf(self, value: Any) -> None:
        self._analysis_block("nmf", value)

    def check_comparisons(self, value: Any) -> None:
        if value is None:
            return
        if not isinstance(value, list):
            self.problem(("comparisons",), f"expected a list of comparisons, got {_describe(value)}")
            return
        names: dict[str, int] = {}
        for i, comparison in enumerate(value):
            path = ("comparisons", i)
            if not isinstance(comparison, dict):
                self.problem(path, f"expected a comparison (a mapping of {', '.join(children('comparisons[]'))}), "
                                   f"got {_describe(comparison)}")
                continue
            name = comparison.get("name") if _is_text(comparison.get("name")) else f"comparison_{i + 1}"
            if name in names:
                self.problem(path + ("name",), f"comparison '{name}': the name is used twice (also comparison "
                                               f"{names[name] + 1})")
            if str(name).lower().startswith("cohort:"):
                self.problem(path + ("name",), f"comparison '{name}': names starting with cohort: are reserved for "
                                               f"the implicit groupings cohort:all and cohort:sample_type; rename it")
            names.setdefault(name, i)
            self._comparison(path, name, comparison)

    def _comparison(self, path: KeyPath, name: str, comparison: dict) -> None:
        def refuse(where: KeyPath, message: str) -> None:
            self.problem(where, f"comparison '{name}': {message}")

        known = children("comparisons[]")
        for key, value in comparison.items():
            if key not in known:
                hint = closest(key, known)
                refuse(path + (key,), f"unknown key (known: {', '.join(known)})" + (f"; {hint}" if hint else ""))
            elif known[key].kind not in ("mapping", "group_by", "list_of_choice"):
                why = check_value(known[key], value)
                if why:
                    refuse(path + (key,), why)
        # analyses
        analyses = comparison.get("analyses")
        if "analyses" in comparison:
            items = analyses if isinstance(analyses, list) else [analyses]
            if not items or analyses is None:
                refuse(path + ("analyses",), f"expected a list of analyses ({', '.join(ANALYSES)}), got "
                                             f"{_describe(analyses)}")
            for j, analysis in enumerate(items if analyses is not None else []):
                where = path + ("analyses", j) if isinstance(analyses, list) else path + ("analyses",)
                if not isinstance(analysis, str) or analysis not in ANALYSES:
                    hint = closest(analysis, ANALYSES, n=1)
                    refuse(where, f"unknown analysis {_describe(analysis)} (known: {', '.join(ANALYSES)})"
                                  + (f"; {hint}" if hint else ""))
        # selection
        if "samples" in comparison:
            selection = self.mapping(path + ("samples",), comparison["samples"],
                                     "a selection: a mapping of sample_type, timepoint and/or case_list")
            for key, value in (selection or {}).items():
                where = path + ("samples", key)
                if key not in SELECTION_KEYS:
                    hint = closest(key, SELECTION_KEYS, n=1)
                    refuse(where, f"samples: selection on '{key}' cannot be honoured: a comparison selects samples "
                                  f"by {', '.join(SELECTION_KEYS)} only (selections on clinical attributes are "
                                  f"future work; group_by the attribute instead)" + (f"; {hint}" if hint else ""))
                    continue
                why = check_value(BY_PATH["comparisons[].samples.timepoint"], value)
                if why:
                    refuse(where, why)
                elif key == "case_list":
                    known = case_list_stable_ids(self.directory)
                    items = value if isinstance(value, list) else [value]
                    for j, name in enumerate(items):
                        if str(name) not in known:
                            hint = closest(str(name), sorted(known), n=1)
                            refuse(where + ((j,) if isinstance(value, list) else ()),
                                   f"no case list '{name}' in {self.directory / 'case_lists'}"
                                   + (f" (lists: {', '.join(sorted(set(known.values())))})" if known else "")
                                   + (f"; {hint}" if hint else ""))
                elif key == "sample_type":
                    items = value if isinstance(value, list) else [value]
                    for j, sample_type in enumerate(items):
                        if sample_type.lower() not in SAMPLE_TYPES:
                            hint = closest(sample_type.lower(), SAMPLE_TYPES, n=1)
                            refuse(where + ((j,) if isinstance(value, list) else ()),
                                   f"'{sample_type}' is not a sample type ({', '.join(SAMPLE_TYPES)})"
                                   + (f"; {hint}" if hint else ""))
        # grouping
        group_by = comparison.get("group_by")
        prefix = None
        if "group_by" in comparison:
            if not _is_text(group_by):
                refuse(path + ("group_by",), f"expected an attribute or a derived grouping, got {_describe(group_by)}")
                group_by = None
            elif ":" in group_by:
                prefix, argument = (part.strip() for part in group_by.split(":", 1))
                if prefix not in DERIVED_PREFIXES:
                    hint = closest(prefix, DERIVED_PREFIXES, n=1)
                    refuse(path + ("group_by",), f"'{group_by}': '{prefix}' is not a derived grouping "
                                                 f"({', '.join(DERIVED_PREFIXES)})" + (f"; {hint}" if hint else ""))
                    prefix = "?"
                elif prefix == "mutated" and not argument:
                    refuse(path + ("group_by",), f"'{group_by}': name the gene (mutated:PIK3CA)")
                elif prefix != "mutated" and argument != "median" and not _is_float(argument):
                    refuse(path + ("group_by",), f"'{group_by}': the cut-off must be 'median' or a number "
                                                 f"({prefix}:median, {prefix}:10)")
        groups = comparison.get("groups")
        if groups is None and prefix is not None:
            return  # the derived grouping's own two groups (or an unknown one, refused above)
        where = path + ("groups",)
        if not isinstance(groups, dict) or len(groups) < 2:
            got = len(groups) if isinstance(groups, dict) else _describe(groups)
            refuse(where, f"needs at least two groups, got {got}")
            if not isinstance(groups, dict):
                return
        for label, values in groups.items():
            group_path = where + (label,)
            if not (_is_text(label) or _is_int(label)):
                refuse(group_path, f"a group label must be text, got {_describe(label)}")
            if isinstance(values, dict):
                if group_by is not None or "group_by" in comparison:
                    refuse(group_path, f"group '{label}': with group_by, a group lists values of {group_by}; "
                                       f"{{samples: [...]}} is for comparisons without group_by")
                    continue
                extra = [k for k in values if k != "samples"]
                for k in extra:
                    refuse(group_path + (k,), f"group '{label}': unknown key (a group is a list of values or "
                                              f"{{samples: [...]}})" + (f"; {closest(k, ['samples'])}"
                                                                        if closest(k, ["samples"]) else ""))
                samples = values.get("samples")
                if "samples" in values and (not isinstance(samples, list) or not samples
                                            or not all(_is_text(s) or _is_int(s) for s in samples)):
                    refuse(group_path + ("samples",), f"group '{label}': expected a non-empty list of sample ids, "
                                                      f"got {_describe(samples)}")
                continue
            if group_by is None and "group_by" not in comparison:
                refuse(group_path, f"group '{label}': without group_by, each group lists its samples "
                                   f"({{samples: [...]}})")
                continue
            items = values if isinstance(values, list) else [values]
            if values is None or not items or not all(_is_text(v) or _is_number(v) for v in items):
                refuse(group_path, f"group '{label}': expected a value or a list of values of {group_by}, got "
                                   f"{_describe(values)}")
                continue
            if prefix in DERIVED_GROUPS:
                wrong = [str(v) for v in items if str(v).lower() not in DERIVED_GROUPS[prefix]]
                if wrong:
                    refuse(group_path, f"group '{label}': {prefix}: groups are "
                                       f"{' and '.join(DERIVED_GROUPS[prefix])}, not {', '.join(wrong)}")


def _is_float(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------------------------

def _load(config_path: Path) -> dict[str, Any]:
    from .study import read_config

    return read_config(config_path.parent) if config_path.name == CONFIG_FILE else (
        yaml.safe_load(config_path.read_text(encoding="utf-8-sig")) or {})


def find(config_path: Path | str, config: dict[str, Any] | None = None,
         only: tuple[str, ...] | None = None) -> list[Problem]:
    """Every problem of one study file (``config``: its loaded content, read from the file when None),
    in file order. ``only``: the top-level keys to check (the rest is left alone)."""
    config_path = Path(config_path)
    if config is None:
        config = _load(config_path) if config_path.exists() else {}
    if only is not None:
        config = {k: v for k, v in config.items() if k in only}
    checker = _Checker(config_path, config)
    found = checker.run()
    if only is not None:
        found = [p for p in found if p.path and p.path[0] in only]
    return found


def problems(config_path: Path | str, config: dict[str, Any] | None = None) -> list[str]:
    """Every problem of one ``oncoduck_study.yml`` as ``{file}:{line}:{column}: {key}: {message}``; [] when
    it is a valid declaration."""
    return [p.format(config_path) for p in find(config_path, config)]


def markdown_table() -> str:
    """The README's key-by-key table, generated from ``KEYS``."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| key | type | default | what it does | example |", "| --- | --- | --- | --- | --- |"]
    for key in KEYS:
        lines.append(f"| `{key.path}` | {cell(key.type_doc)} | {cell(key.default) or '-'} | {cell(key.description)} "
                     f"| `{cell(key.example)}` |")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m oncoduck.ingest.declarations > table for the README
    print(markdown_table())
