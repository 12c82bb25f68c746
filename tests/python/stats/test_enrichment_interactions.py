
import numpy as np
import pandas as pd

from oncoduck.stats.contingency import chisq_test, fisher_freeman_halton
from oncoduck.stats.enrichment import compare_groups_binary
from oncoduck.stats.fisher import fisher_2x2
from oncoduck.stats.interactions import somatic_interactions


def test_three_groups_pairwise_and_omnibus():
    counts = pd.DataFrame({
        "feature": ["TP53"] * 3 + ["PIK3CA"] * 3,
        "group": ["LumA", "LumB", "Basal"] * 2,
        "n_altered": [12, 30, 60, 45, 30, 5],
        "n_profiled": [200, 150, 80, 200, 150, 80],
    })
    r = compare_groups_binary(counts)
    pw = r[r.test == "pairwise"]
    assert len(pw) == 6 and set(pw.group1) | set(pw.group2) == {"Basal", "LumA", "LumB"}
    row = pw[(pw.feature == "TP53") & (pw.group1 == "Basal") & (pw.group2 == "LumA")].iloc[0]
    f = fisher_2x2(60, 20, 12, 188)
    assert row.p_value == f.p_value and row.odds_ratio == f.odds_ratio
    om = r[r.test == "omnibus"].set_index("feature")
    x2 = chisq_test([[12, 30, 60], [188, 120, 20]], correct=False)
    assert abs(om.loc["TP53", "p_value"] / x2.p_value - 1) < 1e-12
    assert om.loc["TP53", "bh_family"] == "features (omnibus)"
    assert (pw.bh_family == "all group pairs x features").all()


def test_omnibus_uses_ffh_when_expected_small():
    counts = pd.DataFrame({"feature": "G", "group": ["a", "b", "c"], "n_altered": [0, 2, 5], "n_profiled": [10, 12, 9]})
    om = compare_groups_binary(counts).query("test == 'omnibus'").iloc[0]
    assert om.p_value == fisher_freeman_halton([[0, 2, 5], [10, 10, 4]]).p_value
    assert om.method.startswith("Fisher")


def test_families_and_degenerate_rows():
    counts = pd.DataFrame({
        "study": ["s1"] * 4 + ["s2"] * 2, "feature": ["A", "A", "B", "B", "A", "A"],
        "group": ["x", "y"] * 3, "n_altered": [1, 5, 0, 0, 3, 4], "n_profiled": [10, 10, 0, 0, 20, 20],
    })
    r = compare_groups_binary(counts, family_cols=["study"])
    assert r.loc[(r.study == "s1") & (r.feature == "B"), "reason"].iloc[0] == "empty table (all counts zero)"
    assert r.bh_family.str.startswith("within study").all()


def test_vectorised_results_equal_the_scalar_test_across_families():
    # speed is measured by benchmarks/run_stats_benchmark.py (recorded in benchmarks/RESULTS.md), not here
    rng = np.random.default_rng(7)
    G = 2000
    parts = []
    for comp in range(3):
        for g, n in (("g1", 4000), ("g2", 6000)):
            prof = np.full(G, n)
            prof[:300] = int(n * 0.8)  # panel genes profiled in fewer samples
            parts.append(pd.DataFrame({"comparison": comp, "feature": np.arange(G), "group": g,
                                       "n_altered": rng.binomial(prof, rng.beta(0.3, 40, G)), "n_profiled": prof}))
    counts = pd.concat(parts, ignore_index=True)
    r = compare_groups_binary(counts, family_cols=["comparison"])
    assert len(r) == 3 * G and r.p_value.notna().all()
    sample = r.sample(20, random_state=1)
    for row in sample.itertuples():
        f = fisher_2x2(row.altered1, row.n1 - row.altered1, row.altered2, row.n2 - row.altered2)
        assert row.p_value == f.p_value and row.odds_ratio == f.odds_ratio


def test_somatic_interactions_matrix_with_unprofiled():
    rng = np.random.default_rng(3)
    M = pd.DataFrame(rng.binomial(1, 0.3, size=(60, 5)).astype(float), columns=list("ABCDE"))
    M.iloc[:10, 0] = np.nan  # A not profiled in 10 samples
    r = somatic_interactions(M, top=5)
    assert len(r) == 10 and "q_maftools" not in r  # compat q only when fully profiled
    ab = r[(r.gene1 == "A") | (r.gene2 == "A")].iloc[0]
    assert ab.n11 + ab.n10 + ab.n01 + ab.n00 == 50
    full = somatic_interactions(M.fillna(0), top=5)
    assert "q_maftools" in full and (full.event.isin(["Co_Occurence", "Mutually_Exclusive"])).all()
