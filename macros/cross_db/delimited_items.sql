{#- Set-returning: one row per item of ``list``, a ';'-joined text (declared group values, timepoints), in a select
    list beside the row's other columns. DuckDB unnests string_split; Spark explodes split (a regex: ';' is
    literal there). A null list gives no row. -#}
{% macro delimited_items(list) -%}
    {{ return(adapter.dispatch('delimited_items', 'oncoduck')(list)) }}
{%- endmacro %}

{% macro default__delimited_items(list) -%}
    unnest(string_split({{ list }}, ';'))
{%- endmacro %}

{% macro spark__delimited_items(list) -%}
    explode(split({{ list }}, ';'))
{%- endmacro %}
