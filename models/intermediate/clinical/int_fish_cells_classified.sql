-- Per-cell FISH counts with the li2024 cell rule: a cell is HER2-amplified when ERBB2/CEP17 >= 2.0 or
-- ERBB2 >= 6 signals (compared in integers, erbb2 >= 2 x cep17, so a ratio of exactly 2.0 is amplified
-- without floating-point doubt). A cell with 0 CEP17 signals has no ratio and is amplified only by
-- ERBB2 >= 6. One row per counted cell, with its patient and the sample's TIMEPOINT. treatment_phase
-- (macro treatment_phase, the vocabulary of the pre_post_treatment pair rule) is 'post' for a sample taken
-- on or after treatment, 'pre' for a baseline / pre-treatment sample or one without a TIMEPOINT (a
-- diagnostic biopsy, as FISH studies give them), and 'unknown' for a TIMEPOINT outside the vocabulary
-- ('week 3'): such a biopsy is in neither phase (int_clinical_unmapped_values lists the value, as it lists
-- every TIMEPOINT outside seeds.clinical_attributes' allowed values).
with cells as (
    select study_id, source_file, source_row, sample_id, biopsy, cell_id, erbb2_signals, cep17_signals
    from {{ ref('stg_study__fish_cells') }}
),

samples as (
    select study_id, sample_id, patient_id from {{ ref('stg_study__samples') }}
),

timepoints as (
    select study_id, sample_id, max(value_text) as timepoint
    from {{ ref('stg_study__clinical_attributes') }}
    where level = 'sample' and attribute = 'TIMEPOINT'
    group by study_id, sample_id
)

select
    cells.study_id,
    samples.patient_id,
    cells.sample_id,
    coalesce(cells.biopsy, cells.sample_id) as biopsy,
    timepoints.timepoint,
    case
        when timepoints.timepoint is null then 'pre'
        else coalesce({{ treatment_phase('timepoints.timepoint') }}, 'unknown')
    end as treatment_phase,
    cells.cell_id,
    cells.source_file,
    cells.source_row,
    cells.erbb2_signals,
    cells.cep17_signals,
    case when cells.cep17_signals > 0 then cast(cells.erbb2_signals as double) / cells.cep17_signals end as cell_ratio,
    (cells.erbb2_signals >= {{ rule_parameter('li2024_ratio2_or_erbb2_6_v1', 'erbb2_signals_amplified') }}
        or (cells.cep17_signals > 0 and cells.erbb2_signals >= {{ rule_parameter('li2024_ratio2_or_erbb2_6_v1', 'ratio_amplified') }} * cells.cep17_signals)) as is_amplified,
    'li2024_ratio2_or_erbb2_6_v1' as cell_rule_id
from cells
inner join samples on samples.study_id = cells.study_id and samples.sample_id = cells.sample_id
left join timepoints on timepoints.study_id = cells.study_id and timepoints.sample_id = cells.sample_id
