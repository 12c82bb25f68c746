"""A comparison that cannot be honoured stops the build with a message naming the comparison and
why; degenerate tests return NaN with a reason instead of failing."""

from __future__ import annotations

import numpy as np
import pandas as pd

import pytest

from oncoduck.compiled import BuildFailed
from study_fixtures import write_quirky_study


def _study_with(tmp_path, comparison_yaml: str):
    study = write_quirky_study(tmp_path)
    with open(study / "oncoduck_study.yml", "a") as yml:
        yml.write("comparisons:\n" + comparison_yaml)
    return study


def _build_failure(tmp_path, compiled_project, study) -> str:
    """What the failed build says (it must fail)."""
    with pytest.raises(BuildFailed) as failed:
        compiled_project.build(tmp_path / "oncoduck.duckdb", [study], "+int_comparison_members")
    return str(failed.value)


def test_unknown_group_by_attribute_and_empty_group_fail_naming_the_comparison(tmp_path, compiled_project):
    # one build, two faults: int_comparison_members names every problem in one message
    study = _study_with(tmp_path, "  - name: by_colour\n    group_by: EYE_COLOUR\n    groups: {blue: [blue], brown: [brown]}\n"
                                  "  - name: by_sex\n    group_by: SEX\n    groups: {female: [Female], male: [Male]}\n")
    out = _build_failure(tmp_path, compiled_project, study)
    assert "comparison 'by_colour' groups by EYE_COLOUR, which is not an attribute of study quirky" in out
    assert "comparison 'by_sex' group 'male' has no samples" in out


def test_single_group_fails_naming_the_comparison(tmp_path, compiled_project):
    study = _study_with(tmp_path, "  - name: lonely\n    group_by: SEX\n    groups: {female: [Female]}\n")
    out = _build_failure(tmp_path, compiled_project, study)
    assert "comparison 'lonely': needs at least two groups" in out


def test_degenerate_numeric_and_survival_tests_return_nan_with_a_reason():
    from oncoduck.stats.declared import numeric_tests, survival_tests

    comparisons = pd.DataFrame({"study_id": ["s"], "comparison": ["c"], "alternative": ["two.sided"]})
    values = pd.DataFrame({"study_id": "s", "comparison": "c", "group_label": ["a", "b"], "group_order": [1, 2],
                           "measure": "tmb", "value": [1.0, 2.0]})  # n = 1 per group
    result = numeric_tests(values, comparisons)
    assert np.isnan(result.loc[0, "p_value"]) and result.loc[0, "reason"]
    times = pd.DataFrame({"study_id": "s", "comparison": "c", "endpoint": "OS", "group_label": ["a", "a", "b", "b"],
                          "group_order": [1, 1, 2, 2], "time_months": [1.0, 2.0, 3.0, 4.0], "event": [0, 0, 0, 0]})
    tests = survival_tests(times)  # no events at all
    logrank = tests[tests.test == "logrank"].iloc[0]
    assert np.isnan(logrank.p_value) and logrank.reason
