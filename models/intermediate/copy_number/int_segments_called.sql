-- One row per accepted copy-number segment (stg_study__segments), called under its study's
-- cna_call_rule_set (stg_study__studies; thresholds in seeds cna_call_rules). Measures derived from the
-- segment log2 ratio: log2 = seg.mean; copy_ratio = 2^seg.mean (tumour/normal); absolute_cn =
-- 2 x 2^seg.mean (a pure diploid tumour: no purity/ploidy adjustment is possible from a SEG file, so
-- zhang2022_absolute is exact only for absolute-CN inputs). When several calls of the set match, the
-- most extreme wins (amplification over gain, deep_deletion over loss). cna_direction folds the call
-- to gain/loss (lim2021's duplication/deletion). is_fga_altered is cBioPortal's fraction-genome-altered
-- criterion (|seg.mean| >= cbioportal_fga threshold), independent of the study's rule set.
with segments as (
    select
        study_id,
        sample_id,
        chromosome,
        start_position,
        end_position,
        num_markers,
        seg_mean,
        source_file,
        source_row
    from {{ ref('stg_study__segments') }}
),

studies as (
    select study_id, cna_call_rule_set, reference_genome from {{ ref('stg_study__studies') }}
),

rules as (
    select rule_set, call, measure, comparator, threshold,
        case when call in ('amplification', 'deep_deletion') then 1 else 2 end as call_priority
    from {{ ref('cna_call_rules') }}
    where call <> 'fga_altered'
),

fga_rule as (
    select min(threshold) as fga_threshold from {{ ref('cna_call_rules') }} where rule_set = 'cbioportal_fga'
),

measured as (
    select
        segments.*,
        studies.cna_call_rule_set,
        studies.reference_genome,
        power(2.0, segments.seg_mean) as copy_ratio,
        2 * power(2.0, segments.seg_mean) as absolute_cn
    from segments
    inner join studies on studies.study_id = segments.study_id
),

rule_values as (
    select
        measured.study_id,
        measured.source_file,
        measured.source_row,
        rules.call,
        rules.call_priority,
        rules.comparator,
        rules.threshold,
        case rules.measure
            when 'log2' then measured.seg_mean
            when 'copy_ratio' then measured.copy_ratio
            when 'absolute_cn' then measured.absolute_cn
            when 'abs_log2' then abs(measured.seg_mean)
        end as measure_value
    from measured
    inner join rules on rules.rule_set = measured.cna_call_rule_set
),

matches as (
    select
        study_id,
        source_file,
        source_row,
        call,
        row_number() over (
            partition by study_id, source_file, source_row order by call_priority, call
        ) as call_rank
    from rule_values
    where (comparator = '>=' and measure_value >= threshold)
       or (comparator = '>' and measure_value > threshold)
       or (comparator = '<=' and measure_value <= threshold)
       or (comparator = '<' and measure_value < threshold)
)

select
    measured.study_id,
    measured.sample_id,
    measured.chromosome,
    measured.start_position,
    measured.end_position,
    measured.end_position - measured.start_position + 1 as length_bp,
    measured.num_markers,
    measured.seg_mean,
    measured.copy_ratio,
    measured.absolute_cn,
    measured.cna_call_rule_set,
    coalesce(matches.call, 'neutral') as cna_call,
    case
        when matches.call in ('amplification', 'gain') then 'gain'
        when matches.call in ('deep_deletion', 'loss') then 'loss'
        else 'neutral'
    end as cna_direction,
    abs(measured.seg_mean) >= fga_rule.fga_threshold as is_fga_altered,
    measured.reference_genome,
    measured.source_file,
    measured.source_row
from measured
cross join fga_rule
left join matches
    on matches.study_id = measured.study_id
    and matches.source_file = measured.source_file
    and matches.source_row = measured.source_row
    and matches.call_rank = 1
