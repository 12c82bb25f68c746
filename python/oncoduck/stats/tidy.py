"""Typed result tables: what every statistics function returns to a dbt Python model.

A data frame column that holds no value at all (an empty result, or a reason that never applies) has no
type pandas can pass on, and DuckDB then creates the column with type NULL: a later build that does have a
value (an incremental build of another study) cannot insert it. tidy_result types such columns by name.
"""

from __future__ import annotations

import pandas as pd

TEXT_COLUMNS = {
    "study_id", "comparison", "measure", "measure_x", "measure_y", "test", "group", "group1", "group2",
    "reference_group", "feature_level", "feature", "alteration_type", "endpoint", "attribute", "attribute_type",
    "level", "group_label", "hugo_symbol", "gene1", "gene2", "event", "outcome", "term", "bh_family", "alternative", "method", "reason",
    "contingency_table", "pair_rule", "side_a", "side_b", "stratify_by", "sample_id", "signature_id", "collection",
    "permutation_scheme",
    "signature_label", "channel", "best_cosmic_match", "reference_set", "variant_set", "choice_rule",
}
BOOLEAN_COLUMNS = {"exact", "reference_declared", "any_expected_lt5"}


def tidy_result(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The result with exactly ``columns``, in order; a column with no value at all (an empty result, or
    a reason that never applies) is typed by what it holds (text or number), never left untyped."""
    out = frame.reindex(columns=columns)
    for column in out.columns:
        if out[column].isna().all():
            out[column] = out[column].astype(
                "string" if column in TEXT_COLUMNS else "boolean" if column in BOOLEAN_COLUMNS else "float64")
    return out


def no_rows(columns: list[str]) -> pd.DataFrame:
    """The typed result with no row: what a statistic returns when it has nothing to compute."""
    return tidy_result(pd.DataFrame(), columns)
