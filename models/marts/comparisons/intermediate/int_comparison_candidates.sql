-- The candidate samples of each declared comparison: the non-normal samples of the studies it draws on
-- (int_comparison_sources) passing its selection of sample types, timepoints and case lists (a case list of
-- the sample's study; in any listed). Its `where:` conditions are applied later (int_comparison_selections_met).
-- The declared timepoints are read as the samples' TIMEPOINT is (stg_study__comparisons: the declaring study's
-- own `values:`, then the seed clinical_value_synonyms), so `timepoint: [pre]` keeps the samples whose file
-- says 'Pre-treatment' (baseline), and a study mapping `values: {TIMEPOINT: {T0: baseline}}` may declare T0.
with comparisons as (
    select distinct study_id, comparison, sample_types, timepoints, case_lists
    from {{ ref('stg_study__comparisons') }}
),

samples as (
    select study_id, sample_id, patient_id, sample_type, timepoint
    from {{ ref('dim_sample') }}
    where sample_type <> 'normal'
),

case_lists as (
    select study_id, stable_id, sample_id from {{ ref('stg_study__case_lists') }}
)

select
    comparisons.study_id,
    comparisons.comparison,
    sources.sample_study_id,
    samples.sample_id,
    samples.patient_id,
    samples.sample_type
from comparisons
inner join {{ ref('int_comparison_sources') }} as sources
    on sources.study_id = comparisons.study_id and sources.comparison = comparisons.comparison
inner join samples on samples.study_id = sources.sample_study_id
where (comparisons.sample_types is null
       or {{ in_delimited_list('lower(comparisons.sample_types)', 'samples.sample_type') }})
  and (comparisons.timepoints is null
       or {{ in_delimited_list('lower(comparisons.timepoints)', 'lower(samples.timepoint)') }})
  and (comparisons.case_lists is null or exists (
      select 1 from case_lists
      where case_lists.study_id = samples.study_id and case_lists.sample_id = samples.sample_id
        and {{ in_delimited_list('comparisons.case_lists', 'case_lists.stable_id') }}))
