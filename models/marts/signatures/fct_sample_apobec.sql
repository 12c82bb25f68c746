-- One row per sample of a study with contexts (fct_sample_sbs96's samples): APOBEC mutagenesis counts and
-- enrichment as maftools trinucleotideMatrix computes them (Roberts et al. Nat Genet 2013), over every
-- PASS SNV with a usable context (maftools useSyn = TRUE):
--   E = (TCW mutations / C>T and C>G mutations) / ((TCW + WGA background) / (C + G background)),
-- TCW mutations = T[C>T]W and T[C>G]W on either strand, background counted in each C>T/C>G mutation's
-- context window on the + strand (maftools reads +/-20 bases; a MAF context column gives what it has,
-- and window_bases says how much). Enriched when E > 2 (maftools' cut-off). The one-sided Fisher test and
-- its BH adjustment over samples are in stats.stat_apobec_enrichment.
with samples as (
    select distinct study_id, sample_id from {{ ref('fct_sample_sbs96') }}
),

snvs as (
    select * from {{ ref('int_snvs_contexted') }}
    where filter_status = 'PASS' and context_status = 'ok'
),

per_sample as (
    select
        study_id,
        sample_id,
        count(*) as n_snv,
        cast(sum(case when is_apobec_class then 1 else 0 end) as bigint) as n_apobec_class,
        cast(sum(case when is_tcw_motif_mutation then 1 else 0 end) as bigint) as n_tcw_mutations,
        cast(sum(case when is_apobec_class then window_c else 0 end) as bigint) as background_c,
        cast(sum(case when is_apobec_class then window_g else 0 end) as bigint) as background_g,
        cast(sum(case when is_apobec_class then window_tcw else 0 end) as bigint) as background_tcw,
        cast(sum(case when is_apobec_class then window_wga else 0 end) as bigint) as background_wga,
        cast(sum(case when is_apobec_class then window_length else 0 end) as bigint) as window_bases,
        min(window_length) as min_window_length,
        max(window_length) as max_window_length
    from snvs
    group by study_id, sample_id
),

filled as (
    select
        samples.study_id,
        samples.sample_id,
        coalesce(per_sample.n_snv, 0) as n_snv,
        coalesce(per_sample.n_apobec_class, 0) as n_apobec_class,
        coalesce(per_sample.n_tcw_mutations, 0) as n_tcw_mutations,
        coalesce(per_sample.background_c, 0) as background_c,
        coalesce(per_sample.background_g, 0) as background_g,
        coalesce(per_sample.background_tcw, 0) as background_tcw,
        coalesce(per_sample.background_wga, 0) as background_wga,
        coalesce(per_sample.window_bases, 0) as window_bases,
        per_sample.min_window_length,
        per_sample.max_window_length
    from samples
    left join per_sample on per_sample.study_id = samples.study_id and per_sample.sample_id = samples.sample_id
),

scored as (
    select
        filled.*,
        (n_tcw_mutations / nullif(cast(n_apobec_class as double), 0))
            / nullif((background_tcw + background_wga) / nullif(cast(background_c + background_g as double), 0), 0)
            as apobec_enrichment
    from filled
)

select
    study_id,
    sample_id,
    n_snv,
    n_apobec_class,
    n_tcw_mutations,
    n_snv - n_tcw_mutations as n_non_apobec_mutations,
    n_tcw_mutations / nullif(cast(n_snv as double), 0) as fraction_apobec_mutations,
    background_c,
    background_g,
    background_tcw,
    background_wga,
    window_bases,
    min_window_length,
    max_window_length,
    apobec_enrichment,
    case when apobec_enrichment is not null
        then apobec_enrichment > {{ rule_parameter('maftools_apobec_enrichment_v1', 'enrichment_above') }} end as is_apobec_enriched,
    'apobec_maftools_v1' as apobec_definition
from scored
