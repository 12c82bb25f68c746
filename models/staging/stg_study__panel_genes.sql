-- Genes of each gene panel (cBioPortal data_gene_panel_*.txt): one row per panel per gene.
select distinct
    study_id,
    panel_id,
    description,
    upper(trim(gene)) as hugo_symbol
from {{ ref('landing_gene_panels') }}
