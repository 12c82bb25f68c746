{#- A sample's treatment phase from its TIMEPOINT value, one vocabulary for every model that pairs samples
    before and after treatment (int_sample_pairs_matched's pre_post_treatment rule, the FISH models):
    'pre' for baseline, pre, pre_treatment, screening; 'post' for on_treatment, post, post_treatment,
    progression (case-insensitive, with '-' or no separator accepted); null for anything else or no value. -#}
{% macro treatment_phase(timepoint) -%}
    case
        when lower({{ timepoint }}) in ('baseline', 'pre', 'pre_treatment', 'pre-treatment', 'pretreatment', 'screening')
            then 'pre'
        when lower({{ timepoint }}) in ('on_treatment', 'on-treatment', 'ontreatment', 'post', 'post_treatment',
                                        'post-treatment', 'posttreatment', 'progression')
            then 'post'
    end
{%- endmacro %}
