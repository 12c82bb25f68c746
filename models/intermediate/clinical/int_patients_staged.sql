-- Disease extent and age per patient: AJCC stage group, initial M category, metastatic sites with a
-- visceral flag, and age group, each with the rule that made it.
--   stage: the canonical STAGE as given (Roman or Arabic numerals, 'Stage IIA', AJCC pathologic stage
--     strings, via seeds.clinical_value_synonyms). When none is given, or the STAGE column holds a TNM string
--     such as 'T2N1M0', it is derived from T, N and M (T_STAGE / N_STAGE / M_STAGE, else the combined TNM
--     string) by the AJCC 8th edition anatomic stage groups for breast cancer (Giuliano et al., CA Cancer J
--     Clin 2017;67:290, Table 4; the same groups as AJCC 7th): M1 -> IV; N3 -> IIIC; T4 -> IIIB; N2 -> IIIA;
--     T3 N1 -> IIIA; T3 N0, T2 N1 -> IIB; T2 N0, T0-1 N1 -> IIA; T0-1 N1mi -> IB; T1 N0 -> IA; Tis N0 -> 0;
--     TX or NX where it matters -> X. MX or no M reads as M0 (AJCC: MX is not a category; no evidence of
--     distant metastasis is cM0). Only for breast studies (meta_study type_of_cancer brca, CANCER_TYPE_ACRONYM
--     BRCA or a CANCER_TYPE naming breast): other cancers have other tables. stage_source says which applied.
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
        t_stage,
        n_stage,
        m_stage,
        tnm_stage,
        cancer_type,
        cancer_type_acronym,
        metastatic_sites_text
    from {{ ref('int_patients_clinical_inputs') }}
),

study_cancer_types as (
    select study_id, max(lower(trim(value))) as type_of_cancer
    from {{ ref('stg_study__study_settings') }}
    where source = 'meta_study.txt' and setting = 'type_of_cancer'
    group by study_id
),

tnm_text as (
    select
        inputs.*,
        inputs.stage in ('0', 'I', 'IA', 'IB', 'IC', 'II', 'IIA', 'IIB', 'IIC', 'III', 'IIIA', 'IIIB', 'IIIC',
                         'IV', 'IVA', 'IVB', 'IVC', 'X') as stage_is_canonical,
        -- a combined TNM string: TNM_STAGE, or a STAGE value written as one (upper-cased, spaces removed)
        replace(upper(coalesce(
            inputs.tnm_stage,
            case when {{ regexp_like("upper(inputs.stage)", '^(Y|YP|P|C)?T(IS|[0-4]|X)') }} then inputs.stage end
        )), ' ', '') as tnm_combined,
        coalesce(lower(study_cancer_types.type_of_cancer) in ('brca', 'breast'), false)
            or coalesce(inputs.cancer_type_acronym = 'BRCA', false)
            or coalesce(lower(inputs.cancer_type) like '%breast%', false) as is_breast
    from inputs
    left join study_cancer_types on study_cancer_types.study_id = inputs.study_id
),

tnm_codes as (
    select
        tnm_text.*,
        coalesce({{ regexp_group("replace(tnm_text.t_stage, ' ', '')", 'T(IS|[0-4]|X)', 1) }},
                 {{ regexp_group('tnm_text.tnm_combined', 'T(IS|[0-4]|X)', 1) }}) as t_code,
        coalesce({{ regexp_group("replace(tnm_text.n_stage, ' ', '')", 'N([0-3]|X)', 1) }},
                 {{ regexp_group('tnm_text.tnm_combined', 'N([0-3]|X)', 1) }}) as n_code,
        coalesce({{ regexp_like("replace(tnm_text.n_stage, ' ', '')", 'N1(MI|\\(MI\\))') }},
                 {{ regexp_like('tnm_text.tnm_combined', 'N1(MI|\\(MI\\))') }}, false) as n_micrometastasis,
        case
            when {{ regexp_like('tnm_text.m_stage', '^C?M1') }} then '1'
            when {{ regexp_like('tnm_text.m_stage', '^C?M0') }} then '0'
            else {{ regexp_group('tnm_text.tnm_combined', 'M(0|1)', 1) }}
        end as m_code
    from tnm_text
),

tnm_staged as (
    select
        tnm_codes.*,
        case
            when not is_breast then null
            when m_code = '1' then 'IV'
            when t_code is null or n_code is null then null
            when n_code = '3' then 'IIIC'
            when t_code = 'X' or n_code = 'X' then 'X'
            when t_code = '4' then 'IIIB'
            when n_code = '2' then 'IIIA'
            when t_code = '3' and n_code = '1' then 'IIIA'
            when t_code = '3' and n_code = '0' then 'IIB'
            when t_code = '2' and n_code = '1' then 'IIB'
            when t_code = '2' and n_code = '0' then 'IIA'
            when t_code in ('0', '1') and n_code = '1' and n_micrometastasis then 'IB'
            when t_code in ('0', '1') and n_code = '1' then 'IIA'
            when t_code = '1' and n_code = '0' then 'IA'
            when t_code = 'IS' and n_code = '0' then '0'
        end as stage_from_tnm
    from tnm_codes
),

resolved_stage as (
    select
        tnm_staged.*,
        case
            when stage_is_canonical then stage
            when stage_from_tnm is not null then stage_from_tnm
            else stage
        end as stage_resolved,
        case
            when stage_is_canonical then 'stage_given'
            when stage_from_tnm is not null then 'tnm_ajcc8_breast_anatomic'
            when stage is not null and tnm_combined is null then 'stage_given'
            when t_code is not null or n_code is not null or m_code is not null or tnm_combined is not null then 'tnm_not_derived'
            else 'not_given'
        end as stage_source
    from tnm_staged
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
        resolved_stage.*,
        case
            when stage_resolved in ('IV', 'IVA', 'IVB', 'IVC') then 'IV'
            when stage_resolved in ('III', 'IIIA', 'IIIB', 'IIIC') then 'III'
            when stage_resolved in ('II', 'IIA', 'IIB', 'IIC') then 'II'
            when stage_resolved in ('I', 'IA', 'IB', 'IC') then 'I'
            when stage_resolved = '0' then '0'
            else 'unknown'
        end as stage_group,
        {{ regexp_group('resolved_stage.tnm_combined', 'M(0|1|X)', 1) }} as tnm_m
    from resolved_stage
)

select
    staged.study_id,
    staged.patient_id,
    staged.stage_resolved as stage,
    staged.stage_source,
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
        {%- set boundary = [] %}
        {%- for i in range(1, 5) %}{% do boundary.append("cast(" ~ rule_parameter('age_decades_40_70_v1', 'age_boundary_' ~ i) ~ " as integer)") %}{% endfor %}
        when staged.age_years < {{ boundary[0] }} then '<' || cast({{ boundary[0] }} as {{ dbt.type_string() }})
        {%- for i in range(3) %}
        when staged.age_years < {{ boundary[i + 1] }}
            then cast({{ boundary[i] }} as {{ dbt.type_string() }}) || '-' || cast({{ boundary[i + 1] }} - 1 as {{ dbt.type_string() }})
        {%- endfor %}
        else '>=' || cast({{ boundary[3] }} as {{ dbt.type_string() }})
    end as age_group,
    'age_decades_40_70_v1' as age_group_rule_id
from staged
left join sites_per_patient
    on sites_per_patient.study_id = staged.study_id
    and sites_per_patient.patient_id = staged.patient_id
