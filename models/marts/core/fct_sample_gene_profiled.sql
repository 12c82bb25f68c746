{{ config(materialized='view') }}
-- One row per sequenced sample per gene its assay covers: the denominator of every frequency.
-- A view, because an exome cohort makes it samples x all genes; marts join it on demand.
select
    dim_sample.study_id,
    dim_sample.sample_id,
    dim_sample.patient_id,
    bridge_assay_gene.hugo_symbol,
    dim_sample.assay_id
from {{ ref('dim_sample') }} as dim_sample
inner join {{ ref('bridge_assay_gene') }} as bridge_assay_gene on bridge_assay_gene.assay_id = dim_sample.assay_id
where dim_sample.is_sequenced
