{#- The CTEs `<rows>_repeated_keys` and `<rows>_occurrences`: every row of the CTE `rows` plus
    `key_occurrence`, its rank among the rows with the same key (`key_columns`, a list of columns or
    expressions) in `order_by` order. The checked staging models reject rows with key_occurrence > 1 as
    duplicates, so that the first row given wins.

    Same result as `row_number() over (partition by <key> order by <order_by>)` over every row, but that
    window hash-partitions and sorts every wide row, and almost every key occurs once: at 10M MAF rows
    the window took 39 of stg_study__mutations_checked's 54 s. Here the keys given more than once are
    found by grouping on a hash of the key (8 bytes per row on DuckDB), and only their rows are ranked;
    the others get 1. A hash collision only sends a few more rows to be ranked, where they are partitioned
    by the key itself. Give `rows` (and any CTE it reads) `{{ not_materialized() }}`: it is read three
    times, and DuckDB would otherwise write it out whole first.
    Used where rows number in the millions (MAF rows, gene copy-number values). stg_study__clinical_checked
    and stg_study__fish_cells_checked keep the plain window: the clinical one costs 0.7 s at 100k patients
    (1.9M values), too little to be worth inlining its chain of synonym joins three times. -#}
{% macro key_occurrence_ctes(rows, key_columns, order_by) -%}
    {%- set key = key_columns | join(', ') -%}
{{ rows }}_repeated_keys as (
    select hash({{ key }}) as key_hash
    from {{ rows }}
    group by hash({{ key }})
    having count(*) > 1
),

{{ rows }}_occurrences as (
    select {{ rows }}.*, cast(1 as bigint) as key_occurrence
    from {{ rows }}
    where hash({{ key }}) not in (select key_hash from {{ rows }}_repeated_keys)
    union all
    select
        {{ rows }}.*,
        row_number() over (partition by {{ key }} order by {{ order_by }}) as key_occurrence
    from {{ rows }}
    where hash({{ key }}) in (select key_hash from {{ rows }}_repeated_keys)
)
{%- endmacro %}
