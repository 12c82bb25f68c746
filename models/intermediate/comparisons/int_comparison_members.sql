-- One row per declared comparison per member sample, with its group. Patient-unit comparisons
-- keep one representative sample per patient (the first selected by sample type, then sample id).
-- Groupings: an attribute (sample-level value, else the patient's), or derived: mutated:GENE
-- (mutated / wildtype among samples whose assay covers the gene; PASS nonsynonymous under the study's
-- definition), tmb:median | tmb:<cut-off per Mb> and cnv_burden:median | cnv_burden:<Mb> (high when
-- >= the cut-off; the median is over the comparison's selected units).
-- The build fails, naming the comparison, when a group_by attribute is unknown or a group is empty.
-- Every study also has two implicit groupings, declared or not, so that a study without
-- oncoduck_study.yml still has cohort-wide frequencies: cohort:all (one group 'all': every non-normal
-- sample) and cohort:sample_type (one group per sample type). Sample unit. They are not declared in
-- landing_comparisons, so no statistics model tests them; names starting with cohort: are reserved
-- (refused in oncoduck_study.yml by ingest/declarations.py).
with declared as (
    select * from {{ landing_relation('landing_comparisons') }}
),

comparisons as (
    select distinct study_id, source_file, comparison, unit, sample_types, timepoints, case_lists, group_by, group_by_kind
    from declared
),

case_lists as (
    select study_id, stable_id, sample_id from {{ ref('stg_study__case_lists') }}
),

samples as (
    select study_id, sample_id, patient_id, sample_type, timepoint
    from {{ ref('dim_sample') }}
    where sample_type <> 'normal'
),

selected as (
    -- samples passing the comparison's selection (sample types, timepoints, case lists: in any listed)
    select
        comparisons.*,
        samples.sample_id,
        samples.patient_id,
        samples.sample_type,
        row_number() over (
            partition by comparisons.study_id, comparisons.comparison, samples.patient_id
            order by case samples.sample_type when 'primary' then 1 when 'metastasis' then 2
                     when 'recurrence' then 3 when 'plasma' then 4 else 5 end, samples.sample_id
        ) as patient_sample_order
    from comparisons
    inner join samples on samples.study_id = comparisons.study_id
    where (comparisons.sample_types is null
           or ';' || lower(comparisons.sample_types) || ';' like '%;' || samples.sample_type || ';%')
      and (comparisons.timepoints is null
           or ';' || lower(comparisons.timepoints) || ';' like '%;' || lower(coalesce(samples.timepoint, '')) || ';%')
      and (comparisons.case_lists is null or exists (
          select 1 from case_lists
          where case_lists.study_id = samples.study_id and case_lists.sample_id = samples.sample_id
            and ';' || comparisons.case_lists || ';' like '%;' || case_lists.stable_id || ';%'))
),

units as (
    select * from selected where unit = 'sample' or patient_sample_order = 1
),

attributes as (
    select study_id, level, patient_id, sample_id, upper(attribute) as attribute, value_text
    from {{ ref('int_entity_attributes') }}
),

derived_inputs as (
    -- inputs of derived groupings: mutation status of a gene (only where the assay covers it),
    -- TMB under the study's definition, CNV burden (total CNV length, lim2021)
    select
        units.study_id,
        units.comparison,
        units.sample_id,
        {{ split_part_at('units.group_by', "':'", 1) }} as derived_kind,
        {{ split_part_at('units.group_by', "':'", 2) }} as derived_argument,
        samples.is_sequenced and coverage.hugo_symbol is not null as gene_profiled,
        coalesce(alterations.is_mutated, false) as gene_mutated,
        case {{ split_part_at('units.group_by', "':'", 1) }}
            when 'tmb' then burden.tmb_per_mb
            when 'cnv_burden' then cnv.total_cnv_length_mb
        end as measure
    from units
    inner join {{ ref('dim_sample') }} as samples
        on samples.study_id = units.study_id and samples.sample_id = units.sample_id
    left join {{ ref('bridge_assay_gene') }} as coverage
        on coverage.assay_id = samples.assay_id
        and coverage.hugo_symbol = upper({{ split_part_at('units.group_by', "':'", 2) }})
    left join {{ ref('int_sample_gene_alterations') }} as alterations
        on alterations.study_id = units.study_id and alterations.sample_id = units.sample_id
        and alterations.hugo_symbol = upper({{ split_part_at('units.group_by', "':'", 2) }})
    left join {{ ref('fct_sample_burden') }} as burden
        on burden.study_id = units.study_id and burden.sample_id = units.sample_id and burden.is_study_definition
    left join {{ ref('fct_sample_cnv_burden') }} as cnv
        on cnv.study_id = units.study_id and cnv.sample_id = units.sample_id
    where units.group_by_kind = 'derived'
),

derived_values as (
    select
        study_id,
        comparison,
        sample_id,
        case
            when derived_kind = 'mutated' and gene_profiled then case when gene_mutated then 'mutated' else 'wildtype' end
            when derived_kind in ('tmb', 'cnv_burden') and measure is not null then
                case when measure >= coalesce(try_cast(derived_argument as double), cut_median) then 'high' else 'low' end
        end as group_value
    from (
        select
            derived_inputs.*,
            median(measure) over (partition by study_id, comparison) as cut_median
        from derived_inputs
    ) as with_median
),

valued as (
    -- the grouping value of each unit: derived, else its sample-level value, else its patient's value
    select
        units.*,
        coalesce(derived_values.group_value, sample_attr.value_text, patient_attr.value_text) as group_value
    from units
    left join derived_values
        on derived_values.study_id = units.study_id and derived_values.comparison = units.comparison
        and derived_values.sample_id = units.sample_id
    left join attributes as sample_attr
        on units.group_by_kind = 'attribute'
        and sample_attr.study_id = units.study_id and sample_attr.level = 'sample'
        and sample_attr.sample_id = units.sample_id and sample_attr.attribute = upper(units.group_by)
    left join attributes as patient_attr
        on units.group_by_kind = 'attribute'
        and patient_attr.study_id = units.study_id and patient_attr.level = 'patient'
        and patient_attr.patient_id = units.patient_id and patient_attr.attribute = upper(units.group_by)
),

grouped as (
    select
        valued.study_id,
        valued.comparison,
        valued.unit,
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
             and ';' || lower(declared.group_values) || ';' like '%;' || lower(valued.group_value) || ';%')
            or (declared.group_by_kind = 'samples'
             and ';' || declared.group_samples || ';' like '%;' || valued.sample_id || ';%')
        )
),

