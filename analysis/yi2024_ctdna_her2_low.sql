{#- Not on the spark target: it reads the stats models, which run on DuckDB only. -#}
{{ config(enabled=target.type != 'spark') }}
-- yi2024: plasma ctDNA (1021-gene panel with matched white blood cells) in HER2-low metastatic breast
-- cancer, at baseline and after two cycles of trastuzumab deruxtecan.
-- Demo study: demo_yi2024_ctdna (study c: 40 patients, baseline + on_treatment plasma).
--
-- paper table / figure                                         -> query below
-- Table 1   patient characteristics                            -> [1] dim_patient
-- Fig. 1    baseline ctDNA landscape (genes, per sample)       -> [2] fct_gene_frequency
-- Suppl.    clonal haematopoiesis variants removed             -> [3] int_variants_clonal_haematopoiesis
-- Fig. 2    bTMB and mTBI at baseline and on treatment         -> [4] fct_longitudinal_ctdna; [5] stat_paired_signed_rank
-- Fig. 3    ctDNA clearance and response                       -> [6] fct_longitudinal_ctdna x fct_response
-- Fig. 4    PFS / OS by clearance and by mTBI < / >= 0.02      -> [7] stat_longitudinal_survival_tests; [8] stat_longitudinal_survival_curves
-- Definitions (mTBI, clearance, detection threshold) and differences: README.md#yi2024.

-- [1] Table 1
select her2_category_detail, er_status, count(*) as n_patients, avg(age_years) as mean_age
from {{ ref('dim_patient') }}
where study_id = 'demo_yi2024_ctdna'
group by her2_category_detail, er_status
order by her2_category_detail, er_status;

-- [2] Fig. 1: gene frequencies at baseline and on treatment
select group_label, hugo_symbol, alteration_type, n_profiled, n_altered, altered_fraction
from {{ ref('fct_gene_frequency') }}
where study_id = 'demo_yi2024_ctdna' and comparison = 'baseline_vs_on_treatment' and n_altered > 0
order by group_order, n_altered desc, hugo_symbol
limit 40;

-- [3] Suppl.: clonal haematopoiesis variants (plasma VAF <= 2 x WBC VAF)
select sample_id, hugo_symbol, protein_change_given, plasma_vaf, wbc_vaf, plasma_to_wbc_vaf_ratio, max_plasma_to_wbc_ratio
from {{ ref('int_variants_clonal_haematopoiesis') }}
where study_id = 'demo_yi2024_ctdna'
order by sample_id, hugo_symbol;

-- [4] Fig. 2: per-patient bTMB, mTBI and clearance
select patient_id, btmb_baseline, btmb_on_treatment, btmb_change, mtbi_baseline, mtbi_on_treatment, mtbi_change,
    mtbi_group_baseline, mtbi_group_on_treatment, n_variants_baseline, n_baseline_variants_detected, clearance_status,
    n_ch_variants_baseline
from {{ ref('fct_longitudinal_ctdna') }}
where study_id = 'demo_yi2024_ctdna'
order by patient_id;

-- [5] Fig. 2: paired change, baseline vs on treatment
select measure, n_pairs, median_a as median_baseline, median_b as median_on_treatment, statistic, p_value, method
from {{ ref('stat_paired_signed_rank') }}
where study_id = 'demo_yi2024_ctdna' and pair_rule = 'pre_post_treatment'
order by measure;

-- [6] Fig. 3: clearance by best response
select ctdna.clearance_status, response.best_response, count(*) as n_patients,
    sum(case when response.is_objective_response then 1 else 0 end) as n_objective_response
from {{ ref('fct_longitudinal_ctdna') }} as ctdna
left join {{ ref('fct_response') }} as response
    on response.study_id = ctdna.study_id and response.patient_id = ctdna.patient_id
where ctdna.study_id = 'demo_yi2024_ctdna'
group by ctdna.clearance_status, response.best_response
order by ctdna.clearance_status, response.best_response;

-- [7] Fig. 4: survival tests by clearance and mTBI group
select grouping, endpoint, test, group_label, reference_group, n, n_events, estimate, ci_low, ci_high, statistic, p_value
from {{ ref('stat_longitudinal_survival_tests') }}
where study_id = 'demo_yi2024_ctdna'
order by grouping, endpoint, test, group_label;

-- [8] Fig. 4: Kaplan-Meier curves
select grouping, endpoint, group_label, time, n_risk, n_event, n_censor, surv, lower, upper
from {{ ref('stat_longitudinal_survival_curves') }}
where study_id = 'demo_yi2024_ctdna'
order by grouping, endpoint, group_label, time;

-- Mutational signatures of the plasma variants: Ti/Tv and the six substitution classes (maftools titv), the
-- APOBEC share (fct_sample_apobec) and the COSMIC v3.4 exposures (NNLS, exome-normalised for the panel)
select titv.sample_id, titv.n_snv, titv.ti_fraction, titv.fraction_c_to_t, titv.fraction_c_to_g,
       apobec.fraction_apobec_mutations, apobec.apobec_enrichment, apobec.is_apobec_enriched
from {{ ref('fct_sample_titv') }} as titv
left join {{ ref('fct_sample_apobec') }} as apobec using (study_id, sample_id)
where titv.study_id = 'demo_yi2024_ctdna' and titv.variant_set = 'all_snv'
order by titv.sample_id;

select sample_id, signature_id, exposure, relative_exposure, cosine_similarity, reason
from {{ ref('stat_signature_exposures') }}
where study_id = 'demo_yi2024_ctdna' and (exposure > 0 or reason is not null)
order by sample_id, exposure desc;

-- APOBEC share and signature exposures, baseline vs on treatment (declared `signatures` analysis)
select measure, group1, group2, n1, n2, median1, median2, p_value
from {{ ref('stat_signature_tests') }}
where study_id = 'demo_yi2024_ctdna'
order by p_value;

-- NMF subtypes of the plasma mutation profiles: rank diagnostics, and the baseline clusters against PFS and
-- OS (log-rank across the clusters) and ER status (Fisher)
select rank, cophenetic_correlation, dispersion, n_clusters, is_chosen_rank
from {{ ref('fct_nmf_rank_diagnostics') }}
where study_id = 'demo_yi2024_ctdna'
order by rank;

select comparison, test, endpoint, rank, n, n_clusters, contingency_table, statistic, df, p_value, method
from {{ ref('stat_nmf_association') }}
where study_id = 'demo_yi2024_ctdna'
order by test, endpoint;
