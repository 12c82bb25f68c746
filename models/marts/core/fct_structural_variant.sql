-- One row per accepted structural variant (cBioPortal data_sv.txt), with its patient: the two breakpoint sites
-- with their genes, the event as the file names it, and whether it joins two different genes (a fusion
-- candidate such as EML4-ALK; an intragenic event has the same gene, or one gene, at both sites).
select
    sv.study_id,
    sv.sample_id,
    samples.patient_id,
    sv.site1_hugo_symbol,
    sv.site1_chromosome,
    sv.site1_position,
    sv.site1_region,
    sv.site2_hugo_symbol,
    sv.site2_chromosome,
    sv.site2_position,
    sv.site2_region,
    sv.site2_effect_on_frame,
    coalesce(sv.site1_hugo_symbol <> sv.site2_hugo_symbol, false) as joins_two_genes,
    sv.event_info,
    sv.sv_class,
    sv.sv_length,
    sv.sv_status,
    sv.has_dna_support,
    sv.has_rna_support,
    sv.tumor_read_count,
    sv.tumor_variant_count,
    sv.ncbi_build,
    sv.source_file,
    sv.source_row
from {{ ref('stg_study__structural_variants') }} as sv
left join {{ ref('dim_sample') }} as samples
    on samples.study_id = sv.study_id and samples.sample_id = sv.sample_id
