-- One row per sample pair (int_sample_pairs_matched, both samples sequenced) per coding mutation seen
-- on either side. Variant key = chromosome:start_position:reference_allele>tumor_allele (exact
-- identity, as fct_variant); counted mutations = int_variants_filtered.is_counted (PASS under the study's filters,
-- nonsynonymous under its TMB definition), the set int_sample_gene_alterations calls "mutated".
-- Clonal haematopoiesis fails a filter rule and is therefore never counted.
-- is_comparable: both assays could have seen the mutation (same assay, both exomes, or the gene is on
-- both assays' gene lists, bridge_assay_gene); non-comparable rows are kept but not counted as private.
with pairs as (
    select study_id, patient_id, pair_rule, sample_id_a, sample_id_b, assay_id_a, assay_id_b
    from {{ ref('int_sample_pairs_matched') }}
    where both_sequenced
),

assays as (
    select assay_id, assay_type from {{ ref('dim_assay') }}
),

assay_genes as (
    select assay_id, hugo_symbol from {{ ref('bridge_assay_gene') }}
),

coding_mutations as (
    select study_id, sample_id, variant_key, hugo_symbol, variant_class, protein_change_given, is_hotspot,
        tumor_vaf, counted_by_definition as mutated_definition
    from {{ ref('int_variants_filtered') }}
    where is_counted
),

pair_sides as (
    select study_id, patient_id, pair_rule, sample_id_a, sample_id_b, assay_id_a, assay_id_b,
        sample_id_a as sample_id, true as is_side_a
    from pairs
    union all
    select study_id, patient_id, pair_rule, sample_id_a, sample_id_b, assay_id_a, assay_id_b,
        sample_id_b as sample_id, false as is_side_a
    from pairs
),

-- one row per pair x coding mutation of either sample (a sample has one row per variant_key), side a first
compared as (
    select
        pair_sides.study_id,
        pair_sides.patient_id,
        pair_sides.pair_rule,
        pair_sides.sample_id_a,
        pair_sides.sample_id_b,
        mutations.variant_key,
        coalesce(max(case when pair_sides.is_side_a then mutations.hugo_symbol end),
            max(mutations.hugo_symbol)) as hugo_symbol,
        coalesce(max(case when pair_sides.is_side_a then mutations.variant_class end),
            max(mutations.variant_class)) as variant_class,
        coalesce(max(case when pair_sides.is_side_a then mutations.protein_change_given end),
            max(mutations.protein_change_given)) as protein_change,
        coalesce(bool_or(case when pair_sides.is_side_a then mutations.is_hotspot end),
            bool_or(mutations.is_hotspot), false) as is_hotspot,
        coalesce(max(case when pair_sides.is_side_a then mutations.mutated_definition end),
            max(mutations.mutated_definition)) as mutated_definition,
        bool_or(pair_sides.is_side_a) as in_a,
        bool_or(not pair_sides.is_side_a) as in_b,
        max(case when pair_sides.is_side_a then mutations.tumor_vaf end) as vaf_a,
        max(case when not pair_sides.is_side_a then mutations.tumor_vaf end) as vaf_b,
        pair_sides.assay_id_a,
        pair_sides.assay_id_b
    from pair_sides
    inner join coding_mutations as mutations
        on mutations.study_id = pair_sides.study_id and mutations.sample_id = pair_sides.sample_id
    group by pair_sides.study_id, pair_sides.patient_id, pair_sides.pair_rule, pair_sides.sample_id_a,
        pair_sides.sample_id_b, mutations.variant_key, pair_sides.assay_id_a, pair_sides.assay_id_b
)

select
    compared.study_id,
    compared.patient_id,
    compared.pair_rule,
    compared.sample_id_a,
    compared.sample_id_b,
    compared.variant_key,
    compared.hugo_symbol,
    compared.variant_class,
    compared.protein_change,
    compared.is_hotspot,
    compared.in_a,
    compared.in_b,
    case
        when compared.in_a and compared.in_b then 'shared'
        when compared.in_a then 'private_a'
        else 'private_b'
    end as concordance,
    compared.vaf_a,
    compared.vaf_b,
    compared.assay_id_a = compared.assay_id_b
        or (assay_a.assay_type = 'exome' and assay_b.assay_type = 'exome')
        or (genes_a.hugo_symbol is not null and genes_b.hugo_symbol is not null) as is_comparable,
    compared.mutated_definition,
    'chromosome:start_position:reference_allele>tumor_allele; PASS and counted by the study mutated_definition'
        as variant_key_rule
from compared
left join assays as assay_a on assay_a.assay_id = compared.assay_id_a
left join assays as assay_b on assay_b.assay_id = compared.assay_id_b
left join assay_genes as genes_a on genes_a.assay_id = compared.assay_id_a and genes_a.hugo_symbol = compared.hugo_symbol
left join assay_genes as genes_b on genes_b.assay_id = compared.assay_id_b and genes_b.hugo_symbol = compared.hugo_symbol
