-- Gene-level copy-number values that could not be accepted, with the reason.
select
    study_id,
    source_file,
    source_row,
    source_column,
    sample_id,
    hugo_symbol,
    value_raw,
    reject_reason,
    reject_detail
from {{ ref('stg_study__gene_cna_checked') }}
where reject_reason is not null
