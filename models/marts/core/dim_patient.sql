-- One row per patient of the registry (clinical patient files and samples' PATIENT_ID), with the
-- number of samples of each type and the derived clinical attributes, each beside the id of the rule
-- that made it (rules live in models/intermediate/clinical).
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
        cast(sum(case when sample_type = 'primary' then 1 else 0 end) as bigint) as n_primary_samples,
        cast(sum(case when sample_type = 'metastasis' then 1 else 0 end) as bigint) as n_metastasis_samples,
        cast(sum(case when sample_type = 'plasma' then 1 else 0 end) as bigint) as n_plasma_samples,
        cast(sum(case when sample_type = 'normal' then 1 else 0 end) as bigint) as n_normal_samples
    from samples
    group by study_id, patient_id
),

inputs as (
    select study_id, patient_id, sex from {{ ref('int_patients_clinical_inputs') }}
),

her2 as (
    select * from {{ ref('int_patients_her2_classified') }}
),

receptors as (
    select * from {{ ref('int_patients_receptors_classified') }}
),

subtypes as (
    select * from {{ ref('int_patients_subtyped') }}
),

staged as (
    select * from {{ ref('int_patients_staged') }}
),

fish as (
    -- the li2024 patient call is made on the biopsies taken before treatment
    select study_id, patient_id, her2_heterogeneity, fraction_amplified, her2_heterogeneity_rule_id
    from {{ ref('int_fish_patients_summarised') }}
    where treatment_phase = 'pre'
)

select
    patients.study_id,
    patients.patient_id,
    patients.in_patient_file,
    inputs.sex,
    staged.age_years,
    staged.age_group,
    staged.age_group_rule_id,
    coalesce(sample_counts.n_samples, 0) as n_samples,
    coalesce(sample_counts.n_primary_samples, 0) as n_primary_samples,
    coalesce(sample_counts.n_metastasis_samples, 0) as n_metastasis_samples,
    coalesce(sample_counts.n_plasma_samples, 0) as n_plasma_samples,
    coalesce(sample_counts.n_normal_samples, 0) as n_normal_samples,
    her2.her2_category,
    her2.her2_category_detail,
    her2.her2_status,
    her2.her2_ihc_level,
    her2.her2_ish_result,
    her2.her2_ish_group,
    her2.her2_rule_branch,
    her2.her2_rule_id,
    receptors.er_status,
    receptors.er_low,
    receptors.er_low_source,
    receptors.pr_status,
    receptors.hr_status,
    receptors.receptor_rule_id,
    subtypes.subtype,
    subtypes.subtype_rule_id,
    subtypes.luminal_a_pr_min_percent,
    subtypes.pr_group,
    subtypes.pr_group_source,
    subtypes.ki67_percent,
    subtypes.ki67_cutoff_percent,
    subtypes.ki67_group,
    subtypes.ki67_group_ikwg,
    subtypes.ki67_rule_id,
    subtypes.ki67_group_ikwg_rule_id,
    staged.stage,
    staged.stage_group,
    staged.stage_rule_id,
    staged.m_stage_initial,
    staged.m_stage_rule_id,
    staged.metastatic_sites,
    staged.n_metastatic_sites,
    staged.has_visceral_metastasis,
    staged.metastasis_pattern,
    staged.metastatic_sites_rule_id,
    coalesce(fish.her2_heterogeneity, 'no_fish_cell_counts') as her2_heterogeneity,
    fish.fraction_amplified as her2_fish_fraction_amplified,
    coalesce(fish.her2_heterogeneity_rule_id, '{{ fish_heterogeneity_rule().patient_rule_id }}') as her2_heterogeneity_rule_id
from patients
left join sample_counts on sample_counts.study_id = patients.study_id and sample_counts.patient_id = patients.patient_id
left join inputs on inputs.study_id = patients.study_id and inputs.patient_id = patients.patient_id
left join her2 on her2.study_id = patients.study_id and her2.patient_id = patients.patient_id
left join receptors on receptors.study_id = patients.study_id and receptors.patient_id = patients.patient_id
left join subtypes on subtypes.study_id = patients.study_id and subtypes.patient_id = patients.patient_id
left join staged on staged.study_id = patients.study_id and staged.patient_id = patients.patient_id
left join fish on fish.study_id = patients.study_id and fish.patient_id = patients.patient_id
