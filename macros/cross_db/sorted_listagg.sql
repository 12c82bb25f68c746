{#- Aggregate: the group's non-null values in ascending order, joined by a delimiter literal (null when
    there are none). DuckDB keeps dbt.listagg(... order by value); Spark's listagg has no order by,
    so it sorts the collected list instead. -#}
{% macro sorted_listagg(value, delimiter) -%}
    {{ return(adapter.dispatch('sorted_listagg', 'oncoduck')(value, delimiter)) }}
{%- endmacro %}

{% macro default__sorted_listagg(value, delimiter) -%}
    {{ dbt.listagg(value, delimiter, 'order by ' ~ value) }}
{%- endmacro %}

{% macro spark__sorted_listagg(value, delimiter) -%}
    case when count({{ value }}) > 0 then array_join(array_sort(collect_list({{ value }})), {{ delimiter }}) end
{%- endmacro %}
