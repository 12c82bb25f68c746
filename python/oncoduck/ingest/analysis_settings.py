"""Study-level analysis declarations in ``oncoduck_study.yml``: ``reference_fasta``, ``signatures`` and ``nmf``.

Each block is a contract: every key is known, typed and either given or defaulted here (the defaults
are written once, in ``SCHEMA``, and each resolved value says whether it came from the file or from
the default). An unknown key, a value of the wrong type or an unknown choice stops ``oncoduck
validate`` and the build with ``file:line: key: reason`` and the closest valid names. A study without
the block does not run the analysis; nothing is fitted or clustered unless the study says so.

::

    reference_fasta: ref/GRCh37.fa        # SNVs without a MAF context column take their context from here
    signatures:                           # COSMIC SBS fitting (stat_signature_exposures)
      cosmic_version: "3.4"               # the only reference shipped (SigProfilerAssignment's files)
      genome: GRCh37                      # GRCh37 | GRCh38; default: the study's reference genome
      variant_set: all_snv                # all_snv | nonsynonymous_snv
      signatures: [SBS1, SBS2, SBS3, SBS5, SBS13]   # a subset to fit (default: every SBS of the reference)
      min_snvs: 10                        # samples with fewer SNVs get no fit, with a reason
      de_novo_ranks: [2, 3, 4]            # optional: also extract signatures de novo (NMF), rank by cophenetic
      de_novo_runs: 10                    # NMF runs per rank for the extraction
      seed: 1                             # seeds seed .. seed + runs - 1, stored with the result
    nmf:                                  # consensus NMF subtypes (fct_sample_nmf_cluster)
      features: genes                     # genes | pathways
      ranks: [2, 3, 4]                    # ranks tried; the one with the highest cophenetic correlation is kept
      runs: 20                            # NMF runs per rank (consensus matrix)
      seed: 1                             # seeds run .. run + runs - 1, stored with the result
      min_altered_samples: 3              # features altered in fewer samples are left out
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml

from .reader import sql_string

COSMIC_VERSIONS = ("3.4",)
GENOMES = ("GRCh37", "GRCh38")
VARIANT_SETS = ("all_snv", "nonsynonymous_snv")
NMF_FEATURES = ("genes", "pathways")

# block -> key -> (type check, description of the expected value, default or None = required-if-block / derived)
SCHEMA: dict[str, dict[str, tuple[str, Any]]] = {
    "signatures": {
        "cosmic_version": ("choice:" + ",".join(COSMIC_VERSIONS), "3.4"),
        "genome": ("choice:" + ",".join(GENOMES), None),  # None: from the study's reference genome
        "variant_set": ("choice:" + ",".join(VARIANT_SETS), "all_snv"),
        "signatures": ("list_of_text", None),  # None: every signature of the reference
        "min_snvs": ("positive_int", 10),
        "de_novo_ranks": ("list_of_rank", None),  # None: no de novo extraction
        "de_novo_runs": ("positive_int", 10),
        "seed": ("non_negative_int", 1),
    },
    "nmf": {
        "features": ("choice:" + ",".join(NMF_FEATURES), "genes"),
        "ranks": ("list_of_rank", [2, 3, 4, 5]),
        "runs": ("positive_int", 20),
        "seed": ("non_negative_int", 1),
        "min_altered_samples": ("positive_int", 3),
    },
}

COLUMNS = ("study_id", "source_file", "source_line", "analysis", "setting", "value", "value_source")


class DeclarationError(ValueError):
    """A declaration that cannot be honoured; the message names file, line and key."""


def _lines(path: Path) -> dict[tuple[str, ...], int]:
    """1-based line of every mapping key in the YAML file, by its key path."""
    found: dict[tuple[str, ...], int] = {}

    def walk(node, prefix: tuple[str, ...]):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                path = prefix + (str(key.value),)
                found[path] = key.start_mark.line + 1
                walk(value, path)

    if path.exists():
        walk(yaml.compose(path.read_text(encoding="utf-8-sig")), ())
    return found


def _check(kind: str, value: Any) -> str | None:
    """Why ``value`` is not a ``kind``, or None when it is."""
    if kind.startswith("choice:"):
        choices = kind.split(":", 1)[1].split(",")
        if str(value) not in choices:
            close = difflib.get_close_matches(str(value), choices, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            return f"'{value}' is not one of {', '.join(choices)}{hint}"
        return None
    if kind == "list_of_text":
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
        return None if ok else f"expected a non-empty list of names, got {value!r}"
    if kind == "list_of_rank":
        ok = (isinstance(value, list) and value
              and all(isinstance(v, int) and not isinstance(v, bool) and v >= 2 for v in value))
        return None if ok else f"expected a non-empty list of whole numbers >= 2, got {value!r}"
    if kind in ("positive_int", "non_negative_int"):
        low = 1 if kind == "positive_int" else 0
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= low
        return None if ok else f"expected a whole number >= {low}, got {value!r}"
    raise AssertionError(kind)


def _check_signature_names(names: list[str], version: str, where: str) -> None:
    """Every declared signature must be in the COSMIC reference (the same names for every genome and
    for the exome-normalised files)."""
    from ..stats.signatures import cosmic_reference

    known = list(cosmic_reference(version, "GRCh37", False).columns)
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise DeclarationError(f"{where}: '{name}' is not a COSMIC v{version} SBS signature{hint}")


def resolve(config_path: Path, config: dict[str, Any]) -> list[dict[str, Any]]:
    """The declared analysis settings of one study, defaults filled in, one row per setting (lists
    joined by ';'). Raises DeclarationError naming file, line and key for anything that cannot be honoured."""
    lines = _lines(config_path)
    rows: list[dict[str, Any]] = []

    def where(*path: str) -> str:
        line = lines.get(tuple(path)) or lines.get(tuple(path[:1])) or 1
        return f"{config_path}:{line}: {'.'.join(path)}"

    fasta = config.get("reference_fasta")
    if fasta is not None:
        if not isinstance(fasta, str) or not fasta.strip():
            raise DeclarationError(f"{where('reference_fasta')}: expected a path to a FASTA file, got {fasta!r}")
        path = (config_path.parent / fasta)
        if not path.is_file():
            raise DeclarationError(f"{where('reference_fasta')}: '{fasta}' does not exist (paths are relative to "
                                   f"{config_path.parent})")
        rows.append({"analysis": "context", "setting": "reference_fasta", "value": str(path.resolve()),
                     "source_line": lines.get(("reference_fasta",)), "value_source": "oncoduck_study.yml"})

    for block, keys in SCHEMA.items():
        declared = config.get(block)
        if declared is None:
            continue
        if declared == {} or declared is True:
            declared = {}
        if not isinstance(declared, dict):
            raise DeclarationError(f"{where(block)}: expected a mapping of settings ({', '.join(keys)}), got {declared!r}")
        for key, value in declared.items():
            if key not in keys:
                close = difflib.get_close_matches(str(key), list(keys), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                raise DeclarationError(f"{where(block, str(key))}: unknown key (known: {', '.join(keys)}){hint}")
            problem = _check(keys[key][0], value)
            if problem:
                raise DeclarationError(f"{where(block, key)}: {problem}")
        if block == "signatures" and declared.get("signatures"):
            _check_signature_names(declared["signatures"], str(declared.get("cosmic_version", keys["cosmic_version"][1])),
                                   where(block, "signatures"))
        for key, (_, default) in keys.items():
            given = key in declared
            value = declared[key] if given else default
            if value is None:
                continue  # derived downstream (genome from the study, signatures = the whole reference)
            text = ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
            rows.append({"analysis": block, "setting": key, "value": text,
                         "source_line": lines.get((block, key)) if given else lines.get((block,)),
                         "value_source": "oncoduck_study.yml" if given else "default"})
    return rows


def settings_sql(studies) -> str:
    """landing_analysis_settings: the resolved declarations of every study."""
    from .study import CONFIG_FILE

    values = []
    for study in studies:
        config_path = study.directory / CONFIG_FILE
        for row in resolve(config_path, study.config):
            line = "null" if row["source_line"] is None else str(int(row["source_line"]))
            values.append(f"({sql_string(study.study_id)}, {sql_string(str(config_path))}, {line}, "
                          f"{sql_string(row['analysis'])}, {sql_string(row['setting'])}, {sql_string(row['value'])}, "
                          f"{sql_string(row['value_source'])})")
    if not values:
        return ("select " + ", ".join(f"cast(null as {'bigint' if c == 'source_line' else 'varchar'}) as {c}"
                                      for c in COLUMNS) + " where false")
    return f"select * from (values {', '.join(values)}) v({', '.join(COLUMNS)})"
