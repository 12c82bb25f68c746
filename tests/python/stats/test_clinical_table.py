"""stat_clinical_table ("Table 1", oncoduck.stats.declared.clinical_table): issue 19, bugs 1 and 3.

Bug 1: a declared one-sided alternative (comparisons[].alternative: greater | less, group 1 vs group 2, as
R ``wilcox.test(x = group1, y = group2, alternative = ...)``) was ignored: every Wilcoxon p came out two-sided
(all six one-sided Lim 2021 Wilcoxon p). It is honoured by the Wilcoxon test of two groups and by Fisher's
exact test of a 2 x 2 table (R ``fisher.test(alternative = ...)``: the odds of the first level, in sorted
order, in group 1 vs group 2; chi-square has no one-sided form, so a one-sided 2 x 2 is tested with Fisher).
Where a one-sided test is undefined (three or more groups, a k-level table) the test is two-sided and the
``alternative`` and ``reason`` columns say so.

Bug 3: the test was chosen on the groups that had a value of the attribute, so a two-group comparison whose
second group had no value came out as ``kruskal`` with p NaN. The test is chosen on the declared groups:
two groups are Wilcoxon; a test that cannot be computed has p NaN and a reason; every declared group has
its row (n = 0 when none of its members has a value).

Expected values come from R 4.2.2; the R call is beside each."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oncoduck.stats.declared import clinical_table

RTOL = 1e-12
# no ties: R uses the exact distribution
X = [3.1, 4.5, 5.2, 6.8, 7.7, 8.1]
Y = [1.2, 2.5, 3.3, 4.0, 5.1]
# ties: R uses the normal approximation with continuity correction
X_TIED = [3, 4, 5, 5, 7, 8]
Y_TIED = [1, 2, 3, 4, 5]


def _comparisons(alternative: str, groups=("g1", "g2")) -> pd.DataFrame:
    return pd.DataFrame({"study_id": "s", "comparison": "c", "group_label": list(groups),
                         "group_order": range(1, len(groups) + 1), "alternative": alternative})


def _numeric(attribute: str, by_group: dict[str, list[float]], order: dict[str, int]) -> pd.DataFrame:
    rows = [{"study_id": "s", "comparison": "c", "patient_id": f"{g}-{i}", "group_label": g, "group_order": order[g],
             "attribute": attribute, "value_text": None if v is None else str(v),
             "value_number": np.nan if v is None else float(v)}
            for g, values in by_group.items() for i, v in enumerate(values)]
    return pd.DataFrame(rows)


def _categorical(attribute: str, counts: dict[str, dict[str, int]], order: dict[str, int]) -> pd.DataFrame:
    rows = [{"study_id": "s", "comparison": "c", "patient_id": f"{g}-{level}-{i}", "group_label": g,
             "group_order": order[g], "attribute": attribute, "value_text": level, "value_number": np.nan}
            for g, levels in counts.items() for level, n in levels.items() for i in range(n)]
    return pd.DataFrame(rows)


def _test_row(table: pd.DataFrame, attribute: str) -> pd.Series:
    rows = table[(table["attribute"] == attribute) & table["test"].notna()]
    assert len(rows) == 1, rows
    return rows.iloc[0]


ORDER = {"g1": 1, "g2": 2, "g3": 3}


@pytest.mark.parametrize("alternative, expected", [
    ("greater", 0.025974025974025976),  # R: wilcox.test(c(3.1,4.5,5.2,6.8,7.7,8.1), c(1.2,2.5,3.3,4.0,5.1), alternative = "greater")$p.value
    ("less", 0.98484848484848486),      # R: wilcox.test(<same>, alternative = "less")$p.value
    ("two.sided", 0.051948051948051951),  # R: wilcox.test(<same>)$p.value
])
def test_wilcoxon_honours_the_declared_alternative_exact(alternative, expected):
    """Issue 19 bug 1: the declared one-sided alternative reaches wilcox.test (exact: no ties, n < 50)."""
    table = clinical_table(_numeric("AGE", {"g1": X, "g2": Y}, ORDER), _comparisons(alternative))
    row = _test_row(table, "AGE")
    assert row["test"] == "wilcoxon" and row["alternative"] == alternative
    assert row["statistic"] == 26.0  # R: W = 26
    assert row["p_value"] == pytest.approx(expected, rel=RTOL)
    assert pd.isna(row["reason"])


@pytest.mark.parametrize("alternative, expected", [
    # R: wilcox.test(c(3,4,5,5,7,8), c(1,2,3,4,5), alternative = "greater", exact = FALSE, correct = TRUE)$p.value
    ("greater", 0.039322611630361687),
    # R: wilcox.test(c(3,4,5,5,7,8), c(1,2,3,4,5), alternative = "less", exact = FALSE, correct = TRUE)$p.value
    ("less", 0.97403523121829783),
    # R: wilcox.test(c(3,4,5,5,7,8), c(1,2,3,4,5), exact = FALSE, correct = TRUE)$p.value
    ("two.sided", 0.078645223260723374),
])
def test_wilcoxon_honours_the_declared_alternative_with_ties(alternative, expected):
    """Issue 19 bug 1: the one-sided normal approximation (continuity correction +-0.5 by side, as R)."""
    table = clinical_table(_numeric("AGE", {"g1": X_TIED, "g2": Y_TIED}, ORDER), _comparisons(alternative))
    row = _test_row(table, "AGE")
    assert row["test"] == "wilcoxon" and row["alternative"] == alternative
    assert row["statistic"] == 25.0  # R: W = 25
    assert row["p_value"] == pytest.approx(expected, rel=RTOL)


# group 1: 7 Negative, 3 Positive; group 2: 2 Negative, 8 Positive (levels in sorted order)
SMALL = {"g1": {"Negative": 7, "Positive": 3}, "g2": {"Negative": 2, "Positive": 8}}
# expected counts all >= 5 (14.5, 15.5): two-sided this is chi-square
LARGE = {"g1": {"Negative": 20, "Positive": 10}, "g2": {"Negative": 9, "Positive": 21}}


@pytest.mark.parametrize("counts, alternative, expected", [
    (SMALL, "greater", 0.034889259347463675),  # R: fisher.test(matrix(c(7, 2, 3, 8), 2), alternative = "greater")$p.value
    (SMALL, "less", 0.99726125267920929),      # R: fisher.test(matrix(c(7, 2, 3, 8), 2), alternative = "less")$p.value
    (LARGE, "greater", 0.0046029873566842665),  # R: fisher.test(matrix(c(20, 9, 10, 21), 2), alternative = "greater")$p.value
])
def test_fisher_2x2_honours_the_declared_alternative(counts, alternative, expected):
    """Issue 19 bug 1: a 2 x 2 table under a one-sided alternative is R fisher.test(alternative = ...) on the
    groups x levels table (odds of the first level in group 1 vs group 2), also where the two-sided test would
    be chi-square (chisq.test has no one-sided form)."""
    table = clinical_table(_categorical("ER_STATUS", counts, ORDER), _comparisons(alternative))
    row = _test_row(table, "ER_STATUS")
    assert row["test"] == "fisher" and row["alternative"] == alternative
    assert row["p_value"] == pytest.approx(expected, rel=1e-9)
    assert pd.isna(row["reason"])


def test_two_sided_2x2_is_unchanged():
    """Two-sided tables keep R's choice: chisq.test (Yates) when every expected count is >= 5, else fisher.test."""
    large = _test_row(clinical_table(_categorical("ER_STATUS", LARGE, ORDER), _comparisons("two.sided")), "ER_STATUS")
    assert large["test"] == "chisq" and large["alternative"] == "two.sided"
    assert large["p_value"] == pytest.approx(0.0097824866465697526, rel=1e-9)  # R: chisq.test(matrix(c(20, 9, 10, 21), 2))$p.value
    small = _test_row(clinical_table(_categorical("ER_STATUS", SMALL, ORDER), _comparisons("two.sided")), "ER_STATUS")
    assert small["test"] == "fisher"
    assert small["p_value"] == pytest.approx(0.069778518694927336, rel=1e-9)  # R: fisher.test(matrix(c(7, 2, 3, 8), 2))$p.value


