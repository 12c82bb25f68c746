{#- The order of a patient's samples where one sample per patient is wanted, its first the representative: a
    sample sequenced for mutations first, then one with copy-number data, then by sample type (primary,
    metastasis, recurrence, plasma, then any other), then by sample id. A patient whose primary tumour was
    not sequenced but whose metastasis was is represented by the metastasis, so the patient stays in the
    mutation denominators. The one statement of that rule: int_comparison_members picks patient-unit members
    with it and ranks every member's sample within its patient (patient_sample_rank), which the statistics
    read (oncoduck.stats.declared.one_sample_per_patient). `samples` names a relation with is_sequenced,
    is_cna_profiled, sample_type and sample_id. -#}
{% macro representative_sample_order(samples) -%}
    coalesce({{ samples }}.is_sequenced, false) desc,
    coalesce({{ samples }}.is_cna_profiled, false) desc,
    case {{ samples }}.sample_type when 'primary' then 1 when 'metastasis' then 2 when 'recurrence' then 3
        when 'plasma' then 4 else 5 end,
    {{ samples }}.sample_id
{%- endmacro %}
