-- One row per patient (patient file) or sample (sample file) per clinical attribute of the study's
-- files: every attribute the files give, mapped to the canonical dictionary or not, as staging accepted
-- it (rejected values are in stg_study__clinical_rejects), typed as the cBioPortal header declares it
-- (its four '#' lines: display name and STRING / NUMBER / BOOLEAN). Missing values are rows with null
-- values. Model sample_clinical_wide_views makes one wide view per study from these rows.
with attribute_values as (
    select
        study_id,
        source_file,
        source_column,
        level,
        patient_id,
        sample_id,
        attribute,
        attribute_name,
        data_type,
        value_raw,
        value_text,
        value_number
    from {{ ref('stg_study__clinical_attributes') }}
    where attribute not in ('PATIENT_ID', 'SAMPLE_ID')
),

headers as (
    -- each file column's typed header (cBioPortal's first and third '#' lines)
    select distinct study_id, source_file, source_column, display_name, declared_type
    from {{ ref('stg_study__clinical_checked') }}
)

select
    attribute_values.study_id,
    attribute_values.level,
    attribute_values.patient_id,
    attribute_values.sample_id,
    attribute_values.attribute,
    attribute_values.attribute_name,
    headers.display_name,
    headers.declared_type,
    attribute_values.data_type,
    attribute_values.value_raw,
    attribute_values.value_text,
    coalesce(
        attribute_values.value_number,
        case when headers.declared_type = 'NUMBER' then try_cast(attribute_values.value_text as double) end
    ) as value_number,
    case when headers.declared_type = 'BOOLEAN' or attribute_values.data_type = 'boolean'
         then {{ clinical_boolean('attribute_values.value_text') }} end as value_boolean
from attribute_values
left join headers
    on headers.study_id = attribute_values.study_id
    and headers.source_file = attribute_values.source_file
    and headers.source_column = attribute_values.source_column
