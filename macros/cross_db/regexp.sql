{#- Regular-expression helpers behind adapter.dispatch: DuckDB spells them regexp_matches /
    regexp_extract, Spark uses rlike / regexp_extract. Models call these, never the raw functions.
    Patterns are written for DuckDB, whose string literals keep backslashes as they are; Spark's
    literals treat a backslash as an escape, so the spark__ versions double each one ('\.' stays \.). -#}

{% macro regexp_like(value, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'oncoduck')(value, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(value, pattern) -%}
    regexp_matches({{ value }}, '{{ pattern }}')
{%- endmacro %}

{% macro spark__regexp_like(value, pattern) -%}
    ({{ value }} rlike '{{ pattern | replace('\\', '\\\\') }}')
{%- endmacro %}

{% macro regexp_group(value, pattern, group) -%}
    {{ return(adapter.dispatch('regexp_group', 'oncoduck')(value, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_group(value, pattern, group) -%}
    nullif(regexp_extract({{ value }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}

{% macro spark__regexp_group(value, pattern, group) -%}
    nullif(regexp_extract({{ value }}, '{{ pattern | replace('\\', '\\\\') }}', {{ group }}), '')
{%- endmacro %}
