-- stat_her2_fish_pre_post_tests under a contract: stat_her2_fish_pre_post_tests_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_her2_fish_pre_post_tests_computed') }}
