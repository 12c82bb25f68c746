-- Counts of low-level copy-number gene calls (gain / loss / neutral; rule entire_exonic_span) per study x
-- pair rule x side x gene, over the distinct samples on that side of the rule's pairs (each sample once).
-- Input of stat_paired_cna_distribution (paul2020: low-level CNAs in primaries vs metastases). Counting here,
-- in SQL keeps the Python model's input small. The genes are every protein-coding gene of the study's build
-- (macro segments_mapped_to_genes over the paired samples' segments); the dense paired sample x gene calls
-- (~20,000 per sample) are counted as they are mapped, never stored.
with pair_sides as (
    select distinct study_id, pair_rule, side_a, side_b, 'a' as side, sample_id_a as sample_id
    from {{ ref('int_sample_pairs_matched') }}
    union all
    select distinct study_id, pair_rule, side_a, side_b, 'b' as side, sample_id_b as sample_id
    from {{ ref('int_sample_pairs_matched') }}
),

paired_samples as (
    select distinct study_id, sample_id from pair_sides
),

paired_segments as (
    select segments.*
    from {{ ref('int_segments_called') }} as segments
    inner join paired_samples
        on paired_samples.study_id = segments.study_id and paired_samples.sample_id = segments.sample_id
),

low_level_calls as (
    select study_id, sample_id, hugo_symbol, cna_call
    from ({{ segments_mapped_to_genes('paired_segments', contained_only=true) }}) as mapped
    where cna_call in ('gain', 'loss', 'neutral')
)

select
    pair_sides.study_id,
    pair_sides.pair_rule,
    pair_sides.side_a,
    pair_sides.side_b,
    pair_sides.side,
    low_level_calls.hugo_symbol,
    cast(sum(case when low_level_calls.cna_call = 'gain' then 1 else 0 end) as bigint) as n_gain,
    cast(sum(case when low_level_calls.cna_call = 'loss' then 1 else 0 end) as bigint) as n_loss,
    cast(sum(case when low_level_calls.cna_call = 'neutral' then 1 else 0 end) as bigint) as n_neutral
from pair_sides
inner join low_level_calls
    on low_level_calls.study_id = pair_sides.study_id
    and low_level_calls.sample_id = pair_sides.sample_id
group by pair_sides.study_id, pair_sides.pair_rule, pair_sides.side_a, pair_sides.side_b, pair_sides.side,
    low_level_calls.hugo_symbol
