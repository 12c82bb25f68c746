-- stat_paired_mcnemar under a contract: stat_paired_mcnemar_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_paired_mcnemar_computed') }}
