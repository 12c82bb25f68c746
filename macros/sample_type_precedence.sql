{#- The representative sample of a patient, where one sample per patient is wanted: the first by sample type
    (primary, metastasis, recurrence, plasma, then any other), then by sample id. The one statement of that
    rule: int_comparison_members picks patient-unit members with it and ranks every member's sample within its
    patient (patient_sample_rank), which the statistics read (oncoduck.stats.declared.one_sample_per_patient). -#}
{% macro sample_type_precedence(sample_type) -%}
    case {{ sample_type }} when 'primary' then 1 when 'metastasis' then 2 when 'recurrence' then 3
        when 'plasma' then 4 else 5 end
{%- endmacro %}
