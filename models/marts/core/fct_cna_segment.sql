-- One row per copy-number segment of a sample (log2 ratio), with its length.
select
    study_id,
    sample_id,
    chromosome,
    start_position,
    end_position,
    end_position - start_position + 1 as length_bp,
    num_markers,
    seg_mean,
    aliquot_barcode,
    source_file,
    source_row
from {{ ref('stg_study__segments') }}
