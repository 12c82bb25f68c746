-- The mutations a study counts: one row per variant that passes the study's variant filter rule set
-- (filter_status PASS) and is counted by the study's own TMB definition (stg_study__tmb_definitions: a seed
-- definition or one the study declares; its classes from stg_study__nonsynonymous_definitions, or every class
-- for a definition declared with `variants: all`). One definition of "mutated" for every frequency, pair and
-- grouping (int_sample_gene_alterations, int_pair_variants_compared); fct_sample_burden counts every
-- definition itself, with the hotspot exclusion and assay-gene restriction some TMB definitions add.
with studies as (
    select study_id, tmb_definition from {{ ref('stg_study__studies') }}
),

definitions as (
    select declaring_study_id, definition_id, nonsynonymous_definition_id, counts_every_class
    from {{ ref('stg_study__tmb_definitions') }}
),

nonsynonymous_classes as (
    select declaring_study_id, definition_id, variant_classification as variant_class
    from {{ ref('stg_study__nonsynonymous_definitions') }}
    where is_nonsynonymous
),

study_definitions as (
    -- the study's tmb_definition: a seed's, or one the study itself declares
    select studies.study_id, studies.tmb_definition, definitions.nonsynonymous_definition_id, definitions.counts_every_class
    from studies
    inner join definitions
        on definitions.definition_id = studies.tmb_definition
        and (definitions.declaring_study_id is null or definitions.declaring_study_id = studies.study_id)
),

study_classes as (
    select study_definitions.study_id, study_definitions.tmb_definition, nonsynonymous_classes.variant_class
    from study_definitions
    inner join nonsynonymous_classes
        on nonsynonymous_classes.definition_id = study_definitions.nonsynonymous_definition_id
        and (nonsynonymous_classes.declaring_study_id is null
            or nonsynonymous_classes.declaring_study_id = study_definitions.study_id)
),

pass_variants as (
    select study_id, sample_id, variant_key, hugo_symbol, variant_class, is_hotspot, protein_change_given, tumor_vaf
    from {{ ref('int_variants_filtered') }}
    where filter_status = 'PASS'
)

select
    pass_variants.study_id,
    pass_variants.sample_id,
    pass_variants.variant_key,
    pass_variants.hugo_symbol,
    pass_variants.variant_class,
    pass_variants.is_hotspot,
    pass_variants.protein_change_given,
    pass_variants.tumor_vaf,
    study_classes.tmb_definition
from pass_variants
inner join study_classes
    on study_classes.study_id = pass_variants.study_id and study_classes.variant_class = pass_variants.variant_class

union all

select
    pass_variants.study_id,
    pass_variants.sample_id,
    pass_variants.variant_key,
    pass_variants.hugo_symbol,
    pass_variants.variant_class,
    pass_variants.is_hotspot,
    pass_variants.protein_change_given,
    pass_variants.tumor_vaf,
    study_definitions.tmb_definition
from pass_variants
inner join study_definitions on study_definitions.study_id = pass_variants.study_id
where study_definitions.counts_every_class
