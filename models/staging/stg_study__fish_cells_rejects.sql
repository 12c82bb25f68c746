-- Per-cell FISH lines that could not be accepted, with the reason.
select
    study_id,
    source_file,
    source_row,
    sample_id,
    reject_reason,
    reject_detail
from {{ ref('stg_study__fish_cells_checked') }}
where reject_reason is not null
