{#- Aggregates: the sum and the mean of the group's non-null values of a DOUBLE expression, added in the order of
    `order_by` (a list of column expressions that is unique within the group), so that two builds give the same
    bits. A plain sum of doubles is not: both engines add the partial sums of their threads or partitions in
    whatever order these finish, and floating-point addition is not associative (two builds of the demo differed in
    the last bits of FISH means and ratios, TMB distribution means and ctDNA VAF means). Sums of integers are exact
    and need none of this. Null when the group has no non-null value, as sum() and avg() are. -#}
{% macro ordered_sum(value, order_by) -%}
    {{ return(adapter.dispatch('ordered_sum', 'oncoduck')(value, order_by)) }}
{%- endmacro %}

{% macro ordered_avg(value, order_by) -%}
    {{ return(adapter.dispatch('ordered_avg', 'oncoduck')(value, order_by)) }}
{%- endmacro %}

{% macro default__ordered_sum(value, order_by) -%}
    sum({{ value }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{% macro default__ordered_avg(value, order_by) -%}
    avg({{ value }} order by {{ order_by | join(', ') }})
{%- endmacro %}

{#- Spark has no ordered aggregates: the group's (keys, value) pairs are collected, sorted and folded left. -#}
{% macro spark__ordered_sum(value, order_by) -%}
    aggregate(
        array_sort(collect_list(case when ({{ value }}) is not null then named_struct(
            {%- for key in order_by %}'k{{ loop.index }}', {{ key }}, {% endfor %}'v', cast({{ value }} as double)) end)),
        cast(null as double),
        (total, item) -> coalesce(total, 0D) + item.v)
{%- endmacro %}

{% macro spark__ordered_avg(value, order_by) -%}
    ({{ spark__ordered_sum(value, order_by) }} / nullif(count({{ value }}), 0))
{%- endmacro %}
