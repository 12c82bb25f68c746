-- Every comparison the statistics test, one row per comparison x group: the declared ones
-- (stg_study__comparisons) and, for a comparison with stratify_by, one sub-comparison per stratum found in its
-- members ('name [ATTR=value]', int_comparison_members), with the parent's groups, analyses, alternative,
-- reference and covariates. A sub-comparison is not stratified again (stratify_by null): its parent carries
-- the stratified tests (Cox strata, stratified log-rank, Cochran-Mantel-Haenszel).
with declared as (
    select * from {{ ref('stg_study__comparisons') }}
),

strata as (
    select distinct study_id, parent_comparison, comparison, stratum
    from {{ ref('int_comparison_members') }}
    where stratum is not null
)

select
    declared.*,
    declared.comparison as parent_comparison,
    cast(null as {{ dbt.type_string() }}) as stratum
from declared
union all
select
    declared.study_id,
    declared.source_file,
    strata.comparison,
    declared.unit,
    declared.sample_types,
    declared.timepoints,
    declared.declared_timepoints,
    declared.case_lists,
    declared.group_by,
    declared.group_by_kind,
    declared.group_order,
    declared.group_label,
    declared.group_values,
    declared.declared_group_values,
    declared.group_samples,
    declared.n_groups,
    declared.alternative,
    declared.analyses,
    declared.reference_group,
    declared.reference_declared,
    declared.covariates,
    declared.reference_levels,
    declared.declared_reference_levels,
    cast(null as {{ dbt.type_string() }}) as stratify_by,
    declared.outcome,
    declared.studies,
    declared.comparison as parent_comparison,
    strata.stratum
from declared
inner join strata on strata.study_id = declared.study_id and strata.parent_comparison = declared.comparison
