{#- Members profiled and altered per comparison group x feature and alteration type, counted sparsely.
    How the frequency marts count: mutation (the member's assay covers the feature; mutated), cna (the
    member has copy-number data; amplification / deep deletion), any (profiled for either, altered by
    either); members without any alteration count in every denominator.
    A dense member x feature table is never built (10k members x 500 genes = 5M rows; 100k: 50M):
      - denominators: members per group and assay (`profiles`: int_comparison_members) joined to
        the assays that cover each feature (`assay_coverage`: assay_id + the feature keys);
      - numerators: `member_alterations`, one row per member x feature with at least one altered gene
        (study_id, comparison, group_label + the feature keys, flags is_mutation_profiled, is_mutated,
        is_cna_profiled, is_cna_altered; is_mutated only for genes the member's assay covers).
    `features`: the features counted per comparison (study_id, comparison + the feature keys). Gives the
    CTEs group_assays, group_features, group_altered and counted (one row per group x feature x
    alteration type with n_profiled, n_altered; features nobody was profiled for are left out).
    test_demo_effects_recovered.py compares both marts with the dense definitions on the demo. -#}
{% macro sparse_alteration_counts(profiles, features, assay_coverage, member_alterations, feature_keys) -%}
    {%- set by_group = ['study_id', 'comparison', 'group_label'] -%}
    {%- set group_keys = by_group + ['group_order'] -%}
group_assays as (
    select
        study_id,
        comparison,
        group_label,
        group_order,
        assay_id,
        sum(case when is_mutation_profiled then 1 else 0 end) as n_mutation_profiled,
        sum(case when is_mutation_profiled and not is_cna_profiled then 1 else 0 end) as n_mutation_only_profiled,
        sum(case when is_cna_profiled then 1 else 0 end) as n_cna_profiled
    from {{ profiles }}
    group by study_id, comparison, group_label, group_order, assay_id
),

group_features as (
    select
        {%- for key in group_keys %}
        group_assays.{{ key }},
        {%- endfor %}
        {%- for key in feature_keys %}
        features.{{ key }},
        {%- endfor %}
        sum(case when coverage.assay_id is not null then group_assays.n_mutation_profiled else 0 end)
            as n_mutation_profiled,
        sum(group_assays.n_cna_profiled) as n_cna_profiled,
        sum(case when coverage.assay_id is not null then group_assays.n_mutation_only_profiled else 0 end)
            + sum(group_assays.n_cna_profiled) as n_any_profiled
    from group_assays
    inner join {{ features }} as features
        on features.study_id = group_assays.study_id and features.comparison = group_assays.comparison
    left join {{ assay_coverage }} as coverage
        on coverage.assay_id = group_assays.assay_id
        {%- for key in feature_keys %} and coverage.{{ key }} = features.{{ key }}{% endfor %}
    group by {% for key in group_keys %}group_assays.{{ key }}, {% endfor %}
        {%- for key in feature_keys %}features.{{ key }}{% if not loop.last %}, {% endif %}{% endfor %}
),

group_altered as (
    select
        {{ (by_group + feature_keys) | join(', ') }},
        sum(case when is_mutation_profiled and is_mutated then 1 else 0 end) as n_mutation_altered,
        sum(case when is_cna_profiled and is_cna_altered then 1 else 0 end) as n_cna_altered,
        sum(case when (is_mutation_profiled and is_mutated) or (is_cna_profiled and is_cna_altered) then 1 else 0 end)
            as n_any_altered
    from {{ member_alterations }}
    group by {{ (by_group + feature_keys) | join(', ') }}
),

counted as (
    {%- for alteration_type in ['mutation', 'cna', 'any'] %}
    select
        {%- for key in group_keys + feature_keys %}
        group_features.{{ key }},
        {%- endfor %}
        '{{ alteration_type }}' as alteration_type,
        group_features.n_{{ alteration_type }}_profiled as n_profiled,
        coalesce(group_altered.n_{{ alteration_type }}_altered, 0) as n_altered
    from group_features
    left join group_altered
        on {% for key in by_group + feature_keys %}group_altered.{{ key }} = group_features.{{ key }}{% if not loop.last %} and {% endif %}{% endfor %}
    where group_features.n_{{ alteration_type }}_profiled > 0
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)
{%- endmacro %}

{#- The measures every frequency mart ends with: n_profiled, n_altered (bigint) and altered_fraction =
    n_altered / n_profiled (null when nobody was profiled). `profiled` and `altered` are the SQL
    expressions of the two counts. -#}
{% macro frequency_measures(profiled='n_profiled', altered='n_altered') -%}
    cast({{ profiled }} as bigint) as n_profiled,
    cast({{ altered }} as bigint) as n_altered,
    {{ altered }} / nullif(cast({{ profiled }} as double), 0) as altered_fraction
{%- endmacro %}
