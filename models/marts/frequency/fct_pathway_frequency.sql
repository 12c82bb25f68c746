-- One row per comparison x group x gene set (pathway) x alteration type: members profiled for the
-- pathway (their assay covers at least one of its genes; cna: they have copy-number data) and
-- members with at least one altered gene of the set. Gene sets: seeds gene_sets (Sanchez-Vega 2018
-- oncogenic pathways and the seed papers' sets); users add rows to extend them.
with profiles as (
    select * from {{ ref('int_comparison_sample_profiles') }}
),

gene_sets as (
    select collection, gene_set, gene as hugo_symbol from {{ ref('gene_sets') }}
),

coverage as (
    select assay_id, hugo_symbol from {{ ref('bridge_assay_gene') }}
),

member_set_coverage as (
    select profiles.study_id, profiles.comparison, profiles.sample_id, gene_sets.collection, gene_sets.gene_set,
        count(coverage.hugo_symbol) > 0 as mutation_profiled
    from profiles
    cross join gene_sets
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = gene_sets.hugo_symbol
    where profiles.is_mutation_profiled
    group by profiles.study_id, profiles.comparison, profiles.sample_id, gene_sets.collection, gene_sets.gene_set
),

member_set_altered as (
    select profiles.study_id, profiles.comparison, profiles.sample_id, gene_sets.collection, gene_sets.gene_set,
        max(case when alterations.is_mutated and coverage.hugo_symbol is not null then 1 else 0 end) = 1 as is_mutated,
        max(case when alterations.is_cna_altered then 1 else 0 end) = 1 as is_cna_altered
    from profiles
    inner join {{ ref('int_sample_gene_alterations') }} as alterations
        on alterations.study_id = profiles.study_id and alterations.sample_id = profiles.sample_id
    inner join gene_sets on gene_sets.hugo_symbol = alterations.hugo_symbol
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = alterations.hugo_symbol
    group by profiles.study_id, profiles.comparison, profiles.sample_id, gene_sets.collection, gene_sets.gene_set
),

member_set as (
    select
        profiles.study_id,
        profiles.comparison,
        profiles.group_label,
        profiles.group_order,
        sets.collection,
        sets.gene_set,
        coalesce(member_set_coverage.mutation_profiled, false) as mutation_profiled,
        profiles.is_cna_profiled as cna_profiled,
        coalesce(member_set_altered.is_mutated, false) as is_mutated,
        coalesce(member_set_altered.is_cna_altered, false) as is_cna_altered
    from profiles
    cross join (select distinct collection, gene_set from gene_sets) as sets
    left join member_set_coverage
        on member_set_coverage.study_id = profiles.study_id and member_set_coverage.comparison = profiles.comparison
        and member_set_coverage.sample_id = profiles.sample_id and member_set_coverage.collection = sets.collection
        and member_set_coverage.gene_set = sets.gene_set
    left join member_set_altered
        on member_set_altered.study_id = profiles.study_id and member_set_altered.comparison = profiles.comparison
        and member_set_altered.sample_id = profiles.sample_id and member_set_altered.collection = sets.collection
        and member_set_altered.gene_set = sets.gene_set
),

counted as (
    {{ alteration_counts('member_set', ['study_id', 'comparison', 'group_label', 'group_order', 'collection', 'gene_set']) }}
)

select
    study_id,
    comparison,
    group_label,
    group_order,
    collection,
    gene_set,
    alteration_type,
    {{ frequency_measures() }}
from counted
where n_profiled > 0
