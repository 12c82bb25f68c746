-- One row per resolved study-level analysis setting (reference_fasta, signatures.*, nmf.*): the
-- declaration as checked and defaulted by python/oncoduck/ingest/analysis_settings.py, with the line it
-- came from. A study without a block has no rows for it and does not run that analysis.
select
    study_id,
    source_file,
    source_line,
    analysis,
    setting,
    value,
    value_source
from {{ ref('landing_analysis_settings') }}
