-- stat_linear_models under a contract: stat_linear_models_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_linear_models_computed') }}
