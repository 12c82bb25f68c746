-- Clinical values that could not be accepted, with the reason; landing = accepted + rejected.
select
    study_id,
    source_file,
    source_row,
    source_column,
    attribute_name,
    value_raw,
    reject_reason,
    reject_detail
from {{ ref('stg_study__clinical_checked') }}
where reject_reason is not null
