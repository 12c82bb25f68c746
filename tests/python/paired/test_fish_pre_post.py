"""HER2 FISH before vs after treatment (li2024): marts.fct_her2_fish_pre_post_treatment (one row per patient,
the pooled cells of each phase) and stats.stat_her2_fish_pre_post_tests (signed-rank on the change of the
amplified fraction and of Shannon equitability, McNemar on the heterogeneous status).

* A small readable study (four patients, cells written below) checks the per-patient numbers by hand.
* The demo study demo_li2024_fish (post-treatment FISH of every non-pCR patient) checks the planted effect, and
  that its mart rows are the ones R was given: fixtures/li2024_fish_pre_post.csv.
* R reference values: r/fish_pre_post.R -> fixtures/li2024_fish_pre_post_htests.json (R 4.2.2; each case
  records its call: wilcox.test(ev$<measure>_post, ev$<measure>_pre, paired = TRUE) and mcnemar.test on the
  heterogeneous status, ev = the evaluable rows of the CSV). The small study's R values (R 4.2.2):
      wilcox.test(c(0.25, 0), c(0.7, 0.2), paired = TRUE)                   # V 0, p 0.5 (exact)
      wilcox.test(c(0.94639463035718596, 0), c(0.88129089923069270, 0.72192809488736231), paired = TRUE)
                                                                            # V 1, p 1 (exact)
      mcnemar.test(matrix(c(0, 1, 1, 0), 2))                                # X2 0, df 1, p 1 (symmetric: no correction)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.paired import FISH_PRE_POST_COLUMNS, fish_pre_post_tests
from oncoduck_testing import REPO, query

FIXTURES = Path(__file__).parent / "fixtures"
DEMO_ROWS = FIXTURES / "li2024_fish_pre_post.csv"
R_CASES = {c["name"]: c for c in json.loads((FIXTURES / "li2024_fish_pre_post_htests.json").read_text())["cases"]}
DEMO = REPO / "seeds" / "demo_studies" / "demo_li2024_fish"
SELECTION = ("+stat_her2_fish_pre_post_tests +fct_her2_fish_biopsy +dim_patient",)


def _cells(sample: str, biopsy: int, *groups: tuple[int, int, int]) -> list[str]:
    """FISH lines of one biopsy: ``(n, erbb2, cep17)`` = n cells with those signal counts."""
    rows, cell = [], 0
    for n, erbb2, cep17 in groups:
        for _ in range(n):
            cell += 1
            rows.append(f"{sample}\t{biopsy}\t{cell}\t{erbb2}\t{cep17}")
    return rows


def write_fish_study(root: Path) -> Path:
    """Four patients; (8, 2) cells are amplified (ratio 4), (2, 2) and (1, 1) are not.
    A: two baseline biopsies (16 + 12 of 40 amplified: 0.7, homogeneous) -> post 5 of 20 (0.25, heterogeneous).
    B: baseline 4 of 20 (0.2, heterogeneous) -> post 0 of 20 (homogeneous: amplification lost).
    C: baseline 20 of 20 -> post 10 cells only (insufficient_cells: the pair is not evaluable).
    D: baseline only, without a TIMEPOINT (counts as pre-treatment): no pair."""
    study = root / "fish_pre_post"
    study.mkdir()
    (study / "meta_study.txt").write_text(
        "type_of_cancer: brca\ncancer_study_identifier: fish_pre_post\nname: FISH before and after treatment\n")
    (study / "data_clinical_patient.txt").write_text("PATIENT_ID\tAGE\nA\t50\nB\t61\nC\t45\nD\t58\n")
    (study / "data_clinical_sample.txt").write_text("\n".join([
        "PATIENT_ID\tSAMPLE_ID\tSAMPLE_TYPE\tTIMEPOINT\tBIOPSY",
        "A\tA-B1\tPrimary\tbaseline\t1",
        "A\tA-B2\tPrimary\tbaseline\t2",
        "A\tA-POST\tPrimary\tpost_treatment\t1",
        "B\tB-B1\tPrimary\tbaseline\t1",
        "B\tB-POST\tPrimary\tPost-Treatment\t1",
        "C\tC-B1\tPrimary\tbaseline\t1",
        "C\tC-POST\tPrimary\tpost_treatment\t1",
        "D\tD-B1\tPrimary\t\t1",
    ]) + "\n")
    (study / "data_fish_cells.txt").write_text("\n".join([
        "sample_id\tbiopsy\tcell_id\terbb2_signals\tcep17_signals",
        *_cells("A-B1", 1, (16, 8, 2), (4, 2, 2)),
        *_cells("A-B2", 2, (12, 8, 2), (8, 2, 2)),
        *_cells("A-POST", 1, (5, 8, 2), (10, 2, 2), (5, 1, 1)),
        *_cells("B-B1", 1, (4, 8, 2), (16, 2, 2)),
        *_cells("B-POST", 1, (20, 2, 2)),
        *_cells("C-B1", 1, (20, 8, 2)),
        *_cells("C-POST", 1, (10, 8, 2)),
        *_cells("D-B1", 1, (20, 8, 2)),
    ]) + "\n")
    (study / "oncoduck_study.yml").write_text("study_id: fish_pre_post\nfiles:\n  fish_cells: data_fish_cells.txt\n")
    return study


@pytest.fixture(scope="module")
def fish_warehouse(tmp_path_factory, compiled_project) -> Path:
    """The small study and the demo li2024 study, FISH models and what they read only."""
    root = tmp_path_factory.mktemp("fish_pre_post")
    warehouse = root / "oncoduck.duckdb"
    compiled_project.build(warehouse, [write_fish_study(root), DEMO], *SELECTION)
    return warehouse


def _frame(warehouse: Path, sql: str) -> pd.DataFrame:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.sql(sql).df()
    finally:
        con.close()


def _h(*p: float) -> float:
    return -sum(x * math.log(x) for x in p)


# --------------------------------------------------------------------------- the small readable study

def test_small_study_per_patient_numbers(fish_warehouse):
    m = _frame(fish_warehouse, "select * from marts.fct_her2_fish_pre_post_treatment "
                               "where study_id = 'fish_pre_post' order by patient_id").set_index("patient_id")
    assert list(m.index) == ["A", "B", "C"]  # D has no post-treatment FISH
    a, b, c = m.loc["A"], m.loc["B"], m.loc["C"]
    # A: the two baseline biopsies pooled (28 of 40 amplified), the post-treatment biopsy 5 of 20
    assert (a.n_biopsies_pre, a.n_biopsies_post, a.n_cells_pre, a.n_cells_post) == (2, 1, 40, 20)
    assert a.fraction_amplified_pre == pytest.approx(0.7, rel=1e-12)
    assert a.fraction_amplified_post == pytest.approx(0.25, rel=1e-12)
    assert a.fraction_amplified_change == pytest.approx(-0.45, rel=1e-12)
    assert a.shannon_h_pre == pytest.approx(_h(0.7, 0.3), rel=1e-12)
    assert a.equitability_e_pre == pytest.approx(_h(0.7, 0.3) / math.log(2), rel=1e-12)  # 0.8813
    assert a.equitability_e_post == pytest.approx(_h(0.25, 0.5, 0.25) / math.log(3), rel=1e-12)  # 0.9464
    assert a.equitability_e_change == pytest.approx(_h(0.25, 0.5, 0.25) / math.log(3) - _h(0.7, 0.3) / math.log(2))
    assert (a.her2_heterogeneity_pre, a.her2_heterogeneity_post, a.heterogeneity_change) == (
        "homogeneous", "heterogeneous", "gained")
    # B: heterogeneous (0.2) -> no amplified cell left, a single signal pattern (E defined as 0)
    assert (b.fraction_amplified_pre, b.fraction_amplified_post) == (pytest.approx(0.2), 0.0)
    assert b.equitability_e_pre == pytest.approx(_h(0.2, 0.8) / math.log(2), rel=1e-12)
    assert b.equitability_e_post == 0.0
    assert (b.her2_heterogeneity_pre, b.her2_heterogeneity_post, b.heterogeneity_change) == (
        "heterogeneous", "homogeneous", "lost")
    # C: 10 post-treatment cells are too few for a call
    assert (c.n_cells_post, c.her2_heterogeneity_post, bool(c.is_evaluable), c.heterogeneity_change) == (
        10, "insufficient_cells", False, "not_evaluable")
    # the rule and its thresholds beside the numbers
    assert set(m.min_cells) == {20} and set(m.heterogeneous_fraction_low) == {0.05}
    assert set(m.heterogeneous_fraction_high) == {0.5}
    assert set(m.her2_heterogeneity_rule_id) == {"li2024_pooled_biopsies_5_50_v1"}
    assert set(m.cell_rule_id) == {"li2024_ratio2_or_erbb2_6_v1"}


def test_small_study_biopsies_phases_and_patient_call(fish_warehouse):
    phases = dict(query(fish_warehouse, "select sample_id, treatment_phase from marts.fct_her2_fish_biopsy "
                                        "where study_id = 'fish_pre_post'"))
    assert phases == {"A-B1": "pre", "A-B2": "pre", "A-POST": "post", "B-B1": "pre", "B-POST": "post",
                      "C-B1": "pre", "C-POST": "post", "D-B1": "pre"}
    # dim_patient's heterogeneity is the pre-treatment call: B stays heterogeneous, A homogeneous
    calls = dict(query(fish_warehouse, "select patient_id, her2_heterogeneity from marts.dim_patient "
                                       "where study_id = 'fish_pre_post'"))
    assert calls == {"A": "homogeneous", "B": "heterogeneous", "C": "homogeneous", "D": "homogeneous"}


def test_small_study_tests_equal_r(fish_warehouse):
    rows = _frame(fish_warehouse, "select * from stats.stat_her2_fish_pre_post_tests "
                                  "where study_id = 'fish_pre_post'").set_index("measure")
    assert set(rows["n_pairs"]) == {2} and set(rows["n_pairs_not_evaluable"]) == {1}
    fraction, equitability = rows.loc["fraction_amplified"], rows.loc["equitability_e"]
    status = rows.loc["heterogeneous"]
    assert (fraction.statistic, fraction.p_value, fraction.method) == (0, pytest.approx(0.5, rel=1e-12),
                                                                       "Wilcoxon signed rank exact test")
    assert (equitability.statistic, equitability.p_value) == (1, pytest.approx(1.0, rel=1e-12))
    assert (status.n_both, status.n_a_only, status.n_b_only, status.n_neither) == (0, 1, 1, 0)
    assert (status.statistic, status.df, status.p_value, status.method) == (0, 1, pytest.approx(1.0),
                                                                            "McNemar's Chi-squared test")


# --------------------------------------------------------------------------- the demo study and R

def test_demo_mart_rows_are_the_rows_r_was_given(fish_warehouse):
    built = _frame(fish_warehouse, "select * from marts.fct_her2_fish_pre_post_treatment "
                                   "where study_id = 'demo_li2024_fish' order by patient_id").reset_index(drop=True)
    given = pd.read_csv(DEMO_ROWS)
    assert list(built["patient_id"]) == list(given["patient_id"])
    for column in given.columns:
        if given[column].dtype.kind == "f":
            np.testing.assert_allclose(built[column].to_numpy(float), given[column].to_numpy(float), rtol=1e-12)
        else:
            assert list(built[column]) == list(given[column]), column


def test_library_on_the_demo_rows_equals_r():
    rows = pd.read_csv(DEMO_ROWS).assign(her2_heterogeneity_rule_id="li2024_pooled_biopsies_5_50_v1")
    ours = fish_pre_post_tests(rows).set_index("measure")
    for measure in ("fraction_amplified", "equitability_e"):
        r = R_CASES[f"signed_rank_{measure}"]
        row = ours.loc[measure]
        assert row.n_pairs == r["result"]["n_pairs"], r["call"]
        assert row.statistic == r["result"]["statistic"], r["call"]
        assert row.p_value == pytest.approx(r["result"]["p_value"], rel=1e-9), r["call"]
        assert row.method == r["result"]["method"], r["call"]
    r = R_CASES["mcnemar_heterogeneous"]
    row = ours.loc["heterogeneous"]
    assert (row.n_pairs, row.n_both, row.n_a_only, row.n_b_only, row.n_neither) == tuple(
        r["result"][k] for k in ("n_pairs", "n_both", "n_a_only", "n_b_only", "n_neither")), r["call"]
    assert row.statistic == pytest.approx(r["result"]["statistic"], rel=1e-12), r["call"]
    assert row.df == r["result"]["df"]
    assert row.p_value == pytest.approx(r["result"]["p_value"], rel=1e-9), r["call"]
    assert row.method == r["result"]["method"]


def test_demo_stats_equal_r_and_recover_the_planted_effect(fish_warehouse):
    rows = _frame(fish_warehouse, "select * from stats.stat_her2_fish_pre_post_tests "
                                  "where study_id = 'demo_li2024_fish'").set_index("measure")
    for name, measure in (("signed_rank_fraction_amplified", "fraction_amplified"),
                          ("signed_rank_equitability_e", "equitability_e"), ("mcnemar_heterogeneous", "heterogeneous")):
        assert rows.loc[measure, "p_value"] == pytest.approx(R_CASES[name]["result"]["p_value"], rel=1e-9), name
    # planted (seeds/demo_studies/README.md): the amplified fraction falls in every residual tumour, and
    # homogeneous tumours become heterogeneous (none the other way); one post-treatment biopsy is too small
    fraction, status = rows.loc["fraction_amplified"], rows.loc["heterogeneous"]
    assert fraction.median_b < fraction.median_a and fraction.statistic == 0 and fraction.p_value < 1e-4
    assert status.n_b_only > status.n_a_only and status.p_value < 0.05
    assert set(rows["n_pairs"]) == {20} and set(rows["n_pairs_not_evaluable"]) == {1}
    # the pre-treatment patient call is unchanged by the post-treatment biopsies
    assert dict(query(fish_warehouse, "select her2_heterogeneity, count(*) from marts.dim_patient "
                                      "where study_id = 'demo_li2024_fish' group by 1")) == {
        "heterogeneous": 12, "homogeneous": 28}


# --------------------------------------------------------------------------- not computable

def test_tests_that_cannot_be_computed_say_why():
    pair = {"her2_heterogeneity_rule_id": "r", "fraction_amplified_pre": 0.5, "fraction_amplified_post": 0.5,
            "equitability_e_pre": 0.8, "equitability_e_post": 0.8}
    frame = pd.DataFrame([
        # study s1: the only pair is not evaluable
        {"study_id": "s1", "patient_id": "p1", "is_evaluable": False, "her2_heterogeneity_pre": "homogeneous",
         "her2_heterogeneity_post": "insufficient_cells", **pair},
        # study s2: one pair, nothing changed
        {"study_id": "s2", "patient_id": "p1", "is_evaluable": True, "her2_heterogeneity_pre": "homogeneous",
         "her2_heterogeneity_post": "homogeneous", **pair},
    ])
    out = fish_pre_post_tests(frame)
    assert list(out.columns) == FISH_PRE_POST_COLUMNS and len(out) == 6
    s1 = out[out["study_id"] == "s1"]
    assert s1["p_value"].isna().all() and (s1["n_pairs"] == 0).all() and (s1["n_pairs_not_evaluable"] == 1).all()
    assert s1["reason"].str.startswith("no evaluable pairs").all()
    s2 = out[out["study_id"] == "s2"].set_index("measure")
    assert s2["p_value"].isna().all() and (s2["n_pairs"] == 1).all()
    assert s2.loc["fraction_amplified", "reason"] == "no non-zero differences"
    assert s2.loc["heterogeneous", "reason"].startswith("no discordant pairs")
    assert fish_pre_post_tests(frame.iloc[0:0]).columns.tolist() == FISH_PRE_POST_COLUMNS
