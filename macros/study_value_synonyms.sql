{#- A study's own value synonyms, oncoduck_study.yml `values: {ATTRIBUTE: {raw: canonical}}`, from ``settings``
    (landing_study_settings or its staging face stg_study__study_settings, where they are landed flattened as
    values.ATTRIBUTE.raw): one row per study x attribute (upper case) x raw value (lower case, trimmed) with its
    canonical value. They win over the seed clinical_value_synonyms wherever a value is read: the files' values
    (stg_study__clinical_checked) and the values a comparison declares (stg_study__comparison_selections,
    int_comparison_candidates), so a declaration in the study's own spelling means what its files mean. Two raw
    values the same ignoring case are refused when the study file is read (ingest/declarations.py). -#}
{% macro study_value_synonyms(settings) %}
    select
        study_id,
        upper({{ regexp_group('setting', '^values\\.([^.]+)\\.', 1) }}) as attribute,
        lower(trim({{ regexp_group('setting', '^values\\.[^.]+\\.(.*)$', 1) }})) as raw_value,
        value as canonical_value
    from {{ settings }}
    where source = 'oncoduck_study.yml' and setting like 'values.%'
{% endmacro %}

{#- The two synonym tables a model reads a value through, as CTEs: study_value_synonyms (the study's own, above)
    and value_synonyms (seeds/reference/clinical_value_synonyms.csv, raw value lower-cased and trimmed). A model
    joins them with value_synonym_joins and reads the value with value_through_synonyms: the files' values
    (stg_study__clinical_checked) and the values a comparison declares (stg_study__comparison_selections,
    stg_study__comparisons). -#}
{% macro value_synonym_ctes(settings) %}
study_value_synonyms as (
    {{ study_value_synonyms(settings) }}
),

value_synonyms as (
    select attribute, lower(trim(raw_value)) as raw_value, canonical_value from {{ ref('clinical_value_synonyms') }}
)
{%- endmacro %}

{#- The left joins of the two synonym CTEs to the row whose ``value`` of canonical ``attribute`` (upper case) is
    read, in ``study_id``; ``only_when`` limits them to some rows (a condition on the row). -#}
{% macro value_synonym_joins(study_id, attribute, value, only_when=none) %}
left join study_value_synonyms
    on {% if only_when %}({{ only_when }}) and {% endif %}study_value_synonyms.study_id = {{ study_id }}
    and study_value_synonyms.attribute = {{ attribute }}
    and study_value_synonyms.raw_value = lower(trim({{ value }}))
left join value_synonyms
    on {% if only_when %}({{ only_when }}) and {% endif %}value_synonyms.attribute = {{ attribute }}
    and value_synonyms.raw_value = lower(trim({{ value }}))
{%- endmacro %}

{#- ``value`` read through the joins of value_synonym_joins: the study's own synonym first, then the seed's, else the
    value as given. -#}
{% macro value_through_synonyms(value) -%}
coalesce(study_value_synonyms.canonical_value, value_synonyms.canonical_value, {{ value }})
{%- endmacro %}
