-- HER2 FISH heterogeneity: one row per biopsy with per-cell FISH counts (li2024 measures), before or
-- after treatment (timepoint, treatment_phase).
select
    study_id,
    patient_id,
    sample_id,
    biopsy,
    timepoint,
    treatment_phase,
    n_cells,
    n_amplified_cells,
    fraction_amplified,
    mean_erbb2_signals,
    mean_cep17_signals,
    mean_cell_ratio,
    pooled_ratio,
    n_signal_pairs,
    shannon_h,
    equitability_e,
    is_low_cell_count,
    is_heterogeneous,
    heterogeneity_category,
    min_cells,
    heterogeneous_fraction_low,
    heterogeneous_fraction_high,
    heterogeneity_rule_id
from {{ ref('int_fish_biopsies_summarised') }}
