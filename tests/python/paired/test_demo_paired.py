"""Demo cohort: the paired and longitudinal planted effects (seeds/demo_studies/README.md) are recovered
from the built warehouse (conftest demo_warehouse: full dbt build with every data and unit test)."""

from __future__ import annotations

from oncoduck_testing import query


def test_paul2020_pairs_and_more_private_mutations_in_metastases(demo_warehouse):
    n, shared = query(demo_warehouse, """select count(*), median(fraction_a_shared) from marts.fct_sample_pair_concordance
        where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis'""")[0]
    assert n == 28  # the 8 unpaired metastases get no row
    assert 0.7 < shared < 0.95  # planted: a metastasis keeps most (median 83 %) of its primary's mutations
    median_a, median_b, p = query(demo_warehouse, """select median_a, median_b, p_value from stats.stat_paired_signed_rank
        where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis' and measure = 'n_private'""")[0]
    assert median_b > median_a and p < 0.01


def test_paul2020_esr1_private_to_metastases(demo_warehouse):
    rows = query(demo_warehouse, """select n_a_only, n_b_only, n_both, permutation_expected from stats.stat_paired_mcnemar
        where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis' and feature_level = 'gene'
          and feature = 'ESR1'""")
    n_a_only, n_b_only, n_both, expected = rows[0]
    assert n_a_only == 0 and n_both == 0 and n_b_only >= 3
    assert expected > 0  # the permutation null carries the global excess of metastasis-private mutations
    pathways = query(demo_warehouse, """select count(*) from stats.stat_paired_mcnemar
        where study_id = 'demo_paul2020_pairs' and feature_level = 'pathway' and collection = 'sanchez_vega_2018'""")
    assert pathways[0][0] >= 5


def test_paul2020_cna_distribution_test_runs(demo_warehouse):
    rows = query(demo_warehouse, """select statistic, df, p_value from stats.stat_paired_cna_distribution
        where study_id = 'demo_paul2020_pairs' and test = 'all_genes'""")
    assert len(rows) == 1 and rows[0][1] == 2 and rows[0][2] < 1


def test_yi2024_clearance_excludes_ch_and_cleared_patients_live_longer(demo_warehouse):
    counts = dict(query(demo_warehouse, """select clearance_status, count(*) from marts.fct_longitudinal_ctdna
        where study_id = 'demo_yi2024_ctdna' group by clearance_status"""))
    assert counts == {"cleared": 16, "persistent": 24}  # planted: 16/40 clear once CH variants are removed
    assert query(demo_warehouse, """select sum(n_ch_variants_baseline), sum(n_ch_variants_on_treatment)
        from marts.fct_longitudinal_ctdna where study_id = 'demo_yi2024_ctdna'""")[0] == (8, 8)
    tests = {(t, g): (est, p) for t, g, est, p in query(demo_warehouse, """select test, group_label, estimate, p_value
        from stats.stat_longitudinal_survival_tests
        where study_id = 'demo_yi2024_ctdna' and grouping = 'ctdna_clearance' and endpoint = 'PFS'""")}
    assert tests[("km_median", "cleared")][0] > tests[("km_median", "persistent")][0]
    assert tests[("logrank", None)][1] < 0.01
    assert tests[("cox", "cleared")][0] < 1 and tests[("cox", "cleared")][1] < 0.01


def test_yi2024_mtbi_and_btmb_fall_on_treatment(demo_warehouse):
    rows = dict((m, (a, b, p)) for m, a, b, p in query(demo_warehouse, """select measure, median_a, median_b, p_value
        from stats.stat_paired_signed_rank where study_id = 'demo_yi2024_ctdna' and pair_rule = 'pre_post_treatment'"""))
    for measure in ("mtbi", "tmb_per_mb"):
        baseline, on_treatment, p = rows[measure]
        assert on_treatment < baseline and p < 0.05
    groups = query(demo_warehouse, """select count(distinct grouping) from stats.stat_longitudinal_survival_tests
        where study_id = 'demo_yi2024_ctdna' and test = 'logrank'""")
    assert groups[0][0] == 3


def test_li2024_two_biopsies_pair(demo_warehouse):
    n, jaccard = query(demo_warehouse, """select count(*), median(jaccard_index) from marts.fct_sample_pair_concordance
        where study_id = 'demo_li2024_fish' and pair_rule = 'two_biopsies'""")[0]
    assert n == 40 and jaccard > 0.5
