-- Surrogate intrinsic subtypes by the St. Gallen 2013 consensus (Goldhirsch et al., Ann Oncol
-- 2013;24:2206) as zhang2022 applied them: HR+/HER2- split into Luminal A-like and Luminal B-like
-- (HER2-) by Ki-67 at the cut-off (default 14 %; Ki-67 >= cut-off is high), HR+/HER2+ Luminal B-like
-- (HER2+), HR-/HER2+ HER2-enriched (non-luminal), HR-/HER2- triple-negative. HER2-low and HER2-zero
-- count as HER2-negative. The St. Gallen PR >= 20 % criterion for Luminal A-like is not applied (Ki-67
-- only, as assumed for zhang2022). The cut-off comes from the study's oncoduck_study.yml
-- `thresholds: {ki67_cutoff_percent: N}`, else var('ki67_cutoff_percent', 14). Separately, Ki-67 high/low
-- at 30 % (>= 30 high; International Ki67 in Breast Cancer Working Group, Nielsen et al., JNCI 2021).
with inputs as (
    select study_id, patient_id, ki67_percent from {{ ref('int_patients_clinical_inputs') }}
),

her2 as (
    select study_id, patient_id, her2_status from {{ ref('int_patients_her2_classified') }}
),

receptors as (
    select study_id, patient_id, hr_status from {{ ref('int_patients_receptors_classified') }}
),

study_thresholds as (
    select
        study_id,
        max(case when setting = 'thresholds.ki67_cutoff_percent' then try_cast(value as double) end) as ki67_cutoff_percent
    from {{ landing_relation('landing_study_settings') }}
    where source = 'oncoduck_study.yml'
    group by study_id
),

joined as (
    select
        inputs.study_id,
        inputs.patient_id,
        case when inputs.ki67_percent >= 0 and inputs.ki67_percent <= 100 then inputs.ki67_percent end as ki67_percent,
        her2.her2_status,
        receptors.hr_status,
        coalesce(study_thresholds.ki67_cutoff_percent, {{ var('ki67_cutoff_percent', 14) }}) as ki67_cutoff_percent,
        case when study_thresholds.ki67_cutoff_percent is not null then 'study_setting' else 'project_var' end as ki67_cutoff_source
    from inputs
    left join her2 on her2.study_id = inputs.study_id and her2.patient_id = inputs.patient_id
    left join receptors on receptors.study_id = inputs.study_id and receptors.patient_id = inputs.patient_id
    left join study_thresholds on study_thresholds.study_id = inputs.study_id
)

select
    study_id,
    patient_id,
    ki67_percent,
    ki67_cutoff_percent,
    ki67_cutoff_source,
    case
        when ki67_percent is null then 'unknown'
        when ki67_percent >= ki67_cutoff_percent then 'high'
        else 'low'
    end as ki67_group,
    case
        when ki67_percent is null then 'unknown'
        when ki67_percent >= 30 then 'high'
        else 'low'
    end as ki67_group_30,
    'ki67_ge_cutoff_high_v1' as ki67_rule_id,
    case
        when her2_status = 'positive' and hr_status = 'positive' then 'luminal_b_like_her2_positive'
        when her2_status = 'positive' and hr_status = 'negative' then 'her2_enriched'
        when her2_status = 'negative' and hr_status = 'negative' then 'triple_negative'
        when her2_status = 'negative' and hr_status = 'positive' and ki67_percent is null then 'luminal_her2_negative_ki67_unknown'
        when her2_status = 'negative' and hr_status = 'positive' and ki67_percent >= ki67_cutoff_percent then 'luminal_b_like_her2_negative'
        when her2_status = 'negative' and hr_status = 'positive' then 'luminal_a_like'
        else 'unclassifiable'
    end as subtype,
    'st_gallen_2013_zhang2022_v1' as subtype_rule_id
from joined
