-- stat_signature_tests under a contract: stat_signature_tests_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_signature_tests_computed') }}
