-- One row per comparison x group x gene set (pathway) x alteration type: members profiled for the
-- pathway (their assay covers at least one of its genes; cna: they have copy-number data) and
-- members with at least one altered gene of the set. Gene sets: stg_study__gene_sets (the shared seeds:
-- Sanchez-Vega 2018 oncogenic pathways and the seed papers' sets; and the sets a study adds with
-- `gene_sets:`, counted for that study only; a collection belongs to one study). Counted sparsely
-- (macro sparse_alteration_counts): no member x gene set table is built.
with profiles as (
    select * from {{ ref('int_comparison_members') }}
),

gene_sets as (
    select declaring_study_id as study_id, collection, gene_set, hugo_symbol from {{ ref('stg_study__gene_sets') }}
),

coverage as (
    select assay_id, hugo_symbol from {{ ref('bridge_assay_gene') }}
),

assay_set_coverage as (
    select distinct coverage.assay_id, gene_sets.collection, gene_sets.gene_set
    from coverage
    inner join gene_sets on gene_sets.hugo_symbol = coverage.hugo_symbol
),

comparison_sets as (
    select comparisons.study_id, comparisons.comparison, sets.collection, sets.gene_set
    from (select distinct study_id, comparison from profiles) as comparisons
    inner join (select distinct study_id, collection, gene_set from gene_sets) as sets
        on sets.study_id is null or sets.study_id = comparisons.study_id
),

member_alterations as (
    select
        profiles.study_id,
        profiles.comparison,
        profiles.group_label,
        gene_sets.collection,
        gene_sets.gene_set,
        bool_or(profiles.is_mutation_profiled and set_coverage.assay_id is not null) as is_mutation_profiled,
        bool_or(profiles.is_cna_profiled) as is_cna_profiled,
        bool_or(alterations.is_mutated and coverage.hugo_symbol is not null) as is_mutated,
        bool_or(alterations.is_cna_altered) as is_cna_altered
    from profiles
    inner join {{ ref('int_sample_gene_alterations') }} as alterations
        on alterations.study_id = profiles.sample_study_id and alterations.sample_id = profiles.sample_id
    inner join gene_sets
        on gene_sets.hugo_symbol = alterations.hugo_symbol
        and (gene_sets.study_id is null or gene_sets.study_id = profiles.study_id)
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = alterations.hugo_symbol
    left join assay_set_coverage as set_coverage
        on set_coverage.assay_id = profiles.assay_id and set_coverage.collection = gene_sets.collection
        and set_coverage.gene_set = gene_sets.gene_set
    group by profiles.study_id, profiles.comparison, profiles.group_label, profiles.sample_study_id, profiles.sample_id,
        gene_sets.collection, gene_sets.gene_set
),

{{ sparse_alteration_counts('profiles', 'comparison_sets', 'assay_set_coverage', 'member_alterations', ['collection', 'gene_set']) }}

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
