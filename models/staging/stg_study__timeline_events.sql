-- Timeline events (treatments, specimens, status ...): one row per accepted event line per extra attribute;
-- days are relative to diagnosis as cBioPortal defines them (stg_study__timeline_checked types and checks them).
select
    study_id,
    source_file,
    source_row,
    source_column,
    patient_id,
    start_day,
    stop_day,
    event_type,
    attribute_name,
    value_text
from {{ ref('stg_study__timeline_checked') }}
where reject_reason is null
