-- Which candidates of each declared comparison meet its `where:` selections: one row per comparison x
-- candidate x selection, the comparison's own (group_label null) and each group declared by conditions.
-- Candidates are the non-normal samples of the studies the comparison draws on (int_comparison_sources)
-- passing its sample types, timepoints and case lists (of the sample's study: in any listed). A selection
-- is met when every clause has a branch whose conditions are all met; a condition tests an attribute value
-- (the sample's, else its patient's: macros/unit_attribute_values.sql) or a gene status
-- (int_comparison_gene_statuses); a missing value meets no condition but not_null's opposite.
with conditions as (
    select * from {{ ref('stg_study__comparison_selections') }}
),

candidates as (
    select * from {{ ref('int_comparison_candidates') }}
),

condition_units as (
    -- each candidate sample with each attribute its comparison's conditions test
    select distinct
        candidates.sample_study_id as study_id, candidates.sample_id, candidates.patient_id, conditions.subject as attribute
    from candidates
    inner join conditions
        on conditions.study_id = candidates.study_id and conditions.comparison = candidates.comparison
    where conditions.subject_kind = 'attribute'
),

attribute_values as (
    {{ unit_attribute_values('condition_units') }}
),

condition_values as (
    select
        candidates.study_id,
        candidates.comparison,
        candidates.sample_study_id,
        candidates.sample_id,
        conditions.group_label,
        conditions.clause,
        conditions.branch,
        conditions.condition,
        conditions.operator,
        conditions.value_text,
        conditions.low,
        conditions.high,
        conditions.expected,
        attribute_values.value_text as attribute_value,
        case conditions.subject
            when 'mutated' then statuses.mutated
            when 'amplified' then statuses.amplified
            when 'deleted' then statuses.deleted
            when 'cna' then statuses.cna
            when 'altered' then statuses.altered
        end as gene_status
    from candidates
    inner join conditions
        on conditions.study_id = candidates.study_id and conditions.comparison = candidates.comparison
    left join attribute_values
        on conditions.subject_kind = 'attribute'
        and attribute_values.study_id = candidates.sample_study_id and attribute_values.sample_id = candidates.sample_id
        and attribute_values.attribute = conditions.subject
    left join {{ ref('int_comparison_gene_statuses') }} as statuses
        on conditions.subject_kind = 'gene'
        and statuses.study_id = candidates.sample_study_id and statuses.sample_id = candidates.sample_id
        and upper(statuses.hugo_symbol) = conditions.value_text  -- gene names upper case (oncoduck.ingest.comparisons)
),

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
