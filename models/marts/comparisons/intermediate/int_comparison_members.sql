-- One row per declared comparison per member sample, with its group. A comparison belongs to its declaring study
-- (study_id) and draws its samples from the studies of `studies:` (int_comparison_sources), else from its own;
-- each member keeps its own study (sample_study_id), whose registry, assay, TMB definition and CNA calls it is
-- judged by. The steps before this one are tables of their own, so that each engine plans them apart:
-- int_comparison_candidates (sample type, timepoint and case-list selection), int_comparison_unit_values and
-- int_comparison_gene_statuses (what conditions and groupings read), int_comparison_selections_met (the
-- `where:` conditions: in every clause one branch must have all its conditions met). Patient-unit comparisons
-- then keep one representative sample per patient (the first selected: sequenced, then with copy-number data,
-- then by sample type, then sample id: macros/representative_sample_order.sql).
-- Each member says what it was profiled for (its assay; copy-number data or not): the frequency marts'
-- denominators.
-- Groupings: an attribute (sample-level value, else the patient's); groups declared by `where:` conditions;
-- explicit sample lists; or derived: mutated:GENE (mutated / wildtype among samples whose assay covers the
-- gene; PASS nonsynonymous under the study's definition), amplified:GENE, deleted:GENE, cna:GENE,
-- altered:GENE (int_comparison_gene_statuses), tmb:median | tmb:<cut-off per Mb> and cnv_burden:median |
-- cnv_burden:<Mb> (high when >= the cut-off; the median is over the comparison's selected units).
-- The build fails, naming the comparison, when a group_by or condition attribute is unknown, a group is
-- empty, or a unit meets the conditions of two groups.
-- Every study also has two implicit groupings, declared or not, so that a study without
-- oncoduck_study.yml still has cohort-wide frequencies: cohort:all (one group 'all': every non-normal
-- sample) and cohort:sample_type (one group per sample type). Sample unit. They are not declared in
-- stg_study__comparisons, so no statistics model tests them; names starting with cohort: are reserved
-- (refused in oncoduck_study.yml by ingest/declarations.py).
with declared as (
    select * from {{ ref('stg_study__comparisons') }}
),

comparisons as (
    select distinct study_id, source_file, comparison, unit, sample_types, timepoints, case_lists, group_by, group_by_kind,
        studies
    from declared
),

samples as (
    select study_id, sample_id, patient_id, sample_type
    from {{ ref('dim_sample') }}
    where sample_type <> 'normal'
),

stratify as (
    -- the declared strata attributes (stratify_by: one or two attributes), by declaring study
    select distinct
        study_id,
        comparison,
        upper({{ split_part_at('stratify_by', "';'", 1) }}) as attribute_1,
        nullif(upper({{ split_part_at('stratify_by', "';'", 2) }}), '') as attribute_2
    from declared
    where stratify_by is not null
),

cna_profiled as (
    select distinct study_id, sample_id from {{ ref('fct_cna_segment') }}
    union
    select distinct study_id, sample_id from {{ ref('fct_gene_cna') }} where cna_kind = 'discrete'
),

sample_profiles as (
    -- what each sample was profiled for: the members' denominators, and the first keys of a patient's
    -- representative sample (macros/representative_sample_order.sql)
    select
        dim_sample.study_id,
        dim_sample.sample_id,
        dim_sample.sample_type,
        dim_sample.assay_id,
        dim_sample.is_sequenced,
        cna_profiled.sample_id is not null as is_cna_profiled
    from {{ ref('dim_sample') }} as dim_sample
    left join cna_profiled on cna_profiled.study_id = dim_sample.study_id and cna_profiled.sample_id = dim_sample.sample_id
),

selected as (
    -- the candidates that meet the comparison's own conditions, ordered per patient for the representative
    select
        comparisons.*,
        candidates.sample_study_id,
        candidates.sample_id,
        candidates.patient_id,
        candidates.sample_type,
        row_number() over (
            partition by candidates.study_id, candidates.comparison, candidates.sample_study_id, candidates.patient_id
            order by {{ representative_sample_order('profiles') }}
        ) as patient_sample_order
    from {{ ref('int_comparison_candidates') }} as candidates
    inner join comparisons
        on comparisons.study_id = candidates.study_id and comparisons.comparison = candidates.comparison
    left join sample_profiles as profiles
        on profiles.study_id = candidates.sample_study_id and profiles.sample_id = candidates.sample_id
    left join {{ ref('int_comparison_selections_met') }} as met
        on met.study_id = candidates.study_id and met.comparison = candidates.comparison
        and met.sample_study_id = candidates.sample_study_id and met.sample_id = candidates.sample_id
        and met.group_label is null
    where met.is_met or not exists (
        select 1 from {{ ref('stg_study__comparison_selections') }} as conditions
        where conditions.study_id = candidates.study_id and conditions.comparison = candidates.comparison
          and conditions.group_label is null)
),

units as (
    select * from selected where unit = 'sample' or patient_sample_order = 1
),

derived_inputs as (
    -- inputs of derived groupings: a gene's status (gene_statuses: null where the sample is not profiled
    -- for it), TMB under the study's definition, CNV burden (total CNV length, lim2021)
    select
        units.study_id,
        units.comparison,
        units.sample_study_id,
        units.sample_id,
        {{ split_part_at('units.group_by', "':'", 1) }} as derived_kind,
        {{ split_part_at('units.group_by', "':'", 2) }} as derived_argument,
        case {{ split_part_at('units.group_by', "':'", 1) }}
            when 'mutated' then statuses.mutated
            when 'amplified' then statuses.amplified
            when 'deleted' then statuses.deleted
            when 'cna' then statuses.cna
            when 'altered' then statuses.altered
        end as gene_status,
        case {{ split_part_at('units.group_by', "':'", 1) }}
            when 'tmb' then burden.tmb_per_mb
            when 'cnv_burden' then cnv.total_cnv_length_mb
        end as measure
    from units
    left join {{ ref('int_comparison_gene_statuses') }} as statuses
        on statuses.study_id = units.sample_study_id and statuses.sample_id = units.sample_id
        and upper(statuses.hugo_symbol) = upper({{ split_part_at('units.group_by', "':'", 2) }})
    left join {{ ref('fct_sample_burden') }} as burden
        on burden.study_id = units.sample_study_id and burden.sample_id = units.sample_id and burden.is_study_definition
    left join {{ ref('fct_sample_cnv_burden') }} as cnv
        on cnv.study_id = units.sample_study_id and cnv.sample_id = units.sample_id
    where units.group_by_kind = 'derived'
),

derived_values as (
    -- the derived group of each unit (declarations.DERIVED_GROUPS names them); null (in no group) where the
    -- sample is not profiled for the gene or has no measure
    select
        study_id,
        comparison,
        sample_study_id,
        sample_id,
        case
            when derived_kind in ('tmb', 'cnv_burden') then
                case when measure is null then null
                     when measure >= coalesce(try_cast(derived_argument as double), cut_median) then 'high'
                     else 'low' end
            when gene_status is null then null
            when derived_kind = 'mutated' then case when gene_status then 'mutated' else 'wildtype' end
            when derived_kind = 'amplified' then case when gene_status then 'amplified' else 'not_amplified' end
            when derived_kind = 'deleted' then case when gene_status then 'deleted' else 'not_deleted' end
            else case when gene_status then 'altered' else 'unaltered' end  -- cna, altered
        end as group_value
    from (
        select
            derived_inputs.*,
            median(measure) over (partition by study_id, comparison) as cut_median
        from derived_inputs
    ) as with_median
),

valued as (
    -- the grouping value of each unit: derived, else its value of the attribute (unit_values)
    select
        units.*,
        coalesce(derived_values.group_value, attribute_values.value_text) as group_value
    from units
    left join derived_values
        on derived_values.study_id = units.study_id and derived_values.comparison = units.comparison
        and derived_values.sample_study_id = units.sample_study_id and derived_values.sample_id = units.sample_id
    left join {{ ref('int_comparison_unit_values') }} as attribute_values
        on units.group_by_kind = 'attribute'
        and attribute_values.study_id = units.sample_study_id and attribute_values.sample_id = units.sample_id
        and attribute_values.attribute = upper(units.group_by)
),

grouped as (
    select
        valued.study_id,
        valued.comparison,
        valued.unit,
        valued.sample_study_id,
        valued.sample_id,
        valued.patient_id,
        valued.sample_type,
        valued.group_value,
        declared.group_label,
        declared.group_order
    from valued
    inner join declared
        on declared.study_id = valued.study_id and declared.comparison = valued.comparison
        and (
            (declared.group_by_kind in ('attribute', 'derived')
             and {{ in_delimited_list('lower(declared.group_values)', 'lower(valued.group_value)') }})
            or (declared.group_by_kind = 'samples'
             and {{ in_delimited_list('declared.group_samples', 'valued.sample_id') }})
        )
    union all
    -- groups declared by conditions: the units that meet them
    select
        valued.study_id,
        valued.comparison,
        valued.unit,
        valued.sample_study_id,
        valued.sample_id,
        valued.patient_id,
        valued.sample_type,
        declared.group_label,
        declared.group_label,
        declared.group_order
    from valued
    inner join declared
        on declared.study_id = valued.study_id and declared.comparison = valued.comparison
        and declared.group_by_kind = 'where'
    inner join {{ ref('int_comparison_selections_met') }} as met
        on met.study_id = valued.study_id and met.comparison = valued.comparison
        and met.sample_study_id = valued.sample_study_id and met.sample_id = valued.sample_id
        and met.group_label = declared.group_label and met.is_met
),

unit_strata as (
    -- each unit's stratum: its values of the strata attributes; null when one is missing
    select
        grouped.study_id,
        grouped.comparison,
        grouped.sample_study_id,
        grouped.sample_id,
        stratify.attribute_1 || '=' || value_1.value_text
            || case when stratify.attribute_2 is null then '' else ', ' || stratify.attribute_2 || '=' || value_2.value_text
               end as stratum
    from grouped
    inner join stratify on stratify.study_id = grouped.study_id and stratify.comparison = grouped.comparison
    left join {{ ref('int_comparison_unit_values') }} as value_1
        on value_1.study_id = grouped.sample_study_id and value_1.sample_id = grouped.sample_id
        and value_1.attribute = stratify.attribute_1
    left join {{ ref('int_comparison_unit_values') }} as value_2
        on value_2.study_id = grouped.sample_study_id and value_2.sample_id = grouped.sample_id
        and value_2.attribute = stratify.attribute_2
),

stratified as (
    -- a stratified comparison's units again, in the sub-comparison of their stratum ('name [ATTR=value]'):
    -- every analysis of the comparison runs within each stratum (int_comparisons declares them); units
    -- without a value of a strata attribute are in no stratum
    select
        grouped.study_id,
        grouped.comparison || ' [' || unit_strata.stratum || ']' as comparison,
        grouped.unit,
        grouped.sample_study_id,
        grouped.sample_id,
        grouped.patient_id,
        grouped.sample_type,
        grouped.group_value,
        grouped.group_label,
        grouped.group_order,
        grouped.comparison as parent_comparison,
        unit_strata.stratum
    from grouped
    inner join unit_strata
        on unit_strata.study_id = grouped.study_id and unit_strata.comparison = grouped.comparison
        and unit_strata.sample_study_id = grouped.sample_study_id and unit_strata.sample_id = grouped.sample_id
    where unit_strata.stratum is not null
),

cohort_groupings as (
    -- the implicit groupings (reserved names cohort:all, cohort:sample_type)
    select
        study_id,
        'cohort:all' as comparison,
        'sample' as unit,
        study_id as sample_study_id,
        sample_id,
        patient_id,
        sample_type,
        'all' as group_value,
        'all' as group_label,
        cast(1 as bigint) as group_order
    from samples
    union all
    select
        study_id,
        'cohort:sample_type',
        'sample',
        study_id,
        sample_id,
        patient_id,
        sample_type,
        sample_type,
        sample_type,
        cast(case sample_type when 'primary' then 1 when 'metastasis' then 2 when 'recurrence' then 3
                 when 'plasma' then 4 when 'other' then 5 else 6 end as bigint)
    from samples
),

known_attributes as (
    select distinct study_id, upper(attribute) as attribute from {{ ref('int_entity_attributes') }}
),

source_attributes as (
    -- the attributes known in some study a comparison draws on (an attribute of one of its studies only,
    -- e.g. a group's condition on that study's own column, is valid)
    select distinct sources.study_id, sources.comparison, known_attributes.attribute
    from {{ ref('int_comparison_sources') }} as sources
    inner join known_attributes on known_attributes.study_id = sources.sample_study_id
),

problems as (
    select comparisons.study_id, comparisons.comparison,
        comparisons.source_file || ': comparison ' || chr(39) || comparisons.comparison || chr(39) || ' groups by '
        || comparisons.group_by || ', which is not an attribute of study '
        || coalesce(replace(comparisons.studies, ';', ', '), comparisons.study_id) as message
    from comparisons
    left join source_attributes as known
        on known.study_id = comparisons.study_id and known.comparison = comparisons.comparison
        and known.attribute = upper(comparisons.group_by)
    where comparisons.group_by_kind = 'attribute' and known.attribute is null
    union all
    select declared.study_id, declared.comparison,
        declared.source_file || ': comparison ' || chr(39) || declared.comparison || chr(39) || ' group ' || chr(39) || declared.group_label
        || chr(39) || ' has no samples (values: ' || coalesce(declared.group_values, declared.group_samples, '') || ')'
    from declared
    left join grouped
        on grouped.study_id = declared.study_id and grouped.comparison = declared.comparison
        and grouped.group_label = declared.group_label
    where grouped.sample_id is null
    union all
    select distinct conditions.study_id, conditions.comparison,
        conditions.source_file || ': comparison ' || chr(39) || conditions.comparison || chr(39) || ' has a condition on '
        || conditions.subject || ', which is not an attribute of study '
        || coalesce(replace(comparisons.studies, ';', ', '), conditions.study_id)
    from {{ ref('stg_study__comparison_selections') }} as conditions
    inner join comparisons on comparisons.study_id = conditions.study_id and comparisons.comparison = conditions.comparison
    left join source_attributes as known
        on known.study_id = conditions.study_id and known.comparison = conditions.comparison
        and known.attribute = conditions.subject
    where conditions.subject_kind = 'attribute' and known.attribute is null
    union all
    select study_id, comparison,
        'comparison ' || chr(39) || comparison || chr(39) || ' of study ' || study_id || ': sample ' || sample_id
        || case when sample_study_id <> study_id then ' of study ' || sample_study_id else '' end
        || ' falls in more than one group (' || {{ sorted_listagg('group_label', "', '") }}
        || '); groups must not overlap'
    from grouped
    group by study_id, comparison, sample_study_id, sample_id
    having count(*) > 1
),

members as (
    select
        study_id,
        comparison,
        unit,
        sample_study_id,
        sample_id,
        patient_id,
        sample_type,
        group_value,
        group_label,
        group_order,
        comparison as parent_comparison,
        cast(null as {{ dbt.type_string() }}) as stratum
    from grouped
    union all
    select * from stratified  -- the same columns, in the same order
    union all
    select *, comparison, cast(null as {{ dbt.type_string() }}) from cohort_groupings
    union all
    select
        study_id,
        comparison,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        {{ fail_build('message') }},
        cast(null as {{ dbt.type_string() }}),
        cast(null as bigint),
        comparison,
        cast(null as {{ dbt.type_string() }})
    from (
        -- every problem in one message, so that the build names them all, in a stable order
        select min(study_id) as study_id, min(comparison) as comparison,
            {{ sorted_listagg('message', "'; '") }} as message
        from problems
    ) as all_problems
    where message is not null
)

-- each member with what it was profiled for, by its own study (denominators start here: a member sequenced
-- with zero mutations is profiled all the same)
select
    members.*,
    -- the sample's rank among its patient's samples in the comparison (1: the representative; always 1 in a
    -- patient-unit comparison): statistics on patient-level data take each patient once by this rank
    cast(row_number() over (
        partition by members.study_id, members.comparison, members.sample_study_id, members.patient_id
        order by {{ representative_sample_order('member_samples') }}
    ) as bigint) as patient_sample_rank,
    member_samples.assay_id,
    member_samples.is_sequenced as is_mutation_profiled,
    coalesce(member_samples.is_cna_profiled, false) as is_cna_profiled
from members
left join sample_profiles as member_samples
    on member_samples.study_id = members.sample_study_id and member_samples.sample_id = members.sample_id
