"""stat_survival_gene_screen screens each group of a comparison (issue 19, bug 2).

The screen used to run over all of a comparison's members, ignoring its groups, so two comparisons of a
study over the same members (Lim 2021's nonresponders_vs_responders and tmb_high_vs_low: all 45 patients)
got identical rows. What a comparison adds to a mutated-vs-wild-type screen is its grouping: the screen
now runs within each group, as maftools survGroup on that group's cohort (the 20 most mutated genes with
>= 5 mutated members of the group; log-rank and Cox mutated vs wild type; BH over the group's genes).

24 patients; comparison `response` splits them P01-P12 (A) / P13-P24 (B), comparison `parity` odd / even.
TP53 is mutated in 11 (A 5, B 6; odd 5, even 6), PIK3CA in 8 (A 6, B 2; odd 4, even 4), GATA3 in 5 (A 1,
B 4; odd 3, even 2). Over all 24 the three genes reach 5; within groups only the counts above do.
Expected values from R 4.2.2, survival 3.4-0 (R call beside each)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from oncoduck.stats.declared import (SCREEN_MIN_MUTATED, SCREEN_TOP_GENES, gene_survival_screen,
                                     most_mutated_gene_rows, mutated_genes)

RTOL = 1e-9
TIME = [22.3, 27.8, 13.2, 2.0, 22.3, 42.9, 64.8, 31.7, 2.3, 7.1, 34.0, 10.7,
        28.7, 19.4, 60.5, 2.5, 17.0, 52.4, 7.3, 38.2, 5.8, 6.7, 32.2, 25.3]
EVENT = [1, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1]
MUTATED = {"TP53": [1, 3, 4, 9, 12, 14, 16, 19, 21, 22, 24], "PIK3CA": [2, 5, 6, 7, 8, 10, 13, 15],
           "GATA3": [11, 17, 18, 20, 23]}
PATIENTS = [f"P{i:02d}" for i in range(1, 25)]

# R setup for every value below:
#   library(survival); time <- c(22.3, 27.8, ..., 25.3); event <- c(1, 1, ..., 1); id <- 1:24
#   tp53 <- as.integer(id %in% c(1,3,4,9,12,14,16,19,21,22,24)); pik3ca <- as.integer(id %in% c(2,5,6,7,8,10,13,15))
#   d <- data.frame(time, event, tp53, pik3ca); A <- d[1:12, ]; B <- d[13:24, ]
#   odd <- d[id %% 2 == 1, ]; even <- d[id %% 2 == 0, ]
#   survdiff(Surv(time, event) ~ gene, data = sub)$chisq; summary(coxph(Surv(time, event) ~ gene, data = sub))
R_EXPECTED = {
    # (comparison, group, gene): (logrank chisq, logrank p, HR, HR low, HR high, Cox Wald p); None = not compared
    ("response", "A", "TP53"): (10.316290222938779, 0.0013186107846110912, 18.782709931884714, 1.9968600232612772,
                                176.67246991561419, 0.010326074908067797),
    ("response", "A", "PIK3CA"): (2.9157721937830421, 0.087717415487620257, 0.29616367086104156, 0.06813446659336303,
                                  1.2873502108906429, 0.10457701210553356),
    ("response", "B", "TP53"): (7.7948387244905524, 0.0052395687084459521, 12.17008917475864, 1.3733392283746519,
                                107.84740394903528, 0.024770611793416684),
    ("parity", "odd", "TP53"): (9.2271902147765363, 0.002384472854882096, 10.2393668931592, 1.829619904879664,
                                57.30405211109705, 0.0081088950784419609),
    # R coxph: "Loglik converged before variable 1; coefficient may be infinite" -> the log-rank only
    ("parity", "even", "TP53"): (10.034272140259375, 0.0015365425070271528, None, None, None, None),
}


def _inputs():
    groupings = {"response": lambda i: ("A", 1) if i <= 12 else ("B", 2),
                 "parity": lambda i: ("odd", 1) if i % 2 else ("even", 2)}
    times = pd.DataFrame([
        {"study_id": "s", "comparison": comparison, "group_label": group(i)[0], "group_order": group(i)[1],
         "endpoint": "OS", "sample_study_id": "s", "patient_id": patient, "sample_id": patient + "-T", "time_months": TIME[i - 1],
         "event": float(EVENT[i - 1])}
        for comparison, group in groupings.items() for i, patient in enumerate(PATIENTS, start=1)])
    alterations = pd.DataFrame([("s", f"P{i:02d}-T", gene, True) for gene, ids in MUTATED.items() for i in ids]
                               + [("s", p + "-T", "KRAS", False) for p in PATIENTS],
                               columns=["study_id", "sample_id", "hugo_symbol", "is_mutated"])
    return times, alterations


def _screen():
    times, alterations = _inputs()
    return gene_survival_screen(times, mutated_genes(duckdb.connect().from_df(alterations), ["s"]))


def test_each_group_is_screened_on_its_own_members():
    """Issue 19 bug 2: one screen per comparison x group x endpoint, genes picked within the group (>= 5 mutated
    members of the group, maftools survGroup minSamples), so two comparisons over the same members differ."""
    result = _screen()
    picked = {key: list(rows["hugo_symbol"]) for key, rows in result.groupby(["comparison", "group_label"], sort=True)}
    assert picked == {("parity", "even"): ["TP53"], ("parity", "odd"): ["TP53"], ("response", "A"): ["PIK3CA", "TP53"],
                      ("response", "B"): ["TP53"]}
    by = result.set_index(["comparison", "group_label", "hugo_symbol"])
    assert by.loc[("response", "A", "TP53"), ["n", "n_mutated", "n_wildtype"]].tolist() == [12, 5, 7]
    assert by.loc[("parity", "even", "TP53"), ["n", "n_mutated", "n_wildtype"]].tolist() == [12, 6, 6]
    assert by.loc[("response", "A", "TP53"), "bh_family"] == "response x A x OS: 2 genes"
    # no comparison repeats another's rows
    columns = ["hugo_symbol", "n", "n_mutated", "logrank_p"]
    response = result[result["comparison"] == "response"][columns].reset_index(drop=True)
    parity = result[result["comparison"] == "parity"][columns].reset_index(drop=True)
    assert not response.equals(parity)


@pytest.mark.parametrize("key", list(R_EXPECTED))
def test_group_screen_equals_r_survdiff_and_coxph_on_the_group(key):
    """Issue 19 bug 2: each group's numbers are R survdiff / coxph (Efron) on that group's members alone."""
    row = _screen().set_index(["comparison", "group_label", "hugo_symbol"]).loc[key]
    chisq, p, hr, low, high, wald = R_EXPECTED[key]
    assert row["logrank_chisq"] == pytest.approx(chisq, rel=RTOL)
    assert row["logrank_p"] == pytest.approx(p, rel=RTOL)
    if hr is not None:
        assert [row["hr"], row["hr_low"], row["hr_high"], row["cox_wald_p"]] == pytest.approx([hr, low, high, wald],
                                                                                                rel=1e-6)


def test_prefilter_by_group_changes_no_result():
    """most_mutated_gene_rows ranked by comparison x group x endpoint keeps every gene a group's screen picks."""
    times, alterations = _inputs()
    con = duckdb.connect()
    relation = con.from_df(alterations)
    prefiltered = most_mutated_gene_rows(con, relation, times, ["comparison", "group_label", "endpoint"],
                                         SCREEN_TOP_GENES, SCREEN_MIN_MUTATED)
    assert set(prefiltered["hugo_symbol"]) == {"TP53", "PIK3CA"}  # GATA3 reaches 5 only over all 24
    pd.testing.assert_frame_equal(gene_survival_screen(times, prefiltered),
                                  gene_survival_screen(times, mutated_genes(relation, ["s"])), check_exact=True)
