{#- Not on the spark target: it reads the stats models, which run on DuckDB only. -#}
{{ config(enabled=target.type != 'spark') }}
-- lim2021: whole-exome sequencing of extreme responders vs non-responders (metastatic breast cancer).
-- Demo study: demo_lim2021_wes (seeds/demo_studies/README.md, study a). Declared comparisons:
-- nonresponders_vs_responders (group 1 = non-responders) and tmb_high_vs_low.
--
-- paper table / figure                                  -> query below
-- Table 1   patient characteristics by response group   -> [1] stat_clinical_table
-- Fig. 1    nonsynonymous count / TMB and CNV burden    -> [2] stat_burden_tests; [3] per-sample values (fct_sample_burden, fct_sample_cnv_burden)
-- Fig. 2    genes mutated more often in non-responders  -> [4] stat_enrichment (gene level, mutation)
-- Fig. 2b   pathway alteration frequencies              -> [5] fct_pathway_frequency
-- Fig. 3    PFS by response group and by TMB high/low   -> [6] stat_survival_tests; [7] stat_survival_curves
-- Definitions that differ from the paper: README.md#lim2021.

-- [1] Table 1
select attribute, level, group_label, n, n_level, percent, median, q1, q3, test, p_value, method
from {{ ref('stat_clinical_table') }}
where study_id = 'demo_lim2021_wes' and comparison = 'nonresponders_vs_responders'
order by attribute, group_order, level;

-- [2] Fig. 1: burden tests (Wilcoxon rank-sum, non-responders > responders)
select measure, group1, group2, n1, n2, median1, median2, statistic, p_value, alternative, method
from {{ ref('stat_burden_tests') }}
where study_id = 'demo_lim2021_wes' and comparison = 'nonresponders_vs_responders'
order by measure;

-- [3] Fig. 1: per-sample values behind the box plots
select
    members.group_label,
    burden.sample_id,
    burden.n_nonsynonymous,
    burden.tmb_per_mb,
    cnv.total_cnv_length_mb,
    cnv.cnv_count
from {{ ref('int_comparison_members') }} as members
inner join {{ ref('fct_sample_burden') }} as burden
    on burden.study_id = members.study_id and burden.sample_id = members.sample_id and burden.is_study_definition
left join {{ ref('fct_sample_cnv_burden') }} as cnv
    on cnv.study_id = members.study_id and cnv.sample_id = members.sample_id
where members.study_id = 'demo_lim2021_wes' and members.comparison = 'nonresponders_vs_responders'
order by members.group_label, burden.sample_id;

-- [4] Fig. 2: gene enrichment (Fisher, BH within the comparison)
select feature as hugo_symbol, group1, group2, altered1, n1, altered2, n2, freq1, freq2, odds_ratio, ci_low, ci_high, p_value, q_value
from {{ ref('stat_enrichment') }}
where study_id = 'demo_lim2021_wes' and comparison = 'nonresponders_vs_responders'
  and feature_level = 'gene' and alteration_type = 'mutation'
order by p_value nulls last, feature
limit 30;

-- [5] Fig. 2b: pathway frequencies per group
select collection, gene_set, alteration_type, group_label, n_profiled, n_altered, altered_fraction
from {{ ref('fct_pathway_frequency') }}
where study_id = 'demo_lim2021_wes' and comparison = 'nonresponders_vs_responders'
order by collection, gene_set, alteration_type, group_order;

-- [6] Fig. 3: KM medians, log-rank and Cox HR
select comparison, endpoint, test, group_label, reference_group, n, n_events, estimate, ci_low, ci_high, p_value
from {{ ref('stat_survival_tests') }}
where study_id = 'demo_lim2021_wes'
order by comparison, endpoint, test;

-- [7] Fig. 3: Kaplan-Meier curves
select comparison, endpoint, group_label, time, n_risk, n_event, n_censor, surv, lower, upper
from {{ ref('stat_survival_curves') }}
where study_id = 'demo_lim2021_wes'
order by comparison, endpoint, group_label, time;

-- [8] Mutational signatures: COSMIC v3.4 SBS exposures per patient (NNLS, exome-normalised reference)
select exposures.sample_id, exposures.signature_id, exposures.exposure, exposures.relative_exposure,
       exposures.cosine_similarity, exposures.reference_set
from {{ ref('stat_signature_exposures') }} as exposures
where exposures.study_id = 'demo_lim2021_wes'
order by exposures.sample_id, exposures.signature_id;

-- [9] APOBEC: enrichment per sample (maftools trinucleotideMatrix) and its one-sided Fisher test
select apobec.sample_id, apobec.n_snv, apobec.n_tcw_mutations, apobec.fraction_apobec_mutations,
       apobec.apobec_enrichment, apobec.is_apobec_enriched, tests.p_value, tests.q_value
from {{ ref('fct_sample_apobec') }} as apobec
inner join {{ ref('stat_apobec_enrichment') }} as tests using (study_id, sample_id)
where apobec.study_id = 'demo_lim2021_wes'
order by tests.p_value nulls last;

-- [10] Signatures and APOBEC share between non-responders and responders (Wilcoxon, one-sided as declared)
select measure, group1, group2, n1, n2, median1, median2, statistic, p_value, alternative
from {{ ref('stat_signature_tests') }}
where study_id = 'demo_lim2021_wes' and comparison = 'nonresponders_vs_responders'
order by p_value;
