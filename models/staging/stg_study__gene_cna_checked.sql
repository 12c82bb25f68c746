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
        {{ landed_line_columns(with_column=true) }},
        landed.cna_kind,
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
    {{ reject_ladder(line_rejects() + [
        {'when': 'hugo_symbol is null and entrez_gene_id > 0', 'code': 'unknown_entrez_gene_id',
         'detail': "'no Hugo_Symbol, and Entrez_Gene_Id ' || entrez_gene_id
            || ' is not an approved HGNC gene (seed hgnc_entrez_symbols)'"},
        {'when': 'hugo_symbol is null', 'code': 'missing_gene', 'detail': "'no Hugo_Symbol or Entrez_Gene_Id on this line'"},
        {'when': 'sample_id is null', 'code': 'missing_sample_id', 'detail': "'no sample id for this value'"},
        {'when': 'value_present is null', 'code': 'not_measured',
         'detail': "'value ''' || coalesce(value_raw, '') || ''' means not measured'"},
        {'when': 'value is null', 'code': 'non_numeric_value',
         'detail': "'copy-number value ''' || value_raw || ''' is not a number'"},
        {'when': "cna_kind = 'discrete' and value not in (-2, -1.5, -1, 0, 1, 2)", 'code': 'discrete_value_out_of_range',
         'detail': "'discrete copy number must be -2, -1, 0, 1 or 2, got ' || value_raw"},
        {'when': 'not sample_in_registry', 'code': 'sample_not_in_clinical',
         'detail': "'sample ' || sample_id || ' is not in the clinical sample file'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "hugo_symbol || ' in ' || sample_id || ' already given on an earlier line'"},
    ]) }}
from checked
