{#- Members profiled and altered per feature and alteration type, from one row per member x feature
    with the flags mutation_profiled, cna_profiled, is_mutated, is_cna_altered. How the frequency marts
    count: mutation (profiled by the assay, mutated), cna (has copy-number data, amplification / deep
    deletion), any (profiled for either, altered by either). fct_pathway_frequency counts through this
    macro; fct_gene_frequency counts the same definitions sparsely (its member x gene table would be
    50M rows at 100k samples), and a test builds both on the demo and compares them. -#}
{% macro alteration_counts(relation, keys) -%}
    {%- set by = keys | join(', ') -%}
    {%- for alteration_type, profiled, altered in [
        ('mutation', 'mutation_profiled', 'mutation_profiled and is_mutated'),
        ('cna', 'cna_profiled', 'cna_profiled and is_cna_altered'),
        ('any', 'mutation_profiled or cna_profiled', '(mutation_profiled and is_mutated) or (cna_profiled and is_cna_altered)'),
    ] %}
    select
        {{ by }},
        '{{ alteration_type }}' as alteration_type,
        sum(case when {{ profiled }} then 1 else 0 end) as n_profiled,
        sum(case when {{ altered }} then 1 else 0 end) as n_altered
    from {{ relation }}
    group by {{ by }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The measures every frequency mart ends with: n_profiled, n_altered (bigint) and altered_fraction =
    n_altered / n_profiled (null when nobody was profiled). `profiled` and `altered` are the SQL
    expressions of the two counts. -#}
{% macro frequency_measures(profiled='n_profiled', altered='n_altered') -%}
    cast({{ profiled }} as bigint) as n_profiled,
    cast({{ altered }} as bigint) as n_altered,
    {{ altered }} / nullif(cast({{ profiled }} as double), 0) as altered_fraction
{%- endmacro %}
