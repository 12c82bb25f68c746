-- stat_burden_tests under a contract: stat_burden_tests_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_burden_tests_computed') }}
