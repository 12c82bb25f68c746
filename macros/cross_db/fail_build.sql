{#- Raise an error with a message computed per row: the build stops and the message names the
    problem. DuckDB has error(), Spark raise_error(). The one way a model stops a build: a declaration that
    cannot be honoured (int_comparison_members), a MAF on another genome build than its study
    (int_variants_classified). Before dbt starts, python/oncoduck/ingest stops on files it cannot land. -#}
{% macro fail_build(message) -%}
    {{ return(adapter.dispatch('fail_build', 'oncoduck')(message)) }}
{%- endmacro %}

{% macro default__fail_build(message) -%}
    error({{ message }})
{%- endmacro %}

{% macro spark__fail_build(message) -%}
    raise_error({{ message }})
{%- endmacro %}
