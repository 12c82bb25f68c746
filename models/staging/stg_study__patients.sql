-- One row per patient named in a clinical patient file or by a sample's PATIENT_ID
-- (cBioPortal allows studies without a patient file).
with named as (
    select study_id, patient_id, source_file, source_row, 1 as preference
    from {{ ref('stg_study__clinical_attributes') }}
    where level = 'patient' and attribute = 'PATIENT_ID'
    union all
    select study_id, patient_id, source_file, source_row, 2 as preference
    from {{ ref('stg_study__samples') }}
),

ranked as (
    select
        named.*,
        row_number() over (partition by study_id, patient_id order by preference, source_file, source_row) as occurrence
    from named
)

select
    study_id,
    patient_id,
    source_file,
    source_row,
    preference = 1 as in_patient_file
from ranked
where occurrence = 1
