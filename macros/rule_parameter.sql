{#- One rule parameter (seeds/reference/rule_parameters.csv, keyed by the rule id the model stamps on its rows):
    a scalar subquery, so the seed is a node dbt sees and a changed value rebuilds its readers. Every
    (rule_id, parameter) named in models/ must be a seed row: tests/python/test_rule_parameters.py checks it,
    since a missing row would read as null. -#}
{% macro rule_parameter(rule_id, parameter) -%}
(select value from {{ ref('rule_parameters') }} where rule_id = '{{ rule_id }}' and parameter = '{{ parameter }}')
{%- endmacro %}
