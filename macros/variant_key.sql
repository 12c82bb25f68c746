{#- A variant's identity within a sample: chromosome:start_position:reference_allele>tumor_allele (fct_variant's
    key, int_variants_classified's, and the join between them). `relation` is the alias the columns belong to. -#}
{% macro variant_key(relation) -%}
    {{ relation }}.chromosome || ':' || {{ relation }}.start_position || ':' || {{ relation }}.reference_allele || '>'
        || {{ relation }}.tumor_allele
{%- endmacro %}
