-- One row per pair rule per sample pair (int_sample_pairs_matched): coding mutations shared and
-- private to each side, Jaccard index, and copy-number concordance of the two samples.
-- Mutations: int_pair_variants_compared (PASS nonsynonymous under the study's TMB definition, variant
-- key chromosome:start:ref>alt, only mutations both assays could see). Counts are null when either
-- sample was not sequenced; zero-mutation pairs get zeros and a null Jaccard index (0/0).
-- Copy number: gene-level log2 ratio (seg.mean of the one segment containing the gene's whole exonic
-- span, rule entire_exonic_span, every protein-coding gene of the study's build) of the genes called in both
-- samples; cn_r_squared = squared Pearson correlation (R^2 of the least-squares line) over those genes,
-- cn_call_agreement = fraction of them with the same call (gain/amplification, loss/deep deletion, neutral).
-- Computed from the overlaps of the two samples' segments, each weighted by the genes inside it, not from a
-- dense sample x gene table: the same numbers (to 1e-15) without ~20,000 rows per paired sample.
with pairs as (
    select * from {{ ref('int_sample_pairs_matched') }}
),

variants as (
    select * from {{ ref('int_pair_variants_compared') }} where is_comparable
),

studies as (
    select study_id, mutated_definition from {{ ref('stg_study__studies') }}
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
        max(mutated_definition) as mutated_definition
    from variants
    group by study_id, pair_rule, sample_id_a, sample_id_b
),

segments as (
    select study_id, sample_id, reference_genome, chromosome, start_position, end_position, seg_mean, cna_direction
    from {{ ref('int_segments_called') }}
    where seg_mean is not null
),

genes as (
    {{ gene_exonic_spans() }}
),

shared_segments as (
    -- each overlap of a segment of sample a with one of sample b: a gene whose whole exonic span lies inside a
    -- segment of each sample lies inside exactly one such overlap (a sample's segments never overlap)
    select
        pairs.study_id,
        pairs.pair_rule,
        pairs.sample_id_a,
        pairs.sample_id_b,
        a.reference_genome,
        a.chromosome,
        greatest(a.start_position, b.start_position) as overlap_start,
        least(a.end_position, b.end_position) as overlap_end,
        a.seg_mean as log2_a,
        b.seg_mean as log2_b,
        case when a.cna_direction = b.cna_direction then 1 else 0 end as same_call
    from pairs
    inner join segments as a on a.study_id = pairs.study_id and a.sample_id = pairs.sample_id_a
    inner join segments as b
        on b.study_id = pairs.study_id and b.sample_id = pairs.sample_id_b and b.chromosome = a.chromosome
        and b.start_position <= a.end_position and b.end_position >= a.start_position
),

shared_genes as (
    -- the genes called in both samples, counted per overlap: they share its log2_a, log2_b and call agreement
    select
        shared_segments.study_id,
        shared_segments.pair_rule,
        shared_segments.sample_id_a,
        shared_segments.sample_id_b,
        shared_segments.log2_a,
        shared_segments.log2_b,
        shared_segments.same_call,
        count(*) as n_genes
    from shared_segments
    inner join genes
        on genes.reference_genome = shared_segments.reference_genome
        and genes.chromosome = shared_segments.chromosome
        and genes.exonic_start >= shared_segments.overlap_start
        and genes.exonic_end <= shared_segments.overlap_end
    group by shared_segments.study_id, shared_segments.pair_rule, shared_segments.sample_id_a,
        shared_segments.sample_id_b, shared_segments.chromosome, shared_segments.overlap_start,
        shared_segments.log2_a, shared_segments.log2_b, shared_segments.same_call
),

pair_means as (
    select
        study_id,
        pair_rule,
        sample_id_a,
        sample_id_b,
        cast(sum(n_genes) as bigint) as n_genes_cn_compared,
        sum(n_genes * log2_a) / sum(n_genes) as mean_a,
        sum(n_genes * log2_b) / sum(n_genes) as mean_b,
        min(log2_a) < max(log2_a) and min(log2_b) < max(log2_b) as both_vary,
        cast(sum(n_genes * same_call) as double) / sum(n_genes) as cn_call_agreement
    from shared_genes
    group by study_id, pair_rule, sample_id_a, sample_id_b
),

cn_concordance as (
    -- Pearson r over the genes called in both (each overlap weighted by its gene count), centred on the means;
    -- null when either side's log2 ratio is constant, as corr() over one row per gene
    select
        pair_means.study_id,
        pair_means.pair_rule,
        pair_means.sample_id_a,
        pair_means.sample_id_b,
        pair_means.n_genes_cn_compared,
        -- rounded to 12 decimals: a parallel sum's order, and so its last bits, differ between runs and engines
        case when pair_means.both_vary then round(
            sum(shared_genes.n_genes * (shared_genes.log2_a - pair_means.mean_a)
                * (shared_genes.log2_b - pair_means.mean_b))
            / sqrt(
                sum(shared_genes.n_genes * (shared_genes.log2_a - pair_means.mean_a)
                    * (shared_genes.log2_a - pair_means.mean_a))
                * sum(shared_genes.n_genes * (shared_genes.log2_b - pair_means.mean_b)
                    * (shared_genes.log2_b - pair_means.mean_b))
            ), 12)
        end as cn_pearson_r,
        pair_means.cn_call_agreement
    from pair_means
    inner join shared_genes
        on shared_genes.study_id = pair_means.study_id and shared_genes.pair_rule = pair_means.pair_rule
        and shared_genes.sample_id_a = pair_means.sample_id_a and shared_genes.sample_id_b = pair_means.sample_id_b
    group by pair_means.study_id, pair_means.pair_rule, pair_means.sample_id_a, pair_means.sample_id_b,
        pair_means.n_genes_cn_compared, pair_means.both_vary, pair_means.cn_call_agreement
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
    cast(mutation_counts.n_shared as double)
        / nullif(mutation_counts.n_shared + mutation_counts.n_private_a + mutation_counts.n_private_b, 0) as jaccard_index,
    cast(mutation_counts.n_shared as double) / nullif(mutation_counts.n_mutations_a, 0) as fraction_a_shared,
    cast(mutation_counts.n_shared as double) / nullif(mutation_counts.n_mutations_b, 0) as fraction_b_shared,
    coalesce(mutation_counts.mutated_definition, studies.mutated_definition) as mutated_definition,
    'chromosome:start_position:reference_allele>tumor_allele; PASS and counted by the study mutated_definition'
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
