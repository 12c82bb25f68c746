-- One row per sample per gene per gene-mapping rule, for every gene of dim_gene that segment_overlaps at
-- least one of the sample's segments (int_segments_called). Two named rules:
--   entire_exonic_span (lim2021): the gene is called only when its whole exonic span
--     (dim_gene.exonic_start..exonic_end) lies inside ONE segment; it takes that segment's call.
--     A gene straddling a breakpoint gets cna_call 'not_contained' (no call).
--   any_overlap: the gene takes the most extreme call among all segments it segment_overlaps
--     (amplification/deep_deletion over gain/loss over neutral; ties by larger |seg.mean|).
-- Gene coordinates are hg19 (seeds genes_hg19 via dim_gene): segments of studies whose reference_genome
-- is not hg19 are not mapped (no rows), rather than mapped to the wrong genes.
with segments as (
    select * from {{ ref('int_segments_called') }} where reference_genome = 'hg19'
),

genes as (
    select hugo_symbol, chromosome, exonic_start, exonic_end, cytoband from {{ ref('dim_gene') }}
),

segment_overlaps as (
    select
        segments.study_id,
        segments.sample_id,
        genes.hugo_symbol,
        genes.cytoband,
        genes.exonic_start,
        genes.exonic_end,
        segments.start_position,
        segments.end_position,
        segments.seg_mean,
        segments.cna_call,
        segments.cna_direction,
        segments.cna_call_rule_set,
        segments.start_position <= genes.exonic_start and segments.end_position >= genes.exonic_end as contains_gene,
        case segments.cna_call when 'amplification' then 1 when 'deep_deletion' then 1
            when 'gain' then 2 when 'loss' then 2 else 3 end as call_priority
    from segments
    inner join genes
        on genes.chromosome = segments.chromosome
        and genes.exonic_start <= segments.end_position
        and genes.exonic_end >= segments.start_position
),

ranked as (
    select
        segment_overlaps.*,
        count(*) over (partition by study_id, sample_id, hugo_symbol) as n_segments,
        row_number() over (
            partition by study_id, sample_id, hugo_symbol
            order by call_priority, abs(seg_mean) desc, start_position
        ) as extremity_rank
    from segment_overlaps
),

entire_span as (
    select
        study_id,
        sample_id,
        hugo_symbol,
        'entire_exonic_span' as gene_mapping_rule,
        max(cytoband) as cytoband,
        max(n_segments) as n_segments,
        max(case when contains_gene then seg_mean end) as seg_mean,
        coalesce(max(case when contains_gene then cna_call end), 'not_contained') as cna_call,
        coalesce(max(case when contains_gene then cna_direction end), 'not_contained') as cna_direction,
        max(cna_call_rule_set) as cna_call_rule_set
    from ranked
    group by study_id, sample_id, hugo_symbol
),

any_overlap as (
    select
        study_id,
        sample_id,
        hugo_symbol,
        'any_overlap' as gene_mapping_rule,
        cytoband,
        n_segments,
        seg_mean,
        cna_call,
        cna_direction,
        cna_call_rule_set
    from ranked
    where extremity_rank = 1
)

select study_id, sample_id, hugo_symbol, gene_mapping_rule, cytoband, n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
from entire_span
union all
select study_id, sample_id, hugo_symbol, gene_mapping_rule, cytoband, n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
from any_overlap
