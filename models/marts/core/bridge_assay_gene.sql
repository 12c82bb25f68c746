-- Which genes each assay covers: panel genes from the study's panel files, the demo and public panel seeds;
-- an exome or genome covers every gene of dim_gene.
with panel_genes as (
    select panel_id as assay_id, hugo_symbol from {{ ref('stg_study__panel_genes') }}
    union
    select panel_id as assay_id, upper(gene) as hugo_symbol from {{ ref('panel_genes') }}
    union
    select panel_id as assay_id, upper(gene) as hugo_symbol from {{ ref('public_panel_genes') }}
),

whole_exome_assays as (
    select assay_id from {{ ref('dim_assay') }} where assay_type in ('exome', 'genome')
)

select assay_id, hugo_symbol, 'panel gene list' as coverage_rule
from panel_genes
union all
select whole_exome_assays.assay_id, dim_gene.hugo_symbol, 'exome covers every gene' as coverage_rule
from whole_exome_assays
cross join {{ ref('dim_gene') }} as dim_gene
