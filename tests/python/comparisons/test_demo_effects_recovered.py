"""The demo's planted effects (seeds/demo_studies/README.md) are recovered by the declared
comparisons: the statistics engine end to end, from study folders to stats tables."""

from __future__ import annotations

import pytest

from oncoduck_testing import query


def _one(warehouse, sql):
    rows = query(warehouse, sql)
    assert len(rows) == 1, rows
    return rows[0]


def test_nonresponders_have_higher_nonsynonymous_and_cnv_burden(demo_warehouse):
    # lim2021: non-responders ~2x nonsynonymous burden and larger CNV burden; one-sided Wilcoxon
    for measure in ("n_nonsynonymous", "total_cnv_length_mb"):
        group1, median1, median2, p, alternative = _one(demo_warehouse, f"""
            select group1, median1, median2, p_value, alternative from stats.stat_burden_tests
            where comparison = 'nonresponders_vs_responders' and measure = '{measure}'""")
        assert group1 == "non_responder" and alternative == "greater"
        assert median1 > median2 and p < 0.05


def test_nonresponders_have_worse_pfs(demo_warehouse):
    (p,) = _one(demo_warehouse, """select p_value from stats.stat_survival_tests
        where comparison = 'nonresponders_vs_responders' and endpoint = 'PFS' and test = 'logrank'""")
    assert p < 0.05
    medians = dict(query(demo_warehouse, """select group_label, estimate from stats.stat_survival_tests
        where comparison = 'nonresponders_vs_responders' and endpoint = 'PFS' and test = 'km_median'"""))
    assert medians["non_responder"] < medians["responder"]


def test_pik3ca_enriched_in_her2_low_and_tp53_in_her2_zero(demo_warehouse):
    odds, p = _one(demo_warehouse, """select odds_ratio, p_value from stats.stat_enrichment
        where comparison = 'her2_low_vs_zero' and feature_level = 'gene' and feature = 'PIK3CA'
          and alteration_type = 'mutation'""")
    assert odds > 1 and p < 0.05  # group 1 = her2_low
    odds, q = _one(demo_warehouse, """select odds_ratio, q_value from stats.stat_enrichment
        where comparison = 'her2_low_vs_zero' and feature_level = 'gene' and feature = 'TP53'
          and alteration_type = 'mutation'""")
    assert odds < 1 and q < 0.05


def test_metastases_carry_more_mutations_than_primaries(demo_warehouse):
    median1, median2, p = _one(demo_warehouse, """select median1, median2, p_value from stats.stat_burden_tests
        where comparison = 'metastasis_vs_primary' and measure = 'n_nonsynonymous'""")
    assert median1 > median2 and p < 0.05


def test_her2_heterogeneous_tumours_have_fewer_pcr(demo_warehouse):
    odds, p = _one(demo_warehouse, """select odds_ratio, p_value from stats.stat_response_rates
        where comparison = 'heterogeneous_vs_homogeneous' and feature = 'pCR' and test = 'pairwise'""")
    assert odds < 1 and p < 0.05


def test_frequency_denominators_count_members_without_mutations(demo_warehouse):
    # every HER2-zero member sequenced on the panel is profiled for PIK3CA, mutated or not
    (n_profiled,) = _one(demo_warehouse, """select n_profiled from marts.fct_gene_frequency
        where comparison = 'her2_low_vs_zero' and group_label = 'her2_zero' and hugo_symbol = 'PIK3CA'
          and alteration_type = 'mutation'""")
    (n_members,) = _one(demo_warehouse, """select count(*) from intermediate.int_comparison_members
        where comparison = 'her2_low_vs_zero' and group_label = 'her2_zero'""")
    assert n_profiled == n_members


def _dense_counts(members: str, feature: str) -> str:
    """The closing CTE of a dense definition: per group x feature x alteration type, members profiled and
    altered, from `members` rows flagged mut_p, cna_p (profiled) and mut, cna (altered)."""
    selects = [
        f"select study_id, comparison, group_label, {feature}, '{kind}' as alteration_type, "
        f"count(*) filter (where {profiled}) as n_profiled, count(*) filter (where {altered}) as n_altered "
        f"from {members} group by all"
        for kind, profiled, altered in [("mutation", "mut_p", "mut_p and mut"), ("cna", "cna_p", "cna_p and cna"),
                                        ("any", "mut_p or cna_p", "(mut_p and mut) or (cna_p and cna)")]]
    return "counted as (" + " union all ".join(selects) + ") select * from counted where n_profiled > 0"


