-- One row per sample per cytogenetic region (region_level 'arm' = chromosome arm, e.g. 17q; 'band' =
-- cytoband, e.g. 17q12) covered by the sample's segments, with the altered fraction of the region.
-- Cytobands from seeds cytobands_hg19 / cytobands_hg38 by the study's reference_genome (UCSC 0-based
-- starts: the region is start+1..end). Rule (convention, documented, not from a seed paper): the region
-- is called gain (loss) when segments called gain/amplification (loss/deep_deletion) under the study's
-- cna_call_rule_set cover >= 50% of the region's bases that are covered by segments; otherwise neutral.
with segments as (
    select study_id, sample_id, chromosome, start_position, end_position, cna_direction, reference_genome
    from {{ ref('int_segments_called') }}
),

bands as (
    select 'hg19' as genome, chrom, start + 1 as region_start, "end" as region_end, band, arm from {{ ref('cytobands_hg19') }}
    union all
    select 'hg38' as genome, chrom, start + 1 as region_start, "end" as region_end, band, arm from {{ ref('cytobands_hg38') }}
),

regions as (
    select genome, chrom, 'band' as region_level, chrom || band as region, region_start, region_end from bands
    union all
    select genome, chrom, 'arm' as region_level, chrom || arm as region, min(region_start), max(region_end)
    from bands
    group by genome, chrom, arm
),

segment_overlaps as (
    select
        segments.study_id,
        segments.sample_id,
        regions.region_level,
        regions.region,
        regions.chrom,
        regions.region_end - regions.region_start + 1 as region_bp,
        segments.cna_direction,
        least(segments.end_position, regions.region_end) - greatest(segments.start_position, regions.region_start) + 1 as overlap_bp
    from segments
    inner join regions
        on regions.genome = segments.reference_genome
        and regions.chrom = segments.chromosome
        and regions.region_start <= segments.end_position
        and regions.region_end >= segments.start_position
),

summed as (
    select
        study_id,
        sample_id,
        region_level,
        region,
        chrom,
        max(region_bp) as region_bp,
        sum(overlap_bp) as covered_bp,
        sum(case when cna_direction = 'gain' then overlap_bp else 0 end) as gain_bp,
        sum(case when cna_direction = 'loss' then overlap_bp else 0 end) as loss_bp
    from segment_overlaps
    group by study_id, sample_id, region_level, region, chrom
)

select
    study_id,
    sample_id,
    region_level,
    region,
    chrom as chromosome,
    region_bp,
    covered_bp,
    gain_bp,
    loss_bp,
    gain_bp / cast(covered_bp as double) as gain_fraction,
    loss_bp / cast(covered_bp as double) as loss_fraction,
    case
        when gain_bp >= 0.5 * covered_bp then 'gain'
        when loss_bp >= 0.5 * covered_bp then 'loss'
        else 'neutral'
    end as region_call,
    0.5 as min_altered_fraction
from summed
