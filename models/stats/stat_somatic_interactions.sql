-- stat_somatic_interactions under a contract: stat_somatic_interactions_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_somatic_interactions_computed') }}
