-- One row per comparison x group x gene x alteration type (mutation, cna, any): how many members
-- were profiled for the gene and how many carry the alteration. Genes altered in at least one member
-- of the comparison are listed. Denominator (n_profiled) = members whose assay covers the gene
-- (mutation), who have copy-number data (cna), or either (any); members without mutations count.
with profiles as (
    select * from {{ ref('int_comparison_sample_profiles') }}
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
    inner join alterations on alterations.study_id = profiles.study_id and alterations.sample_id = profiles.sample_id
    where alterations.is_mutated or alterations.is_cna_altered
),

member_gene as (
    select
        profiles.study_id,
        profiles.comparison,
        profiles.group_label,
        profiles.group_order,
        comparison_genes.hugo_symbol,
        profiles.is_mutation_profiled and coverage.hugo_symbol is not null as mutation_profiled,
        profiles.is_cna_profiled as cna_profiled,
        coalesce(alterations.is_mutated, false) as is_mutated,
        coalesce(alterations.is_cna_altered, false) as is_cna_altered
    from profiles
    inner join comparison_genes
        on comparison_genes.study_id = profiles.study_id and comparison_genes.comparison = profiles.comparison
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = comparison_genes.hugo_symbol
    left join alterations
        on alterations.study_id = profiles.study_id and alterations.sample_id = profiles.sample_id
        and alterations.hugo_symbol = comparison_genes.hugo_symbol
),

counted as (
    {{ alteration_counts('member_gene', ['study_id', 'comparison', 'group_label', 'group_order', 'hugo_symbol']) }}
)

select
    study_id,
    comparison,
    group_label,
    group_order,
    hugo_symbol,
    alteration_type,
    cast(n_profiled as bigint) as n_profiled,
    cast(n_altered as bigint) as n_altered,
    n_altered / nullif(cast(n_profiled as double), 0) as altered_fraction
from counted
where n_profiled > 0
