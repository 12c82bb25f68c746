-- Disease extent and age per patient: AJCC stage group, initial M category, metastatic sites with a
-- visceral flag, and age group, each with the rule that made it.
--   stage_group: the canonical STAGE without its sub-letter (IIA -> II); X or missing -> unknown.
--   m_stage_initial: M_STAGE as given (M0, cM0(i+) -> M0; M1; MX), else the M of a combined TNM string
--     (TCGA 'T2N1aM0'), else M1 when the stage group is IV (AJCC: stage IV = any T, any N, M1), else unknown.
--   metastatic sites: METASTATIC_SITES split on ';' or ',', each part mapped through seeds.metastatic_sites
--     (lower-cased, trimmed); visceral = liver, lung, pleura, peritoneum, brain, adrenal and other organs;
--     non-visceral = bone, lymph node, skin, soft tissue, chest wall, breast. A part not in the seed
--     is kept as 'unmapped:<text>' and makes the visceral flag unknown unless a mapped site is visceral.
--   age_group: <40, 40-49, 50-59, 60-69, >=70 years at diagnosis.
with inputs as (
    select
        study_id,
        patient_id,
        age_years,
        stage,
        m_stage,
        tnm_stage,
        metastatic_sites_text
    from {{ ref('int_patients_clinical_inputs') }}
),

site_seed as (
    select lower(trim(raw_site)) as raw_site, site, is_visceral from {{ ref('metastatic_sites') }}
),

part_numbers as (
    select 1 as part_number union all select 2 union all select 3 union all select 4 union all select 5
    union all select 6 union all select 7 union all select 8 union all select 9 union all select 10
),

site_parts as (
    select
        inputs.study_id,
        inputs.patient_id,
        lower(trim({{ split_part_at("replace(inputs.metastatic_sites_text, ',', ';')", "';'", 'part_numbers.part_number') }})) as raw_site
    from inputs
    cross join part_numbers
    where inputs.metastatic_sites_text is not null
),

sites_mapped as (
    select
        site_parts.study_id,
        site_parts.patient_id,
        coalesce(site_seed.site, 'unmapped:' || site_parts.raw_site) as site,
        site_seed.is_visceral
    from site_parts
    left join site_seed on site_seed.raw_site = site_parts.raw_site
    where site_parts.raw_site is not null and site_parts.raw_site <> ''
),

sites_distinct as (
    select distinct study_id, patient_id, site, is_visceral from sites_mapped
),

sites_per_patient as (
    select
        study_id,
        patient_id,
        {{ sorted_listagg('site', "';'") }} as metastatic_sites,
        count(*) as n_metastatic_sites,
        max(case when is_visceral then 1 else 0 end) as any_visceral,
        max(case when is_visceral is null then 1 else 0 end) as any_unmapped
    from sites_distinct
    group by study_id, patient_id
),

staged as (
    select
        inputs.*,
        case
            when inputs.stage in ('IV', 'IVA', 'IVB', 'IVC') then 'IV'
            when inputs.stage in ('III', 'IIIA', 'IIIB', 'IIIC') then 'III'
            when inputs.stage in ('II', 'IIA', 'IIB', 'IIC') then 'II'
            when inputs.stage in ('I', 'IA', 'IB', 'IC') then 'I'
            when inputs.stage = '0' then '0'
            else 'unknown'
        end as stage_group,
        {{ regexp_group('inputs.tnm_stage', 'M(0|1|X)', 1) }} as tnm_m
    from inputs
)

select
    staged.study_id,
    staged.patient_id,
    staged.stage,
    staged.stage_group,
    'ajcc_stage_group_v1' as stage_rule_id,
    case
        when {{ regexp_like('staged.m_stage', '^C?M1') }} then 'M1'
        when {{ regexp_like('staged.m_stage', '^C?M0') }} then 'M0'
        when staged.m_stage = 'MX' then 'MX'
        when staged.tnm_m is not null then 'M' || staged.tnm_m
        when staged.stage_group = 'IV' then 'M1'
        else 'unknown'
    end as m_stage_initial,
    case
        when {{ regexp_like('staged.m_stage', '^(C?M[01]|MX)') }} then 'm_stage_given'
        when staged.tnm_m is not null then 'tnm_string'
        when staged.stage_group = 'IV' then 'stage_iv_implies_m1'
        else 'not_given'
    end as m_stage_rule_id,
    staged.metastatic_sites_text,
    sites_per_patient.metastatic_sites,
    coalesce(sites_per_patient.n_metastatic_sites, 0) as n_metastatic_sites,
    case
        when sites_per_patient.any_visceral = 1 then true
        when sites_per_patient.any_unmapped = 0 then false
    end as has_visceral_metastasis,
    case
        when sites_per_patient.any_visceral = 1 then 'visceral'
        when sites_per_patient.any_unmapped = 0 then 'non_visceral_only'
        when sites_per_patient.patient_id is not null then 'unmapped_sites'
        else 'no_sites_given'
    end as metastasis_pattern,
    'metastatic_sites_seed_v1' as metastatic_sites_rule_id,
    staged.age_years,
    case
        when staged.age_years is null then 'unknown'
        when staged.age_years < 40 then '<40'
        when staged.age_years < 50 then '40-49'
        when staged.age_years < 60 then '50-59'
        when staged.age_years < 70 then '60-69'
        else '>=70'
    end as age_group,
    'age_decades_40_70_v1' as age_group_rule_id
from staged
left join sites_per_patient
    on sites_per_patient.study_id = staged.study_id
    and sites_per_patient.patient_id = staged.patient_id
