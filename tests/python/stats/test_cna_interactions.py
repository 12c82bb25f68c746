"""Copy number in the co-occurrence tests (issue 19, Build 5 and 6: "gene CNA status usable in ...
co-occurrence tests (mutation, CNA, either)"; "co-amplification (CDK12 with ERBB2, Zhang 2022) through CNA
co-occurrence"). The demo's zhang2022 comparison her2_zero_low_positive declares `interactions`; in its
simulated copy number ERBB2 is co-amplified with TOP2A (the 17q12-q21 amplicon).

R reference (R 4.2.2): fisher.test(matrix(c(18, 9, 0, 123), 2))$p.value = 5.8730639554504205e-17
(18 members with both amplified, 9 with ERBB2 only, none with TOP2A only, 123 with neither)."""

from __future__ import annotations

import pytest

from oncoduck_testing import query


def test_erbb2_top2a_co_amplification_counts_and_fisher_equal_r(demo_warehouse):
    rows = query(demo_warehouse, """select n11, n10, n01, n00, p_value, event from stats.stat_somatic_interactions
        where comparison = 'her2_zero_low_positive' and alteration_type = 'cna'
          and gene1 = 'ERBB2' and gene2 = 'TOP2A'""")
    assert len(rows) == 1
    n11, n10, n01, n00, p, event = rows[0]
    # recounted from the sample x gene alterations over the members with copy-number data
    members = {s for (s,) in query(demo_warehouse, """select sample_id from intermediate.int_comparison_members
        where comparison = 'her2_zero_low_positive' and is_cna_profiled""")}
    amplified = {}
    for gene in ("ERBB2", "TOP2A"):
        amplified[gene] = {s for (s,) in query(demo_warehouse, f"""select sample_id
            from intermediate.int_sample_gene_alterations
            where study_id = 'demo_zhang2022_panel' and hugo_symbol = '{gene}' and is_cna_altered""")} & members
    both = amplified["ERBB2"] & amplified["TOP2A"]
    assert (n11, n10, n01) == (len(both), len(amplified["ERBB2"] - both), len(amplified["TOP2A"] - both))
    assert n11 + n10 + n01 + n00 == len(members) == 150
    assert (n11, n10, n01, n00) == (18, 9, 0, 123) and event == "Co_Occurence"
    assert p == pytest.approx(5.8730639554504205e-17, rel=1e-9)


def test_every_alteration_type_is_tested(demo_warehouse):
    types = {t for (t,) in query(demo_warehouse, "select distinct alteration_type from stats.stat_somatic_interactions")}
    assert types == {"mutation", "cna", "any"}
