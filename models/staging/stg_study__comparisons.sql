-- One row per group of each comparison declared in oncoduck_study.yml (comparisons:), as landed and checked by
-- python/oncoduck/ingest: the staging face of landing_comparisons, which every model above reads instead of the
-- landing table. The values a comparison lists are read as the files' values are (the declaring study's own
-- `values:` first, macros/study_value_synonyms.sql, then the seed clinical_value_synonyms, as
-- stg_study__clinical_checked and stg_study__comparison_selections read them): a group_by group's values
-- (`group_by: ER_STATUS`, `groups: {pos: [pos]}` means the samples whose ER_STATUS reads 'Positive') and the
-- declared timepoints (`timepoint: [pre]` means baseline). A word the synonyms map means that canonical value
-- only; other words are kept as written. The lists as declared stay beside them (declared_group_values,
-- declared_timepoints).
with comparisons as (
    select * from {{ ref('landing_comparisons') }}
),

{{ value_synonym_ctes(ref('landing_study_settings')) }},

listed as (
    -- each listed word: the values of an attribute grouping's group, and the comparison's timepoints (the same
    -- on each of its group rows)
    select study_id, comparison, group_label, upper(group_by) as attribute, {{ delimited_items('group_values') }} as word
    from comparisons
    where group_by_kind = 'attribute' and group_values is not null
    union all
    select study_id, comparison, cast(null as {{ dbt.type_string() }}) as group_label, 'TIMEPOINT' as attribute,
           {{ delimited_items('timepoints') }} as word
    from (select distinct study_id, comparison, timepoints from comparisons where timepoints is not null) as declaring
),

read_words as (
    select distinct
        listed.study_id,
        listed.comparison,
        listed.group_label,
        listed.attribute,
        coalesce(study_value_synonyms.canonical_value, value_synonyms.canonical_value, listed.word) as value_text
    from listed
    left join study_value_synonyms
        on study_value_synonyms.study_id = listed.study_id
        and study_value_synonyms.attribute = listed.attribute
        and study_value_synonyms.raw_value = lower(trim(listed.word))
    left join value_synonyms
        on value_synonyms.attribute = listed.attribute
        and value_synonyms.raw_value = lower(trim(listed.word))
),

read_group_values as (
    select study_id, comparison, group_label, {{ sorted_listagg('value_text', "';'") }} as group_values
    from read_words
    where group_label is not null
    group by study_id, comparison, group_label
),

read_timepoints as (
    select study_id, comparison, {{ sorted_listagg('value_text', "';'") }} as timepoints
    from read_words
    where group_label is null
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
    comparisons.reference_levels,
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
