-- stat_survival_gene_screen under a contract: stat_survival_gene_screen_computed (Python) typed by the columns of its YAML.
{{ typed_stats_face('stat_survival_gene_screen_computed') }}
