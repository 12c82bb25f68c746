{#- A JSON object of text values (comparisons' reference_levels, {"COVARIATE": "level"}) as rows and back.

    json_object_entries: set-returning, in a select list beside the row's other columns: one row per entry, as
    the columns `key` and `value`. DuckDB unnests the entries of the object read as a MAP; Spark explodes
    from_json's map. A null object gives no row.

    sorted_json_object: aggregate, the group's key/value pairs as one JSON object with its keys in ascending
    order, written the same on both engines ({"A":"x","B":"y"}, no spaces). -#}
{% macro json_object_entries(json) -%}
    {{ return(adapter.dispatch('json_object_entries', 'oncoduck')(json)) }}
{%- endmacro %}

{% macro default__json_object_entries(json) -%}
    unnest(map_entries(json_transform({{ json }}, '"MAP(VARCHAR, VARCHAR)"')), recursive := true)
{%- endmacro %}

{% macro spark__json_object_entries(json) -%}
    explode(from_json({{ json }}, 'map<string,string>'))
{%- endmacro %}

{% macro sorted_json_object(key, value) -%}
    {{ return(adapter.dispatch('sorted_json_object', 'oncoduck')(key, value)) }}
{%- endmacro %}

{% macro default__sorted_json_object(key, value) -%}
    cast(to_json(map_from_entries(list(struct_pack(k := {{ key }}, v := {{ value }}) order by {{ key }}))) as varchar)
{%- endmacro %}

{% macro spark__sorted_json_object(key, value) -%}
    to_json(map_from_entries(array_sort(collect_list(struct({{ key }}, {{ value }})))))
{%- endmacro %}
