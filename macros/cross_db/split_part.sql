{#- The part-th piece (1-based) of value split on a one-character delimiter; null beyond the last piece.
    `part` may be a column (dbt-spark's dbt.split_part needs a literal number). DuckDB keeps
    dbt.split_part (string_split(...)[part]); Spark splits on the delimiter as a regex character class
    and takes element_at, which is null past the end as on DuckDB (ANSI mode is off under dbt-spark). -#}
{% macro split_part_at(value, delimiter, part) -%}
    {{ return(adapter.dispatch('split_part_at', 'oncoduck')(value, delimiter, part)) }}
{%- endmacro %}

{% macro default__split_part_at(value, delimiter, part) -%}
    {{ dbt.split_part(value, delimiter, part) }}
{%- endmacro %}

{% macro spark__split_part_at(value, delimiter, part) -%}
    {%- set character = delimiter.strip("'") -%}
    {%- if character | length != 1 -%}
        {{ exceptions.raise_compiler_error('split_part_at takes a one-character delimiter literal, got ' ~ delimiter) }}
    {%- endif -%}
    element_at(split({{ value }}, '[{{ character }}]'), {{ part }})
{%- endmacro %}
