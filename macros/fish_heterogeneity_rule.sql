{#- The li2024 HER2 FISH heterogeneity rule, declared once for every FISH model: a biopsy (or a patient's
    pooled cells) is heterogeneous when fraction_low < fraction of amplified cells < fraction_high (both
    bounds strict), and gets no call ('insufficient_cells') with fewer than min_cells counted cells (the
    ASCO/CAP minimum ISH count). Thresholds are vars (defaults declared in dbt_project.yml: 0.05, 0.50, 20),
    so a study can be re-run with its own: fish_heterogeneous_fraction_low, fish_heterogeneous_fraction_high,
    fish_min_cells.
    The rule ids spell the thresholds out (li2024_fraction_5_50_min20_v1 with the defaults), and every model
    that applies the rule stores the three values as columns beside its numbers. -#}
{% macro fish_heterogeneity_rule() -%}
    {%- set low = var('fish_heterogeneous_fraction_low') | float -%}
    {%- set high = var('fish_heterogeneous_fraction_high') | float -%}
    {%- set min_cells = var('fish_min_cells') | int -%}
    {{ return({
        'fraction_low': low,
        'fraction_high': high,
        'min_cells': min_cells,
        'biopsy_rule_id': 'li2024_fraction_%g_%g_min%d_v1' | format(low * 100, high * 100, min_cells),
        'patient_rule_id': 'li2024_pooled_biopsies_%g_%g_v1' | format(low * 100, high * 100),
    }) }}
{%- endmacro %}
