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
    coalesce(study_value_synonyms.canonical_value, value_synonyms.canonical_value, selections.value_text) as value_text,
    selections.value_text as declared_value_text,
    selections.low,
    selections.high
from selections
left join study_value_synonyms
    on selections.subject_kind = 'attribute'
    and study_value_synonyms.study_id = selections.study_id
    and study_value_synonyms.attribute = upper(selections.subject)
    and study_value_synonyms.raw_value = lower(trim(selections.value_text))
left join value_synonyms
    on selections.subject_kind = 'attribute'
    and value_synonyms.attribute = selections.subject
    and value_synonyms.raw_value = lower(trim(selections.value_text))
