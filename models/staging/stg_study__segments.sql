-- Accepted copy-number segments: one row per segment (log2 ratio seg_mean).
select
    study_id,
    source_file,
    source_row,
    aliquot_barcode,
    sample_id,
    chromosome,
    start_position,
    end_position,
    num_markers,
    seg_mean
from {{ ref('stg_study__segments_checked') }}
where reject_reason is null
