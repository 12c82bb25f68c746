-- Every landed gene-level copy-number value (discrete -2..2 or continuous/log2), typed, with the
-- reason it must be rejected. Missing tokens (NA, empty) are "not measured" and are rejected with
-- reason not_measured so that landing rows still reconcile.
with landed as {{ not_materialized() }} (
    select * from {{ landing_relation('landing_cna') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

typed as {{ not_materialized() }} (
    select
        landed.study_id,
        landed.source_file,
        landed.source_row,
        landed.source_column,
        landed.cna_kind,
        landed.n_fields,
        landed.n_header_fields,
        landed.text_fault,
        landed.text_fault_detail,
        {{ hugo_symbol_columns('landed.hugo_symbol') }},
        try_cast(landed.entrez_gene_id as bigint) as entrez_gene_id,
        {{ sample_id_from_barcode('landed.sample_id') }} as sample_id,
        landed.value_raw,
        {{ nullif_missing('landed.value_raw') }} as value_present,
        try_cast({{ nullif_missing('landed.value_raw') }} as double) as value
    from landed
    {{ hgnc_symbol_join('landed.hugo_symbol', 'try_cast(landed.entrez_gene_id as bigint)') }}
),

{{ key_occurrence_ctes('typed', ['study_id', 'cna_kind', 'sample_id', 'hugo_symbol'], 'source_file, source_row') }},

checked as (
    select
        typed.*,
        samples.sample_id is not null as sample_in_registry
    from typed_occurrences as typed
    left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
)

select
    checked.*,
    case
        when text_fault is not null then text_fault
        when n_fields <> n_header_fields then 'wrong_field_count'
        when hugo_symbol is null and entrez_gene_id > 0 then 'unknown_entrez_gene_id'
        when hugo_symbol is null then 'missing_gene'
        when sample_id is null then 'missing_sample_id'
        when value_present is null then 'not_measured'
        when value is null then 'non_numeric_value'
        when cna_kind = 'discrete' and value not in (-2, -1.5, -1, 0, 1, 2) then 'discrete_value_out_of_range'
        when not sample_in_registry then 'sample_not_in_clinical'
        when key_occurrence > 1 then 'duplicate_key'
    end as reject_reason,
    case
        when text_fault is not null then text_fault_detail
        when n_fields <> n_header_fields then 'line has ' || n_fields || ' fields, header has ' || n_header_fields
        when hugo_symbol is null and entrez_gene_id > 0 then 'no Hugo_Symbol, and Entrez_Gene_Id ' || entrez_gene_id
            || ' is not an approved HGNC gene (seed hgnc_entrez_symbols)'
        when hugo_symbol is null then 'no Hugo_Symbol or Entrez_Gene_Id on this line'
        when sample_id is null then 'no sample id for this value'
        when value_present is null then 'value ''' || coalesce(value_raw, '') || ''' means not measured'
        when value is null then 'copy-number value ''' || value_raw || ''' is not a number'
        when cna_kind = 'discrete' and value not in (-2, -1.5, -1, 0, 1, 2)
            then 'discrete copy number must be -2, -1, 0, 1 or 2, got ' || value_raw
        when not sample_in_registry then 'sample ' || sample_id || ' is not in the clinical sample file'
        when key_occurrence > 1 then hugo_symbol || ' in ' || sample_id || ' already given on an earlier line'
    end as reject_detail
from checked
