{#- Copy-number calls of genes from a sample's segments, one row per sample x gene (dim_gene, hg19) x
    gene-mapping rule, for every gene overlapping at least one of the sample's segments (neutral included).
    `segments`: rows of int_segments_called (a relation or a parenthesised select). Two named rules:
      entire_exonic_span (lim2021): the gene is called only when its whole exonic span
        (dim_gene.exonic_start..exonic_end) lies inside ONE segment; it takes that segment's call.
        A gene straddling a breakpoint gets cna_call 'not_contained' (no call).
      any_overlap: the gene takes the most extreme call among all segments it overlaps
        (amplification/deep_deletion over gain/loss over neutral; ties by larger |seg.mean|, then the
        earlier segment).
    Segments of studies whose reference_genome is not hg19 are not mapped (no rows), rather than mapped to
    the wrong genes. Staging rejects overlapping segments of one sample, so a gene contained in a segment
    overlaps no other segment: both rules give that segment's call and n_segments = 1 without grouping.
    Only genes straddling a breakpoint are grouped and ranked. -#}
{% macro segments_mapped_to_genes(segments) -%}
with segments as (
    select * from {{ segments }} where reference_genome = 'hg19'
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
        segments.start_position,
        segments.seg_mean,
        segments.cna_call,
        segments.cna_direction,
        segments.cna_call_rule_set,
        segments.start_position <= genes.exonic_start and segments.end_position >= genes.exonic_end as contains_gene
    from segments
    inner join genes
        on genes.chromosome = segments.chromosome
        and genes.exonic_start <= segments.end_position
        and genes.exonic_end >= segments.start_position
),

contained as (
    select * from segment_overlaps where contains_gene
),

straddling_ranked as (
    select
        segment_overlaps.*,
        count(*) over (partition by study_id, sample_id, hugo_symbol) as n_segments,
        row_number() over (
            partition by study_id, sample_id, hugo_symbol
            order by
                case cna_call when 'amplification' then 1 when 'deep_deletion' then 1
                    when 'gain' then 2 when 'loss' then 2 else 3 end,
                abs(seg_mean) desc,
                start_position
        ) as extremity_rank
    from segment_overlaps
    where not contains_gene
),

mapped as (
    select study_id, sample_id, hugo_symbol, 'entire_exonic_span' as gene_mapping_rule, cytoband,
        1 as n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
    from contained
    union all
    select study_id, sample_id, hugo_symbol, 'any_overlap' as gene_mapping_rule, cytoband,
        1 as n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
    from contained
    union all
    select study_id, sample_id, hugo_symbol, 'entire_exonic_span' as gene_mapping_rule, cytoband,
        n_segments, cast(null as double) as seg_mean, 'not_contained' as cna_call, 'not_contained' as cna_direction,
        cna_call_rule_set
    from straddling_ranked
    where extremity_rank = 1
    union all
    select study_id, sample_id, hugo_symbol, 'any_overlap' as gene_mapping_rule, cytoband,
        n_segments, seg_mean, cna_call, cna_direction, cna_call_rule_set
    from straddling_ranked
    where extremity_rank = 1
)

select study_id, sample_id, hugo_symbol, gene_mapping_rule, cytoband, cast(n_segments as bigint) as n_segments,
    seg_mean, cna_call, cna_direction, cna_call_rule_set
from mapped
{%- endmacro %}