# The gene frequency mart counts sparsely; this is the plain definition it must equal: one row per
# comparison member x gene altered in the comparison, flags as in macro sparse_alteration_counts. A member's
# alterations are those of its own study (sample_study_id: a comparison across studies draws on several).
DENSE_GENE_FREQUENCY = """
with profiles as (select * from intermediate.int_comparison_members),
comparison_genes as (
    select distinct p.study_id, p.comparison, a.hugo_symbol
    from profiles p
    join intermediate.int_sample_gene_alterations a on a.study_id = p.sample_study_id and a.sample_id = p.sample_id
    where a.is_mutated or a.is_cna_altered
),
member_gene as (
    select p.study_id, p.comparison, p.group_label, g.hugo_symbol,
        coalesce(p.is_mutation_profiled and c.hugo_symbol is not null, false) as mut_p, p.is_cna_profiled as cna_p,
        coalesce(a.is_mutated, false) as mut, coalesce(a.is_cna_altered, false) as cna
    from profiles p
    join comparison_genes g on g.study_id = p.study_id and g.comparison = p.comparison
    left join marts.bridge_assay_gene c on c.assay_id = p.assay_id and c.hugo_symbol = g.hugo_symbol
    left join intermediate.int_sample_gene_alterations a
        on a.study_id = p.sample_study_id and a.sample_id = p.sample_id and a.hugo_symbol = g.hugo_symbol
),
""" + _dense_counts("member_gene", "hugo_symbol")


# The pathway frequency mart counts sparsely too; its plain definition: one row per comparison member x
# gene set, profiled when the member's assay covers a gene of the set, altered when a gene of the set is. The
# sets are the shared seed's (every study) and those a study adds (its own members only).
DENSE_PATHWAY_FREQUENCY = """
with profiles as (select * from intermediate.int_comparison_members),
gene_sets as (
    select cast(null as varchar) as study_id, collection, gene_set, upper(gene) as hugo_symbol from reference.gene_sets
    union all
    select study_id, collection, gene_set, gene from landing.landing_gene_sets
),
member_set as (
    select p.study_id, p.comparison, p.group_label, s.collection, s.gene_set,
        p.is_mutation_profiled and exists (
            select 1 from gene_sets g join marts.bridge_assay_gene c on c.hugo_symbol = g.hugo_symbol
            where c.assay_id = p.assay_id and g.collection = s.collection and g.gene_set = s.gene_set) as mut_p,
        p.is_cna_profiled as cna_p,
        exists (
            select 1 from intermediate.int_sample_gene_alterations a
            join gene_sets g on g.hugo_symbol = a.hugo_symbol
            join marts.bridge_assay_gene c on c.assay_id = p.assay_id and c.hugo_symbol = a.hugo_symbol
            where a.study_id = p.sample_study_id and a.sample_id = p.sample_id and a.is_mutated
              and g.collection = s.collection and g.gene_set = s.gene_set) as mut,
        exists (
            select 1 from intermediate.int_sample_gene_alterations a join gene_sets g on g.hugo_symbol = a.hugo_symbol
            where a.study_id = p.sample_study_id and a.sample_id = p.sample_id and a.is_cna_altered
              and g.collection = s.collection and g.gene_set = s.gene_set) as cna
    from profiles p
    join (select distinct study_id, collection, gene_set from gene_sets) s
        on s.study_id is null or s.study_id = p.study_id
),
""" + _dense_counts("member_set", "collection, gene_set")


@pytest.mark.parametrize("mart, feature, dense_definition", [
    ("fct_gene_frequency", "hugo_symbol", DENSE_GENE_FREQUENCY),
    ("fct_pathway_frequency", "collection, gene_set", DENSE_PATHWAY_FREQUENCY),
])
def test_sparse_frequency_mart_equals_its_dense_definition(demo_warehouse, mart, feature, dense_definition):
    rows = (f"select study_id, comparison, group_label, {feature}, alteration_type, n_profiled, n_altered "
            f"from marts.{mart}")
    dense = f"select * from ({dense_definition}) as dense"
    (only_dense,) = _one(demo_warehouse, f"select count(*) from ({dense} except all {rows}) as only_dense")
    (only_mart,) = _one(demo_warehouse, f"select count(*) from ({rows} except all {dense}) as only_mart")
    (altered,) = _one(demo_warehouse, f"select count(*) from marts.{mart} where n_altered > 0")
    assert altered > 100 and only_dense == 0 and only_mart == 0
