-- MAF rows that could not be accepted, with the reason and the offending column
-- (source_column = the field's position in the file, via landing_file_columns).
with rejected as (
    select * from {{ ref('stg_study__mutations_checked') }} where reject_reason is not null
),

columns as (
    select source_file, landed_as, source_column from {{ ref('landing_file_columns') }} where file_kind in ('mutations', 'vcf')
)

select
    rejected.study_id,
    rejected.source_file,
    rejected.source_row,
    columns.source_column,
    rejected.sample_id,
    rejected.hugo_symbol,
    rejected.reject_reason,
    rejected.reject_detail
from rejected
left join columns
    on columns.source_file = rejected.source_file and columns.landed_as = rejected.reject_column
