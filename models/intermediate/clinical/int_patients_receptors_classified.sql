-- Oestrogen and progesterone receptor status per patient by the ASCO/CAP 2020 ER/PgR guideline
-- (Allison et al., J Clin Oncol 2020;38:1346): positive when >= 1 % of tumour nuclei stain; ER 1-10 %
-- is reported as "ER low positive" (er_low). Source order: percentage of stained nuclei (0-100), then the
-- Allred score (0-8, positive at >= 3; Harvey et al., J Clin Oncol 1999;17:1474), then the reported status
-- text. Hormone-receptor (HR) status: positive when ER or PR is positive, negative when both are negative,
-- unknown otherwise. *_sources_disagree flags a status text that contradicts the number used.
with inputs as (
    select
        study_id,
        patient_id,
        er_status_text,
        er_percent,
        er_allred,
        pr_status_text,
        pr_percent,
        pr_allred
    from {{ ref('int_patients_clinical_inputs') }}
),

usable as (
    select
        inputs.*
        {%- for receptor in ['er', 'pr'] %},
        case when {{ receptor }}_percent >= 0 and {{ receptor }}_percent <= 100 then {{ receptor }}_percent end
            as {{ receptor }}_percent_valid,
        case when {{ receptor }}_allred >= 0 and {{ receptor }}_allred <= 8 then {{ receptor }}_allred end
            as {{ receptor }}_allred_valid
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
                case when {{ receptor }}_percent_valid >= 1 then 'positive' else 'negative' end
            when {{ receptor }}_allred_valid is not null then
                case when {{ receptor }}_allred_valid >= 3 then 'positive' else 'negative' end
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
)

select
    study_id,
    patient_id,
    er_status,
    er_status_source,
    er_percent_valid as er_percent,
    er_allred_valid as er_allred,
    case when er_percent_valid is not null then er_percent_valid >= 1 and er_percent_valid <= 10 end as er_low,
    coalesce(er_status_source in ('percent', 'allred') and er_status_text in ('Positive', 'Negative')
             and lower(er_status_text) <> er_status, false) as er_sources_disagree,
    pr_status,
    pr_status_source,
    pr_percent_valid as pr_percent,
    pr_allred_valid as pr_allred,
    coalesce(pr_status_source in ('percent', 'allred') and pr_status_text in ('Positive', 'Negative')
             and lower(pr_status_text) <> pr_status, false) as pr_sources_disagree,
    case
        when er_status = 'positive' or pr_status = 'positive' then 'positive'
        when er_status = 'negative' and pr_status = 'negative' then 'negative'
        else 'unknown'
    end as hr_status,
    'asco_cap_2020_er_pr_1pct_v1' as receptor_rule_id
from classified
