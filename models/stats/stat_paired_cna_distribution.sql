-- stat_paired_cna_distribution under a contract: stat_paired_cna_distribution_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_paired_cna_distribution_computed') }}
