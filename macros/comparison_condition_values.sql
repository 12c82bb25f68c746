{#- The CTEs (ending in condition_values) giving each candidate of each declared comparison the value each of
    its `where:` conditions tests: one row of condition_values per comparison x candidate (int_comparison_candidates)
    x condition value (a condition `in: [a, b]` has a row per listed value; stg_study__comparison_selections). An
    attribute condition tests the sample's value, else its patient's (macros/unit_attribute_values.sql); a gene
    condition the sample's gene status (int_comparison_gene_statuses). The one implementation, used by
    int_comparison_selections_met (which candidates meet each selection) and int_comparison_declared_values
    (which declared values no candidate has); a CTE list rather than a model between them, so that neither waits
    for the other on the graph's longest path. Use as `with {{ comparison_condition_values_ctes() }}, ...`. -#}
{% macro comparison_condition_values_ctes() %}
conditions as (
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
        conditions.subject_kind,
        conditions.subject,
        conditions.operator,
        conditions.value_text,
        conditions.declared_value_text,
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
)
{% endmacro %}
