-- HER2 heterogeneity per biopsy from per-cell FISH counts (li2024): cells counted, fraction of amplified
-- cells, mean ERBB2 and CEP17 signals, mean per-cell ratio and the pooled ratio (total ERBB2 / total
-- CEP17, the way a FISH report computes it); Shannon diversity H = -sum(p ln p) over the frequencies p of
-- the distinct (ERBB2, CEP17) signal-count pairs and equitability E = H / ln(k) for k distinct pairs,
-- defined as 0 when k = 1 (a single signal pattern: no diversity). Heterogeneous when
-- 5 % < fraction amplified < 50 % (both bounds strict). A biopsy with fewer than 20 counted cells (the
-- minimum of the ASCO/CAP ISH count) is flagged and categorised 'insufficient_cells'; its numbers are kept.
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
        count(*) as n_cells,
        sum(case when is_amplified then 1 else 0 end) as n_amplified_cells,
        avg(cast(erbb2_signals as double)) as mean_erbb2_signals,
        avg(cast(cep17_signals as double)) as mean_cep17_signals,
        avg(cell_ratio) as mean_cell_ratio,
        sum(erbb2_signals) * 1.0 / nullif(sum(cep17_signals), 0) as pooled_ratio
    from cells
    group by study_id, patient_id, sample_id, biopsy
),

diversity as (
    select
        pairs.study_id,
        pairs.sample_id,
        pairs.biopsy,
        count(*) as n_signal_pairs,
        0 - sum((pairs.n_cells_with_pair * 1.0 / biopsies.n_cells) * ln(pairs.n_cells_with_pair * 1.0 / biopsies.n_cells)) as shannon_h
    from pairs
    inner join biopsies
        on biopsies.study_id = pairs.study_id and biopsies.sample_id = pairs.sample_id and biopsies.biopsy = pairs.biopsy
    group by pairs.study_id, pairs.sample_id, pairs.biopsy
),

summarised as (
    select
        biopsies.*,
        biopsies.n_amplified_cells * 1.0 / biopsies.n_cells as fraction_amplified,
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
    n_cells < 20 as is_low_cell_count,
    fraction_amplified > 0.05 and fraction_amplified < 0.50 as is_heterogeneous,
    case
        when n_cells < 20 then 'insufficient_cells'
        when fraction_amplified > 0.05 and fraction_amplified < 0.50 then 'heterogeneous'
        else 'homogeneous'
    end as heterogeneity_category,
    'li2024_fraction_5_50_min20_v1' as heterogeneity_rule_id
from summarised
