-- Which genes each assay covers: the gene lists of the study's panel files, of the demo and public panel seeds
-- and of the assays studies declare (stg_study__assay_genes); an exome or genome without a gene list covers
-- every gene of dim_gene.
with panel_genes as (
    select panel_id as assay_id, hugo_symbol from {{ ref('stg_study__panel_genes') }}
    union
    select assay_id, hugo_symbol from {{ ref('stg_study__assay_genes') }}
),

declared_lists as (
    -- an exome or genome a study declares with a gene list covers those genes only
    select distinct assay_id from {{ ref('stg_study__assay_genes') }} where declared_by = 'oncoduck_study.yml'
),

whole_exome_assays as (
    select dim_assay.assay_id
    from {{ ref('dim_assay') }} as dim_assay
    left join declared_lists on declared_lists.assay_id = dim_assay.assay_id
    where dim_assay.assay_type in ('exome', 'genome') and declared_lists.assay_id is null
)

select assay_id, hugo_symbol, 'panel gene list' as coverage_rule
from panel_genes
union all
select whole_exome_assays.assay_id, dim_gene.hugo_symbol, 'exome covers every gene' as coverage_rule
from whole_exome_assays
cross join {{ ref('dim_gene') }} as dim_gene
