{%- set rule = fish_heterogeneity_rule() -%}
-- HER2 heterogeneity per biopsy from per-cell FISH counts (li2024): cells counted, fraction of amplified
-- cells, mean ERBB2 and CEP17 signals, mean per-cell ratio and the pooled ratio (total ERBB2 / total
-- CEP17, the way a FISH report computes it); Shannon diversity H = -sum(p ln p) over the frequencies p of
-- the distinct (ERBB2, CEP17) signal-count pairs and equitability E = H / ln(k) for k distinct pairs,
-- defined as 0 when k = 1 (a single signal pattern: no diversity). Heterogeneous when
-- fraction_low < fraction amplified < fraction_high (both bounds strict; 5 % and 50 % by default). A biopsy
-- with fewer than min_cells counted cells (20 by default, the minimum of the ASCO/CAP ISH count) is flagged
-- and categorised 'insufficient_cells'; its numbers are kept. Thresholds: macro fish_heterogeneity_rule
-- (vars), stored as columns. The biopsy's TIMEPOINT and treatment phase come from int_fish_cells_classified.
with cells as (
    select * from {{ ref('int_fish_cells_classified') }}
),

pairs as (
    select study_id, sample_id, biopsy, erbb2_signals, cep17_signals, count(*) as n_cells_with_pair
    from cells
    group by study_id, sample_id, biopsy, erbb2_signals, cep17_signals
),

biopsies as (
    select
        study_id,
        patient_id,
        sample_id,
        biopsy,
        timepoint,
        treatment_phase,
        count(*) as n_cells,
        cast(sum(case when is_amplified then 1 else 0 end) as bigint) as n_amplified_cells,
        avg(cast(erbb2_signals as double)) as mean_erbb2_signals,
        avg(cast(cep17_signals as double)) as mean_cep17_signals,
        {{ ordered_avg('cell_ratio', ['source_file', 'source_row']) }} as mean_cell_ratio,
        cast(sum(erbb2_signals) as double) / nullif(sum(cep17_signals), 0) as pooled_ratio
    from cells
    group by study_id, patient_id, sample_id, biopsy, timepoint, treatment_phase
),

diversity as (
    select
        pairs.study_id,
        pairs.sample_id,
        pairs.biopsy,
        count(*) as n_signal_pairs,
        0 - {{ ordered_sum(
            '(pairs.n_cells_with_pair * 1.0 / biopsies.n_cells) * ln(pairs.n_cells_with_pair * 1.0 / biopsies.n_cells)',
            ['pairs.erbb2_signals', 'pairs.cep17_signals']) }} as shannon_h
    from pairs
    inner join biopsies
        on biopsies.study_id = pairs.study_id and biopsies.sample_id = pairs.sample_id and biopsies.biopsy = pairs.biopsy
    group by pairs.study_id, pairs.sample_id, pairs.biopsy
),

summarised as (
    select
        biopsies.*,
        cast(biopsies.n_amplified_cells as double) / biopsies.n_cells as fraction_amplified,
        diversity.n_signal_pairs,
        diversity.shannon_h
    from biopsies
    inner join diversity
        on diversity.study_id = biopsies.study_id and diversity.sample_id = biopsies.sample_id and diversity.biopsy = biopsies.biopsy
)

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
    case when n_signal_pairs > 1 then shannon_h / ln(n_signal_pairs) else 0.0 end as equitability_e,
    n_cells < {{ rule.min_cells }} as is_low_cell_count,
    fraction_amplified > {{ rule.fraction_low }} and fraction_amplified < {{ rule.fraction_high }} as is_heterogeneous,
    case
        when n_cells < {{ rule.min_cells }} then 'insufficient_cells'
        when fraction_amplified > {{ rule.fraction_low }} and fraction_amplified < {{ rule.fraction_high }} then 'heterogeneous'
        else 'homogeneous'
    end as heterogeneity_category,
    cast({{ rule.min_cells }} as bigint) as min_cells,
    cast({{ rule.fraction_low }} as double) as heterogeneous_fraction_low,
    cast({{ rule.fraction_high }} as double) as heterogeneous_fraction_high,
    '{{ rule.biopsy_rule_id }}' as heterogeneity_rule_id
from summarised
