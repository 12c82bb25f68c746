-- Timeline TREATMENT events, one row per event line per drug named in it: the free-text agent
-- (AGENT, else TREATMENT, DRUG, DRUG_NAME or THERAPY column) is lower-cased, combination separators
-- ('+', '/', ',', ';', '&', ' and ', ' with ') become one separator, and each part is looked up in
-- seeds.drugs (synonym -> agent, class, subclass). Unmapped parts stay, with drug_class 'unmapped', and
-- are listed by int_clinical_unmapped_values. Line of therapy (rule start_day_dense_rank_v1): the
-- patient's systemic-therapy events (mapped, class not 'other') numbered by distinct start day, so drugs
-- started the same day form one line; supportive / bone-modifying drugs and undated events get no line.
with events as (
    select
        study_id,
        source_file,
        source_row,
        patient_id,
        start_day,
        stop_day,
        attribute_name,
        value_text
    from {{ ref('stg_study__timeline_events') }}
    where event_type = 'TREATMENT'
),

event_lines as (
    select
        study_id,
        source_file,
        source_row,
        patient_id,
        min(start_day) as start_day,
        min(stop_day) as stop_day,
        coalesce(
            max(case when attribute_name = 'AGENT' then value_text end),
            max(case when attribute_name = 'TREATMENT' then value_text end),
            max(case when attribute_name = 'DRUG' then value_text end),
            max(case when attribute_name = 'DRUG_NAME' then value_text end),
            max(case when attribute_name = 'THERAPY' then value_text end)
        ) as agent_text,
        max(case when attribute_name = 'TREATMENT_TYPE' then value_text end) as treatment_type
    from events
    group by study_id, source_file, source_row, patient_id
),

normalised as (
    select
        event_lines.*,
        replace(replace(replace(replace(replace(replace(replace(
            lower(agent_text), ' and ', '+'), ' with ', '+'), '/', '+'), ',', '+'), ';', '+'), '&', '+'), ' plus ', '+')
            as agent_list
    from event_lines
),

part_numbers as (
    select 1 as part_number union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8
),

parts as (
    select
        normalised.study_id,
        normalised.source_file,
        normalised.source_row,
        normalised.patient_id,
        normalised.start_day,
        normalised.stop_day,
        normalised.treatment_type,
        normalised.agent_text,
        part_numbers.part_number as component_index,
        trim({{ split_part_at('normalised.agent_list', "'+'", 'part_numbers.part_number') }}) as agent_part
    from normalised
    cross join part_numbers
    where normalised.agent_list is not null
),

drugs as (
    select lower(trim(synonym)) as synonym, agent, drug_class, drug_subclass from {{ ref('drugs') }}
),

mapped as (
    select
        parts.*,
        drugs.agent,
        coalesce(drugs.drug_class, 'unmapped') as drug_class,
        drugs.drug_subclass,
        drugs.agent is not null as is_mapped
    from parts
    left join drugs on drugs.synonym = parts.agent_part
    where parts.agent_part is not null and parts.agent_part <> ''
),

lines as (
    select
        study_id,
        patient_id,
        start_day,
        cast(dense_rank() over (partition by study_id, patient_id order by start_day) as bigint) as line_of_therapy
    from (
        select distinct study_id, patient_id, start_day
        from mapped
        where is_mapped and drug_class <> 'other' and start_day is not null
    ) systemic_starts
)

select
    mapped.study_id,
    mapped.patient_id,
    mapped.source_file,
    mapped.source_row,
    mapped.component_index,
    mapped.start_day,
    mapped.stop_day,
    mapped.treatment_type,
    mapped.agent_text,
    mapped.agent_part,
    mapped.agent,
    mapped.drug_class,
    mapped.drug_subclass,
    mapped.is_mapped,
    case when mapped.is_mapped and mapped.drug_class <> 'other' then lines.line_of_therapy end as line_of_therapy,
    'start_day_dense_rank_v1' as line_rule_id
from mapped
left join lines
    on lines.study_id = mapped.study_id
    and lines.patient_id = mapped.patient_id
    and lines.start_day = mapped.start_day
