-- One row per sequenced sample per variant set: single-base substitutions by the six pyrimidine classes,
-- transitions (C>T, T>C) and transversions, as maftools titv() counts them. Variant sets:
-- 'all_snv' = every PASS SNV whatever its class (maftools titv(useSyn = TRUE)); 'nonsynonymous_snv' =
-- the SNVs the study counts as mutations (its mutated_definition, else its TMB definition; maftools titv()
-- default when that definition is nonsyn_maftools_v1). Denominators come from the sample registry: sequenced samples with
-- no SNV are here with zero counts and null fractions. Context is not needed for these counts;
-- n_in_catalogue says how many of the SNVs also have a usable trinucleotide context (fct_sample_sbs96).
with samples as (
    select study_id, sample_id from {{ ref('dim_sample') }}
    where is_sequenced and sample_type <> 'normal'
),

variant_sets as (
    select 'all_snv' as variant_set
    union all
    select 'nonsynonymous_snv'
),

snvs as (
    select 'all_snv' as variant_set, study_id, sample_id, substitution_class, is_transition, context_status
    from {{ ref('int_snvs_contexted') }}
    where filter_status = 'PASS'
    union all
    select 'nonsynonymous_snv', study_id, sample_id, substitution_class, is_transition, context_status
    from {{ ref('int_snvs_contexted') }}
    where is_counted_nonsynonymous
),

counts as (
    select
        study_id,
        sample_id,
        variant_set,
        count(*) as n_snv,
        cast(sum(case when substitution_class = 'C>A' then 1 else 0 end) as bigint) as n_c_to_a,
        cast(sum(case when substitution_class = 'C>G' then 1 else 0 end) as bigint) as n_c_to_g,
        cast(sum(case when substitution_class = 'C>T' then 1 else 0 end) as bigint) as n_c_to_t,
        cast(sum(case when substitution_class = 'T>A' then 1 else 0 end) as bigint) as n_t_to_a,
        cast(sum(case when substitution_class = 'T>C' then 1 else 0 end) as bigint) as n_t_to_c,
        cast(sum(case when substitution_class = 'T>G' then 1 else 0 end) as bigint) as n_t_to_g,
        cast(sum(case when is_transition then 1 else 0 end) as bigint) as n_transitions,
        cast(sum(case when context_status = 'ok' then 1 else 0 end) as bigint) as n_in_catalogue,
        cast(sum(case when context_status = 'no_context' then 1 else 0 end) as bigint) as n_without_context,
        cast(sum(case when context_status in ('context_mismatch', 'invalid_context', 'ambiguous_context') then 1 else 0 end) as bigint)
            as n_context_rejected
    from snvs
    group by study_id, sample_id, variant_set
),

filled as (
    select
        samples.study_id,
        samples.sample_id,
        variant_sets.variant_set,
        coalesce(counts.n_snv, 0) as n_snv,
        coalesce(counts.n_c_to_a, 0) as n_c_to_a,
        coalesce(counts.n_c_to_g, 0) as n_c_to_g,
        coalesce(counts.n_c_to_t, 0) as n_c_to_t,
        coalesce(counts.n_t_to_a, 0) as n_t_to_a,
        coalesce(counts.n_t_to_c, 0) as n_t_to_c,
        coalesce(counts.n_t_to_g, 0) as n_t_to_g,
        coalesce(counts.n_transitions, 0) as n_transitions,
        coalesce(counts.n_in_catalogue, 0) as n_in_catalogue,
        coalesce(counts.n_without_context, 0) as n_without_context,
        coalesce(counts.n_context_rejected, 0) as n_context_rejected
    from samples
    cross join variant_sets
    left join counts
        on counts.study_id = samples.study_id and counts.sample_id = samples.sample_id
        and counts.variant_set = variant_sets.variant_set
)

select
    study_id,
    sample_id,
    variant_set,
    n_snv,
    n_c_to_a,
    n_c_to_g,
    n_c_to_t,
    n_t_to_a,
    n_t_to_c,
    n_t_to_g,
    n_transitions,
    n_snv - n_transitions as n_transversions,
    n_c_to_a / nullif(cast(n_snv as double), 0) as fraction_c_to_a,
    n_c_to_g / nullif(cast(n_snv as double), 0) as fraction_c_to_g,
    n_c_to_t / nullif(cast(n_snv as double), 0) as fraction_c_to_t,
    n_t_to_a / nullif(cast(n_snv as double), 0) as fraction_t_to_a,
    n_t_to_c / nullif(cast(n_snv as double), 0) as fraction_t_to_c,
    n_t_to_g / nullif(cast(n_snv as double), 0) as fraction_t_to_g,
    n_transitions / nullif(cast(n_snv as double), 0) as ti_fraction,
    (n_snv - n_transitions) / nullif(cast(n_snv as double), 0) as tv_fraction,
    n_in_catalogue,
    n_without_context,
    n_context_rejected
from filled
