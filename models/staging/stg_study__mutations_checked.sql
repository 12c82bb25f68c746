{#- Numeric fields that must hold a number when given (a missing token is "not given"): the Entrez id and read
    counts are whole numbers >= 0, the VAF a number (try_cast alone made 'many' NULL and read '12.5' as 13, silently). -#}
{%- set number_columns = ['entrez_gene_id', 't_depth', 't_ref_count', 't_alt_count', 'n_depth', 'n_ref_count', 'n_alt_count', 'tumor_vaf'] -%}
{%- set invalid_number = {} -%}
{%- for column in number_columns -%}
    {%- set given = 'numbers.' ~ column ~ '_given_text' -%}
    {%- if column == 'tumor_vaf' -%}
        {%- do invalid_number.update({column: '(' ~ given ~ ' is not null and try_cast(' ~ given ~ ' as double) is null)'}) -%}
    {%- else -%}
        {%- do invalid_number.update({column: '(' ~ given ~ ' is not null and not coalesce(' ~ whole_number(given)
            ~ ' >= 0, false))'}) -%}
    {%- endif -%}
{%- endfor %}
-- Every landed MAF row, typed, with identifiers normalised and the reason it must be rejected
-- (null when accepted). Feeds stg_study__mutations and stg_study__mutations_rejects.
with landed as {{ not_materialized() }} (
    select * from {{ ref('landing_mutations') }}
),

numbers as {{ not_materialized() }} (
    -- the numeric fields as given, a missing token (NA, '.', ...) read as not given
    select
        study_id, source_file, source_row,
        {%- for column in number_columns %}
        {{ nullif_missing(column) }} as {{ column }}_given_text{{ "," if not loop.last }}
        {%- endfor %}
    from landed
),

invalid_numbers as {{ not_materialized() }} (
    -- the rows with a numeric field given but not a number of its kind: the first such field and its text
    select * from (select
        study_id, source_file, source_row,
        case
            {%- for column, condition in invalid_number.items() %}
            when {{ condition }} then '{{ column }}'
            {%- endfor %}
        end as invalid_number_column,
        case
            {%- for column, condition in invalid_number.items() %}
            when {{ condition }} then numbers.{{ column }}_given_text
            {%- endfor %}
        end as invalid_number_raw
    from numbers) as checked_numbers
    where invalid_number_column is not null
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

studies as (
    select study_id, vaf_scale from {{ ref('stg_study__studies') }}
),

typed as {{ not_materialized() }} (
    select
        {{ landed_line_columns() }},
        landed.tumor_sample_barcode as aliquot_barcode,
        {{ sample_id_from_barcode('landed.tumor_sample_barcode') }} as sample_id,
        {{ tcga_vial('landed.tumor_sample_barcode') }} as aliquot_vial,
        {{ sample_id_from_barcode('landed.matched_norm_sample_barcode') }} as normal_sample_id,
        {{ hugo_symbol_columns('landed.hugo_symbol') }},
        {{ whole_number('landed.entrez_gene_id') }} as entrez_gene_id,
        landed.chromosome as chromosome_raw,
        {{ normalize_chromosome('landed.chromosome') }} as chromosome,
        landed.start_position as start_position_raw,
        {{ whole_number('landed.start_position') }} as start_position,
        landed.end_position as end_position_raw,
        coalesce(
            {{ whole_number('landed.end_position') }},
            case when landed.end_position is null
                 then {{ whole_number('landed.start_position') }} + length(landed.reference_allele) - 1 end
        ) as end_position,
        landed.ncbi_build,
        landed.variant_classification,
        landed.variant_type,
        upper(landed.reference_allele) as reference_allele,
        upper(case
            when landed.tumor_seq_allele2 is not null and landed.tumor_seq_allele2 <> landed.reference_allele
                then landed.tumor_seq_allele2
            else coalesce(landed.tumor_seq_allele1, landed.tumor_seq_allele2)
        end) as tumor_allele,
        landed.hgvsc,
        landed.hgvsp,
        landed.hgvsp_short,
        landed.protein_change,
        landed.transcript_id,
        landed.consequence,
        {{ whole_number('landed.t_depth') }} as t_depth_given,
        {{ whole_number('landed.t_ref_count') }} as t_ref_count,
        {{ whole_number('landed.t_alt_count') }} as t_alt_count,
        {{ whole_number('landed.n_depth') }} as n_depth_given,
        {{ whole_number('landed.n_ref_count') }} as n_ref_count,
        {{ whole_number('landed.n_alt_count') }} as n_alt_count,
        try_cast(landed.tumor_vaf as double) as tumor_vaf_given,
        landed.filter,
        landed.mutation_status,
        try_cast({{ nullif_missing('landed.population_af') }} as double) as population_af,
        upper(nullif(trim(landed.context), '')) as context,
        invalid_numbers.invalid_number_column,
        invalid_numbers.invalid_number_raw
    from landed
    left join invalid_numbers
        on invalid_numbers.study_id = landed.study_id and invalid_numbers.source_file = landed.source_file
        and invalid_numbers.source_row = landed.source_row
    {{ hugo_symbol_joins('landed.hugo_symbol', whole_number('landed.entrez_gene_id')) }}
),

{{ key_occurrence_ctes(
    'typed',
    ['study_id', 'sample_id', 'chromosome', 'start_position', 'reference_allele', 'tumor_allele'],
    'aliquot_vial nulls last, aliquot_barcode, source_file, source_row'
) }},

checked as (
    select
        typed.*,
        -- a depth of 0 with no read counts at all is a placeholder for "not measured" (cBioPortal's es_0
        -- writes t_depth 0 beside empty counts), not a call without reads: the depth is unknown
        case
            when typed.t_depth_given = 0 and typed.t_ref_count is null and typed.t_alt_count is null then null
            else coalesce(typed.t_depth_given, typed.t_ref_count + typed.t_alt_count)
        end as t_depth,
        case
            when typed.n_depth_given = 0 and typed.n_ref_count is null and typed.n_alt_count is null then null
            else coalesce(typed.n_depth_given, typed.n_ref_count + typed.n_alt_count)
        end as n_depth,
        samples.sample_id is not null as sample_in_registry,
        studies.vaf_scale
    from typed_occurrences as typed
    left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
    left join studies on studies.study_id = typed.study_id
),

measured as (
    -- the VAFs, once: the tumour's from its read counts, else the given VAF on the study's declared scale
    -- (vaf_scale: fraction, the default, or percent); tumor_vaf_source says which, beside the number
    select
        checked.*,
        coalesce(
            t_alt_count / nullif(cast(t_depth as double), 0),
            tumor_vaf_given / case when vaf_scale = 'percent' then 100.0 else 1.0 end
        ) as tumor_vaf,
        case
            when t_alt_count is not null and t_depth > 0 then 'read_counts'
            when tumor_vaf_given is not null then 'given_' || vaf_scale
        end as tumor_vaf_source,
        n_alt_count / nullif(cast(n_depth as double), 0) as normal_vaf
    from checked
)

select
    measured.*,
    {{ reject_ladder(line_rejects() + [
        {'when': 'sample_id is null', 'code': 'missing_sample_id', 'column': "'tumor_sample_barcode'",
         'detail': "'no Tumor_Sample_Barcode'"},
        {'when': 'chromosome is null', 'code': 'unknown_chromosome', 'column': "'chromosome'",
         'detail': "'chromosome ' || chr(39) || coalesce(chromosome_raw, '') || chr(39) || ' is not 1-22, X, Y or MT'"},
        {'when': 'start_position is null', 'code': 'non_numeric_position', 'column': "'start_position'",
         'detail': "'Start_Position ' || chr(39) || coalesce(start_position_raw, '') || chr(39) || ' is not a whole number'"},
        {'when': 'end_position_raw is not null and end_position is null', 'code': 'non_numeric_position',
         'column': "'end_position'", 'detail': "'End_Position ' || chr(39) || end_position_raw || chr(39) || ' is not a whole number'"},
        {'when': 'end_position < start_position', 'code': 'end_before_start', 'column': "'end_position'",
         'detail': "'End_Position ' || end_position || ' is before Start_Position ' || start_position"},
        {'when': 'start_position < 1', 'code': 'non_positive_position', 'column': "'start_position'",
         'detail': "'Start_Position ' || start_position || ' is not a position (they start at 1)'"},
        {'when': 'hugo_symbol is null and entrez_gene_id > 0', 'code': 'unknown_entrez_gene_id', 'column': "'entrez_gene_id'",
         'detail': "'no Hugo_Symbol, and Entrez_Gene_Id ' || entrez_gene_id
            || ' is not an approved HGNC gene (seed hgnc_entrez_symbols)'"},
        {'when': 'invalid_number_column is not null', 'code': 'invalid_number', 'column': 'invalid_number_column',
         'detail': "invalid_number_column || ' ' || chr(39) || invalid_number_raw || chr(39) || ' is not '
            || case invalid_number_column when 'tumor_vaf' then 'a number' when 'entrez_gene_id' then 'an Entrez gene id (a whole number)'
                    else 'a read count (a whole number >= 0)' end"},
        {'when': 'not sample_in_registry', 'code': 'sample_not_in_clinical', 'column': "'tumor_sample_barcode'",
         'detail': "'sample ' || sample_id || ' is not in the clinical sample file'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_variant',
         'detail': "'same variant already seen for ' || sample_id || ' (replicate aliquot or duplicated line)'"},
        {'when': 't_depth = 0', 'code': 'zero_depth',
         'column': "case when t_depth_given is not null then 't_depth' else 't_ref_count' end",
         'detail': "'tumour depth is 0 (t_depth ' || coalesce(cast(t_depth_given as " ~ dbt.type_string() ~ "), 'empty')
            || ', t_ref_count ' || coalesce(cast(t_ref_count as " ~ dbt.type_string() ~ "), 'empty') || ', t_alt_count '
            || coalesce(cast(t_alt_count as " ~ dbt.type_string() ~ "), 'empty') || '): no read supports the call, VAF undefined'"},
        {'when': 'n_depth = 0', 'code': 'zero_depth',
         'column': "case when n_depth_given is not null then 'n_depth' else 'n_ref_count' end",
         'detail': "'normal depth is 0 (n_depth ' || coalesce(cast(n_depth_given as " ~ dbt.type_string() ~ "), 'empty') || ', n_ref_count '
            || coalesce(cast(n_ref_count as " ~ dbt.type_string() ~ "), 'empty') || ', n_alt_count '
            || coalesce(cast(n_alt_count as " ~ dbt.type_string() ~ "), 'empty')
            || '): leave the normal counts empty for tumour-only calls'"},
        {'when': 'tumor_vaf < 0 or tumor_vaf > 1', 'code': 'vaf_out_of_range',
         'column': "case when t_alt_count is not null then 't_alt_count' else 'tumor_vaf' end",
         'detail': "'tumour VAF ' || cast(tumor_vaf as " ~ dbt.type_string() ~ ") || ' is outside 0-1 (t_alt_count '
            || coalesce(cast(t_alt_count as " ~ dbt.type_string() ~ "), 'empty') || ', t_depth '
            || coalesce(cast(t_depth as " ~ dbt.type_string() ~ "), 'empty')
            || ', given VAF ' || coalesce(cast(tumor_vaf_given as " ~ dbt.type_string() ~ "), 'empty') || ')'
            || case when tumor_vaf_source = 'given_fraction' and tumor_vaf > 1 and tumor_vaf <= 100
                    then '; if the file gives percentages, declare vaf_scale: percent in oncoduck_study.yml' else '' end"},
        {'when': 'normal_vaf < 0 or normal_vaf > 1', 'code': 'vaf_out_of_range', 'column': "'n_alt_count'",
         'detail': "'normal VAF ' || cast(normal_vaf as " ~ dbt.type_string() ~ ") || ' is outside 0-1 (n_alt_count '
            || coalesce(cast(n_alt_count as " ~ dbt.type_string() ~ "), 'empty') || ', n_depth '
            || coalesce(cast(n_depth as " ~ dbt.type_string() ~ "), 'empty') || ')'"},
    ], with_column=true) }}
from measured
