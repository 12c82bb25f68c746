-- HER2 category per patient by the ASCO/CAP 2018 HER2 testing guideline (Wolff et al., J Clin Oncol 2018;
-- 36:2105), with the HER2-low / HER2-zero split of the HER2-low literature (IHC 1+, or IHC 2+ with
-- negative ISH) and HER2-ultralow (IHC 0 with faint staining in <= 10 % of cells; DESTINY-Breast06)
-- when the input reports it. Every branch of the rule is named in her2_rule_branch.
--   IHC level: the IHC score; without a score, the reported IHC status (Positive = 3+, Equivocal = 2+,
--     Negative = "0 or 1+", Indeterminate), from the status column or written in the score column, as
--     cBioPortal's IHC_HER2 does (Positive / Negative / Equivocal / Indeterminate; her2_ihc_basis
--     'status_in_score_column').
--   ISH result: the reported ISH status; without one, from the numbers: dual-probe groups 1-5 when ratio and
--     mean HER2 copies are both given (group 1 positive, 5 negative; 2 and 4 positive only with IHC 3+;
--     3 positive with IHC 2+/3+; 2-4 without any IHC are equivocal), or single-probe copies alone (>= 6
--     positive, < 4 negative, else equivocal). A ratio without the mean copies places the result in no group:
--     >= 2.0 is group 1 (positive) or 2 (negative but with IHC 3+), < 2.0 group 3 (positive with IHC 2+/3+),
--     4 or 5. It decides only where every group it allows gives one answer: negative with IHC 0 / 1+ and a
--     ratio < 2.0 (IHC 3+ is positive by IHC alone). Otherwise the ISH result is 'Undetermined' and the
--     category equivocal (branch ish_ratio_without_copies; the warn test her2_ratio_without_copies_listed
--     lists them): the guideline does not let a ratio alone decide, as the 2013 edition's ratio >= 2.0 did.
--   A reported ISH status that contradicts the ISH group of its own numbers is 'conflicting', not guessed:
--     Positive or Negative against the group's verdict, or Equivocal against group 1 or 5.
--   Only when neither IHC nor ISH gives anything: a HER2 status reported without its method (HER2_STATUS,
--     e.g. METABRIC's HER2_STATUS; '+' / 'POS' / 'Negative' ...) gives positive, negative_unspecified or
--     equivocal. It never counts as an IHC level, so it can never make a patient HER2-low or HER2-zero.
--   ERBB2 copy number from a genomic assay (HER2_COPY_NUMBER_CALL, e.g. METABRIC HER2_SNP6 GAIN/LOSS) is
--     not an ISH result and is not read here at all (ASCO/CAP 2018 defines HER2 status by IHC and ISH).
with inputs as (
    select
        study_id,
        patient_id,
        her2_ihc_score,
        her2_ihc_status,
        coalesce(
            her2_ihc_status,
            case when her2_ihc_score in ('Positive', 'Negative', 'Equivocal', 'Indeterminate') then her2_ihc_score end
        ) as ihc_status,
        her2_ihc_ultralow,
        her2_ish_status,
        her2_ish_ratio,
        her2_ish_copies,
        her2_status_reported
    from {{ ref('int_patients_clinical_inputs') }}
),

ihc as (
    select
        inputs.*,
        case
            when her2_ihc_score in ('0', '1+', '2+', '3+') then her2_ihc_score
            when ihc_status = 'Positive' then '3+'
            when ihc_status = 'Equivocal' then '2+'
            when ihc_status = 'Negative' then '0_or_1+'
        end as ihc_level,
        case
            when her2_ihc_score in ('0', '1+', '2+', '3+') then 'score'
            when her2_ihc_status in ('Positive', 'Equivocal', 'Negative') then 'status'
            when ihc_status in ('Positive', 'Equivocal', 'Negative') then 'status_in_score_column'
        end as ihc_basis,
        case
            when her2_ish_ratio is not null and her2_ish_copies is not null then
                case
                    when her2_ish_ratio >= {{ rule_parameter('asco_cap_2018_v1', 'ish_ratio_amplified') }} and her2_ish_copies >= {{ rule_parameter('asco_cap_2018_v1', 'ish_copies_low') }} then 1
                    when her2_ish_ratio >= {{ rule_parameter('asco_cap_2018_v1', 'ish_ratio_amplified') }} then 2
                    when her2_ish_copies >= {{ rule_parameter('asco_cap_2018_v1', 'ish_copies_high') }} then 3
                    when her2_ish_copies >= {{ rule_parameter('asco_cap_2018_v1', 'ish_copies_low') }} then 4
                    else 5
                end
        end as ish_group
    from inputs
),

ish as (
    select
        ihc.*,
        case
            when ish_group = 1 then 'Positive'
            when ish_group = 5 then 'Negative'
            when ish_group = 2 then case when ihc_level = '3+' then 'Positive' when ihc_level is not null then 'Negative' else 'Equivocal' end
            when ish_group = 3 then case when ihc_level in ('2+', '3+') then 'Positive' when ihc_level is not null then 'Negative' else 'Equivocal' end
            when ish_group = 4 then case when ihc_level = '3+' then 'Positive' when ihc_level is not null then 'Negative' else 'Equivocal' end
            -- a ratio without copies: groups 1-2 (>= 2.0) or 3-5 (< 2.0); one answer only for < 2.0 with IHC 0 / 1+
            when her2_ish_ratio is not null then
                case when her2_ish_ratio < {{ rule_parameter('asco_cap_2018_v1', 'ish_ratio_amplified') }} and ihc_level in ('0', '1+', '0_or_1+') then 'Negative'
                     else 'Undetermined' end
            when her2_ish_copies is not null then
                case when her2_ish_copies >= {{ rule_parameter('asco_cap_2018_v1', 'ish_copies_high') }} then 'Positive' when her2_ish_copies < {{ rule_parameter('asco_cap_2018_v1', 'ish_copies_low') }} then 'Negative'
                     else 'Equivocal' end
        end as ish_derived,
        case
            when ish_group is not null then 'group'
            when her2_ish_ratio is not null then 'ratio_only'
            when her2_ish_copies is not null then 'copies_only'
        end as ish_derived_basis,
        case when her2_ish_status in ('Positive', 'Negative', 'Equivocal', 'Indeterminate') then her2_ish_status end as ish_reported
    from ihc
),

resolved as (
    select
        ish.*,
        coalesce(ish_reported, ish_derived) as ish_result,
        case when ish_reported is not null then 'reported_status' else ish_derived_basis end as ish_basis,
        coalesce(
            (ish_reported in ('Positive', 'Negative') and ish_group is not null
             and ish_derived in ('Positive', 'Negative') and ish_derived <> ish_reported)
            -- an 'Equivocal' ISH where the numbers are group 1 (positive) or 5 (negative), which no edition of
            -- the guideline calls equivocal (2013: ratio >= 2.0 positive; ratio < 2.0 with < 4 copies negative)
            or (ish_reported = 'Equivocal' and ish_group in (1, 5)),
            false
        ) as ish_conflict
    from ish
),

classified as (
    select
        resolved.*,
        case
            when ihc_level = '3+' then 'ihc_3plus'
            when ish_conflict then 'ish_status_contradicts_ish_group'
            when ish_result = 'Undetermined' then 'ish_ratio_without_copies'
            when ish_result = 'Positive' and ihc_level = '2+' then 'ihc_2plus_ish_positive'
            when ish_result = 'Positive' and ihc_level is not null then 'ish_positive_with_ihc_0_or_1plus'
            when ish_result = 'Positive' then 'ish_positive_without_ihc'
            when ihc_level = '2+' and ish_result = 'Negative' then 'ihc_2plus_ish_negative'
            when ihc_level = '2+' and ish_result = 'Equivocal' then 'ihc_2plus_ish_equivocal'
            when ihc_level = '2+' and ish_result = 'Indeterminate' then 'ihc_2plus_ish_indeterminate'
            when ihc_level = '2+' then 'ihc_2plus_ish_missing'
            when ihc_level = '1+' then 'ihc_1plus'
            when ihc_level = '0' then 'ihc_0'
            when ihc_level = '0_or_1+' then 'ihc_negative_without_score'
            when ish_result = 'Negative' then 'ish_negative_without_ihc'
            when ish_result = 'Equivocal' then 'ish_equivocal_without_ihc'
            when ish_result = 'Indeterminate' or ihc_status = 'Indeterminate' then 'indeterminate_test'
            when her2_ihc_score is not null or her2_ihc_status is not null or her2_ish_status is not null then 'unmapped_value'
            when her2_status_reported = 'Positive' then 'reported_status_positive_method_unstated'
            when her2_status_reported = 'Negative' then 'reported_status_negative_method_unstated'
            when her2_status_reported = 'Equivocal' then 'reported_status_equivocal_method_unstated'
            when her2_status_reported = 'Indeterminate' then 'indeterminate_test'
            when her2_status_reported is not null then 'unmapped_value'
            else 'no_her2_data'
        end as her2_rule_branch
    from resolved
)

select
    study_id,
    patient_id,
    her2_ihc_score,
    her2_ihc_status,
    ihc_level as her2_ihc_level,
    ihc_basis as her2_ihc_basis,
    her2_ish_status,
    her2_ish_ratio,
    her2_ish_copies,
    ish_group as her2_ish_group,
    ish_result as her2_ish_result,
    ish_basis as her2_ish_basis,
    ish_conflict as her2_ish_conflict,
    her2_status_reported,
    case
        when her2_rule_branch in ('ihc_3plus', 'ihc_2plus_ish_positive', 'ish_positive_with_ihc_0_or_1plus', 'ish_positive_without_ihc',
                                  'reported_status_positive_method_unstated') then 'positive'
        when her2_rule_branch in ('ihc_2plus_ish_negative', 'ihc_1plus') then 'low'
        when her2_rule_branch = 'ihc_0' then 'zero'
        when her2_rule_branch in ('ihc_2plus_ish_equivocal', 'ihc_2plus_ish_indeterminate', 'ihc_2plus_ish_missing', 'ish_equivocal_without_ihc',
                                  'ish_ratio_without_copies', 'reported_status_equivocal_method_unstated') then 'equivocal'
        when her2_rule_branch = 'ish_status_contradicts_ish_group' then 'conflicting'
        when her2_rule_branch in ('ihc_negative_without_score', 'ish_negative_without_ihc', 'reported_status_negative_method_unstated') then 'negative_unspecified'
        when her2_rule_branch = 'indeterminate_test' then 'indeterminate'
        else 'unknown'
    end as her2_category,
    case
        when her2_rule_branch = 'ihc_0' and her2_ihc_ultralow = 'true' then 'zero_ultralow'
        when her2_rule_branch = 'ihc_0' and her2_ihc_ultralow = 'false' then 'zero_null'
        when her2_rule_branch = 'ihc_0' then 'zero_unspecified'
        when her2_rule_branch in ('ihc_3plus', 'ihc_2plus_ish_positive', 'ish_positive_with_ihc_0_or_1plus', 'ish_positive_without_ihc',
                                  'reported_status_positive_method_unstated') then 'positive'
        when her2_rule_branch in ('ihc_2plus_ish_negative', 'ihc_1plus') then 'low'
        when her2_rule_branch in ('ihc_2plus_ish_equivocal', 'ihc_2plus_ish_indeterminate', 'ihc_2plus_ish_missing', 'ish_equivocal_without_ihc',
                                  'ish_ratio_without_copies', 'reported_status_equivocal_method_unstated') then 'equivocal'
        when her2_rule_branch = 'ish_status_contradicts_ish_group' then 'conflicting'
        when her2_rule_branch in ('ihc_negative_without_score', 'ish_negative_without_ihc', 'reported_status_negative_method_unstated') then 'negative_unspecified'
        when her2_rule_branch = 'indeterminate_test' then 'indeterminate'
        else 'unknown'
    end as her2_category_detail,
    case
        when her2_rule_branch in ('ihc_3plus', 'ihc_2plus_ish_positive', 'ish_positive_with_ihc_0_or_1plus', 'ish_positive_without_ihc',
                                  'reported_status_positive_method_unstated') then 'positive'
        when her2_rule_branch in ('ihc_2plus_ish_negative', 'ihc_1plus', 'ihc_0', 'ihc_negative_without_score', 'ish_negative_without_ihc',
                                  'reported_status_negative_method_unstated') then 'negative'
        when her2_rule_branch in ('ihc_2plus_ish_equivocal', 'ihc_2plus_ish_indeterminate', 'ihc_2plus_ish_missing', 'ish_equivocal_without_ihc',
                                  'ish_ratio_without_copies', 'reported_status_equivocal_method_unstated') then 'equivocal'
        else 'unknown'
    end as her2_status,
    (her2_rule_branch = 'ish_positive_with_ihc_0_or_1plus')
        or (ihc_level = '3+' and ish_result = 'Negative') as her2_ihc_ish_discordant,
    her2_rule_branch,
    'asco_cap_2018_v1' as her2_rule_id
from classified
