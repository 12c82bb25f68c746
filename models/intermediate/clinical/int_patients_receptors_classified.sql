-- Oestrogen and progesterone receptor status per patient by the ASCO/CAP 2020 ER/PgR guideline
-- (Allison et al., J Clin Oncol 2020;38:1346): positive when >= 1 % of tumour nuclei stain; ER 1-10 %
-- is reported as "ER low positive" (er_low). Source order: percentage of stained nuclei (0-100), then the
-- Allred score (0-8, positive at >= 3; Harvey et al., J Clin Oncol 1999;17:1474), then the reported status
-- text. Hormone-receptor (HR) status: positive when ER or PR is positive, negative when both are negative,
-- unknown otherwise. *_sources_disagree flags a status text that contradicts the number used.
-- Levels (rule patient_value_first_then_primary_sample_v1, from int_clinical_patient_values): each ER/PR
-- input is read from the patient file when the patient file gives it, else from the patient's primary
-- sample (SAMPLE_TYPE Primary or TCGA code 01), else the first sample by id. *_value_level says which level
-- the value behind the status came from; *_patient_sample_disagree flags a patient whose patient-file
-- value is contradicted by a sample-file value (listed by the warn test receptor_level_disagreements_listed).
-- ER_PERCENT_RANGE and PR_PERCENT_RANGE (TCGA's decile categories, '<10%' or 'A-B%') never decide a status (a
-- category below 10 % holds both sides of the 1 % line). Their bounds, *_percent_at_least <= value <
-- *_percent_below, are kept: 'A-B%' holds every value from A to below B + 1 (a recorded 19.5 % is in '10-19%'), so
-- a cut-off inside a decile leaves it undecided. Where no ER percentage is given, the ER range decides er_low when
-- it lies wholly on one side of the ER-low bound: '<10%' with a positive status is ER-low, a range from above 10 %
-- or one with a negative status is not, '10-19%' (10 % is ER-low, 11 % is not) is undecided; er_low_source says
-- which input decided. int_patients_subtyped reads the PR bounds against a declared PR cut-off.
with inputs as (
    select
        study_id,
        patient_id,
        er_status_text,
        er_percent,
        er_allred,
        er_percent_range,
        pr_status_text,
        pr_percent,
        pr_allred,
        pr_percent_range
    from {{ ref('int_patients_clinical_inputs') }}
),

receptor_values as (
    select
        study_id,
        patient_id,
        attribute,
        level,
        sample_id,
        patient_sample_values_disagree
    from {{ ref('int_clinical_patient_values') }}
    where attribute in ('ER_STATUS', 'ER_PERCENT', 'ER_ALLRED', 'PR_STATUS', 'PR_PERCENT', 'PR_ALLRED')
),

levels as (
    select
        study_id,
        patient_id
        {%- for receptor in ['er', 'pr'] %}
        {%- for source, attribute in [('percent', 'PERCENT'), ('allred', 'ALLRED'), ('status_text', 'STATUS')] %},
        max(case when attribute = '{{ receptor | upper }}_{{ attribute }}' then level end) as {{ receptor }}_{{ source }}_level,
        max(case when attribute = '{{ receptor | upper }}_{{ attribute }}' then sample_id end) as {{ receptor }}_{{ source }}_sample_id
        {%- endfor %},
        max(case when attribute in ('{{ receptor | upper }}_STATUS', '{{ receptor | upper }}_PERCENT', '{{ receptor | upper }}_ALLRED')
                      and patient_sample_values_disagree then 1 else 0 end) = 1
            as {{ receptor }}_patient_sample_disagree
        {%- endfor %}
    from receptor_values
    group by study_id, patient_id
),

usable as (
    select
        inputs.*
        {%- for receptor in ['er', 'pr'] %},
        case when {{ receptor }}_percent >= 0 and {{ receptor }}_percent <= 100 then {{ receptor }}_percent end
            as {{ receptor }}_percent_valid,
        case when {{ receptor }}_allred >= 0 and {{ receptor }}_allred <= 8 then {{ receptor }}_allred end
            as {{ receptor }}_allred_valid,
        case
            when {{ regexp_like(receptor ~ '_percent_range', '^<[0-9]+%$') }} then 0
            when {{ regexp_like(receptor ~ '_percent_range', '^[0-9]+-[0-9]+%$') }}
                then cast({{ regexp_group(receptor ~ '_percent_range', '^([0-9]+)-', 1) }} as double)
        end as {{ receptor }}_percent_at_least,
        case
            when {{ regexp_like(receptor ~ '_percent_range', '^<[0-9]+%$') }}
                then cast({{ regexp_group(receptor ~ '_percent_range', '^<([0-9]+)%$', 1) }} as double)
            when {{ regexp_like(receptor ~ '_percent_range', '^[0-9]+-[0-9]+%$') }}
                then cast({{ regexp_group(receptor ~ '_percent_range', '-([0-9]+)%$', 1) }} as double) + 1
        end as {{ receptor }}_percent_below
        {%- endfor %}
    from inputs
),