cohort_groupings as (
    -- the implicit groupings (reserved names cohort:all, cohort:sample_type)
    select
        study_id,
        'cohort:all' as comparison,
        'sample' as unit,
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
    select distinct study_id, attribute from attributes
),

problems as (
    select comparisons.study_id, comparisons.comparison,
        comparisons.source_file || ': comparison ''' || comparisons.comparison || ''' groups by '
        || comparisons.group_by || ', which is not an attribute of study ' || comparisons.study_id as message
    from comparisons
    left join known_attributes
        on known_attributes.study_id = comparisons.study_id and known_attributes.attribute = upper(comparisons.group_by)
    where comparisons.group_by_kind = 'attribute' and known_attributes.attribute is null
    union all
    select declared.study_id, declared.comparison,
        declared.source_file || ': comparison ''' || declared.comparison || ''' group ''' || declared.group_label
        || ''' has no samples (values: ' || coalesce(declared.group_values, declared.group_samples, '') || ')'
    from declared
    left join grouped
        on grouped.study_id = declared.study_id and grouped.comparison = declared.comparison
        and grouped.group_label = declared.group_label
    where grouped.sample_id is null
)

select
    study_id,
    comparison,
    unit,
    sample_id,
    patient_id,
    sample_type,
    group_value,
    group_label,
    group_order
from grouped
union all
select * from cohort_groupings  -- the same columns, in the same order
union all
select
    study_id,
    comparison,
    cast(null as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    cast(null as {{ dbt.type_string() }}),
    {{ fail_build('message') }},
    cast(null as {{ dbt.type_string() }}),
    cast(null as bigint)
from problems
