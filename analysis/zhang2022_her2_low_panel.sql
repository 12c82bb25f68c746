{#- Not on the spark target: it reads the stats models, which run on DuckDB only. -#}
{{ config(enabled=target.type != 'spark') }}
-- zhang2022: tissue 520-gene panel in HER2-zero, HER2-low and HER2-positive breast cancer.
-- Demo study: demo_zhang2022_panel (study d: 150 patients). Declared comparisons:
-- her2_zero_low_positive (three groups) and her2_low_vs_zero.
--
-- paper table / figure                                        -> query below
-- Table 1   clinicopathological features by HER2 group        -> [1] stat_clinical_table
-- Fig. 1    oncoprint frequencies by HER2 group (genes)       -> [2] fct_gene_frequency
-- Fig. 2    PIK3CA / TP53 / ERBB2 differences (Fisher)        -> [3] stat_enrichment
-- Fig. 2    hotspots (PIK3CA, ERBB2 residues)                 -> [4] fct_hotspot_frequency
-- Fig. 3    oncogenic pathways by HER2 group                  -> [5] fct_pathway_frequency
-- Fig. 3b   co-occurrence / mutual exclusivity                -> [6] stat_somatic_interactions
-- Table 2   pCR after neoadjuvant therapy by HER2 group       -> [7] stat_response_rates
-- Fig. 4    DFS by HER2 group                                 -> [8] stat_survival_tests
-- Definitions that differ from the paper: README.md#zhang2022.

-- [1] Table 1
select attribute, level, group_label, n, n_level, percent, median, q1, q3, test, p_value, method
from {{ ref('stat_clinical_table') }}
where study_id = 'demo_zhang2022_panel' and comparison = 'her2_zero_low_positive'
order by attribute, group_order, level;

-- [2] Fig. 1: gene frequencies by HER2 group
select hugo_symbol, alteration_type, group_label, n_profiled, n_altered, altered_fraction
from {{ ref('fct_gene_frequency') }}
where study_id = 'demo_zhang2022_panel' and comparison = 'her2_zero_low_positive'
  and hugo_symbol in ('PIK3CA', 'TP53', 'ERBB2', 'CCND1', 'GATA3', 'CDH1', 'MAP3K1', 'KMT2C')
order by hugo_symbol, alteration_type, group_order;

-- [3] Fig. 2: enrichment tests, HER2-low vs HER2-zero and pairwise across the three groups
select comparison, feature, alteration_type, test, group1, group2, altered1, n1, altered2, n2, odds_ratio, p_value, q_value
from {{ ref('stat_enrichment') }}
where study_id = 'demo_zhang2022_panel' and feature_level = 'gene' and feature in ('PIK3CA', 'TP53', 'ERBB2')
order by comparison, feature, alteration_type, test, group1, group2;

-- [4] Fig. 2: hotspot residues and domains
select comparison, hugo_symbol, feature_level, feature, group_label, n_profiled, n_altered, altered_fraction
from {{ ref('fct_hotspot_frequency') }}
where study_id = 'demo_zhang2022_panel' and n_altered > 0
order by comparison, hugo_symbol, feature, group_order;

-- [5] Fig. 3: pathway frequencies
select collection, gene_set, alteration_type, group_label, n_profiled, n_altered, altered_fraction
from {{ ref('fct_pathway_frequency') }}
where study_id = 'demo_zhang2022_panel' and comparison = 'her2_zero_low_positive'
order by collection, gene_set, alteration_type, group_order;

-- [6] Fig. 3b: somatic interactions (mutations; alteration_type 'cna' gives co-amplification, 'any' either)
select gene1, gene2, n11, n10, n01, n00, event, odds_ratio, p_value, q_value
from {{ ref('stat_somatic_interactions') }}
where study_id = 'demo_zhang2022_panel' and alteration_type = 'mutation'
order by p_value nulls last
limit 25;

-- [7] Table 2: pCR rates
select comparison, feature, test, group1, group2, altered1, n1, altered2, n2, freq1, freq2, odds_ratio, p_value, q_value
from {{ ref('stat_response_rates') }}
where study_id = 'demo_zhang2022_panel'
order by comparison, test, group1, group2;

-- [8] Fig. 4: DFS
select comparison, endpoint, test, group_label, reference_group, n, n_events, estimate, ci_low, ci_high, p_value
from {{ ref('stat_survival_tests') }}
where study_id = 'demo_zhang2022_panel'
order by comparison, endpoint, test;

-- NMF subtypes of the mutation profiles: rank diagnostics (cophenetic correlation, Brunet 2004), the
-- clusters at the chosen rank, and the clusters against the HER2-zero / low / positive groups (Fisher) and
-- against DFS (log-rank across the clusters)
select rank, cophenetic_correlation, dispersion, n_clusters, n_clustered_samples, is_chosen_rank, n_features, runs, seed
from {{ ref('fct_nmf_rank_diagnostics') }}
where study_id = 'demo_zhang2022_panel'
order by rank;

select sample_id, cluster
from {{ ref('fct_sample_nmf_cluster') }}
where study_id = 'demo_zhang2022_panel' and is_chosen_rank
order by cluster, sample_id;

select comparison, test, endpoint, rank, n, n_unclustered, contingency_table, statistic, df, p_value, method
from {{ ref('stat_nmf_association') }}
where study_id = 'demo_zhang2022_panel'
order by test, endpoint;
