-- stat_logistic_response under a contract: stat_logistic_response_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_logistic_response_computed') }}
