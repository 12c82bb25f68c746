-- Accepted somatic variant rows: one row per distinct variant per sample (dedup key: study, sample,
-- chromosome, start, reference allele, tumour allele; the first aliquot by vial letter wins).
-- A view: a filter over stg_study__mutations_checked, which its readers scan as fast as a copy, and
-- copying a million wide rows into the warehouse costs about a second.
{{ config(materialized='view') }}
select
    study_id,
    source_file,
    source_row,
    sample_id,
    aliquot_barcode,
    normal_sample_id,
    hugo_symbol,
    hugo_symbol_source,
    entrez_gene_id,
    chromosome,
    start_position,
    end_position,
    ncbi_build,
    variant_classification,
    variant_type,
    reference_allele,
    tumor_allele,
    hgvsc,
    hgvsp,
    hgvsp_short,
    protein_change,
    transcript_id,
    consequence,
    t_depth,
    t_ref_count,
    t_alt_count,
    n_depth,
    n_ref_count,
    n_alt_count,
    tumor_vaf,
    tumor_vaf_source,
    normal_vaf,
    filter,
    mutation_status,
    population_af,
    context
from {{ ref('stg_study__mutations_checked') }}
where reject_reason is null
