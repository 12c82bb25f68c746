-- Per-cell FISH counts (ERBB2 and CEP17 signals), typed, with the reason a cell must be rejected.
with landed as (
    select * from {{ landing_relation('landing_fish_cells') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

typed as (
    select
        landed.study_id,
        landed.source_file,
        landed.source_row,
        landed.n_fields,
        landed.n_header_fields,
        landed.text_fault,
        landed.text_fault_detail,
        trim(landed.sample_id) as sample_id,
        landed.biopsy,
        landed.cell_id,
        try_cast(landed.erbb2_signals as integer) as erbb2_signals,
        try_cast(landed.cep17_signals as integer) as cep17_signals,
        landed.erbb2_signals as erbb2_raw,
        landed.cep17_signals as cep17_raw,
        row_number() over (
            partition by landed.study_id, landed.sample_id, landed.biopsy, landed.cell_id
            order by landed.source_row
        ) as key_occurrence
    from landed
)

select
    typed.*,
    case
        when text_fault is not null then text_fault
        when n_fields <> n_header_fields then 'wrong_field_count'
        when typed.sample_id is null then 'missing_sample_id'
        when erbb2_signals is null or erbb2_signals < 0 then 'invalid_signal_count'
        when cep17_signals is null or cep17_signals < 0 then 'invalid_signal_count'
        when samples.sample_id is null then 'sample_not_in_clinical'
        when key_occurrence > 1 then 'duplicate_key'
    end as reject_reason,
    case
        when text_fault is not null then text_fault_detail
        when n_fields <> n_header_fields then 'line has ' || n_fields || ' fields, header has ' || n_header_fields
        when typed.sample_id is null then 'no sample_id'
        when erbb2_signals is null or erbb2_signals < 0 then 'erbb2_signals ''' || coalesce(erbb2_raw, '') || ''' is not a count'
        when cep17_signals is null or cep17_signals < 0 then 'cep17_signals ''' || coalesce(cep17_raw, '') || ''' is not a count'
        when samples.sample_id is null then 'sample ' || typed.sample_id || ' is not in the clinical sample file'
        when key_occurrence > 1 then 'cell ' || cell_id || ' already counted on an earlier line'
    end as reject_detail
from typed
left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
