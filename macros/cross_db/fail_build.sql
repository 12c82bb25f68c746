{#- Raise an error with a message computed per row: the build stops and the message names the
    problem. DuckDB has error(), Spark raise_error(). Used where a declaration cannot be honoured. -#}
{% macro fail_build(message) -%}
    {{ return(adapter.dispatch('fail_build', 'oncoduck')(message)) }}
{%- endmacro %}

{% macro default__fail_build(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__fail_build(message) -%}
    raise_error({{ message }})
{%- endmacro %}
