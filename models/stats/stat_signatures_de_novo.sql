-- stat_signatures_de_novo under a contract: stat_signatures_de_novo_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_signatures_de_novo_computed') }}
