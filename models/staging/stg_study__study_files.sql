-- One row per file of a study folder with the input kind it was landed as (or why not): the staging face of
-- landing_study_files.
select
    study_id,
    study_dir,
    source_file,
    file_name,
    file_kind,
    decided_by
from {{ ref('landing_study_files') }}
