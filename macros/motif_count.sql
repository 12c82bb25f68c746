{#- How many times any of `motifs` (three-base strings) occurs in `window` (a context of up to 41 bases),
    counted with step 1 as maftools counts trinucleotides (Biostrings trinucleotideFrequency), so
    overlapping motifs such as TCT in TCTCT count twice: one term per window position. -#}
{% macro motif_count(window, motifs) -%}
(
    {%- for position in range(1, 40) %}
    case when substr({{ window }}, {{ position }}, 3) in ({{ "'" ~ motifs | join("', '") ~ "'" }}) then 1 else 0 end
    {%- if not loop.last %} +{% endif %}
    {%- endfor %}
)
{%- endmacro %}
