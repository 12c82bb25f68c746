{#- Not on the spark target: it reads the stats models, which run on DuckDB only. -#}
{{ config(enabled=target.type != 'spark') }}
-- li2024: HER2 heterogeneity by cell-level FISH in two pre-treatment biopsies, response to neoadjuvant
-- anti-HER2 therapy, and FISH of the residual tumour after treatment. Demo study: demo_li2024_fish (study e:
-- 40 patients x 2 baseline biopsies, plus a post-treatment biopsy of the 21 patients without pCR).
--
-- paper table / figure                                              -> query below
-- Fig. 1    per-biopsy amplified-cell fraction, ratio, heterogeneity -> [1] fct_her2_fish_biopsy
-- Table 1   characteristics by heterogeneity                         -> [2] stat_clinical_table
-- Fig. 2    pCR by HER2 heterogeneity                                -> [3] stat_response_rates; [4] fct_response x dim_patient
-- Fig. 3    genomic concordance of the two biopsies                  -> [5] fct_sample_pair_concordance; [6] stat_paired_signed_rank
-- Fig. 3b   mutated genes by heterogeneity                           -> [7] stat_enrichment
-- Pre/post  FISH before vs after treatment, per patient              -> [8] fct_her2_fish_pre_post_treatment
-- Pre/post  change of amplified fraction, equitability, status       -> [9] stat_her2_fish_pre_post_tests
-- Definitions that differ from the paper: README.md#li2024.

-- [1] Fig. 1: per-biopsy FISH summary (the pre-treatment biopsies; treatment_phase = 'post' for the residual tumours)
select patient_id, sample_id, biopsy, timepoint, n_cells, n_amplified_cells, fraction_amplified, pooled_ratio,
    mean_erbb2_signals, shannon_h, equitability_e, is_low_cell_count, heterogeneity_category
from {{ ref('fct_her2_fish_biopsy') }}
where study_id = 'demo_li2024_fish' and treatment_phase = 'pre'
order by patient_id, biopsy;

-- [2] Table 1
select attribute, level, group_label, n, n_level, percent, median, q1, q3, test, p_value
from {{ ref('stat_clinical_table') }}
where study_id = 'demo_li2024_fish' and comparison = 'heterogeneous_vs_homogeneous'
order by attribute, group_order, level;

-- [3] Fig. 2: pCR rates and Fisher test
select comparison, feature, group1, group2, altered1, n1, altered2, n2, freq1, freq2, odds_ratio, ci_low, ci_high, p_value
from {{ ref('stat_response_rates') }}
where study_id = 'demo_li2024_fish';

-- [4] Fig. 2: pCR and RCB class per heterogeneity category
select patients.her2_heterogeneity, response.pcr, response.rcb_class, count(*) as n_patients
from {{ ref('dim_patient') }} as patients
left join {{ ref('fct_response') }} as response
    on response.study_id = patients.study_id and response.patient_id = patients.patient_id
where patients.study_id = 'demo_li2024_fish'
group by patients.her2_heterogeneity, response.pcr, response.rcb_class
order by patients.her2_heterogeneity, response.pcr, response.rcb_class;

-- [5] Fig. 3: mutation and copy-number concordance of biopsy 1 vs biopsy 2
select patient_id, sample_id_a, sample_id_b, n_mutations_a, n_mutations_b, n_shared, n_private_a, n_private_b,
    jaccard_index, cn_r_squared, cn_call_agreement
from {{ ref('fct_sample_pair_concordance') }}
where study_id = 'demo_li2024_fish' and pair_rule = 'two_biopsies'
order by patient_id;

-- [6] Fig. 3: paired tests between the biopsies
select measure, n_pairs, median_a, median_b, statistic, p_value, method
from {{ ref('stat_paired_signed_rank') }}
where study_id = 'demo_li2024_fish' and pair_rule = 'two_biopsies'
order by measure;

-- [7] Fig. 3b: genes by heterogeneity
select feature, alteration_type, group1, group2, altered1, n1, altered2, n2, odds_ratio, p_value, q_value
from {{ ref('stat_enrichment') }}
where study_id = 'demo_li2024_fish' and feature_level = 'gene'
order by p_value nulls last, feature
limit 20;

-- [8] Pre/post treatment: per patient, the pooled pre-treatment biopsies vs the post-treatment biopsy
select patient_id, n_cells_pre, n_cells_post, fraction_amplified_pre, fraction_amplified_post, fraction_amplified_change,
    equitability_e_pre, equitability_e_post, equitability_e_change, her2_heterogeneity_pre, her2_heterogeneity_post,
    heterogeneity_change, is_evaluable, her2_heterogeneity_rule_id
from {{ ref('fct_her2_fish_pre_post_treatment') }}
where study_id = 'demo_li2024_fish'
order by patient_id;

-- [9] Pre/post treatment: signed-rank on the changes, McNemar on the heterogeneous status (evaluable pairs)
select test, measure, n_pairs, n_pairs_not_evaluable, median_a, median_b, median_difference, n_both, n_a_only,
    n_b_only, n_neither, statistic, p_value, method, reason
from {{ ref('stat_her2_fish_pre_post_tests') }}
where study_id = 'demo_li2024_fish'
order by test desc, measure;
