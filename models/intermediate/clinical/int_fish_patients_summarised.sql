-- HER2 heterogeneity per patient from the per-cell FISH counts of all the patient's biopsies, pooled
-- (li2024's patient call: the fraction of amplified cells over every counted cell of both biopsies).
-- The same measures as int_fish_biopsies_summarised, over the pooled cells, plus how many biopsies were
-- counted, flagged for fewer than 20 cells, and heterogeneous on their own; biopsies_discordant when the
-- biopsies' own calls differ. 'insufficient_cells' when fewer than 20 cells were counted in total.
with cells as (
    select * from {{ ref('int_fish_cells_classified') }}
),

biopsies as (
    select * from {{ ref('int_fish_biopsies_summarised') }}
),

pairs as (
    select study_id, patient_id, erbb2_signals, cep17_signals, count(*) as n_cells_with_pair
    from cells
    group by study_id, patient_id, erbb2_signals, cep17_signals
),

pooled as (
    select
        study_id,
        patient_id,
        count(*) as n_cells,
        sum(case when is_amplified then 1 else 0 end) as n_amplified_cells,
        avg(cast(erbb2_signals as double)) as mean_erbb2_signals,
        avg(cast(cep17_signals as double)) as mean_cep17_signals,
        avg(cell_ratio) as mean_cell_ratio,
        sum(erbb2_signals) * 1.0 / nullif(sum(cep17_signals), 0) as pooled_ratio
    from cells
    group by study_id, patient_id
),

diversity as (
    select
        pairs.study_id,
        pairs.patient_id,
        count(*) as n_signal_pairs,
        0 - sum((pairs.n_cells_with_pair * 1.0 / pooled.n_cells) * ln(pairs.n_cells_with_pair * 1.0 / pooled.n_cells)) as shannon_h
    from pairs
    inner join pooled on pooled.study_id = pairs.study_id and pooled.patient_id = pairs.patient_id
    group by pairs.study_id, pairs.patient_id
),

biopsy_counts as (
    select
        study_id,
        patient_id,
        count(*) as n_biopsies,
        sum(case when is_low_cell_count then 1 else 0 end) as n_low_cell_biopsies,
        sum(case when is_heterogeneous then 1 else 0 end) as n_heterogeneous_biopsies
    from biopsies
    group by study_id, patient_id
)

select
    pooled.study_id,
    pooled.patient_id,
    biopsy_counts.n_biopsies,
    biopsy_counts.n_low_cell_biopsies,
    biopsy_counts.n_heterogeneous_biopsies,
    biopsy_counts.n_heterogeneous_biopsies > 0 and biopsy_counts.n_heterogeneous_biopsies < biopsy_counts.n_biopsies as biopsies_discordant,
    pooled.n_cells,
    pooled.n_amplified_cells,
    pooled.n_amplified_cells * 1.0 / pooled.n_cells as fraction_amplified,
    pooled.mean_erbb2_signals,
    pooled.mean_cep17_signals,
    pooled.mean_cell_ratio,
    pooled.pooled_ratio,
    diversity.n_signal_pairs,
    diversity.shannon_h,
    case when diversity.n_signal_pairs > 1 then diversity.shannon_h / ln(diversity.n_signal_pairs) else 0.0 end as equitability_e,
    case
        when pooled.n_cells < 20 then 'insufficient_cells'
        when pooled.n_amplified_cells * 1.0 / pooled.n_cells > 0.05 and pooled.n_amplified_cells * 1.0 / pooled.n_cells < 0.50 then 'heterogeneous'
        else 'homogeneous'
    end as her2_heterogeneity,
    'li2024_pooled_biopsies_5_50_v1' as her2_heterogeneity_rule_id
from pooled
inner join diversity on diversity.study_id = pooled.study_id and diversity.patient_id = pooled.patient_id
inner join biopsy_counts on biopsy_counts.study_id = pooled.study_id and biopsy_counts.patient_id = pooled.patient_id
