-- HER2 FISH before and after treatment (li2024): one row per patient with per-cell FISH counts both before
-- and after treatment (int_fish_patients_summarised, phases 'pre' and 'post': the cells of each phase's
-- biopsies pooled, as the li2024 patient call pools the two pre-treatment biopsies). Per phase: cells
-- counted, fraction of amplified cells, Shannon H and equitability E over the distinct (ERBB2, CEP17)
-- signal-count pairs, and the heterogeneity call; the changes are post - pre. A pair is evaluable when both
-- phases have at least min_cells cells (each has a call); heterogeneity_change then says whether the
-- tumour became heterogeneous (gained), stopped being so (lost) or kept its call. The rule ids and the
-- thresholds (macro fish_heterogeneity_rule) are columns; stat_her2_fish_pre_post_tests tests the changes.
with phases as (
    select * from {{ ref('int_fish_patients_summarised') }}
),

pre as (
    select * from phases where treatment_phase = 'pre'
),

post as (
    select * from phases where treatment_phase = 'post'
),

paired as (
    select
        pre.study_id,
        pre.patient_id,
        pre.n_biopsies as n_biopsies_pre,
        post.n_biopsies as n_biopsies_post,
        pre.n_cells as n_cells_pre,
        post.n_cells as n_cells_post,
        pre.fraction_amplified as fraction_amplified_pre,
        post.fraction_amplified as fraction_amplified_post,
        pre.shannon_h as shannon_h_pre,
        post.shannon_h as shannon_h_post,
        pre.equitability_e as equitability_e_pre,
        post.equitability_e as equitability_e_post,
        pre.her2_heterogeneity as her2_heterogeneity_pre,
        post.her2_heterogeneity as her2_heterogeneity_post,
        pre.her2_heterogeneity <> 'insufficient_cells' and post.her2_heterogeneity <> 'insufficient_cells' as is_evaluable,
        pre.min_cells,
        pre.heterogeneous_fraction_low,
        pre.heterogeneous_fraction_high,
        pre.cell_rule_id,
        pre.her2_heterogeneity_rule_id
    from pre
    inner join post on post.study_id = pre.study_id and post.patient_id = pre.patient_id
)

select
    study_id,
    patient_id,
    n_biopsies_pre,
    n_biopsies_post,
    n_cells_pre,
    n_cells_post,
    fraction_amplified_pre,
    fraction_amplified_post,
    fraction_amplified_post - fraction_amplified_pre as fraction_amplified_change,
    shannon_h_pre,
    shannon_h_post,
    equitability_e_pre,
    equitability_e_post,
    equitability_e_post - equitability_e_pre as equitability_e_change,
    her2_heterogeneity_pre,
    her2_heterogeneity_post,
    is_evaluable,
    case
        when not is_evaluable then 'not_evaluable'
        when her2_heterogeneity_pre = 'homogeneous' and her2_heterogeneity_post = 'heterogeneous' then 'gained'
        when her2_heterogeneity_pre = 'heterogeneous' and her2_heterogeneity_post = 'homogeneous' then 'lost'
        when her2_heterogeneity_pre = 'heterogeneous' then 'stayed_heterogeneous'
        else 'stayed_homogeneous'
    end as heterogeneity_change,
    min_cells,
    heterogeneous_fraction_low,
    heterogeneous_fraction_high,
    cell_rule_id,
    her2_heterogeneity_rule_id,
    'Shannon H = -sum(p ln p) over the frequencies p of the distinct (ERBB2, CEP17) signal-count pairs of '
        || 'the pooled cells; equitability E = H / ln(k) for k distinct pairs, 0 when k = 1' as equitability_rule
from paired
