"""Declared comparisons: what to compare, read from each study's ``oncoduck_study.yml``.

A comparison is declared, not coded::

    comparisons:
      - name: nonresponders_vs_responders
        unit: patient                      # sample (default) or patient
        samples:                           # selection on sample_type, timepoint, case_list (optional)
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

Every key is checked by declarations.py (its KEYS document them): anything that cannot be honoured --
an unknown key, unit, analysis or derived grouping, a selection on another key than sample_type,
timepoint and case_list, fewer than two groups -- is refused naming file, line, key and comparison. Declarations are
flattened to one row per comparison x group; membership is resolved in SQL (int_comparison_members),
which fails the build, naming the comparison, when a group_by attribute is unknown or a group is empty.
"""

from __future__ import annotations

from . import declarations
from .declarations import DEFAULT_ANALYSES, DERIVED_PREFIXES
from .reader import sql_string
from .study import CONFIG_FILE, Study, StudyError

COLUMNS = ("study_id", "source_file", "comparison", "unit", "sample_types", "timepoints", "case_lists", "group_by",
           "group_by_kind", "group_order", "group_label", "group_values", "group_samples", "n_groups",
           "alternative", "analyses")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def parse(study: Study) -> list[dict[str, object]]:
    """One dict per comparison x group. Raises StudyError listing every declaration that cannot be honoured
    (declarations.py checks them: unknown keys, units, analyses, selections, groupings and groups), each as
    ``file:line:column: comparisons[n].key: comparison 'name': reason``."""
    where = study.directory / CONFIG_FILE
    found = declarations.find(where, study.config, only=("comparisons",))
    if found:
        raise StudyError("\n".join(p.format(where) for p in found))
    rows = []
    case_lists = declarations.case_list_stable_ids(study.directory)  # declared name -> stable_id
    for i, comp in enumerate(study.config.get("comparisons") or []):
        name = str(comp.get("name") or f"comparison_{i + 1}")
        unit = str(comp.get("unit", "sample"))
        alternative = str(comp.get("alternative", "two.sided"))
        analyses = _as_list(comp.get("analyses")) or list(DEFAULT_ANALYSES)
        group_by = str(comp.get("group_by") or "")
        prefix = group_by.split(":", 1)[0].strip() if ":" in group_by else None
        kind = "derived" if prefix in DERIVED_PREFIXES else ("samples" if not group_by else "attribute")
        groups = comp.get("groups") or {}
        if kind == "derived" and not groups:
            groups = {label: [label] for label in declarations.DERIVED_GROUPS[prefix]}
        selection = comp.get("samples") or {}
        for order, (label, values) in enumerate(groups.items(), start=1):
            samples = values.get("samples") if isinstance(values, dict) else None
            rows.append({
                "study_id": study.study_id, "source_file": str(where), "comparison": name, "unit": unit,
                "sample_types": ";".join(_as_list(selection.get("sample_type"))) or None,
                "timepoints": ";".join(_as_list(selection.get("timepoint"))) or None,
                "case_lists": ";".join(case_lists[n] for n in _as_list(selection.get("case_list"))) or None,
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
