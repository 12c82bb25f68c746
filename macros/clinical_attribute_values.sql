{#- cBioPortal BOOLEAN clinical values as a boolean: TRUE/FALSE, YES/NO, Y/N, T/F, 1/0 (case-insensitive);
    anything else null (the text stays in value_text). Used by fct_clinical_attribute_value and the
    per-study wide views (models/marts/core/sample_clinical_wide_views.py). -#}
{% macro clinical_boolean(value) -%}
    case
        when lower(trim({{ value }})) in ('true', 'yes', 'y', 't', '1') then true
        when lower(trim({{ value }})) in ('false', 'no', 'n', 'f', '0') then false
    end
{%- endmacro %}
