-- Accepted structural variants: one row per variant (fusions are SVs of two genes).
select
    study_id,
    source_file,
    source_row,
    sample_id,
    site1_hugo_symbol,
    site1_entrez_gene_id,
    site1_chromosome,
    site1_position,
    site1_region,
    site2_hugo_symbol,
    site2_entrez_gene_id,
    site2_chromosome,
    site2_position,
    site2_region,
    site2_effect_on_frame,
    ncbi_build,
    has_dna_support,
    has_rna_support,
    tumor_read_count,
    tumor_variant_count,
    event_info,
    sv_class,
    sv_length,
    sv_status
from {{ ref('stg_study__structural_variants_checked') }}
where reject_reason is null
