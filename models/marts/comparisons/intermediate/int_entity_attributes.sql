-- Every attribute a comparison can group by, long: one row per sample (or patient) per attribute.
-- Clinical values (canonical names) at their own level, the sample registry's own columns (with STUDY_ID, the
-- study of the sample, for comparisons across studies; a clinical column of that name is not read), and the
-- patient attributes derived by rule in dim_patient (HER2 category, HR status, surrogate subtype ...).
-- Attribute names are upper case; values are the canonical text.
with clinical as (
    select
        study_id,
        level,
        patient_id,
        sample_id,
        attribute,
        value_text
    from {{ ref('stg_study__clinical_attributes') }}
    where value_text is not null
      and attribute not in ('PATIENT_ID', 'SAMPLE_ID', 'STUDY_ID')  -- ids; STUDY_ID is the registry's (below)
),

samples as (
    select study_id, sample_id, patient_id, sample_type, timepoint, biopsy, assay_id
    from {{ ref('dim_sample') }}
),

sample_columns as (
    select study_id, 'sample' as level, patient_id, sample_id, 'SAMPLE_TYPE_CANONICAL' as attribute, sample_type as value_text from samples
    union all
    select study_id, 'sample', patient_id, sample_id, 'ASSAY_ID', assay_id from samples
    union all
    select study_id, 'sample', patient_id, sample_id, 'STUDY_ID', study_id from samples  -- comparisons across studies
),

patients as (
    select * from {{ ref('dim_patient') }}
),

{%- set derived_patient_columns = [
    'her2_category', 'her2_category_detail', 'her2_status', 'hr_status', 'er_status', 'pr_status',
    'subtype', 'ki67_group', 'ki67_group_ikwg', 'stage_group', 'm_stage_initial', 'has_visceral_metastasis',
    'metastasis_pattern', 'age_group', 'her2_heterogeneity'] %}

derived_patient_columns as (
    {%- for column in derived_patient_columns %}
    select study_id, 'patient' as level, patient_id, cast(null as {{ dbt.type_string() }}) as sample_id,
        '{{ column | upper }}_DERIVED' as attribute, cast({{ column }} as {{ dbt.type_string() }}) as value_text
    from patients where {{ column }} is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

nmf_clusters as (
    -- the consensus NMF cluster at the chosen rank (studies that declare nmf; fct_sample_nmf_cluster is a
    -- Python model: on the spark target, the view of its result, which the build writes before this model)
    select
        clusters.study_id,
        'sample' as level,
        samples.patient_id,
        clusters.sample_id,
        'NMF_CLUSTER_DERIVED' as attribute,
        cast(clusters.cluster as {{ dbt.type_string() }}) as value_text
    from {{ ref('fct_sample_nmf_cluster') }} as clusters
    inner join samples on samples.study_id = clusters.study_id and samples.sample_id = clusters.sample_id
    where clusters.is_chosen_rank and clusters.cluster is not null
)

select study_id, level, patient_id, sample_id, attribute, value_text from clinical
union all
select study_id, level, patient_id, sample_id, attribute, value_text from sample_columns
union all
select study_id, level, patient_id, sample_id, attribute, value_text from derived_patient_columns
union all
select study_id, level, patient_id, sample_id, attribute, value_text from nmf_clusters