def test_one_sided_is_stated_as_undefined_for_three_groups_and_for_a_k_level_table():
    """Issue 19 bug 1: a one-sided alternative has no meaning across 3 groups (Kruskal-Wallis, r x c
    tables) or for a 2 x 3 table: the test is two-sided, and alternative and reason say so."""
    three = _numeric("AGE", {"g1": X, "g2": Y, "g3": X_TIED}, ORDER)
    row = _test_row(clinical_table(three, _comparisons("greater", ("g1", "g2", "g3"))), "AGE")
    assert row["test"] == "kruskal" and row["alternative"] == "two.sided"
    assert "greater" in row["reason"] and "two-sided" in row["reason"]
    assert np.isfinite(row["p_value"])
    levels = _categorical("STAGE", {"g1": {"I": 3, "II": 4, "III": 3}, "g2": {"I": 1, "II": 2, "III": 7}}, ORDER)
    row = _test_row(clinical_table(levels, _comparisons("less")), "STAGE")
    assert row["test"] in ("fisher", "chisq") and row["alternative"] == "two.sided"
    assert "less" in row["reason"] and "two-sided" in row["reason"]
    assert np.isfinite(row["p_value"])


def test_two_groups_without_values_in_one_are_wilcoxon_with_a_reason_never_kruskal():
    """Issue 19 bug 3: a numeric attribute only group 1 has (Lim 2021's RESPONSE_DURATION_MONTHS: responders
    only; Zhang 2022's HER2_ISH_RATIO in her2_low_vs_zero) was labelled kruskal with p NaN and no reason. Two
    declared groups are Wilcoxon; the p is NaN with a reason; group 2 has its row with n = 0."""
    values = _numeric("RESPONSE_DURATION_MONTHS", {"g1": X}, ORDER)  # g2's members have no row at all
    table = clinical_table(values, _comparisons("greater"))
    row = _test_row(table, "RESPONSE_DURATION_MONTHS")
    assert row["test"] == "wilcoxon"
    assert np.isnan(row["p_value"]) and isinstance(row["reason"], str) and "g2" in row["reason"]
    groups = table[table["attribute"] == "RESPONSE_DURATION_MONTHS"].set_index("group_label")
    assert list(groups.index) == ["g1", "g2"]
    assert groups.loc["g2", "n"] == 0 and groups.loc["g2", "group_order"] == 2
    # group 2's members present with missing values: the same
    values = _numeric("RESPONSE_DURATION_MONTHS", {"g1": X, "g2": [None, None]}, ORDER)
    row = _test_row(clinical_table(values, _comparisons("two.sided")), "RESPONSE_DURATION_MONTHS")
    assert row["test"] == "wilcoxon" and np.isnan(row["p_value"]) and "g2" in row["reason"]


