-- Written by `python -m oncoduck.spark_target twins --write` (python/oncoduck/spark_target.py): edit that.
-- stat_survival_gene_screen_computed on the spark target, where dbt cannot run the Python model (models/stats/computed/stat_survival_gene_screen_computed.py):
-- the table oncoduck.spark_target wrote from that model's result, run on the Spark tables it reads
-- (the `stats_results` source). Enabled on the spark target only; DuckDB builds the Python model.
{{ config(materialized='view', enabled=target.type == 'spark') }}
select * from {{ source('stats_results', 'stat_survival_gene_screen_computed') }}
