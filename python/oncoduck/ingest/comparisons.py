"""Declared comparisons: what to compare, read from each study's ``oncoduck_study.yml``.

A comparison is declared, not coded::

    comparisons:
      - name: nonresponders_vs_responders
        unit: patient                      # sample (default) or patient
        samples:                           # selection on dim_sample columns (optional)
          sample_type: [primary, metastasis]
        group_by: RESPONSE_GROUP           # any attribute (clinical, dim_sample, dim_patient derived)
        groups:                            # label: values of the attribute (in order; 2 or more)
          non_responder: [Non-responder]
          responder: [Extreme responder]
        alternative: greater               # two.sided (default) | greater | less: first group vs second
        analyses: [burden, genes, pathways, survival]

``group_by`` may also name a derived grouping: ``mutated:PIK3CA`` (groups ``mutated``/``wildtype``),
``tmb:median`` or ``tmb:10`` (``high``/``low`` at the median or a cut-off in mutations/Mb),
``cnv_burden:median``. ``groups`` values may be ``{samples: [...]}`` for explicit lists.

Declarations are flattened to one row per comparison x group; membership is resolved in SQL
(int_comparison_members), which also fails the build, naming the comparison, when a declaration
cannot be honoured.
"""

from __future__ import annotations

from .reader import sql_string
from .study import CONFIG_FILE, Study, StudyError

UNITS = ("sample", "patient")
ALTERNATIVES = ("two.sided", "greater", "less")
ANALYSES = ("burden", "genes", "pathways", "cytobands", "hotspots", "survival", "clinical", "response",
            "interactions", "paired", "longitudinal", "signatures", "nmf")
DERIVED_PREFIXES = ("mutated", "tmb", "cnv_burden")

COLUMNS = ("study_id", "source_file", "comparison", "unit", "sample_types", "timepoints", "group_by",
           "group_by_kind", "group_order", "group_label", "group_values", "group_samples", "n_groups",
           "alternative", "analyses")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def parse(study: Study) -> list[dict[str, object]]:
    """One dict per comparison x group; raises StudyError naming the study file and comparison."""
    where = study.directory / CONFIG_FILE
    rows = []
    declared = study.config.get("comparisons") or []
    if not isinstance(declared, list):
        raise StudyError(f"{where}: comparisons: expected a list of comparisons")
    names = set()
    for i, comp in enumerate(declared):
        name = str((comp or {}).get("name") or f"comparison_{i + 1}")
        problem = lambda msg: StudyError(f"{where}: comparison '{name}': {msg}")  # noqa: E731
        if name in names:
            raise problem("the name is used twice")
        names.add(name)
        unit = str(comp.get("unit", "sample"))
        if unit not in UNITS:
            raise problem(f"unit must be one of {', '.join(UNITS)}, got '{unit}'")
        alternative = str(comp.get("alternative", "two.sided"))
        if alternative not in ALTERNATIVES:
            raise problem(f"alternative must be one of {', '.join(ALTERNATIVES)}, got '{alternative}'")
        analyses = _as_list(comp.get("analyses")) or ["burden", "genes", "pathways"]
        unknown = [a for a in analyses if a not in ANALYSES]
        if unknown:
            raise problem(f"unknown analyses {unknown} (known: {', '.join(ANALYSES)})")
        group_by = str(comp.get("group_by") or "")
        prefix = group_by.split(":", 1)[0] if ":" in group_by else None
        kind = "derived" if prefix in DERIVED_PREFIXES else ("samples" if not group_by else "attribute")
        groups = comp.get("groups") or {}
        if kind == "derived" and not groups:
            groups = {"mutated": ["mutated"], "wildtype": ["wildtype"]} if prefix == "mutated" else {"high": ["high"], "low": ["low"]}
        if not isinstance(groups, dict) or len(groups) < 2:
            raise problem(f"needs at least two groups, got {len(groups) if isinstance(groups, dict) else groups!r}")
        selection = comp.get("samples") or {}
        for order, (label, values) in enumerate(groups.items(), start=1):
            samples = values.get("samples") if isinstance(values, dict) else None
            if kind == "samples" and samples is None:
                raise problem(f"group '{label}': without group_by, each group lists its samples ({{samples: [...]}})")
            rows.append({
                "study_id": study.study_id, "source_file": str(where), "comparison": name, "unit": unit,
                "sample_types": ";".join(_as_list(selection.get("sample_type"))) or None,
                "timepoints": ";".join(_as_list(selection.get("timepoint"))) or None,
                "group_by": group_by or None, "group_by_kind": kind, "group_order": order, "group_label": str(label),
                "group_values": None if samples is not None else ";".join(_as_list(values)),
                "group_samples": ";".join(_as_list(samples)) if samples is not None else None,
                "n_groups": len(groups), "alternative": alternative, "analyses": ";".join(analyses),
            })
    return rows


def comparisons_sql(studies: list[Study]) -> str:
    rows = [r for s in studies for r in parse(s)]
    if not rows:
        types = {"group_order": "bigint", "n_groups": "bigint"}
        return "select " + ", ".join(f"cast(null as {types.get(c, 'varchar')}) as {c}" for c in COLUMNS) + " where false"

    def literal(v) -> str:
        return "null" if v is None else (str(v) if isinstance(v, int) else sql_string(v))

    values = ", ".join("(" + ", ".join(literal(r[c]) for c in COLUMNS) + ")" for r in rows)
    return f"select * from (values {values}) v({', '.join(COLUMNS)})"
