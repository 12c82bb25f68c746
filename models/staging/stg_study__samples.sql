-- The sample registry: one row per sample declared in a clinical sample file.
-- Denominators start here, never from "samples that appear in the MAF". Read from the checked clinical rows
-- (accepted: no reject_reason, as stg_study__clinical_attributes takes them), so that the inputs checked against
-- the registry (mutations, copy number, FISH cells) sit one step nearer landing.
select
    study_id,
    sample_id,
    patient_id,
    source_file,
    source_row
from {{ ref('stg_study__clinical_checked') }}
where reject_reason is null and level = 'sample' and attribute = 'SAMPLE_ID'
