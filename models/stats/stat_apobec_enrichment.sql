-- stat_apobec_enrichment under a contract: stat_apobec_enrichment_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_apobec_enrichment_computed') }}
