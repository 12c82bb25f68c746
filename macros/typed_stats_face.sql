{#- The typed, contracted SQL face of a Python stats model (dbt contracts cannot be enforced on Python
    models): one cast per column of the calling model's YAML, in its order, with its data_type, from
    `computed`. The columns are written once, in the YAML. -#}
{% macro typed_stats_face(computed) %}
select
{%- for column in model.columns.values() %}
    cast({{ column.name }} as {{ column.data_type }}) as {{ column.name }}{{ "," if not loop.last }}
{%- endfor %}
from {{ ref(computed) }}
{% endmacro %}
