-- The candidate samples of each declared comparison: the non-normal samples of the studies it draws on
-- (int_comparison_sources) passing its selection of sample types, timepoints and case lists (a case list of
-- the sample's study; in any listed). Its `where:` conditions are applied later (int_comparison_selections_met).
-- A declared timepoint is read as the samples' TIMEPOINT is (dim_sample.timepoint: after the declaring study's
-- own `values:` and then the seed clinical_value_synonyms), so `timepoint: [pre]` keeps the samples whose file
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
),

study_timepoint_synonyms as (
    select study_id, raw_value, lower(canonical_value) as canonical_value
    from ({{ study_value_synonyms(ref('stg_study__study_settings')) }}) as study_value_synonyms
    where attribute = 'TIMEPOINT'
),

timepoint_synonyms as (
    -- per declaring study: its own TIMEPOINT synonyms, and the seed's for the raw values it does not map itself
    select study_id, raw_value, canonical_value from study_timepoint_synonyms
    union all
    select declaring.study_id, lower(trim(seed.raw_value)), lower(seed.canonical_value)
    from (select distinct study_id from comparisons) as declaring
    cross join {{ ref('clinical_value_synonyms') }} as seed
    left join study_timepoint_synonyms as own
        on own.study_id = declaring.study_id and own.raw_value = lower(trim(seed.raw_value))
    where seed.attribute = 'TIMEPOINT' and own.raw_value is null
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
       -- a declared word that the declaring study's synonyms read as the sample's timepoint
       or exists (
           select 1 from timepoint_synonyms
           where timepoint_synonyms.study_id = comparisons.study_id
             and timepoint_synonyms.canonical_value = lower(samples.timepoint)
             and {{ in_delimited_list('lower(comparisons.timepoints)', 'timepoint_synonyms.raw_value') }})
       -- the sample's timepoint declared as it is, unless those synonyms read that word as another timepoint
       or ({{ in_delimited_list('lower(comparisons.timepoints)', 'lower(samples.timepoint)') }}
           and not exists (
               select 1 from timepoint_synonyms
               where timepoint_synonyms.study_id = comparisons.study_id
                 and timepoint_synonyms.raw_value = lower(samples.timepoint)
                 and timepoint_synonyms.canonical_value <> lower(samples.timepoint))))
  and (comparisons.case_lists is null or exists (
      select 1 from case_lists
      where case_lists.study_id = samples.study_id and case_lists.sample_id = samples.sample_id
        and {{ in_delimited_list('comparisons.case_lists', 'case_lists.stable_id') }}))
