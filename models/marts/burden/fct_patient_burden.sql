-- One row per patient per sample group per TMB definition. Roll-up rule 'mean_of_samples_in_group'
-- (li2024: the patient's value is the mean of the two pre-treatment biopsies): samples of one patient are
-- averaged only within a sample group = sample_type plus timepoint, so primary and metastasis (and
-- baseline and on-treatment plasma) are never mixed. Normal samples are not sequenced tumours and never
-- appear. CNV measures average the samples that have segments (n_samples_with_cnv of n_samples).
-- Means of doubles over three or more samples add in sample order (ordered_avg), so that two builds give the
-- same bits; a mean of one or two values is the same in any order (x + y = y + x exactly), so the groups of one
-- or two samples, nearly all of them, take plain aggregates and only the larger groups pay for the ordering
-- (400k groups at 10M MAF rows: the ordered sums over all of them were 13 s of the build).
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
,

per_group as (
    select
        study_id,
        patient_id,
        sample_group,
        tmb_definition,
        max(case when is_study_definition then 1 else 0 end) = 1 as is_study_definition,
        count(*) as n_samples,
        count(*) > 2 as is_added_in_order,
        min(sample_id) as first_sample_id,
        max(sample_id) as last_sample_id,
        avg(cast(n_nonsynonymous as double)) as mean_n_nonsynonymous,
        count(cnv_count) as n_samples_with_cnv,
        avg(cast(cnv_count as double)) as mean_cnv_count,
        avg(cast(cnv_gene_count as double)) as mean_cnv_gene_count,
        avg(tmb_per_mb) as mean_tmb_per_mb,
        avg(total_cnv_length_mb) as mean_total_cnv_length_mb,
        avg(deletion_size_mb) as mean_deletion_size_mb,
        avg(duplication_size_mb) as mean_duplication_size_mb,
        avg(fraction_genome_altered) as mean_fraction_genome_altered
    from grouped
    group by study_id, patient_id, sample_group, tmb_definition
),

larger_groups as (
    select
        grouped.study_id,
        grouped.patient_id,
        grouped.sample_group,
        grouped.tmb_definition,
        {{ sorted_listagg('grouped.sample_id', "';'") }} as sample_ids,
        {{ ordered_avg('grouped.tmb_per_mb', ['grouped.sample_id']) }} as mean_tmb_per_mb,
        {{ ordered_avg('grouped.total_cnv_length_mb', ['grouped.sample_id']) }} as mean_total_cnv_length_mb,
        {{ ordered_avg('grouped.deletion_size_mb', ['grouped.sample_id']) }} as mean_deletion_size_mb,
        {{ ordered_avg('grouped.duplication_size_mb', ['grouped.sample_id']) }} as mean_duplication_size_mb,
        {{ ordered_avg('grouped.fraction_genome_altered', ['grouped.sample_id']) }} as mean_fraction_genome_altered
    from grouped
    inner join per_group
        on per_group.study_id = grouped.study_id and per_group.patient_id = grouped.patient_id
        and per_group.sample_group = grouped.sample_group and per_group.tmb_definition = grouped.tmb_definition
    where per_group.is_added_in_order
    group by grouped.study_id, grouped.patient_id, grouped.sample_group, grouped.tmb_definition
)

select
    per_group.study_id,
    per_group.patient_id,
    per_group.sample_group,
    per_group.tmb_definition,
    per_group.is_study_definition,
    'mean_of_samples_in_group' as rollup_rule,
    per_group.n_samples,
    case
        when per_group.n_samples = 1 then per_group.first_sample_id
        when not per_group.is_added_in_order then per_group.first_sample_id || ';' || per_group.last_sample_id
        else larger_groups.sample_ids
    end as sample_ids,
    per_group.mean_n_nonsynonymous,
    case when per_group.is_added_in_order then larger_groups.mean_tmb_per_mb
        else per_group.mean_tmb_per_mb end as mean_tmb_per_mb,
    per_group.n_samples_with_cnv,
    per_group.mean_cnv_count,
    per_group.mean_cnv_gene_count,
    case when per_group.is_added_in_order then larger_groups.mean_total_cnv_length_mb
        else per_group.mean_total_cnv_length_mb end as mean_total_cnv_length_mb,
    case when per_group.is_added_in_order then larger_groups.mean_deletion_size_mb
        else per_group.mean_deletion_size_mb end as mean_deletion_size_mb,
    case when per_group.is_added_in_order then larger_groups.mean_duplication_size_mb
        else per_group.mean_duplication_size_mb end as mean_duplication_size_mb,
    case when per_group.is_added_in_order then larger_groups.mean_fraction_genome_altered
        else per_group.mean_fraction_genome_altered end as mean_fraction_genome_altered
from per_group
left join larger_groups
    on larger_groups.study_id = per_group.study_id and larger_groups.patient_id = per_group.patient_id
    and larger_groups.sample_group = per_group.sample_group and larger_groups.tmb_definition = per_group.tmb_definition
