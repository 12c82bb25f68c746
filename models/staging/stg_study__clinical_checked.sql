-- Every landed clinical value (one row per file line x attribute column), typed and mapped to the
-- canonical attribute dictionary, with the reason it must be rejected (null when it is fine).
-- Feeds stg_study__clinical_attributes (accepted) and stg_study__clinical_rejects.
-- Values are read per canonical attribute (the study's `values:`, macros/study_value_synonyms.sql, over the seed
-- clinical_value_synonyms), so one source column mapped to several attributes (oncoduck_study.yml
-- `columns: {VITAL_STATUS: [OS_STATUS, DSS_STATUS]}`, landed once per attribute) reads 'Died of Other Causes'
-- as OS event 1 and DSS event 0.
-- A status other than OS_STATUS whose value is only a vital status ('1:DECEASED', 'Dead': the
-- VITAL_STATUS vocabulary, not the attribute's own) is unparseable_status, not an event: a death of unknown
-- cause is not a disease-specific event, although cBioPortal's '1:' prefix would otherwise read as one.
with landed as (
    select * from {{ ref('landing_clinical') }}
),

attribute_synonyms as (
    select upper(trim(synonym)) as synonym, attribute from {{ ref('clinical_attribute_synonyms') }}
),

attributes as (
    select attribute, data_type from {{ ref('clinical_attributes') }}
),

{{ value_synonym_ctes(ref('landing_study_settings')) }},

named as (
    select
        landed.*,
        coalesce(attribute_synonyms.attribute, upper(trim(landed.attribute_name))) as attribute,
        case when landed.level = 'sample'
             then {{ sample_id_from_barcode('landed.sample_id') }} end as sample_key,
        coalesce(
            case when {{ is_tcga_barcode('landed.patient_id') }} then upper(trim(landed.patient_id)) else trim(landed.patient_id) end,
            {{ patient_id_from_barcode('landed.sample_id') }},
            -- a sample file with no PATIENT_ID column at all: each sample is its own patient
            case when landed.level = 'sample' and not landed.has_patient_column then trim(landed.sample_id) end
        ) as patient_key,
        {{ nullif_missing('landed.value_raw') }} as value_present
    from landed
    left join attribute_synonyms on attribute_synonyms.synonym = upper(trim(landed.attribute_name))
),

valued as (
    select
        named.*,
        coalesce(attributes.data_type,
                 case upper(named.declared_type) when 'NUMBER' then 'number' when 'BOOLEAN' then 'boolean' else 'string' end
        ) as data_type,
        {{ value_through_synonyms('named.value_present') }} as value_text
    from named
    left join attributes on attributes.attribute = named.attribute
    {{ value_synonym_joins('named.study_id', 'named.attribute', 'named.value_present') }}
),

vital_words as (
    select distinct raw_value from value_synonyms where attribute = 'VITAL_STATUS'
),

vital_checked as (
    select
        valued.*,
        coalesce(valued.data_type = 'status' and valued.attribute <> 'OS_STATUS' and vital_words.raw_value is not null,
                 false) as is_vital_status_only
    from valued
    left join vital_words on vital_words.raw_value = lower(valued.value_text)
),

typed as (
    select
        vital_checked.*,
        case when data_type = 'number' then try_cast(value_text as double) end as value_number,
        case when data_type = 'status' and not is_vital_status_only then coalesce(
            case when value_text in ('0', '1') then value_text end,
            {{ regexp_group('value_text', '^([01]):', 1) }}
        ) end as status_event,
        row_number() over (
            partition by study_id, level, coalesce(sample_key, patient_key), attribute
            order by source_file, source_row, source_column
        ) as key_occurrence
    from vital_checked
)

select
    study_id,
    source_file,
    source_row,
    source_column,
    level,
    patient_key as patient_id,
    sample_key as sample_id,
    attribute_name,
    attribute,
    display_name,
    declared_type,
    data_type,
    value_raw,
    value_text,
    value_number,
    cast(status_event as integer) as status_event,
    {{ reject_ladder(line_rejects() + [
        {'when': "level = 'patient' and patient_key is null", 'code': 'missing_patient_id',
         'detail': "'no PATIENT_ID on this line'"},
        {'when': "level = 'sample' and sample_key is null", 'code': 'missing_sample_id',
         'detail': "'no SAMPLE_ID on this line'"},
        {'when': "level = 'sample' and patient_key is null", 'code': 'missing_patient_id',
         'detail': "'no PATIENT_ID for sample ' || sample_key"},
        {'when': "value_text is not null and data_type = 'number' and value_number is null", 'code': 'non_numeric_value',
         'detail': "attribute || ' expects a number, got ' || chr(39) || value_raw || chr(39)"},
        {'when': "value_text is not null and data_type = 'status' and status_event is null", 'code': 'unparseable_status',
         'detail': "case when is_vital_status_only
                then attribute || ' needs the event itself, got the vital status ' || chr(39) || value_raw
                     || chr(39) || ' (a death of unstated cause; map the value with values: if the study knows it)'
                else attribute || ' expects a status such as 0:LIVING / 1:DECEASED, got ' || chr(39) || value_raw || chr(39) end"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "attribute || ' for ' || coalesce(sample_key, patient_key) || ' already given on an earlier line'"},
    ]) }}
from typed
