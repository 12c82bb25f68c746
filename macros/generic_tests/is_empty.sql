{#- The model has no rows (for rejects and "unclassified" listings; use with severity warn to list
    what needs a look without failing the build). -#}
{% test is_empty(model) %}
select * from {{ model }}
{% endtest %}
