-- stat_enrichment_stratified under a contract: stat_enrichment_stratified_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_enrichment_stratified_computed') }}
