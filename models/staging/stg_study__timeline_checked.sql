-- Timeline rows (one per event line per extra attribute) typed, with the reason a line must be rejected.
-- cBioPortal's timeline format: PATIENT_ID, START_DATE and STOP_DATE in whole days relative to diagnosis
-- (negative before it), EVENT_TYPE; every other column an attribute of the event. A line is rejected whole,
-- every one of its rows with the same reason, so that landed rows = accepted + rejected per file.
with landed as (
    select * from {{ ref('landing_timeline') }}
),

patients as (
    select study_id, patient_id from {{ ref('stg_study__patients') }}
),

typed as (
    select
        {{ landed_line_columns(with_column=true) }},
        case when {{ is_tcga_barcode('landed.patient_id') }} then upper(trim(landed.patient_id))
             else trim(landed.patient_id) end as patient_id,
        landed.start_date as start_date_raw,
        landed.stop_date as stop_date_raw,
        {{ whole_number('landed.start_date') }} as start_day,
        {{ whole_number(nullif_missing('landed.stop_date')) }} as stop_day,
        upper(landed.event_type) as event_type,
        landed.attribute_name,
        landed.value_raw,
        {{ nullif_missing('landed.value_raw') }} as value_text
    from landed
)

select
    typed.*,
    {{ reject_ladder(line_rejects() + [
        {'when': 'typed.patient_id is null', 'code': 'missing_patient_id', 'detail': "'no PATIENT_ID on this line'"},
        {'when': 'start_day is null', 'code': 'non_numeric_day',
         'detail': "'START_DATE ' || chr(39) || coalesce(start_date_raw, '') || chr(39) || ' is not a whole number of days'"},
        {'when': nullif_missing('stop_date_raw') ~ ' is not null and stop_day is null', 'code': 'non_numeric_day',
         'detail': "'STOP_DATE ' || chr(39) || stop_date_raw || chr(39) || ' is not a whole number of days'"},
        {'when': 'stop_day < start_day', 'code': 'stop_before_start',
         'detail': "'STOP_DATE ' || stop_day || ' is before START_DATE ' || start_day"},
        {'when': 'event_type is null', 'code': 'missing_event_type', 'detail': "'no EVENT_TYPE on this line'"},
        {'when': 'patients.patient_id is null', 'code': 'patient_not_in_clinical',
         'detail': "'patient ' || typed.patient_id || ' is not in the clinical files'"},
    ]) }}
from typed
left join patients on patients.study_id = typed.study_id and patients.patient_id = typed.patient_id
