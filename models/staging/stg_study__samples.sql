-- The sample registry: one row per sample declared in a clinical sample file.
-- Denominators start here, never from "samples that appear in the MAF".
select
    study_id,
    sample_id,
    patient_id,
    source_file,
    source_row
from {{ ref('stg_study__clinical_attributes') }}
where level = 'sample' and attribute = 'SAMPLE_ID'
