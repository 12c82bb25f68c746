-- Surrogate intrinsic subtypes by the St. Gallen 2013 consensus (Goldhirsch et al., Ann Oncol
-- 2013;24:2206) as zhang2022 applied them: HR+/HER2- split into Luminal A-like and Luminal B-like
-- (HER2-) by Ki-67 at the cut-off (default 14 %; Ki-67 >= cut-off is high), HR+/HER2+ Luminal B-like
-- (HER2+), HR-/HER2+ HER2-enriched (non-luminal), HR-/HER2- triple-negative. HER2-low and HER2-zero
-- count as HER2-negative. The cut-off comes from the study's oncoduck_study.yml
-- `thresholds: {ki67_cutoff_percent: N}`, else var('ki67_cutoff_percent'). St. Gallen's PR criterion (Luminal
-- A-like needs PR "high", >= 20 % of nuclei, Prat et al., J Clin Oncol 2013;31:203; PR below it is Luminal
-- B-like) applies only where the study declares its cut-off, `thresholds: {luminal_a_pr_min_percent: 20}`
-- (rule st_gallen_2013_ki67_pr_v1). Without it the split is by Ki-67 alone, as zhang2022 applied it (rule
-- st_gallen_2013_zhang2022_v1). Without a PR percent, TCGA's decile category (PR_PERCENT_RANGE, '10-19%')
-- decides where the whole range lies on one side of the cut-off; a PR given as a status alone is below any
-- cut-off when negative; positive, it decides nothing, and an HR+/HER2- tumour with low Ki-67 is then
-- luminal_her2_negative_pr_unknown (pr_group_source says which input decided). Separately, Ki-67 in the three
-- levels of the International Ki67 in Breast Cancer Working Group (Nielsen et al., JNCI 2021;113:808; rule
-- ikwg_2021_ki67_v1): low at or below 5 %, high at or above 30 %, intermediate between (the range the IKWG
-- calls uncertain, so never counted as low or high).
-- Separately, the intrinsic (gene-expression) subtype as the study reports it, never inferred from IHC
-- (rule pam50_claudin_low_given_v1): the PAM50 call (Parker et al., J Clin Oncol 2009;27:1160: LumA, LumB,
-- Her2, Basal, Normal) or claudin-low (Prat et al., Breast Cancer Res 2010;12:R68; METABRIC's
-- CLAUDIN_SUBTYPE), from PAM50_SUBTYPE (PAM50, CLAUDIN_SUBTYPE, PAM50_SUBTYPE ... after the synonym
-- seeds); else SUBTYPE when its value is a PAM50 name in seeds.clinical_value_synonyms (cBioPortal's
-- TCGA PanCancer 'BRCA_LumA', study_es_0's 'Luminal A'); a SUBTYPE such as 'HR+/HER2-' is not PAM50.
with inputs as (
    select study_id, patient_id, ki67_percent, pam50_subtype, subtype_given from {{ ref('int_patients_clinical_inputs') }}
),

pam50_vocabulary as (
    select lower(trim(raw_value)) as raw_value, canonical_value
    from {{ ref('clinical_value_synonyms') }}
    where attribute = 'PAM50_SUBTYPE'
),

intrinsic as (
    select
        inputs.study_id,
        inputs.patient_id,
        case
            when inputs.pam50_subtype is not null then inputs.pam50_subtype
            else subtype_as_pam50.canonical_value
        end as pam50_call,
        case
            when inputs.pam50_subtype is not null then 'pam50_attribute'
            when subtype_as_pam50.canonical_value is not null then 'subtype_attribute'
            else 'not_given'
        end as intrinsic_subtype_source
    from inputs
    left join pam50_vocabulary as subtype_as_pam50
        on subtype_as_pam50.raw_value = lower(trim(inputs.subtype_given))
),

her2 as (
    select study_id, patient_id, her2_status from {{ ref('int_patients_her2_classified') }}
),

receptors as (
    select study_id, patient_id, hr_status, pr_status, pr_percent, pr_percent_range, pr_percent_at_least, pr_percent_below
    from {{ ref('int_patients_receptors_classified') }}
),

study_thresholds as (
    select
        study_id,
        max(case when setting = 'thresholds.ki67_cutoff_percent' then try_cast(value as double) end) as ki67_cutoff_percent,
        max(case when setting = 'thresholds.luminal_a_pr_min_percent' then try_cast(value as double) end)
            as luminal_a_pr_min_percent
    from {{ ref('stg_study__study_settings') }}
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
        coalesce(study_thresholds.ki67_cutoff_percent, {{ var('ki67_cutoff_percent') }}) as ki67_cutoff_percent,
        case when study_thresholds.ki67_cutoff_percent is not null then 'study_setting' else 'project_var' end as ki67_cutoff_source,
        study_thresholds.luminal_a_pr_min_percent,
        receptors.pr_percent,
        receptors.pr_percent_at_least,
        case
            when study_thresholds.luminal_a_pr_min_percent is null then null
            when receptors.pr_percent is not null then 'percent'
            when receptors.pr_percent_at_least >= study_thresholds.luminal_a_pr_min_percent
                 or receptors.pr_percent_below <= study_thresholds.luminal_a_pr_min_percent then 'percent_range'
            when receptors.pr_status = 'negative' then 'status'
        end as pr_group_source
    from inputs
    left join her2 on her2.study_id = inputs.study_id and her2.patient_id = inputs.patient_id
    left join receptors on receptors.study_id = inputs.study_id and receptors.patient_id = inputs.patient_id
    left join study_thresholds on study_thresholds.study_id = inputs.study_id
),

-- pr_group read off the input pr_group_source names
pr_grouped as (
    select
        joined.*,
        case pr_group_source
            when 'percent' then case when pr_percent >= luminal_a_pr_min_percent then 'high' else 'low' end
            when 'percent_range' then case when pr_percent_at_least >= luminal_a_pr_min_percent then 'high' else 'low' end
            when 'status' then 'low'
            else case when luminal_a_pr_min_percent is null then 'not_applied' else 'unknown' end
        end as pr_group
    from joined
)

select
    pr_grouped.study_id,
    pr_grouped.patient_id,
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
        when ki67_percent >= {{ rule_parameter('ikwg_2021_ki67_v1', 'high_min_percent') }} then 'high'
        when ki67_percent <= {{ rule_parameter('ikwg_2021_ki67_v1', 'low_max_percent') }} then 'low'
        else 'intermediate'
    end as ki67_group_ikwg,
    'ki67_ge_cutoff_high_v1' as ki67_rule_id,
    'ikwg_2021_ki67_v1' as ki67_group_ikwg_rule_id,
    case
        when her2_status = 'positive' and hr_status = 'positive' then 'luminal_b_like_her2_positive'
        when her2_status = 'positive' and hr_status = 'negative' then 'her2_enriched'
        when her2_status = 'negative' and hr_status = 'negative' then 'triple_negative'
        when her2_status = 'negative' and hr_status = 'positive' and ki67_percent >= ki67_cutoff_percent then 'luminal_b_like_her2_negative'
        when her2_status = 'negative' and hr_status = 'positive' and pr_group = 'low' then 'luminal_b_like_her2_negative'
        when her2_status = 'negative' and hr_status = 'positive' and ki67_percent is null then 'luminal_her2_negative_ki67_unknown'
        when her2_status = 'negative' and hr_status = 'positive' and pr_group = 'unknown' then 'luminal_her2_negative_pr_unknown'
        when her2_status = 'negative' and hr_status = 'positive' then 'luminal_a_like'
        else 'unclassifiable'
    end as subtype,
    luminal_a_pr_min_percent,
    pr_group,
    pr_group_source,
    case when luminal_a_pr_min_percent is null then 'st_gallen_2013_zhang2022_v1' else 'st_gallen_2013_ki67_pr_v1' end
        as subtype_rule_id,
    case intrinsic.pam50_call
        when 'LumA' then 'luminal_a'
        when 'LumB' then 'luminal_b'
        when 'Her2' then 'her2_enriched'
        when 'Basal' then 'basal_like'
        when 'Normal' then 'normal_like'
        when 'Claudin-low' then 'claudin_low'
        when 'NC' then 'not_classified'
        else 'unknown'
    end as intrinsic_subtype,
    case
        when intrinsic.pam50_call in ('LumA', 'LumB', 'Her2', 'Basal', 'Normal', 'Claudin-low', 'NC')
            then intrinsic.intrinsic_subtype_source
        when intrinsic.pam50_call is not null then 'unmapped_value'
        else 'not_given'
    end as intrinsic_subtype_source,
    'pam50_claudin_low_given_v1' as intrinsic_subtype_rule_id
from pr_grouped
left join intrinsic on intrinsic.study_id = pr_grouped.study_id and intrinsic.patient_id = pr_grouped.patient_id
