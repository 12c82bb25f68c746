-- stat_paired_group_tests under a contract: stat_paired_group_tests_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_paired_group_tests_computed') }}
