-- Accepted per-cell FISH counts: one row per counted cell.
select
    study_id,
    source_file,
    source_row,
    sample_id,
    biopsy,
    cell_id,
    erbb2_signals,
    cep17_signals
from {{ ref('stg_study__fish_cells_checked') }}
where reject_reason is null
