-- stat_burden_correlations under a contract: stat_burden_correlations_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_burden_correlations_computed') }}
