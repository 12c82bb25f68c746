-- One row per comparison x group x gene x alteration type (mutation, cna, any): how many members
-- were profiled for the gene and how many carry the alteration. Genes altered in at least one member
-- of the comparison are listed. Denominator (n_profiled) = members whose assay covers the gene
-- (mutation), who have copy-number data (cna), or either (any); members without mutations count.
-- Counted sparsely, with the definitions of macro alteration_counts: denominators from per-group member
-- counts by assay joined to the assay's genes, numerators from the members' altered genes only. A dense
-- member x gene table (10k members x 500 genes = 5M rows; 100k members: 50M) is never built.
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

group_assays as (
    select
        study_id,
        comparison,
        group_label,
        group_order,
        assay_id,
        sum(case when is_mutation_profiled then 1 else 0 end) as n_mutation_profiled,
        sum(case when is_mutation_profiled and not is_cna_profiled then 1 else 0 end) as n_mutation_only_profiled,
        sum(case when is_cna_profiled then 1 else 0 end) as n_cna_profiled
    from profiles
    group by study_id, comparison, group_label, group_order, assay_id
),

group_genes as (
    select
        group_assays.study_id,
        group_assays.comparison,
        group_assays.group_label,
        group_assays.group_order,
        comparison_genes.hugo_symbol,
        sum(case when coverage.hugo_symbol is not null then group_assays.n_mutation_profiled else 0 end)
            as n_mutation_profiled,
        sum(group_assays.n_cna_profiled) as n_cna_profiled,
        sum(case when coverage.hugo_symbol is not null then group_assays.n_mutation_only_profiled else 0 end)
            + sum(group_assays.n_cna_profiled) as n_any_profiled
    from group_assays
    inner join comparison_genes
        on comparison_genes.study_id = group_assays.study_id and comparison_genes.comparison = group_assays.comparison
    left join coverage on coverage.assay_id = group_assays.assay_id and coverage.hugo_symbol = comparison_genes.hugo_symbol
    group by group_assays.study_id, group_assays.comparison, group_assays.group_label, group_assays.group_order,
        comparison_genes.hugo_symbol
),

member_alterations as (
    select
        profiles.study_id,
        profiles.comparison,
        profiles.group_label,
        alterations.hugo_symbol,
        profiles.is_mutation_profiled and coverage.hugo_symbol is not null as mutation_profiled,
        profiles.is_cna_profiled as cna_profiled,
        alterations.is_mutated,
        alterations.is_cna_altered
    from profiles
    inner join alterations on alterations.study_id = profiles.study_id and alterations.sample_id = profiles.sample_id
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = alterations.hugo_symbol
),

group_altered as (
    select
        study_id,
        comparison,
        group_label,
        hugo_symbol,
        sum(case when mutation_profiled and is_mutated then 1 else 0 end) as n_mutation_altered,
        sum(case when cna_profiled and is_cna_altered then 1 else 0 end) as n_cna_altered,
        sum(case when (mutation_profiled and is_mutated) or (cna_profiled and is_cna_altered) then 1 else 0 end)
            as n_any_altered
    from member_alterations
    group by study_id, comparison, group_label, hugo_symbol
),

counted as (
    {%- for alteration_type in ['mutation', 'cna', 'any'] %}
    select
        group_genes.study_id,
        group_genes.comparison,
        group_genes.group_label,
        group_genes.group_order,
        group_genes.hugo_symbol,
        '{{ alteration_type }}' as alteration_type,
        group_genes.n_{{ alteration_type }}_profiled as n_profiled,
        coalesce(group_altered.n_{{ alteration_type }}_altered, 0) as n_altered
    from group_genes
    left join group_altered
        on group_altered.study_id = group_genes.study_id and group_altered.comparison = group_genes.comparison
        and group_altered.group_label = group_genes.group_label and group_altered.hugo_symbol = group_genes.hugo_symbol
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    study_id,
    comparison,
    group_label,
    group_order,
    hugo_symbol,
    alteration_type,
    {{ frequency_measures() }}
from counted
where n_profiled > 0
