-- One row per condition of a comparison's or group's selection (samples:, where:), as landed: the staging face
-- of landing_comparison_selections.
select
    study_id,
    source_file,
    comparison,
    group_label,
    clause,
    branch,
    condition,
    subject_kind,
    subject,
    operator,
    expected,
    value_text,
    low,
    high
from {{ ref('landing_comparison_selections') }}
