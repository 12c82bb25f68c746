{#- `dbt run-operation register_prelanded --args '{parquet_dir: DIR}' --target spark`: (re)create
    every table of the `prelanded` source over DIR/<table>.parquet (written by
    oncoduck.spark_target.export_landing). Spark only; run before `dbt build --target spark`.
    dbt-spark cannot run the Python landing models outside Databricks, so on Spark each landing model is a
    view of its pre-landed table under the same name (models/landing/spark/), and staging refs landing_x on
    both engines. -#}
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
