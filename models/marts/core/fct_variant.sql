-- One row per distinct somatic variant per sample, every variant class kept, with what the warehouse made of it:
-- its canonical class and its verdict under the study's variant filters and TMB definition (int_variants_filtered:
-- variant_class, filter_status, failed_rules, is_counted), so that a reader counting mutations counts the ones
-- every frequency, burden and grouping counts. Dedup key: study_id, sample_id, chromosome, start_position,
-- reference_allele, tumor_allele (duplicates are in stg_study__mutations_rejects).
-- A table, not a view: each reader of a view re-runs its join, and this mart's 14 data tests, the serving copy
-- and users' queries all read it. As a view, its tests alone took 3.6 s of the 1M-row build against 1.9 s to
-- write the table, and 88-143 s of the 10M-row build (benchmarks/RESULTS.md).
-- Joined to its verdict by the landed line (study_id, source_file, source_row: int_variants_filtered is one row
-- per accepted line), not by re-building the variant key text of every row.
select
    mutations.study_id,
    mutations.sample_id,
    {{ variant_key('mutations') }} as variant_key,
    mutations.hugo_symbol,
    mutations.hugo_symbol_source,
    mutations.entrez_gene_id,
    mutations.chromosome,
    mutations.start_position,
    mutations.end_position,
    mutations.reference_allele,
    mutations.tumor_allele,
    mutations.variant_classification,
    mutations.variant_type,
    mutations.hgvsc,
    mutations.hgvsp,
    mutations.hgvsp_short,
    mutations.protein_change,
    mutations.transcript_id,
    mutations.consequence,
    mutations.t_depth,
    mutations.t_ref_count,
    mutations.t_alt_count,
    mutations.tumor_vaf,
    mutations.tumor_vaf_source,
    mutations.n_depth,
    mutations.n_ref_count,
    mutations.n_alt_count,
    mutations.normal_vaf,
    mutations.filter,
    mutations.population_af,
    mutations.context,
    mutations.aliquot_barcode,
    mutations.normal_sample_id,
    mutations.source_file,
    mutations.source_row,
    verdicts.variant_class,
    verdicts.filter_status,
    verdicts.failed_rules,
    verdicts.is_counted
from {{ ref('stg_study__mutations') }} as mutations
left join (
    select study_id, source_file, source_row, variant_class, filter_status, failed_rules, is_counted
    from {{ ref('int_variants_filtered') }}
) as verdicts
    on verdicts.study_id = mutations.study_id and verdicts.source_file = mutations.source_file
    and verdicts.source_row = mutations.source_row
