-- One row per sample per cytogenetic region (region_level 'arm' = chromosome arm, e.g. 17q; 'band' =
-- cytoband, e.g. 17q12) that the sample's segments call gain or loss, with the altered fraction of the
-- region. Neutral regions have no row (they are ~97 % of a dense sample x region table; the frequency mart
-- counts segmented members, not rows). Cytobands from seeds cytobands_hg19 / cytobands_hg38 by the study's
-- reference_genome (UCSC 0-based starts: the region is start+1..end). Rule (convention, documented, not
-- from a seed paper): the region is called gain (loss) when segments called gain/amplification
-- (loss/deep_deletion) under the study's cna_call_rule_set cover >= 50% of the region's bases that are
-- covered by segments; otherwise neutral.
with segments as (
    select study_id, sample_id, chromosome, start_position, end_position, cna_direction, reference_genome
    from {{ ref('int_segments_called') }}
),

bands as (  -- `c.end`, not "end": a double-quoted name is a string literal on Spark
    select 'hg19' as genome, c.chrom, c.start + 1 as region_start, c.end as region_end, c.band, c.arm
    from {{ ref('cytobands_hg19') }} as c
    union all
    select 'hg38' as genome, c.chrom, c.start + 1 as region_start, c.end as region_end, c.band, c.arm
    from {{ ref('cytobands_hg38') }} as c
),

-- The label is the chromosome once, then the arm or band from its p/q on (17q12, 17q, Xp22.33): the
-- shipped seeds hold the chromosome in `band` (17q12), UCSC's cytoBand table does not (q12); either
-- form gives the same label (chromosome names 1-22, X, Y hold no p or q). Prefixing the chromosome to
-- a band that already held it gave 1717q12 (issue 19).
labelled_bands as (
    select
        genome,
        chrom,
        region_start,
        region_end,
        chrom || coalesce({{ regexp_group('band', '([pq].*)$', 1) }}, band) as band_label,
        chrom || coalesce({{ regexp_group('arm', '([pq].*)$', 1) }}, arm) as arm_label
    from bands
),

regions as (
    select genome, chrom, 'band' as region_level, band_label as region, region_start, region_end from labelled_bands
    union all
    select genome, chrom, 'arm' as region_level, arm_label as region, min(region_start), max(region_end)
    from labelled_bands
    group by genome, chrom, arm_label
),

segment_overlaps as (
    select
        segments.study_id,
        segments.sample_id,
        regions.genome,
        regions.region_level,
        regions.region,
        segments.cna_direction,
        segments.start_position <= regions.region_start and segments.end_position >= regions.region_end as contains_region,
        least(segments.end_position, regions.region_end) - greatest(segments.start_position, regions.region_start) + 1 as overlap_bp
    from segments
    inner join regions
        on regions.genome = segments.reference_genome
        and regions.chrom = segments.chromosome
        and regions.region_start <= segments.end_position
        and regions.region_end >= segments.start_position
),

-- Staging rejects overlapping segments of one sample, so a region inside one segment has no other segment:
-- its sums are that segment's overlap, and it is altered when that segment is. Only regions cut by a breakpoint (every arm with more than one
-- segment, few bands) are grouped; grouping every sample x band would cost the bulk of a large build.
summed as (
    select
        study_id,
        sample_id,
        genome,
        region_level,
        region,
        overlap_bp as covered_bp,
        case when cna_direction = 'gain' then overlap_bp else 0 end as gain_bp,
        case when cna_direction = 'loss' then overlap_bp else 0 end as loss_bp
    from segment_overlaps
    where contains_region and cna_direction in ('gain', 'loss')
    union all
    select
        study_id,
        sample_id,
        genome,
        region_level,
        region,
        cast(sum(overlap_bp) as bigint) as covered_bp,
        cast(sum(case when cna_direction = 'gain' then overlap_bp else 0 end) as bigint) as gain_bp,
        cast(sum(case when cna_direction = 'loss' then overlap_bp else 0 end) as bigint) as loss_bp
    from segment_overlaps
    where not contains_region
    group by study_id, sample_id, genome, region_level, region
),

called as (
    select
        summed.study_id,
        summed.sample_id,
        summed.region_level,
        summed.region,
        regions.chrom as chromosome,
        regions.region_end - regions.region_start + 1 as region_bp,
        summed.covered_bp,
        summed.gain_bp,
        summed.loss_bp,
        summed.gain_bp / cast(summed.covered_bp as double) as gain_fraction,
        summed.loss_bp / cast(summed.covered_bp as double) as loss_fraction,
        case
            when summed.gain_bp >= {{ rule_parameter('cytoband_majority_bases_v1', 'min_altered_fraction') }} * summed.covered_bp then 'gain'
            when summed.loss_bp >= {{ rule_parameter('cytoband_majority_bases_v1', 'min_altered_fraction') }} * summed.covered_bp then 'loss'
            else 'neutral'
        end as region_call,
        {{ rule_parameter('cytoband_majority_bases_v1', 'min_altered_fraction') }} as min_altered_fraction
    from summed
    inner join regions
        on regions.genome = summed.genome
        and regions.region_level = summed.region_level
        and regions.region = summed.region
)

select * from called where region_call <> 'neutral'
