{#- Whether ``item`` is one of the items of ``list``, a ';'-joined text (declared sample types, timepoints, case lists,
    group values and samples; a variant's protein domains): a plain search for ';item;' in ';list;'. Not `like`:
    an item holding '_' or '%' (a sample id S_1, a study's raw value C1_D1) would be a pattern there, and S_1 would
    match a declared S-1. Null when either is null. -#}
{% macro in_delimited_list(list, item) -%}
    (instr(';' || {{ list }} || ';', ';' || {{ item }} || ';') > 0)
{%- endmacro %}
