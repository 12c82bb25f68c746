-- Each value a comparison's `where:` lists for an attribute (in: / not_in:), with how many of the comparison's
-- candidates have it: one row per comparison x group x condition x declared value (declared_value_text as written,
-- value_text as read, after the study's `values:` and the seed synonyms). A value no candidate has selects
-- nothing: under in: it is a likely misspelling, under not_in: it refuses no sample, so the comparison keeps
-- every sample it would have kept without it. The warn-severity test declared_values_matching_no_candidate
-- lists them in the build summary. Values are compared as the selection compares them: ignoring case
-- (int_comparison_selections_met).
with {{ comparison_condition_values_ctes() }}

select
    study_id,
    comparison,
    group_label,
    clause,
    branch,
    condition,
    subject as attribute,
    operator,
    value_text,
    declared_value_text,
    -- distinct: one value given twice in a condition's list is tested once per candidate
    count(distinct sample_study_id || '|' || sample_id) as candidates,
    count(distinct case when lower(attribute_value) = lower(value_text)
                        then sample_study_id || '|' || sample_id end) as candidates_with_value
from condition_values
where subject_kind = 'attribute' and operator in ('in', 'not_in')
group by study_id, comparison, group_label, clause, branch, condition, subject, operator, value_text, declared_value_text
