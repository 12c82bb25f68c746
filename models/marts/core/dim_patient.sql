-- One row per patient, with the number of samples of each type.
with patients as (
    select study_id, patient_id, in_patient_file from {{ ref('stg_study__patients') }}
),

samples as (
    select study_id, patient_id, sample_type from {{ ref('dim_sample') }}
),

sample_counts as (
    select
        study_id,
        patient_id,
        count(*) as n_samples,
        sum(case when sample_type = 'primary' then 1 else 0 end) as n_primary_samples,
        sum(case when sample_type = 'metastasis' then 1 else 0 end) as n_metastasis_samples,
        sum(case when sample_type = 'plasma' then 1 else 0 end) as n_plasma_samples,
        sum(case when sample_type = 'normal' then 1 else 0 end) as n_normal_samples
    from samples
    group by study_id, patient_id
),

attributes as (
    select
        study_id,
        patient_id,
        max(case when attribute = 'SEX' then value_text end) as sex,
        max(case when attribute = 'AGE' then value_number end) as age_years
    from {{ ref('stg_study__clinical_attributes') }}
    where level = 'patient'
    group by study_id, patient_id
)

select
    patients.study_id,
    patients.patient_id,
    patients.in_patient_file,
    attributes.sex,
    attributes.age_years,
    coalesce(sample_counts.n_samples, 0) as n_samples,
    coalesce(sample_counts.n_primary_samples, 0) as n_primary_samples,
    coalesce(sample_counts.n_metastasis_samples, 0) as n_metastasis_samples,
    coalesce(sample_counts.n_plasma_samples, 0) as n_plasma_samples,
    coalesce(sample_counts.n_normal_samples, 0) as n_normal_samples
from patients
left join sample_counts on sample_counts.study_id = patients.study_id and sample_counts.patient_id = patients.patient_id
left join attributes on attributes.study_id = patients.study_id and attributes.patient_id = patients.patient_id
