-- Survival endpoints: one row per patient per endpoint (OS, PFS, DFS, DSS, DFI, PFI) that the patient's
-- data gives in a usable form; the source of highest preference wins (see stg_study__survival_endpoints_checked).
-- Unusable ones are in stg_study__survival_endpoints_rejects with the reason, never censored silently.
select
    study_id,
    patient_id,
    endpoint,
    time_days,
    time_months,
    days_per_month,
    cast(event as integer) as event,
    source,
    time_attribute,
    status_attribute,
    time_unit_given,
    source_file,
    source_row,
    survival_rule_id
from {{ ref('stg_study__survival_endpoints_checked') }}
where is_selected
