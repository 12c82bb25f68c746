{#- A sample's value of an attribute, as comparisons read it: the sample-level value, else its patient's
    (int_entity_attributes; attribute names compared upper case). `units` names a relation (a CTE) with
    study_id, sample_id, patient_id and attribute (upper case); the result is its columns plus value_text,
    null where neither the sample nor its patient has a value. The one implementation of that rule, used by
    int_comparison_unit_values (groupings, strata) and macros/comparison_condition_values.sql (`where:` conditions). -#}
{% macro unit_attribute_values(units) %}
    select units.*, coalesce(sample_attr.value_text, patient_attr.value_text) as value_text
    from {{ units }} as units
    left join {{ ref('int_entity_attributes') }} as sample_attr
        on sample_attr.study_id = units.study_id and sample_attr.level = 'sample'
        and sample_attr.sample_id = units.sample_id and upper(sample_attr.attribute) = units.attribute
    left join {{ ref('int_entity_attributes') }} as patient_attr
        on patient_attr.study_id = units.study_id and patient_attr.level = 'patient'
        and patient_attr.patient_id = units.patient_id and upper(patient_attr.attribute) = units.attribute
{% endmacro %}
