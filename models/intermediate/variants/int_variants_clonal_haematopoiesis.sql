-- One row per variant flagged as clonal haematopoiesis (CH) by the ch_wbc_ratio rule (yi2024: plasma
-- VAF <= 2 x matched white-blood-cell VAF, threshold from variant_filter_rules): excluded from burden
-- and ctDNA analyses, kept here so that every exclusion can be seen and counted.
with filtered as (
    select * from {{ ref('int_variants_filtered') }}
),

rules as (
    select rule_set, threshold from {{ ref('variant_filter_rules') }} where rule_id = 'ch_wbc_ratio'
)

select
    filtered.study_id,
    filtered.sample_id,
    filtered.variant_key,
    filtered.normal_sample_id,
    filtered.hugo_symbol,
    filtered.protein_change_given,
    filtered.variant_class,
    filtered.tumor_vaf as plasma_vaf,
    filtered.normal_vaf as wbc_vaf,
    filtered.tumor_vaf / nullif(filtered.normal_vaf, 0) as plasma_to_wbc_vaf_ratio,
    filtered.variant_filter_rule_set,
    'ch_wbc_ratio' as rule_id,
    rules.threshold as max_plasma_to_wbc_ratio,
    filtered.source_file,
    filtered.source_row
from filtered
inner join rules on rules.rule_set = filtered.variant_filter_rule_set
where filtered.is_clonal_haematopoiesis
