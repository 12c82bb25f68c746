{#- A view, with declaring_study_id rather than study_id, for the reasons given in stg_study__tmb_definitions. -#}
{{ config(materialized='view') }}
-- One row per assay defined by a seed or declared by a study: seeds/reference/assays.csv (declaring_study_id
-- null) and each study's own (oncoduck_study.yml assays, landed by landing_declared_references). covers_every_gene:
-- an exome or genome without a gene list (bridge_assay_gene gives it every gene). The gene lists are in
-- stg_study__assay_genes; a study's gene panel files in stg_study__panel_genes.
with declarations as (
    select study_id, source_file, source_line, item_id, setting, list_index, value
    from {{ ref('landing_declared_references') }}
    where block = 'assays'
),

declared as (
    select
        study_id,
        item_id as assay_id,
        max(case when setting = 'assays[].id' then source_file end) as source_file,
        max(case when setting = 'assays[].id' then source_line end) as source_line,
        max(case when setting = 'assays[].type' then value end) as assay_type,
        max(case when setting = 'assays[].coding_mb' then try_cast(value as double) end) as coding_mb,
        max(case when setting = 'assays[].description' then value end) as description,
        -- `all`; null when the genes are listed (one row each, stg_study__assay_genes)
        max(case when setting = 'assays[].genes' and list_index is null then value end) as genes
    from declarations
    group by study_id, item_id
)

select
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    assay_id,
    assay_type,
    coding_mb,
    coding_mb_source,
    description,
    assay_type in ('exome', 'genome') as covers_every_gene,
    'seeds/reference/assays.csv' as declared_by,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_line
from {{ ref('assays') }}

union all

select
    study_id as declaring_study_id,
    assay_id,
    assay_type,
    coding_mb,
    case when coding_mb is not null then 'declared in oncoduck_study.yml (assays[].coding_mb)' end as coding_mb_source,
    description,
    coalesce(genes = 'all', false) as covers_every_gene,
    'oncoduck_study.yml' as declared_by,
    source_file,
    source_line
from declared
