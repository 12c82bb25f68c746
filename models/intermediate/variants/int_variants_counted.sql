-- The mutations a study counts: one row per variant that passes the study's variant filter rule set
-- (filter_status PASS) and is nonsynonymous under the study's own TMB definition (tmb_definitions ->
-- nonsynonymous_definitions). One definition of "mutated" for every frequency, pair and grouping
-- (int_sample_gene_alterations, int_pair_variants_compared); fct_sample_burden counts every named
-- definition itself, with the hotspot exclusion some TMB definitions add.
with studies as (
    select studies.study_id, studies.tmb_definition, definitions.nonsynonymous_definition_id
    from {{ ref('stg_study__studies') }} as studies
    inner join {{ ref('tmb_definitions') }} as definitions on definitions.definition_id = studies.tmb_definition
),

nonsynonymous_classes as (
    select definition_id, variant_classification as variant_class
    from {{ ref('nonsynonymous_definitions') }}
    where is_nonsynonymous
)

select
    variants.study_id,
    variants.sample_id,
    variants.variant_key,
    variants.hugo_symbol,
    variants.variant_class,
    variants.is_hotspot,
    variants.protein_change_given,
    variants.tumor_vaf,
    studies.tmb_definition
from {{ ref('int_variants_filtered') }} as variants
inner join studies on studies.study_id = variants.study_id
inner join nonsynonymous_classes
    on nonsynonymous_classes.definition_id = studies.nonsynonymous_definition_id
    and nonsynonymous_classes.variant_class = variants.variant_class
where variants.filter_status = 'PASS'
