-- One row per pair rule per sample pair (int_sample_pairs_matched): coding mutations shared and
-- private to each side, Jaccard index, and copy-number concordance of the two samples.
-- Mutations: int_pair_variants_compared (PASS nonsynonymous under the study's TMB definition, variant
-- key chromosome:start:ref>alt, only mutations both assays could see). Counts are null when either
-- sample was not sequenced; zero-mutation pairs get zeros and a null Jaccard index (0/0).
-- Copy number: gene-level log2 ratio (seg.mean of the one segment containing the gene's whole exonic
-- span, int_pair_segments_mapped_to_genes rule entire_exonic_span) of the genes called in both samples;
-- cn_r_squared = squared Pearson correlation (R^2 of the least-squares line) over those genes,
-- cn_call_agreement = fraction of them with the same call (gain/amplification, loss/deep deletion, neutral).
with pairs as (
    select * from {{ ref('int_sample_pairs_matched') }}
),

variants as (
    select * from {{ ref('int_pair_variants_compared') }} where is_comparable
),

studies as (
    select study_id, tmb_definition from {{ ref('stg_study__studies') }}
),

mutation_counts as (
    select
        study_id,
        pair_rule,
        sample_id_a,
        sample_id_b,
        cast(sum(case when in_a then 1 else 0 end) as bigint) as n_mutations_a,
        cast(sum(case when in_b then 1 else 0 end) as bigint) as n_mutations_b,
        cast(sum(case when concordance = 'shared' then 1 else 0 end) as bigint) as n_shared,
        cast(sum(case when concordance = 'private_a' then 1 else 0 end) as bigint) as n_private_a,
        cast(sum(case when concordance = 'private_b' then 1 else 0 end) as bigint) as n_private_b,
        max(tmb_definition) as tmb_definition
    from variants
    group by study_id, pair_rule, sample_id_a, sample_id_b
),

gene_log2 as (
    select
        study_id,
        sample_id,
        hugo_symbol,
        seg_mean,
        case
            when cna_call in ('amplification', 'gain') then 'gain'
            when cna_call in ('deep_deletion', 'loss') then 'loss'
            else cna_call
        end as cna_direction
    from {{ ref('int_pair_segments_mapped_to_genes') }}
    where gene_mapping_rule = 'entire_exonic_span' and cna_call <> 'not_contained' and seg_mean is not null
),

gene_pairs as (
    select
        pairs.study_id,
        pairs.pair_rule,
        pairs.sample_id_a,
        pairs.sample_id_b,
        a.seg_mean as log2_a,
        b.seg_mean as log2_b,
        case when a.cna_direction = b.cna_direction then 1 else 0 end as same_call
    from pairs
    inner join gene_log2 as a on a.study_id = pairs.study_id and a.sample_id = pairs.sample_id_a
    inner join gene_log2 as b
        on b.study_id = pairs.study_id and b.sample_id = pairs.sample_id_b and b.hugo_symbol = a.hugo_symbol
),

cn_concordance as (
    select
        study_id,
        pair_rule,
        sample_id_a,
        sample_id_b,
        count(*) as n_genes_cn_compared,
        case
            when stddev_samp(log2_a) > 0 and stddev_samp(log2_b) > 0 then corr(log2_a, log2_b)
        end as cn_pearson_r,
        avg(cast(same_call as double)) as cn_call_agreement
    from gene_pairs
    group by study_id, pair_rule, sample_id_a, sample_id_b
)

select
    pairs.study_id,
    pairs.patient_id,
    pairs.pair_rule,
    pairs.side_a,
    pairs.side_b,
    pairs.sample_id_a,
    pairs.sample_id_b,
    pairs.sample_type_a,
    pairs.sample_type_b,
    pairs.timepoint_a,
    pairs.timepoint_b,
    pairs.biopsy_a,
    pairs.biopsy_b,
    pairs.assay_id_a,
    pairs.assay_id_b,
    pairs.both_sequenced,
    case when pairs.both_sequenced then coalesce(mutation_counts.n_mutations_a, 0) end as n_mutations_a,
    case when pairs.both_sequenced then coalesce(mutation_counts.n_mutations_b, 0) end as n_mutations_b,
    case when pairs.both_sequenced then coalesce(mutation_counts.n_shared, 0) end as n_shared,
    case when pairs.both_sequenced then coalesce(mutation_counts.n_private_a, 0) end as n_private_a,
    case when pairs.both_sequenced then coalesce(mutation_counts.n_private_b, 0) end as n_private_b,
    mutation_counts.n_shared * 1.0
        / nullif(mutation_counts.n_shared + mutation_counts.n_private_a + mutation_counts.n_private_b, 0) as jaccard_index,
    mutation_counts.n_shared * 1.0 / nullif(mutation_counts.n_mutations_a, 0) as fraction_a_shared,
    mutation_counts.n_shared * 1.0 / nullif(mutation_counts.n_mutations_b, 0) as fraction_b_shared,
    coalesce(mutation_counts.tmb_definition, studies.tmb_definition) as tmb_definition,
    'chromosome:start_position:reference_allele>tumor_allele; PASS and nonsynonymous under the study tmb_definition'
        as variant_key_rule,
    coalesce(cn_concordance.n_genes_cn_compared, 0) as n_genes_cn_compared,
    cn_concordance.cn_pearson_r,
    cn_concordance.cn_pearson_r * cn_concordance.cn_pearson_r as cn_r_squared,
    cn_concordance.cn_call_agreement,
    'gene log2 = seg.mean of the segment containing the whole exonic span (entire_exonic_span); R^2 = Pearson r^2 over genes called in both'
        as cn_concordance_rule
from pairs
left join studies on studies.study_id = pairs.study_id
left join mutation_counts
    on mutation_counts.study_id = pairs.study_id and mutation_counts.pair_rule = pairs.pair_rule
    and mutation_counts.sample_id_a = pairs.sample_id_a and mutation_counts.sample_id_b = pairs.sample_id_b
left join cn_concordance
    on cn_concordance.study_id = pairs.study_id and cn_concordance.pair_rule = pairs.pair_rule
    and cn_concordance.sample_id_a = pairs.sample_id_a and cn_concordance.sample_id_b = pairs.sample_id_b
