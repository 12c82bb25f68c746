{#- Layer schemas are used as named (landing, staging, marts ...), not prefixed with the target schema,
    so ad-hoc SQL reads `marts.fct_variant` whatever the target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name or target.schema) | trim }}
{%- endmacro %}
