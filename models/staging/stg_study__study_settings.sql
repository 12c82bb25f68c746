-- One row per study-level setting of oncoduck_study.yml (coding size, assay, rule choices, cut-offs), as landed:
-- the staging face of landing_study_settings.
select
    study_id,
    source,
    setting,
    value
from {{ ref('landing_study_settings') }}
