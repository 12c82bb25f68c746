-- The status of each gene a comparison reads (a derived grouping mutated:/amplified:/deleted:/cna:/altered:GENE,
-- or a gene condition of `where:`), for every non-normal sample of the studies the comparison draws on:
-- true / false where the sample is profiled for it, null where it is not. study_id is the sample's study.
-- Profiled for mutations: sequenced and its assay covers the gene (bridge_assay_gene). Profiled for copy
-- number as int_sample_gene_alterations calls it: the study's discrete gene-level CNA where the sample has
-- any (then the gene must be among its calls), else its segments (the protein-coding genes of the study's
-- reference genome: gene_exonic_spans). amplified = amplification, deleted = deep deletion, cna = either
-- (high-level: GISTIC +-2 or the study's CNA call rules); altered = mutated or cna, false when no profile the
-- sample has shows either.
with comparisons as (
    select distinct study_id, comparison, group_by, group_by_kind
    from {{ ref('stg_study__comparisons') }}
),

named_genes as (
    -- the genes whose status a derived grouping or a condition reads, by the study of the samples it reads, in
    -- the reference spelling the variant, copy-number and panel tables use (macros/hugo_symbols.sql); readers
    -- find a named gene by its upper case
    select distinct sources.sample_study_id as study_id, {{ reference_symbol('genes.named') }} as hugo_symbol
    from (
        select study_id, comparison, {{ split_part_at('group_by', "':'", 2) }} as named
        from comparisons
        where group_by_kind = 'derived'
          and {{ split_part_at('group_by', "':'", 1) }} in ('mutated', 'amplified', 'deleted', 'cna', 'altered')
        union
        select study_id, comparison, value_text
        from {{ ref('stg_study__comparison_selections') }}
        where subject_kind = 'gene'
    ) as genes
    {{ reference_symbol_join('genes.named') }}
    inner join {{ ref('int_comparison_sources') }} as sources
        on sources.study_id = genes.study_id and sources.comparison = genes.comparison
),

discrete_cna as (
    select study_id, sample_id, hugo_symbol
    from {{ ref('fct_gene_cna') }}
    where cna_kind = 'discrete' and value is not null
),

cna_profiles as (
    select distinct study_id, sample_id, 'discrete' as cna_source from discrete_cna
    union
    select distinct segments.study_id, segments.sample_id, 'segments'
    from {{ ref('fct_cna_segment') }} as segments
    where not exists (
        select 1 from discrete_cna
        where discrete_cna.study_id = segments.study_id and discrete_cna.sample_id = segments.sample_id)
),

build_genes as (
    -- the named genes a study's segments can call: those of the gene seed of its reference genome
    select distinct named_genes.study_id, named_genes.hugo_symbol
    from named_genes
    inner join {{ ref('stg_study__studies') }} as studies on studies.study_id = named_genes.study_id
    inner join ({{ gene_exonic_spans() }}) as reference
        on reference.reference_genome = studies.reference_genome and reference.hugo_symbol = named_genes.hugo_symbol
),

gene_profiles as (
    -- one row per sample x named gene: profiled for mutations and for copy number, and what was found
    select
        dim.study_id,
        dim.sample_id,
        genes.hugo_symbol,
        dim.is_sequenced and coverage.hugo_symbol is not null as mutation_profiled,
        coalesce(alterations.is_mutated, false) as is_mutated,
        case profiles.cna_source
            when 'discrete' then exists (
                select 1 from discrete_cna
                where discrete_cna.study_id = dim.study_id and discrete_cna.sample_id = dim.sample_id
                  and discrete_cna.hugo_symbol = genes.hugo_symbol)
            when 'segments' then build_genes.hugo_symbol is not null
            else false
        end as cna_profiled,
        alterations.cna_call
    from {{ ref('dim_sample') }} as dim
    inner join named_genes as genes on genes.study_id = dim.study_id
    left join {{ ref('bridge_assay_gene') }} as coverage
        on coverage.assay_id = dim.assay_id and coverage.hugo_symbol = genes.hugo_symbol
    left join {{ ref('int_sample_gene_alterations') }} as alterations
        on alterations.study_id = dim.study_id and alterations.sample_id = dim.sample_id
        and alterations.hugo_symbol = genes.hugo_symbol
    left join cna_profiles as profiles on profiles.study_id = dim.study_id and profiles.sample_id = dim.sample_id
    left join build_genes on build_genes.study_id = dim.study_id and build_genes.hugo_symbol = genes.hugo_symbol
    where dim.sample_type <> 'normal'
)

select
    study_id,
    sample_id,
    hugo_symbol,
    case when mutation_profiled then is_mutated end as mutated,
    case when cna_profiled then coalesce(cna_call = 'amplification', false) end as amplified,
    case when cna_profiled then coalesce(cna_call = 'deep_deletion', false) end as deleted,
    case when cna_profiled then coalesce(cna_call in ('amplification', 'deep_deletion'), false) end as cna,
    case
        when (mutation_profiled and is_mutated)
            or (cna_profiled and coalesce(cna_call in ('amplification', 'deep_deletion'), false)) then true
        when mutation_profiled or cna_profiled then false
    end as altered
from gene_profiles
