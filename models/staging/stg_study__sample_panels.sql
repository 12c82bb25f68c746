-- Which assay (gene panel) profiled which sample for which profile, from data_gene_panel_matrix.txt: the
-- accepted rows of stg_study__sample_panels_checked (panel_id null: not profiled for that profile).
select
    study_id,
    source_file,
    source_row,
    source_column,
    sample_id,
    profile_stable_id,
    profile,
    panel_id
from {{ ref('stg_study__sample_panels_checked') }}
where reject_reason is null
