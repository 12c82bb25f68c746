-- One row per patient per sample group per TMB definition. Roll-up rule 'mean_of_samples_in_group'
-- (li2024: the patient's value is the mean of the two pre-treatment biopsies): samples of one patient are
-- averaged only within a sample group = sample_type plus timepoint, so primary and metastasis (and
-- baseline and on-treatment plasma) are never mixed. Normal samples are not sequenced tumours and never
-- appear. CNV measures average the samples that have segments (n_samples_with_cnv of n_samples).
with sample_burden as (
    select * from {{ ref('fct_sample_burden') }}
),

cnv_burden as (
    select * from {{ ref('fct_sample_cnv_burden') }}
),

samples as (
    select study_id, sample_id, timepoint from {{ ref('dim_sample') }}
),

grouped as (
    select
        sample_burden.*,
        sample_burden.sample_type || case when samples.timepoint is not null then ':' || samples.timepoint else '' end as sample_group,
        cnv_burden.cnv_count,
        cnv_burden.cnv_gene_count,
        cnv_burden.total_cnv_length_mb,
        cnv_burden.deletion_size_mb,
        cnv_burden.duplication_size_mb,
        cnv_burden.fraction_genome_altered
    from sample_burden
    inner join samples on samples.study_id = sample_burden.study_id and samples.sample_id = sample_burden.sample_id
    left join cnv_burden on cnv_burden.study_id = sample_burden.study_id and cnv_burden.sample_id = sample_burden.sample_id
)

select
    study_id,
    patient_id,
    sample_group,
    tmb_definition,
    max(case when is_study_definition then 1 else 0 end) = 1 as is_study_definition,
    'mean_of_samples_in_group' as rollup_rule,
    count(*) as n_samples,
    {{ sorted_listagg('sample_id', "';'") }} as sample_ids,
    avg(cast(n_nonsynonymous as double)) as mean_n_nonsynonymous,
    {{ ordered_avg('tmb_per_mb', ['sample_id']) }} as mean_tmb_per_mb,
    count(cnv_count) as n_samples_with_cnv,
    avg(cast(cnv_count as double)) as mean_cnv_count,
    avg(cast(cnv_gene_count as double)) as mean_cnv_gene_count,
    {{ ordered_avg('total_cnv_length_mb', ['sample_id']) }} as mean_total_cnv_length_mb,
    {{ ordered_avg('deletion_size_mb', ['sample_id']) }} as mean_deletion_size_mb,
    {{ ordered_avg('duplication_size_mb', ['sample_id']) }} as mean_duplication_size_mb,
    {{ ordered_avg('fraction_genome_altered', ['sample_id']) }} as mean_fraction_genome_altered
from grouped
group by study_id, patient_id, sample_group, tmb_definition
