-- One row per comparison x group x cytogenetic region (arm or band) x direction (gain, loss):
-- members with copy-number data covering the region, and members whose region is called gain or
-- loss (int_cytobands_cna_called: >= 50 % of the covered bases altered in that direction).
with profiles as (
    select * from {{ ref('int_comparison_sample_profiles') }} where is_cna_profiled
),

regions as (
    select study_id, sample_id, region_level, region, region_call from {{ ref('int_cytobands_cna_called') }}
),

member_region as (
    select profiles.study_id, profiles.comparison, profiles.group_label, profiles.group_order,
        regions.region_level, regions.region, regions.region_call
    from profiles
    inner join regions on regions.study_id = profiles.study_id and regions.sample_id = profiles.sample_id
),

directions as (
    select 'gain' as direction union all select 'loss'
),

counted as (
    select member_region.study_id, member_region.comparison, member_region.group_label, member_region.group_order,
        member_region.region_level, member_region.region, directions.direction,
        count(*) as n_profiled,
        sum(case when member_region.region_call = directions.direction then 1 else 0 end) as n_altered
    from member_region
    cross join directions
    group by member_region.study_id, member_region.comparison, member_region.group_label, member_region.group_order,
        member_region.region_level, member_region.region, directions.direction
),

altered_somewhere as (
    select study_id, comparison, region_level, region, direction
    from counted
    group by study_id, comparison, region_level, region, direction
    having sum(n_altered) > 0
)

select
    counted.study_id,
    counted.comparison,
    counted.group_label,
    counted.group_order,
    counted.region_level,
    counted.region,
    counted.direction,
    cast(counted.n_profiled as bigint) as n_profiled,
    cast(counted.n_altered as bigint) as n_altered,
    counted.n_altered / nullif(cast(counted.n_profiled as double), 0) as altered_fraction
from counted
inner join altered_somewhere
    on altered_somewhere.study_id = counted.study_id and altered_somewhere.comparison = counted.comparison
    and altered_somewhere.region_level = counted.region_level and altered_somewhere.region = counted.region
    and altered_somewhere.direction = counted.direction
