-- stat_response_rates under a contract: stat_response_rates_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_response_rates_computed') }}
