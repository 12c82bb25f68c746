-- Treatment response per patient.
--   RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228): objective response = best overall response
--     CR or PR; disease control = CR, PR or SD. NE (not evaluable) counts as neither (intention-to-treat);
--     no best response -> null.
--   pCR: RCB-0 (Symmans et al., J Clin Oncol 2007;25:4414), else ypT0/ypTis with ypN0, else the study's
--     PCR attribute; 'not_applicable' when the patient had no neoadjuvant therapy. RCB class from the RCB
--     index when no class is given (0 -> RCB-0, <= 1.36 -> RCB-I, <= 3.28 -> RCB-II, > 3.28 -> RCB-III).
--   lim2021 (configurable): extreme responder = CR, or PR with PFS >= multiple x historical median PFS
--     (defaults 2 x 6 months; study `thresholds: {lim2021_historical_pfs_months, lim2021_durable_multiple}`
--     or vars of the same names); non-responder = PD as best response (tumour shrinkage is not an input, so
--     "no shrinkage" is read as PD); otherwise 'intermediate', or 'not_evaluable' without a best response.
--     A study's own RESPONSE_GROUP wins in response_group; the rule's label is kept beside it.
--   ANTI_HER2_CYCLES given as a missing token (e.g. 'NA') is 'not_applicable' for HER2-non-positive
--   patients and 'missing' for HER2-positive ones; the patient is kept either way.
with inputs as (
    select
        study_id,
        patient_id,
        best_response,
        response_group_given,
        response_duration_months,
        pfs_months,
        pcr_given,
        rcb_class_given,
        rcb_score,
        ypt,
        ypn,
        neoadjuvant,
        anti_her2_cycles,
        anti_her2_cycles_raw
    from {{ ref('int_patients_clinical_inputs') }}
),

her2 as (
    select study_id, patient_id, her2_status from {{ ref('int_patients_her2_classified') }}
),

study_thresholds as (
    select
        study_id,
        max(case when setting = 'thresholds.lim2021_historical_pfs_months' then try_cast(value as double) end) as historical_pfs_months,
        max(case when setting = 'thresholds.lim2021_durable_multiple' then try_cast(value as double) end) as durable_multiple
    from {{ ref('stg_study__study_settings') }}
    where source = 'oncoduck_study.yml'
    group by study_id
),

joined as (
    select
        inputs.*,
        her2.her2_status,
        case when inputs.best_response in ('CR', 'PR', 'SD', 'PD', 'NE') then inputs.best_response end as best_response_valid,
        case
            when inputs.rcb_class_given in ('RCB-0', 'RCB-I', 'RCB-II', 'RCB-III') then inputs.rcb_class_given
            when inputs.rcb_score = 0 then 'RCB-0'
            when inputs.rcb_score > 0 and inputs.rcb_score <= {{ rule_parameter('symmans_2007_rcb_v1', 'rcb_i_max') }} then 'RCB-I'
            when inputs.rcb_score > {{ rule_parameter('symmans_2007_rcb_v1', 'rcb_i_max') }} and inputs.rcb_score <= {{ rule_parameter('symmans_2007_rcb_v1', 'rcb_ii_max') }} then 'RCB-II'
            when inputs.rcb_score > {{ rule_parameter('symmans_2007_rcb_v1', 'rcb_ii_max') }} then 'RCB-III'
        end as rcb_class,
        case
            when inputs.rcb_class_given in ('RCB-0', 'RCB-I', 'RCB-II', 'RCB-III') then 'rcb_class_given'
            when inputs.rcb_score >= 0 then 'rcb_score'
            else 'not_given'
        end as rcb_class_source,
        -- residual invasive disease in the breast (ypT1-4) or the nodes (ypN1-3) is no pCR; ypT0/is with ypN0 is
        -- pCR (a note after the stage, 'ypTis (DCIS)', is allowed); anything else (ypTX, ypNX, a stage not
        -- read) gives no verdict here, and the PCR attribute, when given, decides
        case
            when inputs.ypt is null or inputs.ypn is null then null
            when {{ regexp_like('inputs.ypt', '^(YP)?T[1-4]') }} or {{ regexp_like('inputs.ypn', '^(YP)?N[1-3]') }} then 'No'
            when {{ regexp_like('inputs.ypt', '^(YP)?T(0|IS)([^0-9A-Z]|$)') }} and {{ regexp_like('inputs.ypn', '^(YP)?N0') }} then 'Yes'
        end as pcr_from_ypt_ypn,
        coalesce(study_thresholds.historical_pfs_months, {{ var('lim2021_historical_pfs_months') }}) as historical_pfs_months,
        coalesce(study_thresholds.durable_multiple, {{ var('lim2021_durable_multiple') }}) as durable_multiple
    from inputs
    left join her2 on her2.study_id = inputs.study_id and her2.patient_id = inputs.patient_id
    left join study_thresholds on study_thresholds.study_id = inputs.study_id
),

