"""Declared comparisons: what to compare, read from each study's ``oncoduck_study.yml``.

A comparison is declared, not coded::

    comparisons:
      - name: nonresponders_vs_responders
        unit: patient                      # sample (default) or patient
        samples:                           # selection on sample_type, timepoint, case_list, where (optional)
          sample_type: [primary, metastasis]
          where: {ER_STATUS_DERIVED: positive, any: [{mutated: PIK3CA}, {AGE: {min: 50}}]}
        group_by: RESPONSE_GROUP           # any attribute (clinical, dim_sample, dim_patient derived)
        groups:                            # label: values of the attribute (in order; 2 or more)
          non_responder: [Non-responder]
          responder: [Extreme responder]
        alternative: greater               # two.sided (default) | greater | less: first group vs second
        reference: responder               # the group effects are estimated against (default: the first)
        studies: [lim2021, tcga_brca]      # the studies whose samples it draws on (default: its own)
        covariates: [AGE]                  # survival (Cox), response (logistic) and linear models adjust for them
        analyses: [burden, genes, pathways, survival]

``group_by`` may also name a derived grouping: ``mutated:PIK3CA`` (groups ``mutated``/``wildtype``),
``amplified:``, ``deleted:``, ``cna:``, ``altered:`` + a gene, ``tmb:median`` or ``tmb:10`` (``high``/``low`` at
the median or a cut-off in mutations/Mb), ``cnv_burden:median``. Without group_by, ``groups`` values are
``{samples: [...]}`` (explicit lists) or ``{where: {...}}`` (conditions, as in ``samples.where``).

Every key is checked by declarations.py (its KEYS document them): anything that cannot be honoured --
an unknown key, unit, analysis or derived grouping, a selection on another key than sample_type,
timepoint, case_list and where, a malformed condition, fewer than two groups -- is refused naming file, line, key
and comparison. Declarations are flattened to one row per comparison x group (``parse``) and one row per
condition value (``selections``); membership is resolved in SQL (int_comparison_members), which fails the
build, naming the comparison, when a group_by or condition attribute is unknown, a group is empty or a unit
falls in two groups.
"""

from __future__ import annotations

import json

from . import declarations
from .declarations import ALTERATION_CONDITIONS, DEFAULT_ANALYSES, DERIVED_PREFIXES
from .reader import values_sql
from .study import CONFIG_FILE, Study, StudyError

COLUMNS = ("study_id", "source_file", "comparison", "unit", "sample_types", "timepoints", "case_lists", "group_by",
           "group_by_kind", "group_order", "group_label", "group_values", "group_samples", "n_groups",
           "alternative", "analyses", "reference_group", "reference_declared", "covariates", "reference_levels",
           "stratify_by", "outcome", "studies")
SELECTION_COLUMNS = ("study_id", "source_file", "comparison", "group_label", "clause", "branch", "condition",
                     "subject_kind", "subject", "operator", "expected", "value_text", "low", "high")
_TYPES = {"group_order": "bigint", "n_groups": "bigint", "reference_declared": "boolean", "clause": "bigint",
          "branch": "bigint", "condition": "bigint", "expected": "boolean", "low": "double", "high": "double"}


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
        if kind == "samples" and any(isinstance(v, dict) and "where" in v for v in (comp.get("groups") or {}).values()):
            kind = "where"
        groups = comp.get("groups") or {}
        if kind == "derived" and not groups:
            groups = {label: [label] for label in declarations.DERIVED_GROUPS[prefix]}
        selection = comp.get("samples") or {}
        reference = comp.get("reference")
        levels = {str(k).upper(): str(v) for k, v in (comp.get("reference_levels") or {}).items()}
        models = {
            "reference_group": str(reference) if reference is not None else str(next(iter(groups), "")) or None,
            "reference_declared": reference is not None,
            "covariates": ";".join(str(c).upper() for c in comp.get("covariates") or []) or None,
            "reference_levels": json.dumps(levels, sort_keys=True) if levels else None,
            "stratify_by": ";".join(str(c).upper() for c in _as_list(comp.get("stratify_by"))) or None,
            "outcome": str(comp["outcome"]).upper() if comp.get("outcome") else None,
            "studies": ";".join(str(s) for s in comp.get("studies") or []) or None,
        }
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
                "n_groups": len(groups), "alternative": alternative, "analyses": ";".join(analyses), **models,
            })
    return rows


def selections(study: Study) -> list[dict[str, object]]:
    """The ``where:`` conditions of every comparison (``group_label`` None) and of every group declared by
    conditions, one row per condition value. A unit passes when, in every ``clause``, some ``branch`` has all
    its conditions met (a top-level condition is a clause of one branch; ``any:`` is a clause whose list items
    are the branches). Parse after :func:`parse` (which refuses what cannot be honoured)."""
    where_file = str(study.directory / CONFIG_FILE)
    rows: list[dict[str, object]] = []
    for i, comp in enumerate(study.config.get("comparisons") or []):
        name = str(comp.get("name") or f"comparison_{i + 1}")
        blocks = [(None, (comp.get("samples") or {}).get("where"))]
        blocks += [(str(label), values.get("where")) for label, values in (comp.get("groups") or {}).items()
                   if isinstance(values, dict)]
        for label, where in blocks:
            if not where:
                continue
            base = {"study_id": study.study_id, "source_file": where_file, "comparison": name, "group_label": label}
            clauses = [[{k: v}] if k != "any" else list(v) for k, v in where.items()]
            condition = 0
            for clause, branches in enumerate(clauses, start=1):
                for branch, conditions in enumerate(branches, start=1):
                    for subject, value in conditions.items():
                        for row in _condition_rows(subject, value):
                            condition += 1 if row.pop("first") else 0
                            rows.append({**base, "clause": clause, "branch": branch, "condition": condition, **row})
    return rows


def _condition_rows(subject: str, value) -> list[dict[str, object]]:
    """The rows of one condition (``first`` marks where a new condition starts: a gene list is one condition
    per gene, a value list is one condition with one row per value)."""
    def row(first, **fields):
        return {"first": first, "subject_kind": "attribute", "subject": str(subject).upper(), "operator": "in",
                "expected": None, "value_text": None, "low": None, "high": None, **fields}

    if subject in ALTERATION_CONDITIONS:
        status, expected = ALTERATION_CONDITIONS[subject]
        return [row(True, subject_kind="gene", subject=status, operator="status", expected=expected,
                    value_text=str(gene).upper()) for gene in _as_list(value)]
    if isinstance(value, dict):
        if "not_null" in value:
            return [row(True, operator="not_null")]
        if "min" in value or "max" in value:
            return [row(True, operator="range", low=value.get("min"), high=value.get("max"))]
        operator = "in" if "in" in value else "not_in"
        value = value[operator]
        return [row(j == 0, operator=operator, value_text=v) for j, v in enumerate(_as_list(value))]
    return [row(j == 0, value_text=v) for j, v in enumerate(_as_list(value))]


def comparisons_sql(studies: list[Study]) -> str:
    return values_sql([r for s in studies for r in parse(s)], COLUMNS, _TYPES)


def selections_sql(studies: list[Study]) -> str:
    for study in studies:
        parse(study)  # refuses what cannot be honoured, before anything is read
    return values_sql([r for s in studies for r in selections(s)], SELECTION_COLUMNS, _TYPES)
