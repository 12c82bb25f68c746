-- Gene panel matrix lines that could not be accepted, with the reason (one row per landed row of the line).
select
    study_id,
    source_file,
    source_row,
    source_column,
    sample_id,
    reject_reason,
    reject_detail
from {{ ref('stg_study__sample_panels_checked') }}
where reject_reason is not null
