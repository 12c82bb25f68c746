{#- A view, with declaring_study_id rather than study_id, for the reasons given in stg_study__tmb_definitions. -#}
{{ config(materialized='view') }}
-- One row per assay x gene of a gene list a seed ships or a study declares: the demo panels
-- (seeds/reference/panel_genes.csv), the public panels (public_panel_genes.csv) and the `genes` / `genes_file`
-- of a study's own assays (oncoduck_study.yml assays; declaring_study_id says which study). A study's gene panel
-- files are stg_study__panel_genes. Symbols in the reference spelling (macros/hugo_symbols.sql).
select distinct
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    genes.panel_id as assay_id,
    {{ reference_symbol('genes.gene') }} as hugo_symbol,
    'seeds/reference/panel_genes.csv' as declared_by
from {{ ref('panel_genes') }} as genes
{{ reference_symbol_join('genes.gene') }}

union all

select distinct
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    genes.panel_id as assay_id,
    {{ reference_symbol('genes.gene') }} as hugo_symbol,
    'seeds/reference/public_panel_genes.csv' as declared_by
from {{ ref('public_panel_genes') }} as genes
{{ reference_symbol_join('genes.gene') }}

union all

select distinct
    declared.study_id as declaring_study_id,
    declared.item_id as assay_id,
    {{ reference_symbol('declared.value') }} as hugo_symbol,
    'oncoduck_study.yml' as declared_by
from {{ ref('landing_declared_references') }} as declared
{{ reference_symbol_join('declared.value') }}
where declared.setting = 'assays[].genes' and declared.list_index is not null  -- the listed genes

union all

-- the genes of a declared assay's targets_file (a BED): those whose exonic span (1-based, inclusive) overlaps a
-- target (BED: 0-based start, exclusive end), in the gene reference of the declaring study's genome
select distinct
    targets.declaring_study_id,
    targets.assay_id,
    genes.hugo_symbol,  -- the reference's own spelling
    'oncoduck_study.yml targets_file' as declared_by
from (
    select
        study_id as declaring_study_id,
        item_id as assay_id,
        {{ normalize_chromosome(split_part_at('value', "':'", 1)) }} as chromosome,
        cast({{ split_part_at('value', "':'", 2) }} as bigint) as target_start,
        cast({{ split_part_at('value', "':'", 3) }} as bigint) as target_end
    from {{ ref('landing_declared_references') }}
    where setting = 'assays[].targets_file' and list_index is not null  -- the intervals
) as targets
inner join {{ ref('stg_study__studies') }} as studies on studies.study_id = targets.declaring_study_id
inner join ({{ gene_exonic_spans() }}) as genes
    on genes.reference_genome = studies.reference_genome
    and cast(genes.chromosome as {{ dbt.type_string() }}) = targets.chromosome
    and genes.exonic_start <= targets.target_end and genes.exonic_end > targets.target_start
