-- One row per study: identity and the settings from meta_study.txt and oncoduck_study.yml that the
-- pipeline uses (defaults applied here, once, and stated in the YAML).
with settings as (
    select study_id, source, setting, value from {{ ref('landing_study_settings') }}
),

files as (
    select study_id, min(study_dir) as study_dir from {{ ref('landing_study_files') }} group by study_id
),

pivoted as (
    select
        study_id,
        max(case when source = 'meta_study.txt' and setting = 'name' then value end) as study_name,
        max(case when source = 'meta_study.txt' and setting = 'type_of_cancer' then value end) as type_of_cancer,
        max(case when source = 'meta_study.txt' and setting = 'reference_genome' then lower(value) end) as meta_reference_genome,
        max(case when source = 'oncoduck_study.yml' and setting = 'reference_genome' then lower(value) end) as yml_reference_genome,
        max(case when source = 'oncoduck_study.yml' and setting = 'assay_id' then value end) as assay_id,
        max(case when source = 'oncoduck_study.yml' and setting = 'tmb_definition' then value end) as tmb_definition,
        max(case when source = 'oncoduck_study.yml' and setting = 'mutated_definition' then value end) as mutated_definition,
        max(case when source = 'oncoduck_study.yml' and setting = 'variant_filter_rule_set' then value end) as variant_filter_rule_set,
        max(case when source = 'oncoduck_study.yml' and setting = 'cna_call_rule_set' then value end) as cna_call_rule_set,
        max(case when source = 'oncoduck_study.yml' and setting = 'sequenced_samples' then lower(value) end) as sequenced_samples,
        max(case when source = 'oncoduck_study.yml' and setting = 'coding_mb' then try_cast(value as double) end) as coding_mb,
        max(case when source = 'oncoduck_study.yml' and setting = 'vaf_scale' then lower(value) end) as vaf_scale,
        max(case when source = 'oncoduck_study.yml' and setting = 'discrete_cna_minus_1_5' then lower(value) end)
            as discrete_cna_minus_1_5
    from settings
    group by study_id
)

select
    files.study_id,
    files.study_dir,
    pivoted.study_name,
    pivoted.type_of_cancer,
    case coalesce(pivoted.yml_reference_genome, pivoted.meta_reference_genome, 'hg19')
        when 'grch37' then 'hg19'
        when 'grch38' then 'hg38'
        else coalesce(pivoted.yml_reference_genome, pivoted.meta_reference_genome, 'hg19')
    end as reference_genome,
    case
        when pivoted.yml_reference_genome is not null then 'oncoduck_study.yml reference_genome'
        when pivoted.meta_reference_genome is not null then 'meta_study.txt reference_genome'
        else 'assumed: hg19 (cBioPortal default; warning reference_genome_assumed)'
    end as reference_genome_source,
    pivoted.assay_id as default_assay_id,
    coalesce(pivoted.tmb_definition, 'nonsyn_maftools_v1') as tmb_definition,
    coalesce(pivoted.mutated_definition, pivoted.tmb_definition, 'nonsyn_maftools_v1') as mutated_definition,
    case when pivoted.mutated_definition is not null then 'mutated_definition' else 'tmb_definition' end
        as mutated_definition_source,
    coalesce(pivoted.variant_filter_rule_set, 'none') as variant_filter_rule_set,
    coalesce(pivoted.cna_call_rule_set, 'log2_default') as cna_call_rule_set,
    coalesce(pivoted.sequenced_samples, 'declared') as sequenced_samples,
    pivoted.coding_mb,
    coalesce(pivoted.vaf_scale, 'fraction') as vaf_scale,
    coalesce(pivoted.discrete_cna_minus_1_5, 'reject') as discrete_cna_minus_1_5
from files
left join pivoted on pivoted.study_id = files.study_id
