-- One row per sequenced sample per gene with any alteration: mutation (int_variants_filtered.is_counted: PASS,
-- nonsynonymous under the study's TMB definition), hotspot mutation, and copy-number call (the study's own
-- discrete gene-level CNA when given, else segments mapped to genes by the lim2021 rule: the gene's
-- entire exonic span inside one altered segment). High-level CNA = amplification / deep deletion.
with mutations as (
    select
        study_id,
        sample_id,
        hugo_symbol,
        count(*) as n_mutations,
        max(case when is_hotspot then 1 else 0 end) = 1 as has_hotspot
    from {{ ref('int_variants_filtered') }}
    where is_counted and hugo_symbol is not null
    group by study_id, sample_id, hugo_symbol
),

discrete_cna as (
    select study_id, sample_id, hugo_symbol, discrete_call as cna_call, 'study discrete CNA' as cna_source
    from {{ ref('fct_gene_cna') }}
    where cna_kind = 'discrete' and discrete_call in ('amplification', 'gain', 'shallow_deletion', 'deep_deletion')
),

segment_cna as (
    select segments.study_id, segments.sample_id, segments.hugo_symbol,
        case segments.cna_call when 'loss' then 'shallow_deletion' else segments.cna_call end as cna_call,
        'segments, entire exonic span' as cna_source
    from {{ ref('int_segment_gene_calls') }} as segments
    where segments.is_contained  -- the entire_exonic_span rule's calls
      and segments.cna_call in ('amplification', 'gain', 'loss', 'deep_deletion')
      and not exists (
          select 1 from {{ ref('fct_gene_cna') }} as given
          where given.study_id = segments.study_id and given.sample_id = segments.sample_id and given.cna_kind = 'discrete'
      )
),

cna as (
    select * from discrete_cna
    union all
    select * from segment_cna
)

-- mutations and cna each hold one row per study, sample and gene: one full join pairs them
select
    coalesce(mutations.study_id, cna.study_id) as study_id,
    coalesce(mutations.sample_id, cna.sample_id) as sample_id,
    coalesce(mutations.hugo_symbol, cna.hugo_symbol) as hugo_symbol,
    coalesce(mutations.n_mutations, 0) as n_nonsynonymous_mutations,
    mutations.sample_id is not null as is_mutated,
    coalesce(mutations.has_hotspot, false) as is_hotspot_mutated,
    cna.cna_call,
    cna.cna_source,
    coalesce(cna.cna_call in ('amplification', 'deep_deletion'), false) as is_cna_altered
from mutations
full outer join cna
    on cna.study_id = mutations.study_id and cna.sample_id = mutations.sample_id and cna.hugo_symbol = mutations.hugo_symbol
