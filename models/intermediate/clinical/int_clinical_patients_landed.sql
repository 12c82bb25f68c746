-- Every patient named on any landed clinical line, accepted or rejected (patient id as staging
-- normalises it), with whether any of its lines was accepted: the landing side of the patient
-- reconciliation tested on dim_patient (every patient with an accepted line is in dim_patient, and
-- dim_patient has no other patients). Lines without a patient id are in stg_study__clinical_rejects.
select
    study_id,
    patient_id,
    count(distinct source_file) as n_source_files,
    cast(sum(case when reject_reason is null then 1 else 0 end) as bigint) as n_accepted_values,
    cast(sum(case when reject_reason is not null then 1 else 0 end) as bigint) as n_rejected_values,
    max(case when reject_reason is null
             and ((level = 'patient' and attribute = 'PATIENT_ID') or (level = 'sample' and attribute = 'SAMPLE_ID'))
             then 1 else 0 end) = 1 as has_accepted_line
from {{ ref('stg_study__clinical_checked') }}
where patient_id is not null
group by study_id, patient_id
