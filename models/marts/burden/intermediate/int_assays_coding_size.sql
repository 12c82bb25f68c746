-- One row per assay (dim_assay) with every candidate TMB denominator and the one chosen:
--   coding_mb_seed          assays seed (coding_mb, e.g. 30 Mb WES, 1.1 Mb for the 1021-gene panel), or the
--                           coding_mb of an assay a study declares (oncoduck_study.yml assays, dim_assay.defined_by);
--   coding_mb_panel_cds     panel CDS footprint = merged CDS bases of the assay's genes (bridge_assay_gene),
--                           from a user-supplied CDS coordinate table when the var cds_coordinates_file is
--                           set (TSV with header chrom, start, end, gene_name; 1-based inclusive, e.g.
--                           ../shared/data/reference/gencode_cdss_protein_coding_hg19.tsv.gz; overlapping
--                           CDS intervals of all transcripts and genes are merged before summing), otherwise
--                           the sum of genes_hg19.cds_bp (one canonical CDS length per gene); computed for
--                           panels only (exomes cover all genes and take the seed value).
-- Per-study overrides (oncoduck_study.yml coding_mb) and definition defaults are applied in
-- fct_sample_burden, which records the source of the value it used.
with assays as (
    select assay_id, assay_type, coding_mb, coding_mb_source, defined_by from {{ ref('dim_assay') }}
),

assay_genes as (
    select distinct bridge.assay_id, upper(bridge.hugo_symbol) as gene
    from {{ ref('bridge_assay_gene') }} as bridge
    inner join assays on assays.assay_id = bridge.assay_id
    where assays.assay_type in ('panel', 'targeted_plasma')
),

{% if var('cds_coordinates_file') %}
cds as (
    -- user-supplied table; reading a file from SQL is engine-specific (DuckDB read_csv)
    select
        {{ normalize_chromosome('chrom') }} as chromosome,
        try_cast(start as bigint) as cds_start,
        try_cast("end" as bigint) as cds_end,
        upper(gene_name) as gene
    from read_csv('{{ var("cds_coordinates_file") }}', delim = '\t', header = true, all_varchar = true)
),

panel_intervals as (
    select assay_genes.assay_id, cds.chromosome, cds.cds_start, cds.cds_end
    from assay_genes
    inner join cds on cds.gene = assay_genes.gene
),

ordered as (
    select
        panel_intervals.*,
        max(cds_end) over (
            partition by assay_id, chromosome order by cds_start, cds_end
            rows between unbounded preceding and 1 preceding
        ) as previous_max_end
    from panel_intervals
),

islands as (
    select
        ordered.*,
        sum(case when previous_max_end is null or cds_start > previous_max_end + 1 then 1 else 0 end) over (
            partition by assay_id, chromosome order by cds_start, cds_end rows between unbounded preceding and current row
        ) as island
    from ordered
),

merged as (
    select assay_id, chromosome, island, max(cds_end) - min(cds_start) + 1 as merged_bp
    from islands
    group by assay_id, chromosome, island
),

panel_footprint as (
    select
        footprint.assay_id,
        footprint.coding_bp,
        genes.n_genes,
        genes.n_genes_with_cds,
        'panel CDS footprint ({{ var("cds_coordinates_file") }})' as panel_cds_source
    from (select assay_id, sum(merged_bp) as coding_bp from merged group by assay_id) as footprint
    inner join (
        select
            assay_genes.assay_id,
            count(distinct assay_genes.gene) as n_genes,
            count(distinct cds.gene) as n_genes_with_cds
        from assay_genes
        left join cds on cds.gene = assay_genes.gene
        group by assay_genes.assay_id
    ) as genes on genes.assay_id = footprint.assay_id
)
{% else %}
panel_footprint as (
    select
        assay_genes.assay_id,
        sum(genes.cds_bp) as coding_bp,
        count(*) as n_genes,
        count(genes.gene) as n_genes_with_cds,
        'panel CDS footprint (genes_hg19.cds_bp)' as panel_cds_source
    from assay_genes
    left join {{ ref('genes_hg19') }} as genes on upper(genes.gene) = assay_genes.gene
    group by assay_genes.assay_id
)
{% endif %}

select
    assays.assay_id,
    assays.assay_type,
    assays.coding_mb as coding_mb_seed,
    assays.coding_mb_source as coding_mb_seed_source,
    panel_footprint.coding_bp / 1e6 as coding_mb_panel_cds,
    panel_footprint.panel_cds_source,
    panel_footprint.n_genes as n_panel_genes,
    panel_footprint.n_genes_with_cds as n_panel_genes_with_cds,
    coalesce(assays.coding_mb, panel_footprint.coding_bp / 1000000.0) as coding_mb,
    case
        when assays.coding_mb is not null and assays.defined_by = 'study declaration (oncoduck_study.yml assays)'
            then 'study-declared assay (oncoduck_study.yml assays[].coding_mb)'
        when assays.coding_mb is not null then 'assay seed'
        when panel_footprint.coding_bp is not null then panel_footprint.panel_cds_source
    end as coding_mb_source
from assays
left join panel_footprint on panel_footprint.assay_id = assays.assay_id
