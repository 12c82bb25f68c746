-- Copy-number calls of genes that are not neutral: one row per sample x gene x gene-mapping rule whose call is
-- amplification, gain, loss, deep_deletion or not_contained, from int_segment_gene_calls (one row per sample x
-- gene). entire_exonic_span (lim2021): the call of a gene inside one segment, else not_contained (no seg_mean).
-- any_overlap: the most extreme call of the segments the gene overlaps, when not neutral. A view: the genes
-- inside one segment, most of the rows, have the same call under both rules and are stored once; a reader of
-- one rule (gene_mapping_rule = '...') reads only that rule's half of the union.
{{ config(materialized='view') }}
select study_id, sample_id, hugo_symbol, 'entire_exonic_span' as gene_mapping_rule, cytoband, n_segments,
    case when is_contained then seg_mean end as seg_mean,
    case when is_contained then cna_call else 'not_contained' end as cna_call,
    case when is_contained then cna_direction else 'not_contained' end as cna_direction,
    cna_call_rule_set
from {{ ref('int_segment_gene_calls') }}
union all
select study_id, sample_id, hugo_symbol, 'any_overlap' as gene_mapping_rule, cytoband, n_segments, seg_mean, cna_call,
    cna_direction, cna_call_rule_set
from {{ ref('int_segment_gene_calls') }}
where cna_call <> 'neutral'
