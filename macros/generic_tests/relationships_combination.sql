{#- A composite foreign key: every row whose `columns` are all set has a row of `to` with the same values in
    `to_columns` (in order). Fails with the unmatched keys. dbt's relationships test takes one column. -#}
{% test relationships_combination(model, columns, to, to_columns) %}
select distinct {% for column in columns %}child.{{ column }}{{ ", " if not loop.last }}{% endfor %}
from {{ model }} as child
where {% for column in columns %}child.{{ column }} is not null and {% endfor %}not exists (
    select 1 from {{ to }} as parent
    where {% for column in columns %}parent.{{ to_columns[loop.index0] }} = child.{{ column }}{{ " and " if not loop.last }}{% endfor %}
)
{% endtest %}
