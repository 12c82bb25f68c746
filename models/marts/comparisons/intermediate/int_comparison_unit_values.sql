-- Each non-normal sample's value of every attribute a comparison groups or stratifies by (its group_by attribute
-- and its stratify_by attributes; macros/comparison_condition_values.sql reads its `where:` conditions' attributes itself),
-- in the studies the comparison draws on: the sample-level value, else its patient's
-- (macros/unit_attribute_values.sql). study_id is the sample's study. One row per sample x
-- attribute; value_text null where neither the sample nor its patient has a value.
with comparisons as (
    select distinct study_id, comparison, group_by, group_by_kind, stratify_by
    from {{ ref('stg_study__comparisons') }}
),

needed_by_comparison as (
    select study_id, comparison, upper(group_by) as attribute from comparisons where group_by_kind = 'attribute'
    union
    select study_id, comparison, upper({{ split_part_at('stratify_by', "';'", 1) }})
    from comparisons where stratify_by is not null
    union
    select study_id, comparison, nullif(upper({{ split_part_at('stratify_by', "';'", 2) }}), '')
    from comparisons where stratify_by is not null
),

needed_attributes as (
    -- the same, by the study of the samples they are read from
    select distinct sources.sample_study_id as study_id, needed.attribute
    from needed_by_comparison as needed
    inner join {{ ref('int_comparison_sources') }} as sources
        on sources.study_id = needed.study_id and sources.comparison = needed.comparison
    where needed.attribute is not null
),

units as (
    select samples.study_id, samples.sample_id, samples.patient_id, needed.attribute
    from {{ ref('dim_sample') }} as samples
    inner join needed_attributes as needed on needed.study_id = samples.study_id
    where samples.sample_type <> 'normal'
)

select study_id, sample_id, attribute, value_text
from ({{ unit_attribute_values('units') }}) as valued
