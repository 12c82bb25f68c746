"""Statistics of declared comparisons do not depend on the order the warehouse returns rows in.

DuckDB promises no row order, and an incremental build reads a study's rows through other plans than a
full build. Iterative fits (Cox with Efron ties, cox.zph) sum in input order, and a fit whose likelihood
is monotone (events separate completely by group, as lim2021's demo PFS does) amplifies last-bit
differences into the sixth digit. comparison_members therefore sorts its rows, so shuffled inputs must
give bit-identical results."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oncoduck.stats.declared import survival_tests, survival_times


def _inputs(seed: int = 7):
    rng = np.random.default_rng(seed)
    n = 40
    patients = [f"P{i:03d}" for i in range(n)]
    group = np.where(np.arange(n) < n // 2, "responder", "non_responder")
    comparisons = pd.DataFrame({"study_id": ["s"], "comparison": ["response"], "analyses": ["burden;survival"]})
    members = pd.DataFrame({"study_id": "s", "comparison": "response", "sample_study_id": "s", "patient_id": patients,
                            "sample_id": [f"{p}-T" for p in patients], "group_label": group,
                            "group_order": np.where(group == "responder", 1, 2), "patient_sample_rank": 1})
    pfs_time = rng.exponential(20, n)
    survival = pd.concat([
        # PFS: every non-responder progresses, no responder does (monotone likelihood, infinite HR)
        pd.DataFrame({"study_id": "s", "patient_id": patients, "endpoint": "PFS", "time_months": pfs_time,
                      "event": (group == "non_responder").astype(float)}),
        pd.DataFrame({"study_id": "s", "patient_id": patients, "endpoint": "OS", "time_months": rng.exponential(30, n),
                      "event": rng.integers(0, 2, n).astype(float)}),
    ], ignore_index=True)
    return comparisons, members, survival


def test_survival_results_do_not_depend_on_row_order():
    comparisons, members, survival = _inputs()
    in_order = survival_tests(survival_times(comparisons, members, survival))
    for seed in range(5):
        shuffled = survival_tests(survival_times(comparisons, members.sample(frac=1, random_state=seed),
                                                 survival.sample(frac=1, random_state=seed + 100)))
        pd.testing.assert_frame_equal(shuffled, in_order, check_exact=True)
    assert (in_order["reason"].fillna("").str.contains("monotone likelihood")).any()
