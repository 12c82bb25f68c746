{#- A view, not a table (the folder default): it is int_variants_classified plus a few verdict columns,
    and writing a second copy of a million-row variant table cost more than every burden model together
    (benchmarks/results/burden.md); readers select only the columns they need. -#}
{{ config(materialized='view') }}
-- One row per classified variant (int_variants_classified) with the verdict of its study's variant
-- filter rule set (stg_study__studies.variant_filter_rule_set, thresholds from seeds variant_filter_rules):
-- filter_status PASS / FILTERED and failed_rules (';'-joined rule ids, in a fixed order).
-- Rule semantics (fixed by rule_id): caller_pass = FILTER is PASS, '.' or empty; coding_only =
-- consequence_vocabulary.is_coding; min_* = value >= threshold; max_population_af = population AF <=
-- threshold; min_alt_reads applies to non-hotspot variants when the set also has min_alt_reads_hotspot
-- (then hotspot residues need only that lower count, yi2024), otherwise to every variant;
-- ch_wbc_ratio = clonal haematopoiesis when the matched normal (white blood cells) carries the allele
-- (n_alt_count > 0) and tumour/plasma VAF <= threshold x normal VAF (yi2024): failed and listed in
-- int_variants_clonal_haematopoiesis. A rule whose input is missing (no read counts, no population AF)
-- cannot be evaluated: the variant is not failed for it, and the rule is named in unevaluated_rules.
-- is_counted: the study counts the variant as a mutation: PASS and counted by the study's mutated_definition
-- (stg_study__studies: its `mutated_definition`, else its TMB definition; stg_study__tmb_definitions: a seed
-- definition or one the study declares; its classes from stg_study__nonsynonymous_definitions, or every class
-- for a definition declared with `variants: all`). The one definition of "mutated" for every frequency, pair,
-- signature and grouping (int_sample_gene_alterations, int_pair_variants_compared, int_snvs_contexted);
-- fct_sample_burden counts every TMB definition itself, with the hotspot exclusion and assay-gene restriction
-- some add. A study whose TMB counts every row (TransNEO's exome TMB) names a nonsynonymous definition as
-- mutated_definition, so that a silent or intronic variant does not make its gene mutated.
with variants as (
    select * from {{ ref('int_variants_classified') }}
),

studies as (
    select study_id, variant_filter_rule_set, mutated_definition from {{ ref('stg_study__studies') }}
),

study_definitions as (
    -- the study's mutated_definition: a seed's, or one the study itself declares
    select studies.study_id, definitions.nonsynonymous_definition_id, definitions.counts_every_class
    from studies
    inner join {{ ref('stg_study__tmb_definitions') }} as definitions
        on definitions.definition_id = studies.mutated_definition
        and (definitions.declaring_study_id is null or definitions.declaring_study_id = studies.study_id)
),

study_counted_classes as (
    -- the classes the study's definition counts (one row each)
    select distinct study_definitions.study_id, classes.variant_classification as variant_class
    from study_definitions
    inner join {{ ref('stg_study__nonsynonymous_definitions') }} as classes
        on classes.definition_id = study_definitions.nonsynonymous_definition_id
        and (classes.declaring_study_id is null or classes.declaring_study_id = study_definitions.study_id)
    where classes.is_nonsynonymous
),

studies_counting_every_class as (
    select distinct study_id from study_definitions where counts_every_class
),

rules as (
    select
        rule_set,
        max(case when rule_id = 'caller_pass' then 1 else 0 end) = 1 as has_caller_pass,
        max(case when rule_id = 'coding_only' then 1 else 0 end) = 1 as has_coding_only,
        max(case when rule_id = 'min_alt_reads' then threshold end) as min_alt_reads,
        max(case when rule_id = 'min_alt_reads_hotspot' then threshold end) as min_alt_reads_hotspot,
        max(case when rule_id = 'min_vaf' then threshold end) as min_vaf,
        max(case when rule_id = 'min_depth' then threshold end) as min_depth,
        max(case when rule_id = 'max_population_af' then threshold end) as max_population_af,
        max(case when rule_id = 'ch_wbc_ratio' then threshold end) as ch_wbc_ratio
    from {{ ref('variant_filter_rules') }}
    group by rule_set
),

evaluated as (
    select
        variants.*,
        studies.variant_filter_rule_set,
        studies.mutated_definition,
        rules.has_caller_pass,
        rules.min_alt_reads,
        rules.min_alt_reads_hotspot,
        rules.min_vaf,
        rules.min_depth,
        rules.max_population_af,
        rules.ch_wbc_ratio,
        rules.has_caller_pass
            and not (variants.filter is null or upper(trim(variants.filter)) in ('PASS', '.', '')) as fails_caller_pass,
        rules.has_coding_only and not variants.is_coding as fails_coding_only,
        rules.min_alt_reads is not null
            and not (rules.min_alt_reads_hotspot is not null and variants.is_hotspot)
            and variants.t_alt_count < rules.min_alt_reads as fails_min_alt_reads,
        rules.min_alt_reads_hotspot is not null and variants.is_hotspot
            and variants.t_alt_count < rules.min_alt_reads_hotspot as fails_min_alt_reads_hotspot,
        rules.min_vaf is not null and variants.tumor_vaf < rules.min_vaf as fails_min_vaf,
        rules.min_depth is not null and variants.t_depth < rules.min_depth as fails_min_depth,
        rules.max_population_af is not null and variants.population_af > rules.max_population_af as fails_max_population_af,
        rules.ch_wbc_ratio is not null and variants.n_alt_count > 0
            and variants.tumor_vaf <= rules.ch_wbc_ratio * variants.normal_vaf as is_clonal_haematopoiesis,
        concat_ws(';',
            case when rules.min_alt_reads is not null and variants.t_alt_count is null then 'min_alt_reads' end,
            case when rules.min_vaf is not null and variants.tumor_vaf is null then 'min_vaf' end,
            case when rules.min_depth is not null and variants.t_depth is null then 'min_depth' end,
            case when rules.max_population_af is not null and variants.population_af is null then 'max_population_af' end,
            case when rules.ch_wbc_ratio is not null and variants.normal_vaf is null then 'ch_wbc_ratio' end
        ) as unevaluated_rules
    from variants
    inner join studies on studies.study_id = variants.study_id
    left join rules on rules.rule_set = studies.variant_filter_rule_set
),

verdicts as (
    select
        evaluated.*,
        counted_class.study_id is not null or every_class.study_id is not null as is_counted_class,
        nullif(concat_ws(';',
            case when coalesce(fails_caller_pass, false) then 'caller_pass' end,
            case when coalesce(fails_coding_only, false) then 'coding_only' end,
            case when coalesce(fails_min_alt_reads, false) then 'min_alt_reads' end,
            case when coalesce(fails_min_alt_reads_hotspot, false) then 'min_alt_reads_hotspot' end,
            case when coalesce(fails_min_vaf, false) then 'min_vaf' end,
            case when coalesce(fails_min_depth, false) then 'min_depth' end,
            case when coalesce(fails_max_population_af, false) then 'max_population_af' end,
            case when coalesce(is_clonal_haematopoiesis, false) then 'ch_wbc_ratio' end
        ), '') as failed_rules
    from evaluated
    left join study_counted_classes as counted_class
        on counted_class.study_id = evaluated.study_id and counted_class.variant_class = evaluated.variant_class
    left join studies_counting_every_class as every_class on every_class.study_id = evaluated.study_id
)

select
    study_id,
    sample_id,
    variant_key,
    hugo_symbol,
    chromosome,
    start_position,
    end_position,
    reference_allele,
    tumor_allele,
    variant_type,
    variant_classification_given,
    consequence_given,
    variant_class,
    class_source,
    is_coding,
    protein_change_given,
    protein_position,
    reference_aa,
    alternative_aa,
    is_hotspot,
    hotspot_residue,
    protein_domains,
    in_tp53_dna_binding_domain,
    in_erbb2_kinase_domain,
    in_pik3ca_helical_or_kinase_domain,
    t_depth,
    t_alt_count,
    tumor_vaf,
    n_depth,
    n_alt_count,
    normal_vaf,
    normal_sample_id,
    filter,
    population_af,
    context,
    hugo_symbol_source,
    entrez_gene_id,
    aliquot_barcode,
    hgvsc,
    hgvsp,
    hgvsp_short,
    protein_change,
    transcript_id,
    t_ref_count,
    n_ref_count,
    tumor_vaf_source,
    coalesce(variant_filter_rule_set, 'none') as variant_filter_rule_set,
    case when failed_rules is null then 'PASS' else 'FILTERED' end as filter_status,
    failed_rules,
    nullif(unevaluated_rules, '') as unevaluated_rules,
    coalesce(is_clonal_haematopoiesis, false) as is_clonal_haematopoiesis,
    failed_rules is null and is_counted_class as is_counted,
    case when failed_rules is null and is_counted_class then mutated_definition end as counted_by_definition,
    source_file,
    source_row
from verdicts
