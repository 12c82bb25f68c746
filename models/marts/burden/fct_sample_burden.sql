-- One row per sequenced sample (dim_sample.is_sequenced) per TMB definition its study sees
-- (stg_study__tmb_definitions: every seed definition, and the study's own from oncoduck_study.yml
-- tmb_definitions, which apply to that study only; definition_declared_by says which; is_study_definition marks
-- the study's tmb_definition).
-- Samples without any variant are present with zero counts and TMB 0 (denominators come from the
-- sample registry, never from the MAF). Counted variants: filter_status = 'PASS' under the study's
-- variant filter rule set (clonal haematopoiesis is a failed rule, so it is never counted).
-- Counted by a definition: the PASS variants of its classes (every class for `variants: all`), minus hotspot
-- residues when it excludes them, minus genes the sample's assay does not cover when it says assay_genes_only.
-- coding_mb, first available: a study-declared definition's own coding_mb (for a sample whose assay is
-- resolved) > study setting (oncoduck_study.yml coding_mb) > the definition's fixed size for whole-exome and
-- whole-genome assays (rule parameter exome_coding_mb: cBioPortal's 30 Mb, whatever the exome's own size, as its
-- calc_nonsyn_tmb.py divides) > assay seed or study-declared assay >
-- panel CDS footprint (int_assays_coding_size) > the definition's default_coding_mb (only for an assay
-- the study named: a sample whose assay is unresolved or assumed (exome_undeclared) gets no TMB, never
-- an exome default); coding_mb_source says which. A definition with a min_coding_mb rule parameter
-- (seeds/reference/rule_parameters.csv, keyed by the definition id: cBioPortal's, 0.2 Mb) gives no TMB below it.
with samples as (
    select study_id, sample_id, patient_id, sample_type, assay_id, assay_source, assay_unresolved_reason
    from {{ ref('dim_sample') }}
    where is_sequenced
),

variants as (
    select study_id, sample_id, hugo_symbol, variant_class, is_hotspot, filter_status
    from {{ ref('int_variants_filtered') }}
),

studies as (
    select study_id, tmb_definition, variant_filter_rule_set from {{ ref('stg_study__studies') }}
),

study_coding_mb as (
    select study_id, coding_mb from {{ ref('stg_study__studies') }} where coding_mb is not null
),

assay_sizes as (
    select assay_id, assay_type, coding_mb, coding_mb_source from {{ ref('int_assays_coding_size') }}
),

exome_sizes as (
    -- a definition's fixed denominator for whole-exome and whole-genome samples
    select rule_id as definition_id, value as exome_coding_mb
    from {{ ref('rule_parameters') }} where parameter = 'exome_coding_mb'
),

definitions as (
    select
        declaring_study_id,
        definition_id,
        nonsynonymous_definition_id,
        counts_every_class,
        excludes_hotspots,
        counts_silent,
        assay_genes_only,
        default_coding_mb,
        coding_mb,
        declared_by
    from {{ ref('stg_study__tmb_definitions') }}
),

nonsynonymous as (
    select declaring_study_id, definition_id, variant_classification as variant_class
    from {{ ref('stg_study__nonsynonymous_definitions') }}
    where is_nonsynonymous
),

assay_genes as (
    -- distinct: a few genes have two spellings in the references (GENCODE v19's C15ORF37 and C15orf37), one
    -- upper-case key, and a variant joined to both would count twice for assay_genes_only definitions
    select distinct assay_id, upper(hugo_symbol) as hugo_symbol from {{ ref('bridge_assay_gene') }}
),

study_definitions as (
    -- the definitions each study sees: every seed definition, and its own
    select
        studies.study_id,
        studies.tmb_definition,
        studies.variant_filter_rule_set,
        definitions.definition_id,
        definitions.nonsynonymous_definition_id,
        definitions.counts_every_class,
        definitions.excludes_hotspots,
        definitions.counts_silent,
        definitions.assay_genes_only,
        definitions.default_coding_mb,
        definitions.coding_mb,
        definitions.declared_by
    from studies
    inner join definitions
        on definitions.declaring_study_id is null or definitions.declaring_study_id = studies.study_id
),

definition_classes as (
    select
        study_definitions.study_id,
        study_definitions.definition_id,
        study_definitions.excludes_hotspots,
        study_definitions.assay_genes_only,
        nonsynonymous.variant_class
    from study_definitions
    inner join nonsynonymous
        on nonsynonymous.definition_id = study_definitions.nonsynonymous_definition_id
        and (nonsynonymous.declaring_study_id is null or nonsynonymous.declaring_study_id = study_definitions.study_id)
),

definition_variants as (
    -- each PASS variant once per definition of its study that counts its class (any class: `variants: all`)
    select
        variants.study_id,
        variants.sample_id,
        variants.hugo_symbol,
        variants.is_hotspot,
        definition_classes.definition_id,
        definition_classes.excludes_hotspots,
        definition_classes.assay_genes_only
    from variants
    inner join definition_classes
        on definition_classes.study_id = variants.study_id and definition_classes.variant_class = variants.variant_class
    where variants.filter_status = 'PASS'
    union all
    select
        variants.study_id,
        variants.sample_id,
        variants.hugo_symbol,
        variants.is_hotspot,
        study_definitions.definition_id,
        study_definitions.excludes_hotspots,
        study_definitions.assay_genes_only
    from variants
    inner join study_definitions on study_definitions.study_id = variants.study_id
    where variants.filter_status = 'PASS' and study_definitions.counts_every_class
),

class_counts as (
    select
        study_id,
        sample_id,
        count(*) as n_variants_total,
        cast(sum(case when filter_status = 'PASS' then 1 else 0 end) as bigint) as n_variants_pass,
        cast(sum(case when filter_status = 'FILTERED' then 1 else 0 end) as bigint) as n_variants_filtered,
        {%- for class_name, column in [
            ('Missense_Mutation', 'n_missense'), ('Nonsense_Mutation', 'n_nonsense'),
            ('Frame_Shift_Del', 'n_frame_shift_del'), ('Frame_Shift_Ins', 'n_frame_shift_ins'),
            ('In_Frame_Del', 'n_in_frame_del'), ('In_Frame_Ins', 'n_in_frame_ins'),
            ('Splice_Site', 'n_splice_site'), ('Splice_Region', 'n_splice_region'),
            ('Translation_Start_Site', 'n_translation_start_site'), ('Nonstop_Mutation', 'n_nonstop'),
            ('Silent', 'n_silent'), ('unclassified', 'n_unclassified')] %}
        cast(sum(case when filter_status = 'PASS' and variant_class = '{{ class_name }}' then 1 else 0 end) as bigint) as {{ column }},
        {%- endfor %}
        cast(sum(case when filter_status = 'PASS' and variant_class not in (
            'Missense_Mutation', 'Nonsense_Mutation', 'Frame_Shift_Del', 'Frame_Shift_Ins', 'In_Frame_Del',
            'In_Frame_Ins', 'Splice_Site', 'Splice_Region', 'Translation_Start_Site', 'Nonstop_Mutation',
            'Silent', 'unclassified') then 1 else 0 end) as bigint) as n_other_noncoding
    from variants
    group by study_id, sample_id
),

variants_on_assay as (
    -- whether each counted variant's gene is off the sample's assay, for the definitions that ask (assay_genes_only)
    select study_id, sample_id, definition_id, is_hotspot, excludes_hotspots, false as is_off_assay
    from definition_variants
    where not assay_genes_only
    union all
    select
        definition_variants.study_id,
        definition_variants.sample_id,
        definition_variants.definition_id,
        definition_variants.is_hotspot,
        definition_variants.excludes_hotspots,
        assay_genes.hugo_symbol is null as is_off_assay
    from definition_variants
    left join samples
        on samples.study_id = definition_variants.study_id and samples.sample_id = definition_variants.sample_id
    left join assay_genes
        on assay_genes.assay_id = samples.assay_id and assay_genes.hugo_symbol = upper(definition_variants.hugo_symbol)
    where definition_variants.assay_genes_only
),

nonsynonymous_counts as (
    select
        study_id,
        sample_id,
        definition_id,
        cast(sum(case when is_off_assay or (excludes_hotspots and is_hotspot) then 0 else 1 end) as bigint) as n_nonsynonymous,
        cast(sum(case when is_hotspot and not is_off_assay then 1 else 0 end) as bigint) as n_nonsynonymous_hotspot,
        cast(sum(case when is_off_assay then 1 else 0 end) as bigint) as n_off_assay
    from variants_on_assay
    group by study_id, sample_id, definition_id
),

sample_definitions as (
    select
        samples.study_id,
        samples.sample_id,
        samples.patient_id,
        samples.sample_type,
        samples.assay_id,
        definitions.definition_id as tmb_definition,
        definitions.declared_by as definition_declared_by,
        definitions.definition_id = definitions.tmb_definition as is_study_definition,
        definitions.variant_filter_rule_set,
        definitions.excludes_hotspots,
        definitions.counts_silent,
        coalesce(
            case when samples.assay_source <> 'unresolved' then definitions.coding_mb end,
            study_coding_mb.coding_mb,
            case when samples.assay_source not in ('unresolved', 'assumed: no gene panel named')
                      and assay_sizes.assay_type in ('exome', 'genome') then exome_sizes.exome_coding_mb end,
            assay_sizes.coding_mb,
            case when samples.assay_source not in ('unresolved', 'assumed: no gene panel named') then definitions.default_coding_mb end
        ) as coding_mb,
        case
            when definitions.coding_mb is not null and samples.assay_source <> 'unresolved' then
                'study-declared definition (oncoduck_study.yml tmb_definitions[].coding_mb)'
            when study_coding_mb.coding_mb is not null then 'study setting (oncoduck_study.yml coding_mb)'
            when exome_sizes.exome_coding_mb is not null and assay_sizes.assay_type in ('exome', 'genome')
                 and samples.assay_source not in ('unresolved', 'assumed: no gene panel named') then
                'definition size for ' || assay_sizes.assay_type || 's (rule_parameters ' || definitions.definition_id
                || ' exome_coding_mb)'
            when assay_sizes.coding_mb is not null then assay_sizes.coding_mb_source
            when samples.assay_source = 'unresolved' then 'none: assay unresolved (' || samples.assay_unresolved_reason || ')'
            when samples.assay_source = 'assumed: no gene panel named' then
                'none: the study declares no assay_id or coding_mb and names no gene panel'
            when definitions.default_coding_mb is not null then 'definition default (tmb_definitions.default_coding_mb)'
            else 'none: assay ' || samples.assay_id || ' has no coding size'
        end as coding_mb_source
    from samples
    inner join study_definitions as definitions on definitions.study_id = samples.study_id
    left join study_coding_mb on study_coding_mb.study_id = samples.study_id
    left join assay_sizes on assay_sizes.assay_id = samples.assay_id
    left join exome_sizes on exome_sizes.definition_id = definitions.definition_id
),

counted as (
    select
        sample_definitions.*,
        coalesce(class_counts.n_variants_total, 0) as n_variants_total,
        coalesce(class_counts.n_variants_pass, 0) as n_variants_pass,
        coalesce(class_counts.n_variants_filtered, 0) as n_variants_filtered,
        {%- for column in ['n_missense', 'n_nonsense', 'n_frame_shift_del', 'n_frame_shift_ins', 'n_in_frame_del',
            'n_in_frame_ins', 'n_splice_site', 'n_splice_region', 'n_translation_start_site', 'n_nonstop',
            'n_silent', 'n_unclassified', 'n_other_noncoding'] %}
        coalesce(class_counts.{{ column }}, 0) as {{ column }},
        {%- endfor %}
        coalesce(nonsynonymous_counts.n_nonsynonymous, 0)
            + case when sample_definitions.counts_silent then coalesce(class_counts.n_silent, 0) else 0 end as n_nonsynonymous,
        case when sample_definitions.excludes_hotspots then coalesce(nonsynonymous_counts.n_nonsynonymous_hotspot, 0) else 0 end
            as n_hotspot_excluded,
        coalesce(nonsynonymous_counts.n_off_assay, 0) as n_off_assay_excluded
    from sample_definitions
    left join class_counts
        on class_counts.study_id = sample_definitions.study_id and class_counts.sample_id = sample_definitions.sample_id
    left join nonsynonymous_counts
        on nonsynonymous_counts.study_id = sample_definitions.study_id
        and nonsynonymous_counts.sample_id = sample_definitions.sample_id
        and nonsynonymous_counts.definition_id = sample_definitions.tmb_definition
)

select
    study_id,
    sample_id,
    patient_id,
    sample_type,
    assay_id,
    tmb_definition,
    definition_declared_by,
    is_study_definition,
    variant_filter_rule_set,
    n_variants_total,
    n_variants_pass,
    n_variants_filtered,
    n_missense,
    n_nonsense,
    n_frame_shift_del,
    n_frame_shift_ins,
    n_in_frame_del,
    n_in_frame_ins,
    n_splice_site,
    n_splice_region,
    n_translation_start_site,
    n_nonstop,
    n_silent,
    n_unclassified,
    n_other_noncoding,
    n_nonsynonymous,
    n_hotspot_excluded,
    n_off_assay_excluded,
    coding_mb,
    coding_mb_source,
    case
        when coding_mb is null or coding_mb <= 0 then null
        when coding_mb < min_coding.min_coding_mb then null
        else n_nonsynonymous / coding_mb
    end as tmb_per_mb
from counted
left join (
    select rule_id as min_coding_definition, value as min_coding_mb
    from {{ ref('rule_parameters') }} where parameter = 'min_coding_mb'
) as min_coding on min_coding.min_coding_definition = counted.tmb_definition
