-- stat_paired_signed_rank under a contract: stat_paired_signed_rank_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_paired_signed_rank_computed') }}