def test_no_two_group_row_is_ever_labelled_kruskal():
    """Issue 19 bug 3, over every shape of missing data: a two-group comparison's numeric test is wilcoxon, and
    a NaN p always carries a reason."""
    cases = [{"g1": X, "g2": Y}, {"g1": X}, {"g2": Y}, {"g1": [1.0], "g2": [2.0]}, {"g1": [5, 5], "g2": [5, 5]},
             {"g1": X, "g2": [None]}]
    for by_group in cases:
        table = clinical_table(_numeric("A", by_group, ORDER), _comparisons("two.sided"))
        row = _test_row(table, "A")
        assert row["test"] == "wilcoxon", by_group
        assert np.isfinite(row["p_value"]) or isinstance(row["reason"], str), by_group
        assert sorted(table["group_label"]) == ["g1", "g2"], by_group


def test_categorical_group_without_values_has_its_row():
    """Issue 19 bug 3, categorical: a declared group with no value has its rows (n = 0) and the test says why it
    cannot be computed."""
    table = clinical_table(_categorical("ER_STATUS", {"g1": {"Negative": 3, "Positive": 4}}, ORDER),
                           _comparisons("greater"))
    assert sorted(table["group_label"].unique()) == ["g1", "g2"]
    assert (table.loc[table["group_label"] == "g2", "n"] == 0).all()
    row = _test_row(table, "ER_STATUS")
    assert row["test"] == "none" and np.isnan(row["p_value"]) and isinstance(row["reason"], str)


