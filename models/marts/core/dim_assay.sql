-- One row per assay (exome, genome or gene panel) used by a sample: the seed's definition (type, coding Mb),
-- a study's own declaration (oncoduck_study.yml assays; two studies may declare one id only identically), or,
-- for a study's gene panel files, the panel file; unknown assays are kept and flagged.
with defined as (
    -- the seed's and the studies' declared assays (stg_study__assays); one row per id
    select distinct assay_id, assay_type, coding_mb, coding_mb_source, description, declared_by
    from {{ ref('stg_study__assays') }}
),

study_panels as (
    select panel_id as assay_id, min(description) as description, count(distinct hugo_symbol) as n_genes
    from {{ ref('stg_study__panel_genes') }}
    group by panel_id
),

used as (
    select distinct assay_id from {{ ref('dim_sample') }} where assay_id is not null
    union
    select assay_id from defined
    union
    select assay_id from study_panels
)

select
    used.assay_id,
    coalesce(defined.assay_type, case when study_panels.assay_id is not null then 'panel' end, 'unknown') as assay_type,
    defined.coding_mb,
    coalesce(defined.coding_mb_source, 'not given: compute from panel genes x CDS coordinates') as coding_mb_source,
    coalesce(defined.description, study_panels.description) as description,
    case
        when defined.declared_by = 'seeds/reference/assays.csv' then 'seed assays.csv'
        when defined.declared_by = 'oncoduck_study.yml' then 'study declaration (oncoduck_study.yml assays)'
        when study_panels.assay_id is not null then 'study gene panel file'
        else 'named by a study, not defined'
    end as defined_by
from used
left join defined on defined.assay_id = used.assay_id
left join study_panels on study_panels.assay_id = used.assay_id
