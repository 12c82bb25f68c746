-- One row per declared comparison per member sample with its group: who is compared with whom, for BI
-- tools and the report (the serving copy publishes marts, not intermediate models). study_id is the
-- comparison's (declaring) study, sample_study_id the member's own.
select
    study_id,
    comparison,
    unit,
    sample_study_id,
    sample_id,
    patient_id,
    sample_type,
    group_value,
    group_label,
    group_order
from {{ ref('int_comparison_members') }}
