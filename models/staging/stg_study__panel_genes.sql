-- Genes of each gene panel (cBioPortal data_gene_panel_*.txt): one row per panel per gene, in the reference
-- spelling (macros/hugo_symbols.sql).
select distinct
    panels.study_id,
    panels.panel_id,
    panels.description,
    {{ reference_symbol('trim(panels.gene)') }} as hugo_symbol
from {{ ref('landing_gene_panels') }} as panels
{{ reference_symbol_join('trim(panels.gene)') }}
