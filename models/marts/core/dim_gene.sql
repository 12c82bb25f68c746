-- One row per gene symbol: every protein-coding gene of the GENCODE references (seeds genes_hg19 and
-- genes_hg38; a symbol of either build) and every symbol that appears in a study's variants, copy number or
-- panels without a reference entry. Coordinates are hg19's, the display reference (null for a symbol only the
-- later hg38 release has, e.g. MRE11 for hg19's MRE11A); segment-to-gene calls read each build's own seed
-- (macro segments_mapped_to_genes), not these columns.
with hg19_genes as (
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

hg38_genes as (
    select gene as hugo_symbol from {{ ref('genes_hg38') }}
),

reference_genes as (
    select
        coalesce(hg19_genes.hugo_symbol, hg38_genes.hugo_symbol) as hugo_symbol,
        hg19_genes.chrom,
        hg19_genes.gene_start,
        hg19_genes.gene_end,
        hg19_genes.strand,
        hg19_genes.exonic_start,
        hg19_genes.exonic_end,
        hg19_genes.cds_bp,
        hg19_genes.cytoband,
        hg19_genes.hugo_symbol is not null as in_hg19_reference,
        hg38_genes.hugo_symbol is not null as in_hg38_reference
    from hg19_genes
    full outer join hg38_genes on hg38_genes.hugo_symbol = hg19_genes.hugo_symbol
),

seen as (
    select distinct hugo_symbol from {{ ref('stg_study__mutations') }} where hugo_symbol is not null
    union
    select distinct hugo_symbol from {{ ref('stg_study__gene_cna') }}
    union
    select distinct hugo_symbol from {{ ref('stg_study__panel_genes') }}
    union
    select distinct hugo_symbol from {{ ref('stg_study__assay_genes') }}  -- seed panels and study-declared assays
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
    reference_genes.hugo_symbol is not null as in_reference,
    coalesce(reference_genes.in_hg19_reference, false) as in_hg19_reference,
    coalesce(reference_genes.in_hg38_reference, false) as in_hg38_reference
from reference_genes
full outer join seen on seen.hugo_symbol = reference_genes.hugo_symbol
