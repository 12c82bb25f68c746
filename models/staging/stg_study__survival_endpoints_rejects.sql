-- Survival endpoint candidates that cannot be used, with the reason: never silently censored. Data errors
-- (unparseable status, non-numeric or negative time) are always listed; a time or status missing its
-- partner is listed only when no other source gives the patient that endpoint (e.g. TCGA's surv_event
-- without a time is not a reject when days_to_death / days_to_last_followup give OS).
select
    study_id,
    patient_id,
    endpoint,
    source,
    source_file,
    source_row,
    source_column,
    time_raw,
    status_raw,
    reject_reason,
    reject_detail
from {{ ref('stg_study__survival_endpoints_checked') }}
where reject_reason is not null
    and (reject_reason in ('unparseable_status', 'non_numeric_time', 'negative_time') or not endpoint_has_usable_source)
