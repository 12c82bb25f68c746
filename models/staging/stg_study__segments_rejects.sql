-- Segment lines that could not be accepted, with the reason and the offending column.
select
    study_id,
    source_file,
    source_row,
    reject_column as source_column,
    sample_id,
    reject_reason,
    reject_detail
from {{ ref('stg_study__segments_checked') }}
where reject_reason is not null
