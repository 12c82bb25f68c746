{#- Where a model reads a landing table. On DuckDB the landing tables are dbt Python models
    (models/landing/*.py), so this is ref('landing_x'). dbt-spark cannot run Python models outside
    Databricks: on Spark the landing tables are built on DuckDB first ("pre-landed"), exported to
    Parquet (oncoduck.spark_target.export_landing) and registered as the `prelanded` source
    (models/staging/_prelanded__sources.yml) by `dbt run-operation register_prelanded`.
    Models call landing_relation('landing_x'), never ref('landing_x') directly. -#}
{% macro landing_relation(landing_model) -%}
    {{ return(adapter.dispatch('landing_relation', 'oncoduck')(landing_model)) }}
{%- endmacro %}

{% macro default__landing_relation(landing_model) -%}
    {{ return(ref(landing_model)) }}
{%- endmacro %}

{% macro spark__landing_relation(landing_model) -%}
    {{ return(source('prelanded', landing_model)) }}
{%- endmacro %}

{#- `dbt run-operation register_prelanded --args '{parquet_dir: DIR}' --target spark`: (re)create
    every table of the `prelanded` source over DIR/<table>.parquet (written by
    oncoduck.spark_target.export_landing). Spark only; run before `dbt build --target spark`. -#}
{% macro register_prelanded(parquet_dir) %}
    {% if target.type != 'spark' %}
        {{ exceptions.raise_compiler_error('register_prelanded is for the spark target; on DuckDB landing is built by dbt') }}
    {% endif %}
    {% set prelanded = graph.sources.values() | selectattr('source_name', 'equalto', 'prelanded') | list %}
    {% do run_query('create database if not exists ' ~ prelanded[0].schema) %}
    {% for table in prelanded %}
        {% do run_query('drop table if exists ' ~ table.schema ~ '.' ~ table.identifier) %}
        {% do run_query('create table ' ~ table.schema ~ '.' ~ table.identifier
                        ~ " using parquet location '" ~ parquet_dir ~ '/' ~ table.identifier ~ ".parquet'") %}
        {% do log('registered ' ~ table.schema ~ '.' ~ table.identifier, info=true) %}
    {% endfor %}
{% endmacro %}
