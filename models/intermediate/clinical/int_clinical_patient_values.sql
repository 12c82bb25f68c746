-- One value per patient per canonical attribute, whatever level the study gave it at: a patient-file
-- value wins; otherwise the value of the patient's first primary sample (SAMPLE_TYPE Primary, or TCGA
-- sample code 01), then the first sample by id. Non-missing values are preferred over missing ones.
-- values_disagree says when the patient's lines/samples gave different values (the pick is still made);
-- patient_sample_values_disagree narrows that to a patient-file value contradicted by a sample-file value
-- of the same patient (e.g. METABRIC ER_IHC per patient vs ER_STATUS per sample), counted by
-- n_sample_values_disagreeing. Numbers compare as numbers ('90' = '90.0'), text as canonical text.
with attributes as (
    select
        study_id,
        patient_id,
        sample_id,
        level,
        source_file,
        source_row,
        source_column,
        attribute,
        value_raw,
        value_text,
        value_number,
        status_event
    from {{ ref('stg_study__clinical_attributes') }}
    where attribute not in ('PATIENT_ID', 'SAMPLE_ID')
),

sample_types as (
    select study_id, sample_id, value_text as sample_type
    from {{ ref('stg_study__clinical_attributes') }}
    where level = 'sample' and attribute = 'SAMPLE_TYPE'
),

ranked as (
    select
        attributes.*,
        row_number() over (
            partition by attributes.study_id, attributes.patient_id, attributes.attribute
            order by
                case when attributes.value_text is null then 1 else 0 end,
                case when attributes.level = 'patient' then 0 else 1 end,
                case
                    when sample_types.sample_type = 'Primary' then 0
                    when sample_types.sample_type is null and {{ is_tcga_barcode('attributes.sample_id') }}
                         and substr(attributes.sample_id, 14, 2) = '01' then 0
                    else 1
                end,
                attributes.sample_id,
                attributes.source_file,
                attributes.source_row
        ) as preference
    from attributes
    left join sample_types
        on sample_types.study_id = attributes.study_id
        and sample_types.sample_id = attributes.sample_id
),

spread as (
    select
        study_id,
        patient_id,
        attribute,
        count(*) as n_values_given,
        min(value_text) <> max(value_text) as values_disagree
    from attributes
    where value_text is not null
    group by study_id, patient_id, attribute
),

level_disagreements as (
    select
        sample_values.study_id,
        sample_values.patient_id,
        sample_values.attribute,
        count(*) as n_sample_values_disagreeing
    from attributes as sample_values
    inner join attributes as patient_values
        on patient_values.study_id = sample_values.study_id
        and patient_values.patient_id = sample_values.patient_id
        and patient_values.attribute = sample_values.attribute
        and patient_values.level = 'patient'
    where sample_values.level = 'sample'
        and sample_values.value_text is not null
        and patient_values.value_text is not null
        and coalesce(cast(sample_values.value_number as {{ dbt.type_string() }}), sample_values.value_text)
            <> coalesce(cast(patient_values.value_number as {{ dbt.type_string() }}), patient_values.value_text)
    group by sample_values.study_id, sample_values.patient_id, sample_values.attribute
)

select
    ranked.study_id,
    ranked.patient_id,
    ranked.attribute,
    ranked.level,
    ranked.sample_id,
    ranked.source_file,
    ranked.source_row,
    ranked.source_column,
    ranked.value_raw,
    ranked.value_text,
    ranked.value_number,
    ranked.status_event,
    coalesce(spread.n_values_given, 0) as n_values_given,
    coalesce(spread.values_disagree, false) as values_disagree,
    coalesce(level_disagreements.n_sample_values_disagreeing, 0) as n_sample_values_disagreeing,
    level_disagreements.patient_id is not null as patient_sample_values_disagree,
    'patient_value_first_then_primary_sample_v1' as value_pick_rule_id
from ranked
left join spread
    on spread.study_id = ranked.study_id
    and spread.patient_id = ranked.patient_id
    and spread.attribute = ranked.attribute
left join level_disagreements
    on level_disagreements.study_id = ranked.study_id
    and level_disagreements.patient_id = ranked.patient_id
    and level_disagreements.attribute = ranked.attribute
where ranked.preference = 1
