"""Study-level analysis declarations in ``oncoduck_study.yml``: ``reference_fasta``, ``signatures`` and ``nmf``.

Each block is a contract: every key is known, typed and either given or defaulted (keys, types and
defaults are written once, in ``declarations.KEYS``, which also checks them; each resolved value says
whether it came from the file or from the default). An unknown key, a value of the wrong type or an
unknown choice stops ``oncoduck validate`` and the build with ``file:line: key: reason`` and the closest
valid names. A study without the block does not run the analysis; nothing is fitted or clustered unless
the study says so (``signatures:`` alone, or ``signatures: true``, runs it with every default).

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

from pathlib import Path
from typing import Any

from . import declarations
from .reader import sql_string

BLOCKS = ("signatures", "nmf")

# block -> key -> (kind, default or None = derived downstream); written once, in declarations.KEYS
SCHEMA: dict[str, dict[str, tuple[str, Any]]] = {
    block: {name: (key.kind, key.value) for name, key in declarations.children(block).items()} for block in BLOCKS
}

COLUMNS = ("study_id", "source_file", "source_line", "analysis", "setting", "value", "value_source")


class DeclarationError(ValueError):
    """A declaration that cannot be honoured; the message names file, line and key."""


def _lines(path: Path) -> dict[tuple, int]:
    """1-based line of every mapping key in the YAML file, by its key path."""
    return {p: line for p, (line, _) in declarations._Positions(path).marks.items()}


def resolve(config_path: Path, config: dict[str, Any]) -> list[dict[str, Any]]:
    """The declared analysis settings of one study, defaults filled in, one row per setting (lists
    joined by ';'). Raises DeclarationError naming file, line and key for the first declaration that cannot
    be honoured (declarations.problems lists them all)."""
    found = declarations.find(config_path, config, only=("reference_fasta", *BLOCKS))
    if found:
        raise DeclarationError(found[0].format_short(config_path))
    lines = _lines(config_path)
    rows: list[dict[str, Any]] = []

    fasta = config.get("reference_fasta")
    if fasta is not None:
        rows.append({"analysis": "context", "setting": "reference_fasta",
                     "value": str((config_path.parent / fasta).resolve()),
                     "source_line": lines.get(("reference_fasta",)), "value_source": "oncoduck_study.yml"})

    for block, keys in SCHEMA.items():
        if block not in config:
            continue  # no block: the analysis does not run
        declared = config[block] if isinstance(config[block], dict) else {}  # `signatures:` / `true`: defaults
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
