-- Which assay (gene panel) profiled which sample for which profile (mutations, cna ...), from
-- data_gene_panel_matrix.txt. 'NA' means the sample was not profiled for that profile.
select
    study_id,
    source_file,
    source_row,
    source_column,
    {{ sample_id_from_barcode('sample_id') }} as sample_id,
    lower(profile) as profile,
    {{ nullif_missing('panel_id') }} as panel_id
from {{ landing_relation('landing_gene_panel_matrix') }}
