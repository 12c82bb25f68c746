-- One row per condition of a comparison's or group's selection (samples:, where:), as landed: the staging face
-- of landing_comparison_selections. A declared attribute value is read as the attribute's values are (the
-- declaring study's own `values:` first, then seed clinical_value_synonyms): `where: {ER_STATUS: [pos]}` tests
-- 'Positive', so a `not_in` of a synonym cannot keep every sample by never matching.
with selections as (
    select * from {{ ref('landing_comparison_selections') }}
),

{{ value_synonym_ctes(ref('landing_study_settings')) }}

select
    selections.study_id,
    selections.source_file,
    selections.comparison,
    selections.group_label,
    selections.clause,
    selections.branch,
    selections.condition,
    selections.subject_kind,
    selections.subject,
    selections.operator,
    selections.expected,
    {{ value_through_synonyms('selections.value_text') }} as value_text,
    selections.value_text as declared_value_text,
    selections.low,
    selections.high
from selections
{{ value_synonym_joins('selections.study_id', 'selections.subject', 'selections.value_text',
                       only_when="selections.subject_kind = 'attribute'") }}
