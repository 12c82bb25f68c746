-- One row per comparison x group x gene x alteration type (mutation, cna, any): how many members
-- were profiled for the gene and how many carry the alteration. Genes altered in at least one member
-- of the comparison are listed. Denominator (n_profiled) = members whose assay covers the gene
-- (mutation), who have copy-number data (cna), or either (any); members without mutations count.
-- Counted sparsely (macro sparse_alteration_counts): no member x gene table is built.
with profiles as (
    select * from {{ ref('int_comparison_members') }}
),

coverage as (
    select assay_id, hugo_symbol from {{ ref('bridge_assay_gene') }}
),

alterations as (
    select * from {{ ref('int_sample_gene_alterations') }}
),

comparison_genes as (
    select distinct profiles.study_id, profiles.comparison, alterations.hugo_symbol
    from profiles
    inner join alterations on alterations.study_id = profiles.sample_study_id and alterations.sample_id = profiles.sample_id
    where alterations.is_mutated or alterations.is_cna_altered
),

member_alterations as (
    select
        profiles.study_id,
        profiles.comparison,
        profiles.group_label,
        alterations.hugo_symbol,
        profiles.is_mutation_profiled and coverage.hugo_symbol is not null as is_mutation_profiled,
        profiles.is_cna_profiled,
        alterations.is_mutated,
        alterations.is_cna_altered
    from profiles
    inner join alterations on alterations.study_id = profiles.sample_study_id and alterations.sample_id = profiles.sample_id
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = alterations.hugo_symbol
),

{{ sparse_alteration_counts('profiles', 'comparison_genes', 'coverage', 'member_alterations', ['hugo_symbol']) }}

select
    study_id,
    comparison,
    group_label,
    group_order,
    hugo_symbol,
    alteration_type,
    {{ frequency_measures() }}
from counted
