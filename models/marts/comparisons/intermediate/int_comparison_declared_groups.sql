-- Each group of a comparison grouped by an attribute (`group_by: ATTR`, `groups: {label: [values]}`) with how many
-- of its listed values the comparison's candidates have: one row per comparison x group. A listed value that no
-- candidate has (values_found < values_listed) adds nobody to the group: a misspelt '2 +' beside '1+' leaves the
-- group with its 1+ samples only, and says nothing. The warn-severity test declared_group_values_matching_no_candidate
-- lists such groups in the build summary (a group that matches nothing at all stops the build in
-- int_comparison_members). Values are compared as int_comparison_members compares them: as read (stg_study__comparisons:
-- through the study's values: and the seed synonyms), ignoring case, with the candidate's value of the attribute
-- (int_comparison_unit_values: the sample's, else its patient's).
with groups as (
    select study_id, comparison, group_label, upper(group_by) as attribute, group_values, declared_group_values
    from {{ ref('stg_study__comparisons') }}
    where group_by_kind = 'attribute' and group_values is not null
),

candidate_values as (
    -- the distinct values of the grouping attribute among each comparison's candidates
    select distinct candidates.study_id, candidates.comparison, lower(unit_values.value_text) as value_text
    from {{ ref('int_comparison_candidates') }} as candidates
    inner join (select distinct study_id, comparison, attribute from groups) as grouping
        on grouping.study_id = candidates.study_id and grouping.comparison = candidates.comparison
    inner join {{ ref('int_comparison_unit_values') }} as unit_values
        on unit_values.study_id = candidates.sample_study_id and unit_values.sample_id = candidates.sample_id
        and unit_values.attribute = grouping.attribute
    where unit_values.value_text is not null
)

select
    groups.study_id,
    groups.comparison,
    groups.group_label,
    groups.attribute,
    groups.group_values,
    groups.declared_group_values,
    -- bigint: Spark's length() is an int, DuckDB's a bigint
    cast(1 + length(groups.group_values) - length(replace(groups.group_values, ';', '')) as bigint) as values_listed,
    count(candidate_values.value_text) as values_found
from groups
left join candidate_values
    on candidate_values.study_id = groups.study_id and candidate_values.comparison = groups.comparison
    and {{ in_delimited_list('lower(groups.group_values)', 'candidate_values.value_text') }}
group by groups.study_id, groups.comparison, groups.group_label, groups.attribute, groups.group_values,
    groups.declared_group_values
