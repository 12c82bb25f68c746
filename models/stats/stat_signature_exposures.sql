-- stat_signature_exposures under a contract: stat_signature_exposures_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_signature_exposures_computed') }}
