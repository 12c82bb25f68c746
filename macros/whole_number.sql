{#- Text that holds a whole number as `type` (bigint unless given), else null: "12", "12.0", "1e+05" (R writes
    positions so) and " 12 " are 12, 12, 100000 and 12; "12.5", "abc", "inf" are null. The same on both engines:
    a plain cast of "12.5" rounds it to 13 on DuckDB and truncates it to 12 on Spark, silently, where a staging
    model must reject it (a position, a read count, an Entrez id is a whole number or wrong). -#}
{% macro whole_number(text, type='bigint') -%}
try_cast(case when try_cast({{ text }} as double) = floor(try_cast({{ text }} as double))
              then try_cast({{ text }} as double) end as {{ type }})
{%- endmacro %}
