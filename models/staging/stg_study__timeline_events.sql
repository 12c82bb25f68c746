-- Timeline events (treatments, specimens, status ...): one row per event line per extra attribute;
-- days are relative to diagnosis as cBioPortal defines them.
select
    study_id,
    source_file,
    source_row,
    source_column,
    case when {{ is_tcga_barcode('patient_id') }} then upper(trim(patient_id)) else trim(patient_id) end as patient_id,
    try_cast(start_date as bigint) as start_day,
    try_cast({{ nullif_missing('stop_date') }} as bigint) as stop_day,
    upper(event_type) as event_type,
    attribute_name,
    {{ nullif_missing('value_raw') }} as value_text
from {{ landing_relation('landing_timeline') }}
