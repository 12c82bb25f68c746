-- Every landed gene-level copy-number value (discrete -2..2 or continuous/log2), typed and, if discrete,
-- called, with the reason it must be rejected. Missing tokens (NA, empty) are "not measured" and are rejected with
-- reason not_measured so that landing rows still reconcile.
with landed as {{ not_materialized() }} (
    select * from {{ ref('landing_cna') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

studies as (
    select study_id, discrete_cna_minus_1_5 from {{ ref('stg_study__studies') }}
),

typed as {{ not_materialized() }} (
    select
        {{ landed_line_columns(with_column=true) }},
        landed.cna_kind,
        {{ hugo_symbol_columns('landed.hugo_symbol') }},
        {{ whole_number('landed.entrez_gene_id') }} as entrez_gene_id,
        {{ sample_id_from_barcode('landed.sample_id') }} as sample_id,
        landed.value_raw,
        {{ nullif_missing('landed.value_raw') }} as value_present,
        try_cast({{ nullif_missing('landed.value_raw') }} as double) as value
    from landed
    {{ hugo_symbol_joins('landed.hugo_symbol', whole_number('landed.entrez_gene_id')) }}
),

{{ key_occurrence_ctes('typed', ['study_id', 'cna_kind', 'sample_id', 'hugo_symbol'], 'source_file, source_row') }},

checked as (
    select
        typed.*,
        samples.sample_id is not null as sample_in_registry,
        studies.discrete_cna_minus_1_5,
        -- the call of a discrete value: the GISTIC meaning of -2..2 (cBioPortal's discrete copy-number format);
        -- -1.5, which cBioPortal's validator accepts without giving it a meaning, only as the study declares
        case when typed.cna_kind = 'discrete' then
            case typed.value
                when -2 then 'deep_deletion'
                when -1 then 'shallow_deletion'
                when 0 then 'neutral'
                when 1 then 'gain'
                when 2 then 'amplification'
                when -1.5 then case when studies.discrete_cna_minus_1_5 <> 'reject' then studies.discrete_cna_minus_1_5 end
            end
        end as discrete_call,
        case when typed.cna_kind = 'discrete' then
            case
                when typed.value = -1.5 then 'discrete_cna_minus_1_5: ' || studies.discrete_cna_minus_1_5
                when typed.value in (-2, -1, 0, 1, 2) then 'gistic_value'
            end
        end as discrete_call_rule
    from typed_occurrences as typed
    left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
    left join studies on studies.study_id = typed.study_id
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
         'detail': "'value ' || chr(39) || coalesce(value_raw, '') || chr(39) || ' means not measured'"},
        {'when': 'value is null', 'code': 'non_numeric_value',
         'detail': "'copy-number value ' || chr(39) || value_raw || chr(39) || ' is not a number'"},
        {'when': "cna_kind = 'discrete' and value not in (-2, -1.5, -1, 0, 1, 2)", 'code': 'discrete_value_out_of_range',
         'detail': "'discrete copy number must be -2, -1, 0, 1 or 2 (or -1.5 where the study declares what it means), got '
            || value_raw"},
        {'when': "cna_kind = 'discrete' and discrete_call is null", 'code': 'discrete_half_step_undeclared',
         'detail': "'-1.5 has no agreed meaning (GENIE and MSK read it as -2, a rounding as -1): declare '
            || 'discrete_cna_minus_1_5: deep_deletion or shallow_deletion in oncoduck_study.yml'"},
        {'when': 'not sample_in_registry', 'code': 'sample_not_in_clinical',
         'detail': "'sample ' || sample_id || ' is not in the clinical sample file'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "hugo_symbol || ' in ' || sample_id || ' already given on an earlier line'"},
    ]) }}
from checked
