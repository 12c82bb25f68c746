-- One row per sample per variant set per SBS96 channel (COSMIC names and order, seeds sbs96_channels):
-- the sample's single-base substitution catalogue. Samples: every sequenced sample of a study with at
-- least one SNV that has a usable context, zero-count channels included, so catalogues are complete
-- and a sample without SNVs is a row of zeros, never missing. Variant sets as fct_sample_titv.
-- Studies whose SNVs have no context at all (no context column, no reference_fasta) have no rows here:
-- the warn-severity test signature_context_missing on int_snvs_contexted lists them.
with channels as (
    select channel, channel_index, plot_index, substitution_class from {{ ref('sbs96_channels') }}
),

studies_with_context as (
    select distinct study_id from {{ ref('int_snvs_contexted') }} where context_status = 'ok'
),

samples as (
    select samples.study_id, samples.sample_id
    from {{ ref('dim_sample') }} as samples
    inner join studies_with_context on studies_with_context.study_id = samples.study_id
    where samples.is_sequenced and samples.sample_type <> 'normal'
),

counts as (
    -- both variant sets in one pass over the SNVs, joined once per sample and channel
    select study_id, sample_id, sbs96_channel,
        count(case when filter_status = 'PASS' then 1 end) as n_all_snv,
        count(case when is_counted_nonsynonymous then 1 end) as n_nonsynonymous_snv
    from {{ ref('int_snvs_contexted') }}
    where context_status = 'ok' and (filter_status = 'PASS' or is_counted_nonsynonymous)
    group by study_id, sample_id, sbs96_channel
),

catalogues as (
    select
        samples.study_id,
        samples.sample_id,
        channels.channel,
        channels.channel_index,
        channels.plot_index,
        channels.substitution_class,
        coalesce(counts.n_all_snv, 0) as n_all_snv,
        coalesce(counts.n_nonsynonymous_snv, 0) as n_nonsynonymous_snv
    from samples
    cross join channels
    left join counts
        on counts.study_id = samples.study_id and counts.sample_id = samples.sample_id
        and counts.sbs96_channel = channels.channel
),

variant_sets as (
    select 'all_snv' as variant_set
    union all
    select 'nonsynonymous_snv'
)

select
    catalogues.study_id,
    catalogues.sample_id,
    variant_sets.variant_set,
    catalogues.channel,
    catalogues.channel_index,
    catalogues.plot_index,
    catalogues.substitution_class,
    case variant_sets.variant_set when 'all_snv' then catalogues.n_all_snv else catalogues.n_nonsynonymous_snv end
        as n_snv
from catalogues
cross join variant_sets
