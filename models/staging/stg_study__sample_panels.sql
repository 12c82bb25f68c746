-- Which assay (gene panel) profiled which sample for which profile, from data_gene_panel_matrix.txt.
-- 'NA' means the sample was not profiled for that profile. Matrix columns are named by the profile's
-- stable_id as cBioPortal's importer reads them: `mutations`, `cna`, `gistic`, `structural_variants`,
-- or in downloads prefixed by the study (`brca_tcga_mutations`); `profile` is the kind they name.
with matrix as (
    select
        study_id,
        source_file,
        source_row,
        source_column,
        sample_id,
        lower(trim(profile)) as profile_stable_id,
        panel_id
    from {{ landing_relation('landing_gene_panel_matrix') }}
)

select
    study_id,
    source_file,
    source_row,
    source_column,
    {{ sample_id_from_barcode('sample_id') }} as sample_id,
    profile_stable_id,
    case
        when profile_stable_id in ('mutations', 'mutation_extended') or right(profile_stable_id, 10) = '_mutations' then 'mutations'
        when profile_stable_id in ('cna', 'gistic') or right(profile_stable_id, 4) = '_cna'
            or right(profile_stable_id, 7) = '_gistic' then 'cna'
        when profile_stable_id in ('structural_variants', 'sv', 'fusion')
            or right(profile_stable_id, 20) = '_structural_variants' or right(profile_stable_id, 7) = '_fusion' then 'structural_variants'
        else profile_stable_id
    end as profile,
    {{ nullif_missing('panel_id') }} as panel_id
from matrix
