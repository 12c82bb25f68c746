-- Every landed SEG line (ID chrom loc.start loc.end num.mark seg.mean), typed, with the reason it
-- must be rejected. Overlap with the previous segment of the same sample is a reject (CBS never
-- produces overlapping segments; an overlap means two files or two aliquots were mixed).
with landed as (
    select * from {{ ref('landing_segments') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

typed as (
    select
        {{ landed_line_columns() }},
        landed.sample_id as aliquot_barcode,
        {{ sample_id_from_barcode('landed.sample_id') }} as sample_id,
        landed.chromosome as chromosome_raw,
        {{ normalize_chromosome('landed.chromosome') }} as chromosome,
        {{ whole_number('landed.start_position') }} as start_position,
        {{ whole_number('landed.end_position') }} as end_position,
        {{ whole_number(nullif_missing('landed.num_markers')) }} as num_markers,
        try_cast(landed.seg_mean as double) as seg_mean,
        landed.start_position as start_raw,
        landed.end_position as end_raw,
        landed.seg_mean as seg_mean_raw,
        {{ nullif_missing('landed.num_markers') }} as num_markers_raw
    from landed
),

checked as (
    select
        typed.*,
        samples.sample_id is not null as sample_in_registry,
        max(typed.end_position) over (
            partition by typed.study_id, typed.aliquot_barcode, typed.chromosome
            order by typed.start_position, typed.source_row
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end
    from typed
    left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
)

select
    checked.*,
    {{ reject_ladder(line_rejects() + [
        {'when': 'sample_id is null', 'code': 'missing_sample_id', 'column': '1', 'detail': "'no sample ID'"},
        {'when': 'chromosome is null', 'code': 'unknown_chromosome', 'column': '2',
         'detail': "'chromosome ' || chr(39) || coalesce(chromosome_raw, '') || chr(39) || ' is not 1-22, X, Y or MT'"},
        {'when': 'start_position is null or end_position is null', 'code': 'non_numeric_position',
         'column': 'case when start_position is null then 3 else 4 end',
         'detail': "'loc.start/loc.end ' || chr(39) || coalesce(start_raw, '') || chr(39) || '/' || chr(39) || coalesce(end_raw, '') || chr(39) || ' are not whole numbers'"},
        {'when': 'seg_mean is null', 'code': 'non_numeric_value', 'column': '6',
         'detail': "'seg.mean ' || chr(39) || coalesce(seg_mean_raw, '') || chr(39) || ' is not a number'"},
        {'when': 'num_markers_raw is not null and not coalesce(num_markers >= 0, false)', 'code': 'invalid_number',
         'column': '5', 'detail': "'num.mark ' || chr(39) || num_markers_raw || chr(39) || ' is not a whole number >= 0'"},
        {'when': 'end_position < start_position', 'code': 'end_before_start', 'column': '4',
         'detail': "'loc.end ' || end_position || ' is before loc.start ' || start_position"},
        {'when': 'previous_max_end >= start_position', 'code': 'overlapping_segment', 'column': '3',
         'detail': "'segment starts at ' || start_position || ' inside an earlier segment of the same sample ending at ' || previous_max_end"},
        {'when': 'not sample_in_registry', 'code': 'sample_not_in_clinical', 'column': '1',
         'detail': "'sample ' || sample_id || ' is not in the clinical sample file'"},
    ], with_column=true) }}
from checked
