{#- A view over the seed and the landed declarations: small, and `oncoduck build --incremental` leaves views
    alone. The declaring study is `declaring_study_id`, not `study_id`: the incremental build narrows every
    relation with a study_id column to the rebuilt studies, and the seed's rows belong to every study. -#}
{{ config(materialized='view') }}
-- One row per TMB definition a study can name: the seed's (seeds/reference/tmb_definitions.csv, shared by
-- every study; declaring_study_id null) and each study's own (oncoduck_study.yml tmb_definitions, landed by
-- landing_declared_references; for the declaring study only). declared_by says which. Every reader of TMB
-- definitions (fct_sample_burden, int_variants_filtered, fct_study_tmb_distribution) reads this model, so the
-- study's own definitions are computed exactly like the seed's.
with seeded as (
    select
        definition_id,
        description,
        source,
        nonsynonymous_definition_id,
        excludes_hotspots,
        counts_silent,
        default_coding_mb
    from {{ ref('tmb_definitions') }}
),

declarations as (
    select study_id, source_file, source_line, item_id, setting, list_index, value
    from {{ ref('landing_declared_references') }}
    where block = 'tmb_definitions'
),

declared as (
    select
        study_id,
        item_id as definition_id,
        max(case when setting = 'tmb_definitions[].id' then source_file end) as source_file,
        max(case when setting = 'tmb_definitions[].id' then source_line end) as source_line,
        -- `all` or a seed nonsynonymous definition id; null when the classes are listed (one row each)
        max(case when setting = 'tmb_definitions[].variants' and list_index is null then value end) as variants,
        max(case when setting = 'tmb_definitions[].excludes_hotspots' then value end) as excludes_hotspots,
        max(case when setting = 'tmb_definitions[].assay_genes_only' then value end) as assay_genes_only,
        max(case when setting = 'tmb_definitions[].coding_mb' then try_cast(value as double) end) as coding_mb,
        max(case when setting = 'tmb_definitions[].description' then value end) as description
    from declarations
    group by study_id, item_id
)

select
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    definition_id,
    description,
    source,
    'nonsynonymous definition' as variants_rule,
    nonsynonymous_definition_id,
    false as counts_every_class,
    excludes_hotspots,
    counts_silent,
    false as assay_genes_only,
    default_coding_mb,
    cast(null as double) as coding_mb,
    'seeds/reference/tmb_definitions.csv' as declared_by,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as bigint) as source_line
from seeded

union all

select
    study_id as declaring_study_id,
    definition_id,
    description,
    'oncoduck_study.yml of study ' || study_id || ', line ' || cast(source_line as {{ dbt.type_string() }}) as source,
    case
        when variants = 'all' then 'all rows'
        when variants is null then 'listed classes'
        else 'nonsynonymous definition'
    end as variants_rule,
    case
        when variants = 'all' then null
        when variants is null then definition_id  -- its classes: stg_study__nonsynonymous_definitions, same id
        else variants
    end as nonsynonymous_definition_id,
    coalesce(variants = 'all', false) as counts_every_class,
    excludes_hotspots = 'true' as excludes_hotspots,
    false as counts_silent,
    assay_genes_only = 'true' as assay_genes_only,
    cast(null as double) as default_coding_mb,
    coding_mb,
    'oncoduck_study.yml' as declared_by,
    source_file,
    source_line
from declared
