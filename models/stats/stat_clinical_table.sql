-- stat_clinical_table under a contract: stat_clinical_table_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_clinical_table_computed') }}