classified as (
    select
        joined.*,
        case
            when rcb_class = 'RCB-0' then 'Yes'
            when rcb_class is not null then 'No'
            when pcr_from_ypt_ypn is not null then pcr_from_ypt_ypn
            when pcr_given in ('Yes', 'No') then pcr_given
            when neoadjuvant = 'No' then 'not_applicable'
            else 'unknown'
        end as pcr,
        case
            when rcb_class is not null then 'rcb_class'
            when pcr_from_ypt_ypn is not null then 'ypt_ypn'
            when pcr_given in ('Yes', 'No') then 'pcr_attribute'
            when neoadjuvant = 'No' then 'no_neoadjuvant_therapy'
            else 'not_given'
        end as pcr_source,
        case
            when best_response_valid = 'CR' then 'extreme_responder'
            when best_response_valid = 'PR' and pfs_months >= durable_multiple * historical_pfs_months then 'extreme_responder'
            when best_response_valid = 'PD' then 'non_responder'
            when best_response_valid is null or best_response_valid = 'NE' then 'not_evaluable'
            else 'intermediate'
        end as response_group_lim2021
    from joined
)

select
    study_id,
    patient_id,
    best_response_valid as best_response,
    case when best_response_valid is not null then best_response_valid in ('CR', 'PR') end as is_objective_response,
    case when best_response_valid is not null then best_response_valid in ('CR', 'PR', 'SD') end as is_disease_control,
    'recist_1_1_v1' as recist_rule_id,
    neoadjuvant,
    pcr,
    pcr_source,
    coalesce(pcr_given in ('Yes', 'No') and pcr in ('Yes', 'No') and pcr_given <> pcr, false) as pcr_disagrees_with_given,
    rcb_class,
    rcb_class_source,
    rcb_score,
    'symmans_2007_rcb_v1' as pcr_rule_id,
    response_duration_months,
    pfs_months,
    historical_pfs_months,
    durable_multiple,
    response_group_lim2021,
    case response_group_given
        when 'Extreme responder' then 'extreme_responder'
        when 'Non-responder' then 'non_responder'
    end as response_group_given,
    coalesce(
        case response_group_given when 'Extreme responder' then 'extreme_responder' when 'Non-responder' then 'non_responder' end,
        response_group_lim2021
    ) as response_group,
    case when response_group_given in ('Extreme responder', 'Non-responder') then 'study_attribute' else 'lim2021_rule' end as response_group_source,
    'lim2021_cr_or_durable_pr_v1' as response_group_rule_id,
    anti_her2_cycles,
    case
        when anti_her2_cycles is not null then 'given'
        when her2_status = 'positive' then 'missing'
        when anti_her2_cycles_raw is not null or her2_status in ('negative', 'equivocal') then 'not_applicable'
        else 'missing'
    end as anti_her2_cycles_status
from classified
