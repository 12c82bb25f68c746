{%- set pairs = [
    ('OS', 'OS_MONTHS', 'months'), ('PFS', 'PFS_MONTHS', 'months'), ('DFS', 'DFS_MONTHS', 'months'),
    ('DSS', 'DSS_MONTHS', 'months'), ('OS', 'OS_DAYS', 'days'), ('DSS', 'DSS_DAYS', 'days'),
    ('DFI', 'DFI_DAYS', 'days'), ('PFI', 'PFI_DAYS', 'days')
] -%}
{%- set endpoints = ['OS', 'PFS', 'DFS', 'DSS', 'DFI', 'PFI'] -%}
-- Every survival endpoint a patient's clinical data offers, one row per patient x endpoint x source, with
-- the reason it cannot be used (null when it can). Sources, in order of preference:
--   1 days_pair: TCGA-CDR style <E>_DAYS with <E>_STATUS (OS, DSS, DFI, PFI; Liu et al., Cell 2018);
--   2 months_pair: cBioPortal <E>_MONTHS with <E>_STATUS (OS, PFS, DFS, DSS);
--   3 vital_status_death_followup: OS from TCGA vital_status with days_to_death (Dead) or
--     days_to_last_followup (Alive); days_to_death without a vital status counts as a death; without a
--     vital status, an OS_STATUS given beside the follow-up days (maftools' TCGA-LAML example);
--   9 status_only: a status with no time attribute at all (always unusable).
-- Months and days convert with days_per_month = var('days_per_month') = 365.25 / 12.
-- Reasons: unparseable_status (incl. statuses staging rejected, e.g. 'alive?'), non_numeric_time,
-- negative_time, missing_time, missing_status. Values are read from stg_study__clinical_checked so that
-- values staging rejected are seen here with their raw text instead of looking like missing ones.
-- is_selected marks the usable candidate of highest preference per patient and endpoint.
{%- set time_attribute_of_death_followup -%}
    case
        when p.status_attribute = 'VITAL_STATUS' and p.event = 1 then 'DEATH_DAYS'
        when p.event = 1 and d.value_text is not null then 'DEATH_DAYS'
        else 'LAST_FOLLOWUP_DAYS'
    end
{%- endset %}

with checked as (
    select
        study_id,
        patient_id,
        sample_id,
        level,
        source_file,
        source_row,
        source_column,
        attribute,
        value_raw,
        value_text,
        value_number,
        status_event,
        reject_reason
    from {{ ref('stg_study__clinical_checked') }}
    where attribute in (
            'OS_MONTHS', 'PFS_MONTHS', 'DFS_MONTHS', 'DSS_MONTHS', 'OS_DAYS', 'DSS_DAYS', 'DFI_DAYS', 'PFI_DAYS',
            'OS_STATUS', 'PFS_STATUS', 'DFS_STATUS', 'DSS_STATUS', 'DFI_STATUS', 'PFI_STATUS',
            'DEATH_DAYS', 'LAST_FOLLOWUP_DAYS', 'VITAL_STATUS')
        and patient_id is not null
        and value_text is not null
        and (reject_reason is null or reject_reason in ('non_numeric_value', 'unparseable_status'))
),

vals as (
    select *
    from (
        select
            checked.*,
            row_number() over (
                partition by study_id, patient_id, attribute
                order by case when level = 'patient' then 0 else 1 end, sample_id, source_file, source_row
            ) as preference
        from checked
    ) ranked
    where preference = 1
),

candidates as (
    {%- for endpoint, time_attribute, unit in pairs %}
    select
        t.study_id,
        t.patient_id,
        '{{ endpoint }}' as endpoint,
        '{{ unit }}_pair' as source,
        {{ 1 if unit == 'days' else 2 }} as source_priority,
        '{{ time_attribute }}' as time_attribute,
        '{{ endpoint }}_STATUS' as status_attribute,
        t.value_raw as time_raw,
        case when t.reject_reason is null then t.value_number end as time_value,
        '{{ unit }}' as time_unit,
        t.reject_reason is not null as time_rejected,
        s.value_raw as status_raw,
        s.status_event as event,
        s.value_text is not null and (s.reject_reason is not null or s.status_event is null) as status_unparseable,
        coalesce(t.source_file, s.source_file) as source_file,
        coalesce(t.source_row, s.source_row) as source_row,
        coalesce(t.source_column, s.source_column) as source_column
    from vals t
    left join vals s
        on s.study_id = t.study_id and s.patient_id = t.patient_id and s.attribute = '{{ endpoint }}_STATUS'
    where t.attribute = '{{ time_attribute }}'
    union all
    {%- endfor %}
    {%- for endpoint in endpoints %}
    select
        s.study_id,
        s.patient_id,
        '{{ endpoint }}' as endpoint,
        'status_only' as source,
        9 as source_priority,
        cast(null as {{ dbt.type_string() }}) as time_attribute,
        '{{ endpoint }}_STATUS' as status_attribute,
        cast(null as {{ dbt.type_string() }}) as time_raw,
        cast(null as double) as time_value,
        cast(null as {{ dbt.type_string() }}) as time_unit,
        false as time_rejected,
        s.value_raw as status_raw,
        s.status_event as event,
        s.reject_reason is not null or s.status_event is null as status_unparseable,
        s.source_file,
        s.source_row,
        s.source_column
    from vals s
    where s.attribute = '{{ endpoint }}_STATUS'
        and not exists (
            select 1 from vals t
            where t.study_id = s.study_id and t.patient_id = s.patient_id
                and t.attribute in ('{{ endpoint }}_MONTHS', '{{ endpoint }}_DAYS')
        )
    union all
    {%- endfor %}
    -- OS from days to death / last follow-up (TCGA clinical XML, maftools' example data); the status is
    -- VITAL_STATUS (Alive/Dead), else the OS_STATUS given beside the follow-up (maftools' TCGA-LAML:
    -- Overall_Survival_Status + days_to_last_followup). The time: a VITAL_STATUS death needs days to
    -- death (else the candidate is rejected as missing_time); an OS_STATUS death uses days to death when
    -- given, else days to last follow-up (maftools' convention); alive patients use days to last follow-up.
    select
        p.study_id,
        p.patient_id,
        'OS' as endpoint,
        'vital_status_death_followup' as source,
        3 as source_priority,
        {{ time_attribute_of_death_followup }} as time_attribute,
        p.status_attribute,
        t.value_raw as time_raw,
        case when t.reject_reason is null then t.value_number end as time_value,
        'days' as time_unit,
        t.reject_reason is not null as time_rejected,
        p.status_raw,
        p.event,
        p.status_unparseable,
        coalesce(t.source_file, p.source_file) as source_file,
        coalesce(t.source_row, p.source_row) as source_row,
        coalesce(t.source_column, p.source_column) as source_column
    from (
        select
            anchor.*,
            case when v.value_text is not null or os.patient_id is null then 'VITAL_STATUS' else 'OS_STATUS' end as status_attribute,
            coalesce(v.value_raw, os.value_raw) as status_raw,
            case
                when v.value_text = 'Dead' then 1
                when v.value_text = 'Alive' then 0
                when v.value_text is null and os.status_event is not null then os.status_event
                when v.value_text is null and d.value_text is not null then 1
            end as event,
            v.value_text is not null and v.value_text not in ('Dead', 'Alive') as status_unparseable
        from (
            select study_id, patient_id, min(source_file) as source_file, min(source_row) as source_row, min(source_column) as source_column
            from vals
            where attribute in ('VITAL_STATUS', 'DEATH_DAYS', 'LAST_FOLLOWUP_DAYS')
            group by study_id, patient_id
        ) as anchor
        left join vals v on v.study_id = anchor.study_id and v.patient_id = anchor.patient_id and v.attribute = 'VITAL_STATUS'
        left join vals d on d.study_id = anchor.study_id and d.patient_id = anchor.patient_id and d.attribute = 'DEATH_DAYS'
        left join vals os on os.study_id = anchor.study_id and os.patient_id = anchor.patient_id and os.attribute = 'OS_STATUS'
    ) as p
    left join vals d on d.study_id = p.study_id and d.patient_id = p.patient_id and d.attribute = 'DEATH_DAYS'
    left join vals t
        on t.study_id = p.study_id and t.patient_id = p.patient_id
        and t.attribute = {{ time_attribute_of_death_followup }}
),

checked_candidates as (
    select
        candidates.*,
        case
            when status_unparseable then 'unparseable_status'
            when time_rejected then 'non_numeric_time'
            when time_raw is null then 'missing_time'
            when time_value < 0 then 'negative_time'
            when event is null then 'missing_status'
        end as reject_reason
    from candidates
),

ranked as (
    select
        checked_candidates.*,
        row_number() over (
            partition by study_id, patient_id, endpoint
            order by case when reject_reason is null then 0 else 1 end, source_priority, time_attribute
        ) as preference
    from checked_candidates
)

select
    study_id,
    patient_id,
    endpoint,
    source,
    source_priority,
    time_attribute,
    status_attribute,
    time_raw,
    status_raw,
    case when reject_reason is null then
        case when time_unit = 'days' then time_value else time_value * cast({{ var('days_per_month') }} as double) end
    end as time_days,
    case when reject_reason is null then
        case when time_unit = 'months' then time_value else time_value / cast({{ var('days_per_month') }} as double) end
    end as time_months,
    time_unit as time_unit_given,
    cast({{ var('days_per_month') }} as double) as days_per_month,
    case when reject_reason is null then event end as event,
    source_file,
    source_row,
    source_column,
    reject_reason,
    case reject_reason
        when 'unparseable_status' then endpoint || ': ' || status_attribute || ' ' || chr(39) || coalesce(status_raw, '') || chr(39) || ' is not a status (0/1, 0:LIVING/1:DECEASED, Alive/Dead)'
        when 'non_numeric_time' then endpoint || ': ' || time_attribute || ' ' || chr(39) || coalesce(time_raw, '') || chr(39) || ' is not a number'
        when 'missing_time' then endpoint || ': ' || status_attribute || ' ' || chr(39) || coalesce(status_raw, '') || chr(39) || ' is given without a time'
        when 'negative_time' then endpoint || ': ' || time_attribute || ' ' || time_raw || ' is negative'
        when 'missing_status' then endpoint || ': ' || time_attribute || ' ' || time_raw || ' is given without a status'
    end as reject_detail,
    reject_reason is null and preference = 1 as is_selected,
    max(case when reject_reason is null then 1 else 0 end) over (partition by study_id, patient_id, endpoint) = 1 as endpoint_has_usable_source,
    'oncoduck_survival_v1' as survival_rule_id
from ranked
