-- One row per study x implicit cohort grouping x group x TMB definition the study sees (every seed definition
-- and the study's own, stg_study__tmb_definitions) x measure: the distribution of
-- TMB (fct_sample_burden.tmb_per_mb) and of the nonsynonymous count it divides (n_nonsynonymous, known
-- even when no coding size is, e.g. a study that declares no assay) over the group's samples. Groups are
-- the implicit cohort groupings of int_comparison_members (cohort:all: every non-normal sample;
-- cohort:sample_type: one group per sample type), so every study has them, declared or not. n_samples
-- counts the group's registry samples (dim_sample), n_sequenced those sequenced for mutations (a
-- fct_sample_burden row, zero mutations included), n_with_value those with a value (TMB: a coding size
-- is known). Quantiles are R's type 7 (percentile_cont) over the samples with a value.
with members as (
    select study_id, comparison, group_label, group_order, sample_id
    from {{ ref('int_comparison_members') }}
    where comparison in ('cohort:all', 'cohort:sample_type')
),

groups as (
    select study_id, comparison, group_label, group_order, count(*) as n_samples
    from members
    group by study_id, comparison, group_label, group_order
),

definitions as (
    select declaring_study_id, definition_id as tmb_definition, declared_by
    from {{ ref('stg_study__tmb_definitions') }}
),

studies as (
    select study_id, tmb_definition from {{ ref('stg_study__studies') }}
),

burden as (
    -- the two measures, long: TMB per Mb (null without a coding size) and the nonsynonymous count it divides
    select study_id, sample_id, tmb_definition, 'tmb_per_mb' as measure, tmb_per_mb as value
    from {{ ref('fct_sample_burden') }}
    union all
    select study_id, sample_id, tmb_definition, 'n_nonsynonymous', cast(n_nonsynonymous as double)
    from {{ ref('fct_sample_burden') }}
),

measures as (
    select 'tmb_per_mb' as measure
    union all
    select 'n_nonsynonymous'
),

distribution as (
    select
        members.study_id,
        members.comparison,
        members.group_label,
        burden.tmb_definition,
        burden.measure,
        count(*) as n_sequenced,
        count(burden.value) as n_with_value,
        min(burden.value) as minimum,
        percentile_cont(0.25) within group (order by burden.value) as q1,
        percentile_cont(0.5) within group (order by burden.value) as median,
        percentile_cont(0.75) within group (order by burden.value) as q3,
        max(burden.value) as maximum,
        {{ ordered_avg('burden.value', ['members.sample_id']) }} as mean
    from members
    inner join burden on burden.study_id = members.study_id and burden.sample_id = members.sample_id
    group by members.study_id, members.comparison, members.group_label, burden.tmb_definition, burden.measure
)

select
    groups.study_id,
    groups.comparison,
    groups.group_label,
    groups.group_order,
    definitions.tmb_definition,
    definitions.declared_by as definition_declared_by,
    coalesce(definitions.tmb_definition = studies.tmb_definition, false) as is_study_definition,
    measures.measure,
    groups.n_samples,
    coalesce(distribution.n_sequenced, 0) as n_sequenced,
    coalesce(distribution.n_with_value, 0) as n_with_value,
    distribution.minimum,
    distribution.q1,
    distribution.median,
    distribution.q3,
    distribution.maximum,
    distribution.mean
from groups
inner join definitions
    on definitions.declaring_study_id is null or definitions.declaring_study_id = groups.study_id
cross join measures
left join studies on studies.study_id = groups.study_id
left join distribution
    on distribution.study_id = groups.study_id and distribution.comparison = groups.comparison
    and distribution.group_label = groups.group_label and distribution.tmb_definition = definitions.tmb_definition
    and distribution.measure = measures.measure
