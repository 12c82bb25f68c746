{#- `dbt run-operation register_prelanded --args '{parquet_dir: DIR}' --target spark`: (re)create
    every table of the `prelanded` source over DIR/<table>.parquet (written by
    oncoduck.spark_target.export_landing). Spark only; run before `dbt build --target spark`.
    dbt-spark cannot run the Python landing models outside Databricks, so on Spark each landing model is a
    view of its pre-landed table under the same name (models/landing/spark/), and staging refs landing_x on
    both engines. Statements, not queries (adapter.execute without fetch): over a Thrift server a DDL statement
    returns no result set, which run_query cannot read. -#}
{% macro register_prelanded(parquet_dir) %}
    {% if target.type != 'spark' %}
        {{ exceptions.raise_compiler_error('register_prelanded is for the spark target; on DuckDB landing is built by dbt') }}
    {% endif %}
    {% set prelanded = graph.sources.values() | selectattr('source_name', 'equalto', 'prelanded') | list %}
    {% do adapter.execute('create database if not exists ' ~ prelanded[0].schema, fetch=False) %}
    {% for table in prelanded %}
        {% do adapter.execute('drop table if exists ' ~ table.schema ~ '.' ~ table.identifier, fetch=False) %}
        {% do adapter.execute('create table ' ~ table.schema ~ '.' ~ table.identifier
                              ~ " using parquet location '" ~ parquet_dir ~ '/' ~ table.identifier ~ ".parquet'",
                              fetch=False) %}
        {% do log('registered ' ~ table.schema ~ '.' ~ table.identifier, info=true) %}
    {% endfor %}
{% endmacro %}
