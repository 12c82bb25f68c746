-- The clinical inputs of the business rules, wide: one row per patient of the registry
-- (stg_study__patients), one column per canonical attribute a rule reads. Only canonical values
-- (after the synonym seeds and the study's `values:`) reach the rules; raw text is kept where a rule
-- must tell "not applicable" from "missing".
with patients as (
    select study_id, patient_id from {{ ref('stg_study__patients') }}
),

patient_values as (
    select * from {{ ref('int_clinical_patient_values') }}
),

pivoted as (
    select
        study_id,
        patient_id,
        max(case when attribute = 'AGE' then value_number end) as age_years,
        max(case when attribute = 'SEX' then value_text end) as sex,
        max(case when attribute = 'STAGE' then value_text end) as stage,
        max(case when attribute = 'T_STAGE' then upper(value_text) end) as t_stage,
        max(case when attribute = 'N_STAGE' then upper(value_text) end) as n_stage,
        max(case when attribute = 'M_STAGE' then upper(value_text) end) as m_stage,
        max(case when attribute = 'TNM_STAGE' then upper(value_text) end) as tnm_stage,
        max(case when attribute = 'METASTATIC_SITES' then value_text end) as metastatic_sites_text,
        max(case when attribute = 'HER2_IHC_SCORE' then value_text end) as her2_ihc_score,
        max(case when attribute = 'HER2_IHC_STATUS' then value_text end) as her2_ihc_status,
        max(case when attribute = 'HER2_IHC_ULTRALOW' then value_text end) as her2_ihc_ultralow,
        max(case when attribute = 'HER2_ISH_STATUS' then value_text end) as her2_ish_status,
        max(case when attribute = 'HER2_ISH_RATIO' then value_number end) as her2_ish_ratio,
        max(case when attribute = 'HER2_ISH_COPIES' then value_number end) as her2_ish_copies,
        max(case when attribute = 'HER2_STATUS' then value_text end) as her2_status_reported,
        max(case when attribute = 'HER2_COPY_NUMBER_CALL' then value_text end) as her2_copy_number_call,
        max(case when attribute = 'ER_STATUS' then value_text end) as er_status_text,
        max(case when attribute = 'ER_PERCENT' then value_number end) as er_percent,
        max(case when attribute = 'ER_PERCENT_RANGE' then value_text end) as er_percent_range,
        max(case when attribute = 'ER_ALLRED' then value_number end) as er_allred,
        max(case when attribute = 'PR_STATUS' then value_text end) as pr_status_text,
        max(case when attribute = 'PR_PERCENT' then value_number end) as pr_percent,
        max(case when attribute = 'PR_PERCENT_RANGE' then value_text end) as pr_percent_range,
        max(case when attribute = 'PR_ALLRED' then value_number end) as pr_allred,
        max(case when attribute = 'KI67_PERCENT' then value_number end) as ki67_percent,
        max(case when attribute = 'BEST_RESPONSE' then value_text end) as best_response,
        max(case when attribute = 'RESPONSE_GROUP' then value_text end) as response_group_given,
        max(case when attribute = 'RESPONSE_DURATION_MONTHS' then value_number end) as response_duration_months,
        max(case when attribute = 'PFS_MONTHS' then value_number end) as pfs_months,
        max(case when attribute = 'PCR' then value_text end) as pcr_given,
        max(case when attribute = 'RCB_CLASS' then value_text end) as rcb_class_given,
        max(case when attribute = 'RCB_SCORE' then value_number end) as rcb_score,
        max(case when attribute = 'YPT' then upper(value_text) end) as ypt,
        max(case when attribute = 'YPN' then upper(value_text) end) as ypn,
        max(case when attribute = 'NEOADJUVANT' then value_text end) as neoadjuvant,
        max(case when attribute = 'ANTI_HER2_CYCLES' then value_number end) as anti_her2_cycles,
        max(case when attribute = 'ANTI_HER2_CYCLES' then value_raw end) as anti_her2_cycles_raw,
        max(case when attribute = 'LINE_OF_THERAPY' then value_number end) as line_of_therapy_given,
        max(case when attribute = 'SUBTYPE' then value_text end) as subtype_given,
        max(case when attribute = 'PAM50_SUBTYPE' then value_text end) as pam50_subtype,
        max(case when attribute = 'CANCER_TYPE' then value_text end) as cancer_type,
        max(case when attribute = 'CANCER_TYPE_ACRONYM' then upper(value_text) end) as cancer_type_acronym
    from patient_values
    group by study_id, patient_id
)

select
    patients.study_id,
    patients.patient_id,
    pivoted.age_years,
    pivoted.sex,
    pivoted.stage,
    pivoted.t_stage,
    pivoted.n_stage,
    pivoted.m_stage,
    pivoted.tnm_stage,
    pivoted.metastatic_sites_text,
    pivoted.her2_ihc_score,
    pivoted.her2_ihc_status,
    pivoted.her2_ihc_ultralow,
    pivoted.her2_ish_status,
    pivoted.her2_ish_ratio,
    pivoted.her2_ish_copies,
    pivoted.her2_status_reported,
    pivoted.her2_copy_number_call,
    pivoted.er_status_text,
    pivoted.er_percent,
    pivoted.er_percent_range,
    pivoted.er_allred,
    pivoted.pr_status_text,
    pivoted.pr_percent,
    pivoted.pr_percent_range,
    pivoted.pr_allred,
    pivoted.ki67_percent,
    pivoted.best_response,
    pivoted.response_group_given,
    pivoted.response_duration_months,
    pivoted.pfs_months,
    pivoted.pcr_given,
    pivoted.rcb_class_given,
    pivoted.rcb_score,
    pivoted.ypt,
    pivoted.ypn,
    pivoted.neoadjuvant,
    pivoted.anti_her2_cycles,
    pivoted.anti_her2_cycles_raw,
    pivoted.line_of_therapy_given,
    pivoted.subtype_given,
    pivoted.pam50_subtype,
    pivoted.cancer_type,
    pivoted.cancer_type_acronym
from patients
left join pivoted on pivoted.study_id = patients.study_id and pivoted.patient_id = patients.patient_id
