{#- Not on the spark target: it reads the stats models, which run on DuckDB only. -#}
{{ config(enabled=target.type != 'spark') }}
-- paul2020: paired primary tumours and metastases (whole-exome + low-pass WGS), plus unpaired metastases.
-- Demo study: demo_paul2020_pairs (study b: 28 primary/metastasis pairs + 8 unpaired metastases).
--
-- paper table / figure                                            -> query below
-- Fig. 1    shared and private mutations per pair, Jaccard, CN R^2 -> [1] fct_sample_pair_concordance
-- Fig. 1    more private mutations in metastases (paired)          -> [2] stat_paired_signed_rank
-- Fig. 2    genes / pathways privately mutated in metastases       -> [3] stat_paired_mcnemar (McNemar + permutation p)
-- Fig. 2    ESR1 hotspots private to metastases                    -> [4] int_pair_variants_compared
-- Fig. 3    low-level CNA distribution, primaries vs metastases    -> [5] stat_paired_cna_distribution
-- Suppl.    all metastases vs all primaries (unpaired)             -> [6] stat_burden_tests, [7] stat_enrichment
-- Definitions that differ from the paper: README.md#paul2020.

-- [1] Fig. 1: per-pair concordance
select patient_id, sample_id_a as primary_sample, sample_id_b as metastasis_sample, n_mutations_a, n_mutations_b,
    n_shared, n_private_a, n_private_b, jaccard_index, fraction_a_shared, cn_r_squared, cn_call_agreement
from {{ ref('fct_sample_pair_concordance') }}
where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis'
order by patient_id;

-- [2] Fig. 1: signed-rank tests over the pairs (metastasis vs primary)
select measure, n_pairs, median_a as median_primary, median_b as median_metastasis, median_difference, statistic, p_value, q_value, method
from {{ ref('stat_paired_signed_rank') }}
where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis'
order by measure;

-- [3] Fig. 2: genes and pathways (McNemar; permutation p controls for the global increase in metastases)
select feature_level, collection, feature, n_pairs, n_both, n_a_only as n_primary_only, n_b_only as n_metastasis_only,
    statistic, p_value, q_value, permutation_expected, permutation_p_greater, permutation_p_two_sided, permutation_q_two_sided
from {{ ref('stat_paired_mcnemar') }}
where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis'
  and (feature_level = 'pathway' or n_a_only + n_b_only >= 2)
order by feature_level, p_value nulls last, feature;

-- [4] Fig. 2: ESR1 mutations and where they are (private to the metastasis or shared)
select patient_id, sample_id_a as primary_sample, sample_id_b as metastasis_sample, variant_key, protein_change, is_hotspot, concordance
from {{ ref('int_pair_variants_compared') }}
where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis' and hugo_symbol = 'ESR1'
order by patient_id;

-- [5] Fig. 3: low-level CNA distribution (all genes pooled, then the most different genes)
select test, feature, gain_a, loss_a, neutral_a, gain_b, loss_b, neutral_b, statistic, df, p_value, q_value
from {{ ref('stat_paired_cna_distribution') }}
where study_id = 'demo_paul2020_pairs' and pair_rule = 'primary_metastasis'
order by case when test = 'all_genes' then 0 else 1 end, p_value nulls last
limit 25;

-- [6] Suppl.: burden, all metastases vs all primaries (unpaired rank-sum)
select measure, group1, group2, n1, n2, median1, median2, statistic, p_value, method
from {{ ref('stat_burden_tests') }}
where study_id = 'demo_paul2020_pairs'
order by measure;

-- [7] Suppl.: gene enrichment, all metastases vs all primaries (unpaired Fisher)
select feature, altered1, n1, altered2, n2, odds_ratio, p_value, q_value
from {{ ref('stat_enrichment') }}
where study_id = 'demo_paul2020_pairs' and feature_level = 'gene' and alteration_type = 'mutation'
order by p_value nulls last, feature
limit 20;
