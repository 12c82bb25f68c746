-- Treatments: one row per timeline TREATMENT event line per drug named in it, with the generic agent,
-- class and subclass from seeds.drugs and the derived line of therapy.
select
    study_id,
    patient_id,
    source_file,
    source_row,
    component_index,
    start_day,
    stop_day,
    treatment_type,
    agent_text,
    agent_part,
    agent,
    drug_class,
    drug_subclass,
    is_mapped,
    line_of_therapy,
    line_rule_id
from {{ ref('int_treatments_mapped') }}
