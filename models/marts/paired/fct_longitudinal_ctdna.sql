{#- Thresholds are vars so a study can be re-run with its own; each value is also a column. -#}
{%- set detection_vaf = var('ctdna_detection_vaf') -%}
{%- set mtbi_cutoff = var('ctdna_mtbi_cutoff') -%}
{%- set clonal_fraction = var('ctdna_mtbi_clonal_vaf_fraction') -%}
-- One row per patient per pre-treatment / on-treatment plasma pair (int_sample_pairs_matched rule
-- pre_post_treatment, both samples plasma; yi2024: baseline and after two cycles).
-- Somatic (tumour) variants = filter_status PASS under the study's rule set, any class: clonal
-- haematopoiesis (ch_wbc_ratio, int_variants_clonal_haematopoiesis) fails a rule and is excluded.
--   bTMB       fct_sample_burden.tmb_per_mb under the study's TMB definition; change = on - baseline.
--   mTBI       mean plasma VAF of the sample's clonal somatic variants, clonal = VAF >= clonal_fraction x
--              the sample's maximum somatic VAF (mtbi_definition 'mean_vaf_clonal_v1'); 0 when the sample
--              has no somatic variant. See README.md, section yi2024, for the source and caveats.
--   clearance  none of the baseline somatic variants is detected on treatment: detected = the same
--              variant key in the on-treatment MAF, not flagged CH, with >= 1 alt read and VAF >=
--              detection_vaf_threshold (tumour-informed: the caller's min_alt_reads need not be met).
--              Not evaluable (null) when the baseline sample has no somatic variant.
with pairs as (
    select study_id, patient_id, sample_id_a, sample_id_b, timepoint_a, timepoint_b
    from {{ ref('int_sample_pairs_matched') }}
    where pair_rule = 'pre_post_treatment' and sample_type_a = 'plasma' and sample_type_b = 'plasma'
),

paired_samples as (
    select study_id, sample_id_a as sample_id from pairs
    union
    select study_id, sample_id_b as sample_id from pairs
),

variants as (
    -- the paired plasma samples' variants only: every figure below is per paired sample, and a
    -- 100k-sample cohort without plasma pairs then reads no variant at all
    select
        filtered.study_id,
        filtered.sample_id,
        filtered.variant_key,
        filtered.tumor_vaf,
        filtered.t_alt_count,
        filtered.filter_status,
        filtered.is_clonal_haematopoiesis
    from {{ ref('int_variants_filtered') }} as filtered
    inner join paired_samples
        on paired_samples.study_id = filtered.study_id and paired_samples.sample_id = filtered.sample_id
),

burden as (
    select study_id, sample_id, tmb_definition, tmb_per_mb
    from {{ ref('fct_sample_burden') }}
    where is_study_definition
),

somatic as (
    select
        study_id,
        sample_id,
        variant_key,
        tumor_vaf,
        max(tumor_vaf) over (partition by study_id, sample_id) as max_vaf
    from variants
    where filter_status = 'PASS'
),

sample_mtbi as (
    select
        study_id,
        sample_id,
        count(*) as n_somatic_variants,
        max(max_vaf) as max_vaf,
        cast(sum(case when tumor_vaf >= {{ clonal_fraction }} * max_vaf then 1 else 0 end) as bigint) as n_clonal_variants,
        {{ ordered_avg('case when tumor_vaf >= ' ~ clonal_fraction ~ ' * max_vaf then tumor_vaf end', ['variant_key']) }}
            as mtbi
    from somatic
    group by study_id, sample_id
),

sample_ch as (
    select study_id, sample_id, count(*) as n_ch_variants
    from variants
    where is_clonal_haematopoiesis
    group by study_id, sample_id
),

baseline_tracked as (
    select
        pairs.study_id,
        pairs.sample_id_a,
        pairs.sample_id_b,
        count(*) as n_baseline_variants,
        cast(sum(case when followed.variant_key is not null then 1 else 0 end) as bigint) as n_detected_on_treatment
    from pairs
    inner join somatic as baseline
        on baseline.study_id = pairs.study_id and baseline.sample_id = pairs.sample_id_a
    left join variants as followed
        on followed.study_id = pairs.study_id and followed.sample_id = pairs.sample_id_b
        and followed.variant_key = baseline.variant_key
        and not followed.is_clonal_haematopoiesis
        and coalesce(followed.t_alt_count, 1) >= 1
        and coalesce(followed.tumor_vaf, 1.0) >= {{ detection_vaf }}
    group by pairs.study_id, pairs.sample_id_a, pairs.sample_id_b
),

assembled as (
    select
        pairs.study_id,
        pairs.patient_id,
        pairs.sample_id_a as baseline_sample_id,
        pairs.sample_id_b as on_treatment_sample_id,
        pairs.timepoint_a as baseline_timepoint,
        pairs.timepoint_b as on_treatment_timepoint,
        coalesce(burden_a.tmb_definition, burden_b.tmb_definition) as tmb_definition,
        burden_a.tmb_per_mb as btmb_baseline,
        burden_b.tmb_per_mb as btmb_on_treatment,
        coalesce(mtbi_a.n_somatic_variants, 0) as n_variants_baseline,
        coalesce(mtbi_b.n_somatic_variants, 0) as n_variants_on_treatment,
        coalesce(ch_a.n_ch_variants, 0) as n_ch_variants_baseline,
        coalesce(ch_b.n_ch_variants, 0) as n_ch_variants_on_treatment,
        coalesce(tracked.n_detected_on_treatment, 0) as n_baseline_variants_detected,
        coalesce(mtbi_a.n_clonal_variants, 0) as n_clonal_variants_baseline,
        coalesce(mtbi_b.n_clonal_variants, 0) as n_clonal_variants_on_treatment,
        mtbi_a.max_vaf as max_vaf_baseline,
        mtbi_b.max_vaf as max_vaf_on_treatment,
        coalesce(mtbi_a.mtbi, 0.0) as mtbi_baseline,
        coalesce(mtbi_b.mtbi, 0.0) as mtbi_on_treatment
    from pairs
    left join burden as burden_a on burden_a.study_id = pairs.study_id and burden_a.sample_id = pairs.sample_id_a
    left join burden as burden_b on burden_b.study_id = pairs.study_id and burden_b.sample_id = pairs.sample_id_b
    left join sample_mtbi as mtbi_a on mtbi_a.study_id = pairs.study_id and mtbi_a.sample_id = pairs.sample_id_a
    left join sample_mtbi as mtbi_b on mtbi_b.study_id = pairs.study_id and mtbi_b.sample_id = pairs.sample_id_b
    left join sample_ch as ch_a on ch_a.study_id = pairs.study_id and ch_a.sample_id = pairs.sample_id_a
    left join sample_ch as ch_b on ch_b.study_id = pairs.study_id and ch_b.sample_id = pairs.sample_id_b
    left join baseline_tracked as tracked
        on tracked.study_id = pairs.study_id and tracked.sample_id_a = pairs.sample_id_a
        and tracked.sample_id_b = pairs.sample_id_b
)

select
    study_id,
    patient_id,
    baseline_sample_id,
    on_treatment_sample_id,
    baseline_timepoint,
    on_treatment_timepoint,
    tmb_definition,
    btmb_baseline,
    btmb_on_treatment,
    btmb_on_treatment - btmb_baseline as btmb_change,
    n_variants_baseline,
    n_variants_on_treatment,
    n_ch_variants_baseline,
    n_ch_variants_on_treatment,
    n_baseline_variants_detected,
    cast({{ detection_vaf }} as double) as detection_vaf_threshold,
    case when n_variants_baseline > 0 then n_baseline_variants_detected = 0 end as is_ctdna_cleared,
    case
        when n_variants_baseline = 0 then 'not_evaluable'
        when n_baseline_variants_detected = 0 then 'cleared'
        else 'persistent'
    end as clearance_status,
    n_clonal_variants_baseline,
    n_clonal_variants_on_treatment,
    max_vaf_baseline,
    max_vaf_on_treatment,
    mtbi_baseline,
    mtbi_on_treatment,
    mtbi_on_treatment - mtbi_baseline as mtbi_change,
    'mean_vaf_clonal_v1' as mtbi_definition,
    cast({{ clonal_fraction }} as double) as mtbi_clonal_vaf_fraction,
    cast({{ mtbi_cutoff }} as double) as mtbi_cutoff,
    case when mtbi_baseline >= {{ mtbi_cutoff }} then 'high' else 'low' end as mtbi_group_baseline,
    case when mtbi_on_treatment >= {{ mtbi_cutoff }} then 'high' else 'low' end as mtbi_group_on_treatment
from assembled
