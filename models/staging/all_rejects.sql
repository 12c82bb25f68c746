-- Written by `python -m oncoduck.ingest.kinds --write` from python/oncoduck/ingest/kinds.py: edit that.
{{ config(tags=['rejects']) }}
-- Every rejected input row of every kind, in one place (what `oncoduck validate` prints):
-- file, line, column, reason code and a sentence saying what was expected.
select 'clinical' as input_kind, study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__clinical_rejects') }}
where reject_reason is not null
union all
select 'mutations', study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__mutations_rejects') }}
where reject_reason is not null
union all
select 'structural_variants', study_id, source_file, source_row, cast(null as bigint), reject_reason, reject_detail
from {{ ref('stg_study__structural_variants_checked') }}
where reject_reason is not null
union all
select 'segments', study_id, source_file, source_row, reject_column, reject_reason, reject_detail
from {{ ref('stg_study__segments_checked') }}
where reject_reason is not null
union all
select 'gene_cna', study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__gene_cna_checked') }}
where reject_reason is not null
union all
select 'gene_panel_matrix', study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__sample_panels_checked') }}
where reject_reason is not null
union all
select 'timeline', study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__timeline_checked') }}
where reject_reason is not null
union all
select 'fish_cells', study_id, source_file, source_row, cast(null as bigint), reject_reason, reject_detail
from {{ ref('stg_study__fish_cells_checked') }}
where reject_reason is not null
union all
select 'survival', study_id, source_file, source_row, source_column, reject_reason, reject_detail
from {{ ref('stg_study__survival_endpoints_rejects') }}
where reject_reason is not null
