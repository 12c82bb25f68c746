-- One row per gene symbol: the reference coordinates (seed genes_hg19, GENCODE) and every symbol
-- that appears in a study's variants, copy number or panels without a reference entry.
with reference_genes as (
    select
        gene as hugo_symbol,
        chrom,
        cast(gene_start as bigint) as gene_start,
        cast(gene_end as bigint) as gene_end,
        strand,
        cast(exonic_start as bigint) as exonic_start,
        cast(exonic_end as bigint) as exonic_end,
        cast(cds_bp as bigint) as cds_bp,
        cytoband
    from {{ ref('genes_hg19') }}
),

seen as (
    select distinct hugo_symbol from {{ ref('stg_study__mutations') }} where hugo_symbol is not null
    union
    select distinct hugo_symbol from {{ ref('stg_study__gene_cna') }}
    union
    select distinct hugo_symbol from {{ ref('stg_study__panel_genes') }}
    union
    select distinct upper(gene) from {{ ref('panel_genes') }}
    union
    select distinct upper(gene) from {{ ref('public_panel_genes') }}
)

select
    coalesce(reference_genes.hugo_symbol, seen.hugo_symbol) as hugo_symbol,
    reference_genes.chrom as chromosome,
    reference_genes.gene_start,
    reference_genes.gene_end,
    reference_genes.strand,
    reference_genes.exonic_start,
    reference_genes.exonic_end,
    reference_genes.cds_bp,
    reference_genes.cytoband,
    reference_genes.hugo_symbol is not null as in_reference
from reference_genes
full outer join seen on seen.hugo_symbol = reference_genes.hugo_symbol
