{#- Written between a CTE's name and `as (`: the engine inlines the CTE into each reader instead of
    computing it once into a temporary result. DuckDB materialises a CTE read more than once, which for a
    wide million-row CTE costs more than reading its input again; Spark always inlines and has no such
    keyword. -#}
{% macro not_materialized() -%}
    {{ return(adapter.dispatch('not_materialized', 'oncoduck')()) }}
{%- endmacro %}

{% macro default__not_materialized() -%}
{%- endmacro %}

{% macro duckdb__not_materialized() -%}
    not materialized
{%- endmacro %}
