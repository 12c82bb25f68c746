-- Written by `python -m oncoduck.ingest.kinds --write` from python/oncoduck/ingest/kinds.py: edit that.
-- landing_analysis_settings on the spark target, where dbt cannot run the Python model (models/landing/landing_analysis_settings.py):
-- the table that model built on DuckDB, exported to Parquet and registered as the `prelanded` source
-- (oncoduck.spark_target). Enabled on the spark target only; DuckDB builds the Python model.
{{ config(materialized='view', enabled=target.type == 'spark') }}
select * from {{ source('prelanded', 'landing_analysis_settings') }}
