-- One row per comparison x group x cytogenetic region (arm or band) x direction (gain, loss), for the
-- regions called in that direction in at least one member of the comparison: members with segments
-- (n_profiled, the copy-number-profiled members; cBioPortal's denominator) and members whose region is
-- called gain or loss (int_cytobands_cna_called: >= 50 % of the covered bases altered in that direction).
with segmented as (
    select distinct study_id, sample_id from {{ ref('int_segments_called') }}
),

profiles as (
    select profiles.study_id, profiles.comparison, profiles.sample_study_id, profiles.sample_id, profiles.group_label,
        profiles.group_order
    from {{ ref('int_comparison_members') }} as profiles
    inner join segmented on segmented.study_id = profiles.sample_study_id and segmented.sample_id = profiles.sample_id
),

group_sizes as (
    select study_id, comparison, group_label, group_order, count(*) as n_profiled
    from profiles
    group by study_id, comparison, group_label, group_order
),

altered as (
    select profiles.study_id, profiles.comparison, profiles.group_label, calls.region_level, calls.region,
        calls.region_call as direction, count(*) as n_altered
    from profiles
    inner join {{ ref('int_cytobands_cna_called') }} as calls
        on calls.study_id = profiles.sample_study_id and calls.sample_id = profiles.sample_id
    group by profiles.study_id, profiles.comparison, profiles.group_label, calls.region_level, calls.region, calls.region_call
),

altered_somewhere as (
    select distinct study_id, comparison, region_level, region, direction from altered
)

select
    group_sizes.study_id,
    group_sizes.comparison,
    group_sizes.group_label,
    group_sizes.group_order,
    altered_somewhere.region_level,
    altered_somewhere.region,
    altered_somewhere.direction,
    {{ frequency_measures('group_sizes.n_profiled', 'coalesce(altered.n_altered, 0)') }}
from altered_somewhere
inner join group_sizes
    on group_sizes.study_id = altered_somewhere.study_id and group_sizes.comparison = altered_somewhere.comparison
left join altered
    on altered.study_id = group_sizes.study_id and altered.comparison = group_sizes.comparison
    and altered.group_label = group_sizes.group_label and altered.region_level = altered_somewhere.region_level
    and altered.region = altered_somewhere.region and altered.direction = altered_somewhere.direction