-- the same rule for ER and PR: percent, else Allred, else the status text
classified as (
    select
        usable.*
        {%- for receptor in ['er', 'pr'] %},
        case
            when {{ receptor }}_percent_valid is not null then
                case when {{ receptor }}_percent_valid >= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'percent_positive') }} then 'positive' else 'negative' end
            when {{ receptor }}_allred_valid is not null then
                case when {{ receptor }}_allred_valid >= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'allred_positive') }} then 'positive' else 'negative' end
            when {{ receptor }}_status_text = 'Positive' then 'positive'
            when {{ receptor }}_status_text = 'Negative' then 'negative'
            when {{ receptor }}_status_text = 'Indeterminate' then 'indeterminate'
            else 'unknown'
        end as {{ receptor }}_status,
        case
            when {{ receptor }}_percent_valid is not null then 'percent'
            when {{ receptor }}_allred_valid is not null then 'allred'
            when {{ receptor }}_status_text in ('Positive', 'Negative', 'Indeterminate') then 'status_text'
            else 'none'
        end as {{ receptor }}_status_source
        {%- endfor %}
    from usable
),

er_low_decided as (
    select
        classified.*,
        case
            when er_percent_valid is not null then 'percent'
            when (er_status = 'positive' and er_percent_below <= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'er_low_percent_max') }})
                 or er_percent_at_least > {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'er_low_percent_max') }}
                 or (er_status = 'negative' and er_percent_below is not null) then 'percent_range'
        end as er_low_source
    from classified
)

select
    classified.study_id,
    classified.patient_id,
    er_status,
    er_status_source,
    er_percent_valid as er_percent,
    er_allred_valid as er_allred,
    er_percent_range,
    er_percent_at_least,
    er_percent_below,
    case er_low_source
        when 'percent' then er_percent_valid >= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'percent_positive') }}
            and er_percent_valid <= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'er_low_percent_max') }}
        when 'percent_range' then er_status = 'positive'
            and er_percent_below <= {{ rule_parameter('asco_cap_2020_er_pr_1pct_v1', 'er_low_percent_max') }}
    end as er_low,
    er_low_source,
    coalesce(er_status_source in ('percent', 'allred') and er_status_text in ('Positive', 'Negative')
             and lower(er_status_text) <> er_status, false) as er_sources_disagree,
    pr_status,
    pr_status_source,
    pr_percent_valid as pr_percent,
    pr_allred_valid as pr_allred,
    pr_percent_range,
    pr_percent_at_least,
    pr_percent_below,
    coalesce(pr_status_source in ('percent', 'allred') and pr_status_text in ('Positive', 'Negative')
             and lower(pr_status_text) <> pr_status, false) as pr_sources_disagree,
    case
        when er_status = 'positive' or pr_status = 'positive' then 'positive'
        when er_status = 'negative' and pr_status = 'negative' then 'negative'
        else 'unknown'
    end as hr_status,
    'asco_cap_2020_er_pr_1pct_v1' as receptor_rule_id
    {%- for receptor in ['er', 'pr'] %},
    case classified.{{ receptor }}_status_source
        {%- for source in ['percent', 'allred', 'status_text'] %}
        when '{{ source }}' then levels.{{ receptor }}_{{ source }}_level
        {%- endfor %}
    end as {{ receptor }}_value_level,
    case classified.{{ receptor }}_status_source
        {%- for source in ['percent', 'allred', 'status_text'] %}
        when '{{ source }}' then levels.{{ receptor }}_{{ source }}_sample_id
        {%- endfor %}
    end as {{ receptor }}_value_sample_id,
    coalesce(levels.{{ receptor }}_patient_sample_disagree, false) as {{ receptor }}_patient_sample_disagree
    {%- endfor %},
    'patient_value_first_then_primary_sample_v1' as receptor_level_rule_id
from er_low_decided as classified
left join levels on levels.study_id = classified.study_id and levels.patient_id = classified.patient_id
