-- One row per distinct somatic variant per sample, every variant class kept, with what the warehouse made of it:
-- its canonical class and its verdict under the study's variant filters and TMB definition (int_variants_filtered:
-- variant_class, filter_status, failed_rules, is_counted), so that a reader counting mutations counts the ones
-- every frequency, burden and grouping counts. Dedup key: study_id, sample_id, chromosome, start_position,
-- reference_allele, tumor_allele (duplicates are in stg_study__mutations_rejects).
-- A projection of int_variants_filtered, which carries every accepted MAF line (stg_study__mutations) with its
-- class and verdict. A table, not a view: this mart's data tests, the serving copy and users' queries all read
-- it, and each reader of a view re-runs its work (as a view, its tests took 3.6 s of the 1M-row build, 88-143 s
-- of the 10M-row one). Not a join of stg_study__mutations with its verdicts either: at 10M rows that join of two
-- wide tables spilled and took 77 s of the build (benchmarks/RESULTS.md).
select
    study_id,
    sample_id,
    variant_key,
    hugo_symbol,
    hugo_symbol_source,
    entrez_gene_id,
    chromosome,
    start_position,
    end_position,
    reference_allele,
    tumor_allele,
    variant_classification_given as variant_classification,
    variant_type,
    hgvsc,
    hgvsp,
    hgvsp_short,
    protein_change,
    transcript_id,
    consequence_given as consequence,
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
    source_row,
    variant_class,
    filter_status,
    failed_rules,
    is_counted
from {{ ref('int_variants_filtered') }}
