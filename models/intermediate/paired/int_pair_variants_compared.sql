-- One row per sample pair (int_sample_pairs_matched, both samples sequenced) per coding mutation seen
-- on either side. Variant key = chromosome:start_position:reference_allele>tumor_allele (exact
-- identity, as fct_variant); counted mutations = int_variants_counted (PASS under the study's filters,
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
    select * from {{ ref('int_variants_counted') }}
),

side_a as (
    select
        pairs.study_id,
        pairs.pair_rule,
        pairs.sample_id_a,
        pairs.sample_id_b,
        mutations.variant_key,
        mutations.hugo_symbol,
        mutations.variant_class,
        mutations.is_hotspot,
        mutations.protein_change_given,
        mutations.tumor_vaf,
        mutations.tmb_definition
    from pairs
    inner join coding_mutations as mutations
        on mutations.study_id = pairs.study_id and mutations.sample_id = pairs.sample_id_a
),

side_b as (
    select
        pairs.study_id,
        pairs.pair_rule,
        pairs.sample_id_a,
        pairs.sample_id_b,
        mutations.variant_key,
        mutations.hugo_symbol,
        mutations.variant_class,
        mutations.is_hotspot,
        mutations.protein_change_given,
        mutations.tumor_vaf,
        mutations.tmb_definition
    from pairs
    inner join coding_mutations as mutations
        on mutations.study_id = pairs.study_id and mutations.sample_id = pairs.sample_id_b
),

pair_variants as (
    select study_id, pair_rule, sample_id_a, sample_id_b, variant_key from side_a
    union
    select study_id, pair_rule, sample_id_a, sample_id_b, variant_key from side_b
),

compared as (
    select
        pair_variants.study_id,
        pairs.patient_id,
        pair_variants.pair_rule,
        pair_variants.sample_id_a,
        pair_variants.sample_id_b,
        pair_variants.variant_key,
        coalesce(side_a.hugo_symbol, side_b.hugo_symbol) as hugo_symbol,
        coalesce(side_a.variant_class, side_b.variant_class) as variant_class,
        coalesce(side_a.protein_change_given, side_b.protein_change_given) as protein_change,
        coalesce(side_a.is_hotspot, side_b.is_hotspot, false) as is_hotspot,
        coalesce(side_a.tmb_definition, side_b.tmb_definition) as tmb_definition,
        side_a.variant_key is not null as in_a,
        side_b.variant_key is not null as in_b,
        side_a.tumor_vaf as vaf_a,
        side_b.tumor_vaf as vaf_b,
        pairs.assay_id_a,
        pairs.assay_id_b
    from pair_variants
    inner join pairs
        on pairs.study_id = pair_variants.study_id and pairs.pair_rule = pair_variants.pair_rule
        and pairs.sample_id_a = pair_variants.sample_id_a and pairs.sample_id_b = pair_variants.sample_id_b
    left join side_a
        on side_a.study_id = pair_variants.study_id and side_a.pair_rule = pair_variants.pair_rule
        and side_a.sample_id_a = pair_variants.sample_id_a and side_a.sample_id_b = pair_variants.sample_id_b
        and side_a.variant_key = pair_variants.variant_key
    left join side_b
        on side_b.study_id = pair_variants.study_id and side_b.pair_rule = pair_variants.pair_rule
        and side_b.sample_id_a = pair_variants.sample_id_a and side_b.sample_id_b = pair_variants.sample_id_b
        and side_b.variant_key = pair_variants.variant_key
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
    compared.tmb_definition,
    'chromosome:start_position:reference_allele>tumor_allele; PASS and nonsynonymous under the study tmb_definition'
        as variant_key_rule
from compared
left join assays as assay_a on assay_a.assay_id = compared.assay_id_a
left join assays as assay_b on assay_b.assay_id = compared.assay_id_b
left join assay_genes as genes_a on genes_a.assay_id = compared.assay_id_a and genes_a.hugo_symbol = compared.hugo_symbol
left join assay_genes as genes_b on genes_b.assay_id = compared.assay_id_b and genes_b.hugo_symbol = compared.hugo_symbol
