{%- set rule = fish_heterogeneity_rule() -%}
-- HER2 heterogeneity per patient and treatment phase from the per-cell FISH counts of the patient's
-- biopsies of that phase, pooled (li2024's patient call: the fraction of amplified cells over every counted
-- cell of both pre-treatment biopsies). Phase 'pre' pools the baseline / pre-treatment biopsies and those
-- without a TIMEPOINT (int_fish_cells_classified.treatment_phase); phase 'post' pools the on/post-treatment
-- biopsies, when there are any; phase 'unknown' pools those whose TIMEPOINT is outside the vocabulary, apart
-- from both. dim_patient.her2_heterogeneity is the 'pre' row; fct_her2_fish_pre_post_treatment pairs the two.
-- The same measures as int_fish_biopsies_summarised, over the pooled cells, plus how many biopsies were
-- counted, flagged for too few cells, and heterogeneous on their own (evaluable: min_cells or more);
-- biopsies_discordant when the evaluable biopsies' own calls differ. 'insufficient_cells' when fewer than min_cells cells were counted in total.
-- Thresholds: macro fish_heterogeneity_rule (vars), stored as columns.
with cells as (
    select * from {{ ref('int_fish_cells_classified') }}
),

biopsies as (
    select * from {{ ref('int_fish_biopsies_summarised') }}
),

pairs as (
    select study_id, patient_id, treatment_phase, erbb2_signals, cep17_signals, count(*) as n_cells_with_pair
    from cells
    group by study_id, patient_id, treatment_phase, erbb2_signals, cep17_signals
),

pooled as (
    select
        study_id,
        patient_id,
        treatment_phase,
        count(*) as n_cells,
        cast(sum(case when is_amplified then 1 else 0 end) as bigint) as n_amplified_cells,
        avg(cast(erbb2_signals as double)) as mean_erbb2_signals,
        avg(cast(cep17_signals as double)) as mean_cep17_signals,
        {{ ordered_avg('cell_ratio', ['source_file', 'source_row']) }} as mean_cell_ratio,
        cast(sum(erbb2_signals) as double) / nullif(sum(cep17_signals), 0) as pooled_ratio,
        max(cell_rule_id) as cell_rule_id
    from cells
    group by study_id, patient_id, treatment_phase
),

diversity as (
    select
        pairs.study_id,
        pairs.patient_id,
        pairs.treatment_phase,
        count(*) as n_signal_pairs,
        0 - {{ ordered_sum(
            '(pairs.n_cells_with_pair * 1.0 / pooled.n_cells) * ln(pairs.n_cells_with_pair * 1.0 / pooled.n_cells)',
            ['pairs.erbb2_signals', 'pairs.cep17_signals']) }} as shannon_h
    from pairs
    inner join pooled
        on pooled.study_id = pairs.study_id and pooled.patient_id = pairs.patient_id
        and pooled.treatment_phase = pairs.treatment_phase
    group by pairs.study_id, pairs.patient_id, pairs.treatment_phase
),

biopsy_counts as (
    select
        study_id,
        patient_id,
        treatment_phase,
        count(*) as n_biopsies,
        cast(sum(case when is_low_cell_count then 1 else 0 end) as bigint) as n_low_cell_biopsies,
        -- a biopsy of too few cells is not evaluable: its fraction, whatever it is, is not a heterogeneous call
        cast(sum(case when heterogeneity_category = 'heterogeneous' then 1 else 0 end) as bigint) as n_heterogeneous_biopsies
    from biopsies
    group by study_id, patient_id, treatment_phase
),

summarised as (
    select
        pooled.*,
        cast(pooled.n_amplified_cells as double) / pooled.n_cells as fraction_amplified,
        diversity.n_signal_pairs,
        diversity.shannon_h,
        biopsy_counts.n_biopsies,
        biopsy_counts.n_low_cell_biopsies,
        biopsy_counts.n_heterogeneous_biopsies
    from pooled
    inner join diversity
        on diversity.study_id = pooled.study_id and diversity.patient_id = pooled.patient_id
        and diversity.treatment_phase = pooled.treatment_phase
    inner join biopsy_counts
        on biopsy_counts.study_id = pooled.study_id and biopsy_counts.patient_id = pooled.patient_id
        and biopsy_counts.treatment_phase = pooled.treatment_phase
)

select
    study_id,
    patient_id,
    treatment_phase,
    n_biopsies,
    n_low_cell_biopsies,
    n_heterogeneous_biopsies,
    n_heterogeneous_biopsies > 0 and n_heterogeneous_biopsies < n_biopsies - n_low_cell_biopsies as biopsies_discordant,
    n_cells,
    n_amplified_cells,
    fraction_amplified,
    mean_erbb2_signals,
    mean_cep17_signals,
    mean_cell_ratio,
    pooled_ratio,
    n_signal_pairs,
    shannon_h,
    case when n_signal_pairs > 1 then shannon_h / ln(n_signal_pairs) else 0.0 end as equitability_e,
    case
        when n_cells < {{ rule.min_cells }} then 'insufficient_cells'
        when fraction_amplified > {{ rule.fraction_low }} and fraction_amplified < {{ rule.fraction_high }} then 'heterogeneous'
        else 'homogeneous'
    end as her2_heterogeneity,
    cast({{ rule.min_cells }} as bigint) as min_cells,
    cast({{ rule.fraction_low }} as double) as heterogeneous_fraction_low,
    cast({{ rule.fraction_high }} as double) as heterogeneous_fraction_high,
    cell_rule_id,
    '{{ rule.patient_rule_id }}' as her2_heterogeneity_rule_id
from summarised
