-- One row per distinct somatic variant per sample, every variant class kept (classification and
-- filters are added downstream). Dedup key: study_id, sample_id, chromosome, start_position,
-- reference_allele, tumor_allele (duplicates are in stg_study__mutations_rejects).
-- A view: a projection of stg_study__mutations (itself a filter over the table
-- stg_study__mutations_checked), which readers scan as fast as a copy; writing the copy took 23 s of
-- the 10M-row build (benchmarks/RESULTS.md).
{{ config(materialized='view') }}
select
    study_id,
    sample_id,
    chromosome || ':' || start_position || ':' || reference_allele || '>' || tumor_allele as variant_key,
    hugo_symbol,
    hugo_symbol_source,
    entrez_gene_id,
    chromosome,
    start_position,
    end_position,
    reference_allele,
    tumor_allele,
    variant_classification,
    variant_type,
    hgvsc,
    hgvsp,
    hgvsp_short,
    protein_change,
    transcript_id,
    consequence,
    t_depth,
    t_ref_count,
    t_alt_count,
    tumor_vaf,
    tumor_vaf_source,
    n_depth,
    n_ref_count,
    n_alt_count,
    normal_vaf,
    filter,
    population_af,
    context,
    aliquot_barcode,
    normal_sample_id,
    source_file,
    source_row
from {{ ref('stg_study__mutations') }}
