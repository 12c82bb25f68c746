-- One row per assay (exome, genome or gene panel) used by a sample: the seed's definition
-- (type, coding Mb) or, for a study's own panels, the panel file; unknown assays are kept and flagged.
with seeded as (
    select assay_id, assay_type, coding_mb, coding_mb_source, description from {{ ref('assays') }}
),

study_panels as (
    select panel_id as assay_id, min(description) as description, count(distinct hugo_symbol) as n_genes
    from {{ ref('stg_study__panel_genes') }}
    group by panel_id
),

used as (
    select distinct assay_id from {{ ref('dim_sample') }} where assay_id is not null
    union
    select assay_id from seeded
    union
    select assay_id from study_panels
)

select
    used.assay_id,
    coalesce(seeded.assay_type, case when study_panels.assay_id is not null then 'panel' end, 'unknown') as assay_type,
    seeded.coding_mb,
    coalesce(seeded.coding_mb_source, 'not given: compute from panel genes x CDS coordinates') as coding_mb_source,
    coalesce(seeded.description, study_panels.description) as description,
    case
        when seeded.assay_id is not null then 'seed assays.csv'
        when study_panels.assay_id is not null then 'study gene panel file'
        else 'named by a study, not defined'
    end as defined_by
from used
left join seeded on seeded.assay_id = used.assay_id
left join study_panels on study_panels.assay_id = used.assay_id
