-- One row per group of each comparison declared in oncoduck_study.yml (comparisons:), as landed and checked by
-- python/oncoduck/ingest: the staging face of landing_comparisons, which every model above reads instead of the
-- landing table. The values a comparison lists are read as the files' values are (the declaring study's own
-- `values:` first, macros/study_value_synonyms.sql, then the seed clinical_value_synonyms, as
-- stg_study__clinical_checked and stg_study__comparison_selections read them): a group_by group's values
-- (`group_by: ER_STATUS`, `groups: {pos: [pos]}` means the samples whose ER_STATUS reads 'Positive') and the
-- declared timepoints (`timepoint: [pre]` means baseline), and each covariate's reference level
-- (`reference_levels: {ER_STATUS: neg}` means 'Negative', the level the covariate's values read as). A word the
-- synonyms map means that canonical value only; other words are kept as written. What was declared stays beside
-- them (declared_group_values, declared_timepoints, declared_reference_levels).
with comparisons as (
    select * from {{ ref('landing_comparisons') }}
),

{{ value_synonym_ctes(ref('landing_study_settings')) }},

reference_level_entries as (
    -- a comparison's covariates' reference levels (the same on each of its group rows), one row per covariate
    select study_id, comparison, {{ json_object_entries('reference_levels') }}
    from (select distinct study_id, comparison, reference_levels from comparisons where reference_levels is not null)
        as declaring
),

listed as (
    -- each listed word, by the list it is in: the values of an attribute grouping's group, the comparison's
    -- timepoints and its reference levels (each read as a value of its covariate)
    select
        study_id, comparison, 'group_values' as list, group_label, upper(group_by) as attribute,
        {{ delimited_items('group_values') }} as word
    from comparisons
    where group_by_kind = 'attribute' and group_values is not null
    union all
    select
        study_id, comparison, 'timepoints' as list, cast(null as {{ dbt.type_string() }}) as group_label,
        'TIMEPOINT' as attribute, {{ delimited_items('timepoints') }} as word
    from (select distinct study_id, comparison, timepoints from comparisons where timepoints is not null) as declaring
    union all
    select
        study_id, comparison, 'reference_levels' as list, cast(null as {{ dbt.type_string() }}) as group_label,
        upper(key) as attribute, value as word
    from reference_level_entries
),

read_words as (
    select distinct
        listed.study_id,
        listed.comparison,
        listed.list,
        listed.group_label,
        listed.attribute,
        {{ value_through_synonyms('listed.word') }} as value_text
    from listed
    {{ value_synonym_joins('listed.study_id', 'listed.attribute', 'listed.word') }}
),

read_group_values as (
    select study_id, comparison, group_label, {{ sorted_listagg('value_text', "';'") }} as group_values
    from read_words
    where list = 'group_values'
    group by study_id, comparison, group_label
),

read_timepoints as (
    select study_id, comparison, {{ sorted_listagg('value_text', "';'") }} as timepoints
    from read_words
    where list = 'timepoints'
    group by study_id, comparison
),

read_reference_levels as (
    select study_id, comparison, {{ sorted_json_object('attribute', 'value_text') }} as reference_levels
    from read_words
    where list = 'reference_levels'
    group by study_id, comparison
)

select
    comparisons.study_id,
    comparisons.source_file,
    comparisons.comparison,
    comparisons.unit,
    comparisons.sample_types,
    coalesce(read_timepoints.timepoints, comparisons.timepoints) as timepoints,
    comparisons.timepoints as declared_timepoints,
    comparisons.case_lists,
    comparisons.group_by,
    comparisons.group_by_kind,
    comparisons.group_order,
    comparisons.group_label,
    coalesce(read_group_values.group_values, comparisons.group_values) as group_values,
    comparisons.group_values as declared_group_values,
    comparisons.group_samples,
    comparisons.n_groups,
    comparisons.alternative,
    comparisons.analyses,
    comparisons.reference_group,
    comparisons.reference_declared,
    comparisons.covariates,
    coalesce(read_reference_levels.reference_levels, comparisons.reference_levels) as reference_levels,
    comparisons.reference_levels as declared_reference_levels,
    comparisons.stratify_by,
    comparisons.outcome,
    comparisons.studies
from comparisons
left join read_group_values
    on read_group_values.study_id = comparisons.study_id
    and read_group_values.comparison = comparisons.comparison
    and read_group_values.group_label = comparisons.group_label
left join read_timepoints
    on read_timepoints.study_id = comparisons.study_id
    and read_timepoints.comparison = comparisons.comparison
left join read_reference_levels
    on read_reference_levels.study_id = comparisons.study_id
    and read_reference_levels.comparison = comparisons.comparison