def test_counted_in_the_engine_it_is_the_table_of_the_members_rows():
    """clinical_value_counts (the counts the Spark driver pulls instead of every patient x attribute row) gives
    clinical_table the table it makes from the members' own rows: numbers with ties across groups, a
    categorical attribute, one with more than MAX_CATEGORY_LEVELS values (left out), an attribute numeric in
    one comparison and text in another, a rule id, an id, and a sample-level attribute (none of them read)."""
    import duckdb

    from oncoduck.stats.declared import MAX_CATEGORY_LEVELS, clinical_value_counts

    rng = np.random.default_rng(7)
    patients = [f"P{i}" for i in range(60)]
    clinical, entity = [], []
    for i, patient in enumerate(patients):
        age = float(rng.integers(30, 40))
        grade = "numeric-here" if i < 30 else "high"  # numbers only for the first comparison's patients
        values = {"AGE": (str(age), age), "ER_STATUS": (rng.choice(["Negative", "Positive"]), None),
                  "FREE_TEXT": (f"note {i % (MAX_CATEGORY_LEVELS + 1)}", None),
                  "GRADE": (grade, 3.0 if i < 30 else None), "ER_STATUS_RULE_ID": ("R1", 1.0),
                  "PATIENT_ID": (patient, 1.0)}
        for attribute, (text, number) in values.items():
            clinical.append(("s", "patient", patient, attribute, text, number))
            if attribute != "PATIENT_ID":
                entity.append(("s", "patient", patient, attribute, text))
        entity.append(("s", "sample", patient, "SAMPLE_TYPE_CANONICAL", "primary"))
    members = pd.DataFrame({"study_id": "s", "comparison": ["c1"] * 30 + ["c2"] * 30, "sample_study_id": "s",
                            "patient_id": patients, "group_label": ["g1", "g2"] * 30, "group_order": [1, 2] * 30})
    comparisons = pd.concat([_comparisons("two.sided").assign(comparison=c) for c in ("c1", "c2")])
    con = duckdb.connect()
    con.execute("create table clinical (study_id varchar, level varchar, patient_id varchar, attribute varchar, "
                "value_text varchar, value_number double)")
    con.executemany("insert into clinical values (?, ?, ?, ?, ?, ?)", clinical)
    con.execute("create table entity (study_id varchar, level varchar, patient_id varchar, attribute varchar, "
                "value_text varchar)")
    con.executemany("insert into entity values (?, ?, ?, ?, ?)", entity)

    counted = clinical_value_counts(con, con.table("clinical"), con.table("entity"), members)
    # the members' own rows, joined as stat_clinical_table_computed joined them before it counted in the engine
    text = con.execute("select study_id, patient_id, attribute, value_text from entity "
                       "where level = 'patient' and right(attribute, 8) <> '_RULE_ID'").df()
    numbers = con.execute("select study_id, patient_id, attribute, value_number from clinical where level = 'patient'").df()
    rows = members.merge(text.merge(numbers, on=["study_id", "patient_id", "attribute"], how="left")
                         .rename(columns={"study_id": "sample_study_id"}), on=["sample_study_id", "patient_id"])
    from_counts, from_rows = clinical_table(counted, comparisons), clinical_table(rows, comparisons)
    assert len(counted) < len(rows)
    assert set(from_counts["attribute"]) == {"AGE", "ER_STATUS", "GRADE"}  # FREE_TEXT: too many values
    assert set(from_counts.loc[from_counts.comparison == "c1", "attribute_type"]) == {"numeric", "categorical"}
    assert (from_counts.loc[(from_counts.comparison == "c2") & (from_counts.attribute == "GRADE"), "attribute_type"]
            == "categorical").all()
    pd.testing.assert_frame_equal(from_counts, from_rows)
