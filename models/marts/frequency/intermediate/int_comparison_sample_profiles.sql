-- One row per comparison member sample with what it was profiled for: its assay (genes covered
-- for mutations) and whether it has copy-number data. Denominators start here: a member sequenced
-- with zero mutations is profiled all the same. Each member by its own study (sample_study_id): a comparison
-- across studies counts every group against its studies' own assays and copy-number data.
with members as (
    select distinct study_id, comparison, sample_study_id, sample_id, patient_id, group_label, group_order
    from {{ ref('int_comparison_members') }}
),

samples as (
    select study_id, sample_id, assay_id, is_sequenced from {{ ref('dim_sample') }}
),

cna_profiled as (
    select distinct study_id, sample_id from {{ ref('fct_cna_segment') }}
    union
    select distinct study_id, sample_id from {{ ref('fct_gene_cna') }} where cna_kind = 'discrete'
)

select
    members.study_id,
    members.comparison,
    members.sample_study_id,
    members.sample_id,
    members.patient_id,
    members.group_label,
    members.group_order,
    samples.assay_id,
    samples.is_sequenced as is_mutation_profiled,
    cna_profiled.sample_id is not null as is_cna_profiled
from members
inner join samples on samples.study_id = members.sample_study_id and samples.sample_id = members.sample_id
left join cna_profiled
    on cna_profiled.study_id = members.sample_study_id and cna_profiled.sample_id = members.sample_id
