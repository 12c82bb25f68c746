-- stat_longitudinal_survival_tests under a contract: stat_longitudinal_survival_tests_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_longitudinal_survival_tests_computed') }}
