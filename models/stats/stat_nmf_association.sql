-- stat_nmf_association under a contract: stat_nmf_association_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_nmf_association_computed') }}
