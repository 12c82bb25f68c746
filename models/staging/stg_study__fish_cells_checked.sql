-- Per-cell FISH counts (ERBB2 and CEP17 signals), typed, with the reason a cell must be rejected.
with landed as (
    select * from {{ ref('landing_fish_cells') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

typed as (
    select
        {{ landed_line_columns() }},
        trim(landed.sample_id) as sample_id,
        landed.biopsy,
        landed.cell_id,
        {{ whole_number('landed.erbb2_signals', 'integer') }} as erbb2_signals,
        {{ whole_number('landed.cep17_signals', 'integer') }} as cep17_signals,
        landed.erbb2_signals as erbb2_raw,
        landed.cep17_signals as cep17_raw,
        cast(row_number() over (
            partition by landed.study_id, landed.sample_id, landed.biopsy, landed.cell_id
            order by landed.source_row
        ) as bigint) as key_occurrence
    from landed
)

select
    typed.*,
    {{ reject_ladder(line_rejects() + [
        {'when': 'typed.sample_id is null', 'code': 'missing_sample_id', 'detail': "'no sample_id'"},
        {'when': 'erbb2_signals is null or erbb2_signals < 0', 'code': 'invalid_signal_count',
         'detail': "'erbb2_signals ' || chr(39) || coalesce(erbb2_raw, '') || chr(39) || ' is not a count'"},
        {'when': 'cep17_signals is null or cep17_signals < 0', 'code': 'invalid_signal_count',
         'detail': "'cep17_signals ' || chr(39) || coalesce(cep17_raw, '') || chr(39) || ' is not a count'"},
        {'when': 'samples.sample_id is null', 'code': 'sample_not_in_clinical',
         'detail': "'sample ' || typed.sample_id || ' is not in the clinical sample file'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "'cell ' || cell_id || ' already counted on an earlier line'"},
    ]) }}
from typed
left join samples on samples.study_id = typed.study_id and samples.sample_id = typed.sample_id
