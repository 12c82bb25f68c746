-- One row per declared comparison per member sample, with its group. A comparison belongs to its declaring study
-- (study_id) and draws its samples from the studies of `studies:` (sources), else from its own; each member
-- keeps its own study (sample_study_id), whose registry, assay, TMB definition and CNA calls it is judged by.
-- Samples are selected by sample type,
-- timepoint, case list and the `where:` conditions (landing_comparison_selections: attribute values and gene
-- statuses; in every clause one branch must have all its conditions met); patient-unit comparisons then
-- keep one representative sample per patient (the first selected by sample type, then sample id).
-- Groupings: an attribute (sample-level value, else the patient's); groups declared by `where:` conditions;
-- explicit sample lists; or derived: mutated:GENE (mutated / wildtype among samples whose assay covers the
-- gene; PASS nonsynonymous under the study's definition), amplified:GENE, deleted:GENE, cna:GENE,
-- altered:GENE (gene_statuses below), tmb:median | tmb:<cut-off per Mb> and cnv_burden:median |
-- cnv_burden:<Mb> (high when >= the cut-off; the median is over the comparison's selected units).
-- The build fails, naming the comparison, when a group_by or condition attribute is unknown, a group is
-- empty, or a unit meets the conditions of two groups.
-- Every study also has two implicit groupings, declared or not, so that a study without
-- oncoduck_study.yml still has cohort-wide frequencies: cohort:all (one group 'all': every non-normal
-- sample) and cohort:sample_type (one group per sample type). Sample unit. They are not declared in
-- landing_comparisons, so no statistics model tests them; names starting with cohort: are reserved
-- (refused in oncoduck_study.yml by ingest/declarations.py).
with declared as (
    select * from {{ landing_relation('landing_comparisons') }}
),

comparisons as (
    select distinct study_id, source_file, comparison, unit, sample_types, timepoints, case_lists, group_by, group_by_kind,
        studies
    from declared
),

sources as (
    -- the studies a comparison draws its samples from: those of studies: (every one is in the build: the
    -- landing refuses others, naming file and line), else its own
    select comparisons.study_id, comparisons.comparison, studies.study_id as sample_study_id
    from comparisons
    inner join {{ ref('stg_study__studies') }} as studies
        on case when comparisons.studies is null then studies.study_id = comparisons.study_id
                else instr(';' || comparisons.studies || ';', ';' || studies.study_id || ';') > 0 end
),

conditions as (
    select * from {{ landing_relation('landing_comparison_selections') }}
),

case_lists as (
    select study_id, stable_id, sample_id from {{ ref('stg_study__case_lists') }}
),

attributes as (
    select study_id, level, patient_id, sample_id, upper(attribute) as attribute, value_text
    from {{ ref('int_entity_attributes') }}
),

named_genes as (
    -- the genes whose status a derived grouping or a condition reads, by the study of the samples it reads
    select distinct sources.sample_study_id as study_id, genes.hugo_symbol
    from (
        select study_id, comparison, upper({{ split_part_at('group_by', "':'", 2) }}) as hugo_symbol
        from comparisons
        where group_by_kind = 'derived'
          and {{ split_part_at('group_by', "':'", 1) }} in ('mutated', 'amplified', 'deleted', 'cna', 'altered')
        union
        select study_id, comparison, value_text from conditions where subject_kind = 'gene'
    ) as genes
    inner join sources on sources.study_id = genes.study_id and sources.comparison = genes.comparison
),

discrete_cna as (
    select study_id, sample_id, hugo_symbol
    from {{ ref('fct_gene_cna') }}
    where cna_kind = 'discrete' and value is not null
),

cna_profiles as (
    -- how a sample's gene copy number is known (as int_sample_gene_alterations calls it): the study's
    -- discrete gene-level CNA, else its segments (the protein-coding genes of its build: gene_exonic_spans)
    select distinct study_id, sample_id, 'discrete' as cna_source from discrete_cna
    union
    select distinct segments.study_id, segments.sample_id, 'segments'
    from {{ ref('fct_cna_segment') }} as segments
    where not exists (
        select 1 from discrete_cna
        where discrete_cna.study_id = segments.study_id and discrete_cna.sample_id = segments.sample_id)
),

build_genes as (
    -- the named genes a study's segments can call: those of the gene seed of its reference genome
    select distinct named_genes.study_id, named_genes.hugo_symbol
    from named_genes
    inner join {{ ref('stg_study__studies') }} as studies on studies.study_id = named_genes.study_id
    inner join ({{ gene_exonic_spans() }}) as reference
        on reference.reference_genome = studies.reference_genome and reference.hugo_symbol = named_genes.hugo_symbol
),

gene_profiles as (
    -- one row per sample x named gene: profiled for mutations (sequenced, the assay covers the gene) and
    -- for copy number, and what was found
    select
        dim.study_id,
        dim.sample_id,
        genes.hugo_symbol,
        dim.is_sequenced and coverage.hugo_symbol is not null as mutation_profiled,
        coalesce(alterations.is_mutated, false) as is_mutated,
        case profiles.cna_source
            when 'discrete' then exists (
                select 1 from discrete_cna
                where discrete_cna.study_id = dim.study_id and discrete_cna.sample_id = dim.sample_id
                  and discrete_cna.hugo_symbol = genes.hugo_symbol)
            when 'segments' then build_genes.hugo_symbol is not null  -- what the study's segments can call
            else false
        end as cna_profiled,
        alterations.cna_call
    from {{ ref('dim_sample') }} as dim
    inner join named_genes as genes on genes.study_id = dim.study_id
    left join {{ ref('bridge_assay_gene') }} as coverage
        on coverage.assay_id = dim.assay_id and coverage.hugo_symbol = genes.hugo_symbol
    left join {{ ref('int_sample_gene_alterations') }} as alterations
        on alterations.study_id = dim.study_id and alterations.sample_id = dim.sample_id
        and alterations.hugo_symbol = genes.hugo_symbol
    left join cna_profiles as profiles on profiles.study_id = dim.study_id and profiles.sample_id = dim.sample_id
    left join build_genes on build_genes.study_id = dim.study_id and build_genes.hugo_symbol = genes.hugo_symbol
    where dim.sample_type <> 'normal'
),

gene_statuses as (
    -- each gene status: true / false where the sample is profiled for it, null where it is not.
    -- amplified = amplification, deleted = deep deletion, cna = either (high-level: GISTIC +-2 or the
    -- study's CNA call rules); altered = mutated or cna, false when no profile the sample has shows either
    select
        study_id,
        sample_id,
        hugo_symbol,
        case when mutation_profiled then is_mutated end as mutated,
        case when cna_profiled then coalesce(cna_call = 'amplification', false) end as amplified,
        case when cna_profiled then coalesce(cna_call = 'deep_deletion', false) end as deleted,
        case when cna_profiled then coalesce(cna_call in ('amplification', 'deep_deletion'), false) end as cna,
        case
            when (mutation_profiled and is_mutated)
                or (cna_profiled and coalesce(cna_call in ('amplification', 'deep_deletion'), false)) then true
            when mutation_profiled or cna_profiled then false
        end as altered
    from gene_profiles
),

samples as (
    select study_id, sample_id, patient_id, sample_type, timepoint
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

needed_by_comparison as (
    -- the attributes a grouping, a condition or a stratum of each comparison reads
    select study_id, comparison, upper(group_by) as attribute from comparisons where group_by_kind = 'attribute'
    union
    select study_id, comparison, subject from conditions where subject_kind = 'attribute'
    union
    select study_id, comparison, attribute_1 from stratify
    union
    select study_id, comparison, attribute_2 from stratify where attribute_2 is not null
),

needed_attributes as (
    -- the same, by the study of the samples they are read from
    select distinct sources.sample_study_id as study_id, needed.attribute
    from needed_by_comparison as needed
    inner join sources on sources.study_id = needed.study_id and sources.comparison = needed.comparison
),

unit_values as (
    -- each sample's value of each needed attribute: its sample-level value, else its patient's (study_id is
    -- the sample's study)
    select
        samples.study_id,
        samples.sample_id,
        needed.attribute,
        coalesce(sample_attr.value_text, patient_attr.value_text) as value_text
    from samples
    inner join needed_attributes as needed on needed.study_id = samples.study_id
    left join attributes as sample_attr
        on sample_attr.study_id = samples.study_id and sample_attr.level = 'sample'
        and sample_attr.sample_id = samples.sample_id and sample_attr.attribute = needed.attribute
    left join attributes as patient_attr
        on patient_attr.study_id = samples.study_id and patient_attr.level = 'patient'
        and patient_attr.patient_id = samples.patient_id and patient_attr.attribute = needed.attribute
),

candidates as (
    -- samples of the comparison's studies passing its selection (sample types, timepoints, case lists of the
    -- sample's study: in any listed)
    select
        comparisons.*,
        sources.sample_study_id,
        samples.sample_id,
        samples.patient_id,
        samples.sample_type
    from comparisons
    inner join sources on sources.study_id = comparisons.study_id and sources.comparison = comparisons.comparison
    inner join samples on samples.study_id = sources.sample_study_id
    where (comparisons.sample_types is null
           or ';' || lower(comparisons.sample_types) || ';' like '%;' || samples.sample_type || ';%')
      and (comparisons.timepoints is null
           or ';' || lower(comparisons.timepoints) || ';' like '%;' || lower(coalesce(samples.timepoint, '')) || ';%')
      and (comparisons.case_lists is null or exists (
          select 1 from case_lists
          where case_lists.study_id = samples.study_id and case_lists.sample_id = samples.sample_id
            and ';' || comparisons.case_lists || ';' like '%;' || case_lists.stable_id || ';%'))
),

condition_values as (
    -- every condition of the comparison (group_label null) and of its groups, for every candidate sample:
    -- the value it tests (an attribute: the sample-level value, else the patient's; a gene status)
    select
        candidates.study_id,
        candidates.comparison,
        candidates.sample_study_id,
        candidates.sample_id,
        conditions.group_label,
        conditions.clause,
        conditions.branch,
        conditions.condition,
        conditions.operator,
        conditions.value_text,
        conditions.low,
        conditions.high,
        conditions.expected,
        attribute_values.value_text as attribute_value,
        case conditions.subject
            when 'mutated' then statuses.mutated
            when 'amplified' then statuses.amplified
            when 'deleted' then statuses.deleted
            when 'cna' then statuses.cna
            when 'altered' then statuses.altered
        end as gene_status
    from candidates
    inner join conditions
        on conditions.study_id = candidates.study_id and conditions.comparison = candidates.comparison
    left join unit_values as attribute_values
        on conditions.subject_kind = 'attribute'
        and attribute_values.study_id = candidates.sample_study_id and attribute_values.sample_id = candidates.sample_id
        and attribute_values.attribute = conditions.subject
    left join gene_statuses as statuses
        on conditions.subject_kind = 'gene'
        and statuses.study_id = candidates.sample_study_id and statuses.sample_id = candidates.sample_id
        and statuses.hugo_symbol = conditions.value_text
),

conditions_met as (
    -- one row per sample x condition: met or not (a missing value meets no condition but not_null's opposite)
    select
        study_id, comparison, sample_study_id, sample_id, group_label, clause, branch, condition,
        case min(operator)
            when 'in' then coalesce(bool_or(lower(attribute_value) = lower(value_text)), false)
            when 'not_in' then coalesce(bool_and(lower(attribute_value) <> lower(value_text)), false)
            when 'range' then coalesce(bool_and(
                try_cast(attribute_value as double) >= coalesce(low, try_cast('-inf' as double))
                and try_cast(attribute_value as double) <= coalesce(high, try_cast('inf' as double))), false)
            when 'not_null' then bool_and(attribute_value is not null)
            when 'status' then coalesce(bool_and(gene_status = expected), false)
        end as is_met
    from condition_values
    group by study_id, comparison, sample_study_id, sample_id, group_label, clause, branch, condition
),

selections_met as (
    -- a sample meets a selection when every clause has a branch whose conditions are all met
    select study_id, comparison, sample_study_id, sample_id, group_label, bool_and(clause_met) as is_met
    from (
        select study_id, comparison, sample_study_id, sample_id, group_label, clause, bool_or(branch_met) as clause_met
        from (
            select study_id, comparison, sample_study_id, sample_id, group_label, clause, branch,
                bool_and(is_met) as branch_met
            from conditions_met
            group by study_id, comparison, sample_study_id, sample_id, group_label, clause, branch
        ) as branches
        group by study_id, comparison, sample_study_id, sample_id, group_label, clause
    ) as clauses
    group by study_id, comparison, sample_study_id, sample_id, group_label
),

selected as (
    -- the candidates that meet the comparison's own conditions, ordered per patient for the representative
    select
        candidates.*,
        row_number() over (
            partition by candidates.study_id, candidates.comparison, candidates.sample_study_id, candidates.patient_id
            order by case candidates.sample_type when 'primary' then 1 when 'metastasis' then 2
                     when 'recurrence' then 3 when 'plasma' then 4 else 5 end, candidates.sample_id
        ) as patient_sample_order
    from candidates
    left join selections_met as met
        on met.study_id = candidates.study_id and met.comparison = candidates.comparison
        and met.sample_study_id = candidates.sample_study_id and met.sample_id = candidates.sample_id
        and met.group_label is null
    where met.is_met or not exists (
        select 1 from conditions
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
    left join gene_statuses as statuses
        on statuses.study_id = units.sample_study_id and statuses.sample_id = units.sample_id
        and statuses.hugo_symbol = upper({{ split_part_at('units.group_by', "':'", 2) }})
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
    left join unit_values as attribute_values
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
             and ';' || lower(declared.group_values) || ';' like '%;' || lower(valued.group_value) || ';%')
            or (declared.group_by_kind = 'samples'
             and ';' || declared.group_samples || ';' like '%;' || valued.sample_id || ';%')
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
    inner join selections_met as met
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
    left join unit_values as value_1
        on value_1.study_id = grouped.sample_study_id and value_1.sample_id = grouped.sample_id
        and value_1.attribute = stratify.attribute_1
    left join unit_values as value_2
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
    select distinct study_id, attribute from attributes
),

source_attributes as (
    -- the attributes known in some study a comparison draws on (an attribute of one of its studies only,
    -- e.g. a group's condition on that study's own column, is valid)
    select distinct sources.study_id, sources.comparison, known_attributes.attribute
    from sources
    inner join known_attributes on known_attributes.study_id = sources.sample_study_id
),

problems as (
    select comparisons.study_id, comparisons.comparison,
        comparisons.source_file || ': comparison ''' || comparisons.comparison || ''' groups by '
        || comparisons.group_by || ', which is not an attribute of study '
        || coalesce(replace(comparisons.studies, ';', ', '), comparisons.study_id) as message
    from comparisons
    left join source_attributes as known
        on known.study_id = comparisons.study_id and known.comparison = comparisons.comparison
        and known.attribute = upper(comparisons.group_by)
    where comparisons.group_by_kind = 'attribute' and known.attribute is null
    union all
    select declared.study_id, declared.comparison,
        declared.source_file || ': comparison ''' || declared.comparison || ''' group ''' || declared.group_label
        || ''' has no samples (values: ' || coalesce(declared.group_values, declared.group_samples, '') || ')'
    from declared
    left join grouped
        on grouped.study_id = declared.study_id and grouped.comparison = declared.comparison
        and grouped.group_label = declared.group_label
    where grouped.sample_id is null
    union all
    select distinct conditions.study_id, conditions.comparison,
        conditions.source_file || ': comparison ''' || conditions.comparison || ''' has a condition on '
        || conditions.subject || ', which is not an attribute of study '
        || coalesce(replace(comparisons.studies, ';', ', '), conditions.study_id)
    from conditions
    inner join comparisons on comparisons.study_id = conditions.study_id and comparisons.comparison = conditions.comparison
    left join source_attributes as known
        on known.study_id = conditions.study_id and known.comparison = conditions.comparison
        and known.attribute = conditions.subject
    where conditions.subject_kind = 'attribute' and known.attribute is null
    union all
    select study_id, comparison,
        'comparison ''' || comparison || ''' of study ' || study_id || ': sample ' || sample_id
        || case when sample_study_id <> study_id then ' of study ' || sample_study_id else '' end
        || ' falls in more than one group (' || {{ sorted_listagg('group_label', "', '") }}
        || '); groups must not overlap'
    from grouped
    group by study_id, comparison, sample_study_id, sample_id
    having count(*) > 1
)

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
