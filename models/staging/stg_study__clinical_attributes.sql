-- Accepted clinical values, long: one row per patient (or sample) per canonical attribute.
select
    study_id,
    source_file,
    source_row,
    source_column,
    level,
    patient_id,
    sample_id,
    attribute_name,
    attribute,
    data_type,
    value_raw,
    value_text,
    value_number,
    status_event
from {{ ref('stg_study__clinical_checked') }}
where reject_reason is null
