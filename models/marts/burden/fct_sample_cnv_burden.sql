-- One row per sample with copy-number segments (a sample is profiled for copy number when it has
-- accepted segments; samples without segment data are absent, not zero). CNV burden exactly as
-- lim2021 defines it, under the study's cna_call_rule_set: a CNV is one segment called gain/amplification
-- (duplication) or loss/deep_deletion (deletion); cnv_count = number of CNVs; cnv_gene_count = distinct
-- genes whose entire exonic span lies inside one CNV (int_segment_gene_calls.is_contained,
-- rule entire_exonic_span); total_cnv_length_mb = summed CNV length; average_cnv_length_mb = total / count
-- (null when count is 0); deletion_size_mb / duplication_size_mb = summed length of deletions /
-- duplications. fraction_genome_altered as cBioPortal: length of segments with |seg.mean| >= 0.2 over
-- the length of all the sample's segments.
with samples as (
    select study_id, sample_id, patient_id, sample_type, timepoint, biopsy from {{ ref('dim_sample') }}
),

segments as (
    select * from {{ ref('int_segments_called') }}
),

genes as (
    select study_id, sample_id, count(distinct hugo_symbol) as cnv_gene_count
    from {{ ref('int_segment_gene_calls') }}
    where is_contained and cna_direction in ('gain', 'loss')
    group by study_id, sample_id
),

per_sample as (
    select
        study_id,
        sample_id,
        max(cna_call_rule_set) as cna_call_rule_set,
        count(*) as n_segments,
        sum(length_bp) as segmented_bp,
        cast(sum(case when cna_direction <> 'neutral' then 1 else 0 end) as bigint) as cnv_count,
        cast(sum(case when cna_direction = 'gain' then 1 else 0 end) as bigint) as n_duplications,
        cast(sum(case when cna_direction = 'loss' then 1 else 0 end) as bigint) as n_deletions,
        sum(case when cna_direction <> 'neutral' then length_bp else 0 end) as cnv_bp,
        sum(case when cna_direction = 'gain' then length_bp else 0 end) as duplication_bp,
        sum(case when cna_direction = 'loss' then length_bp else 0 end) as deletion_bp,
        sum(case when is_fga_altered then length_bp else 0 end) as fga_altered_bp
    from segments
    group by study_id, sample_id
)

select
    per_sample.study_id,
    per_sample.sample_id,
    samples.patient_id,
    samples.sample_type,
    samples.timepoint,
    samples.biopsy,
    per_sample.cna_call_rule_set,
    per_sample.n_segments,
    per_sample.cnv_count,
    coalesce(genes.cnv_gene_count, 0) as cnv_gene_count,
    per_sample.cnv_bp / 1e6 as total_cnv_length_mb,
    per_sample.cnv_bp / 1e6 / nullif(per_sample.cnv_count, 0) as average_cnv_length_mb,
    per_sample.n_deletions,
    per_sample.deletion_bp / 1e6 as deletion_size_mb,
    per_sample.n_duplications,
    per_sample.duplication_bp / 1e6 as duplication_size_mb,
    per_sample.fga_altered_bp / cast(per_sample.segmented_bp as double) as fraction_genome_altered,
    'cbioportal_fga' as fga_rule_set,
    'entire_exonic_span' as cnv_gene_mapping_rule
from per_sample
inner join samples on samples.study_id = per_sample.study_id and samples.sample_id = per_sample.sample_id
left join genes on genes.study_id = per_sample.study_id and genes.sample_id = per_sample.sample_id
