-- Which candidates of each declared comparison meet its `where:` selections: one row per comparison x
-- candidate x selection, the comparison's own (group_label null) and each group declared by conditions.
-- Candidates are the non-normal samples of the studies the comparison draws on (int_comparison_sources)
-- passing its sample types, timepoints and case lists (of the sample's study: in any listed). A selection
-- is met when every clause has a branch whose conditions are all met; a condition tests an attribute value
-- (the sample's, else its patient's) or a gene status (macros/comparison_condition_values.sql); a missing
-- value meets no condition but not_null's opposite.
with {{ comparison_condition_values_ctes() }},

conditions_met as (
    select
        study_id, comparison, sample_study_id, sample_id, group_label, clause, branch, condition,
        case min(operator)
            when 'in' then coalesce(bool_or(lower(attribute_value) = lower(value_text)), false)
            when 'not_in' then coalesce(bool_and(lower(attribute_value) <> lower(value_text)), false)
            when 'range' then coalesce(bool_and(
                try_cast(attribute_value as double) >= coalesce(low, try_cast('-inf' as double))
                and try_cast(attribute_value as double) <= coalesce(high, try_cast('inf' as double))), false)
            when 'not_null' then bool_and(attribute_value is not null)
            when 'status' then coalesce(bool_and(gene_status = expected), false)
        end as is_met
    from condition_values
    group by study_id, comparison, sample_study_id, sample_id, group_label, clause, branch, condition
),

branches as (
    select study_id, comparison, sample_study_id, sample_id, group_label, clause, branch,
        bool_and(is_met) as branch_met
    from conditions_met
    group by study_id, comparison, sample_study_id, sample_id, group_label, clause, branch
),

clauses as (
    select study_id, comparison, sample_study_id, sample_id, group_label, clause, bool_or(branch_met) as clause_met
    from branches
    group by study_id, comparison, sample_study_id, sample_id, group_label, clause
)

select study_id, comparison, sample_study_id, sample_id, group_label, bool_and(clause_met) as is_met
from clauses
group by study_id, comparison, sample_study_id, sample_id, group_label
