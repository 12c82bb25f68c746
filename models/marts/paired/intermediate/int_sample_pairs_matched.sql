-- One row per pair rule per ordered sample pair of one patient (side a = the earlier / reference
-- sample, side b = the later / compared one). Pair rules, declared here and nowhere else:
--   primary_metastasis   sample_type primary (a) vs metastasis (b), same patient; every combination
--                        when a patient has several of either.
--   primary_recurrence   primary (a) vs recurrence (b), same patient.
--   pre_post_treatment   same patient and sample type, TIMEPOINT pre-treatment (a: baseline, pre,
--                        pre_treatment, screening) vs on/post-treatment (b: on_treatment, post,
--                        post_treatment, progression; macro treatment_phase); e.g. yi2024 baseline vs
--                        on-treatment plasma.
--   two_biopsies         same patient, sample type and timepoint, two different BIOPSY values (a = the
--                        lower biopsy number); e.g. li2024 biopsies 1 and 2 of one tumour.
-- Normal samples never pair. both_sequenced says whether mutation concordance can be computed.
with samples as (
    select
        study_id,
        sample_id,
        patient_id,
        sample_type,
        timepoint,
        biopsy,
        assay_id,
        is_sequenced,
        {{ treatment_phase('timepoint') }} as treatment_phase
    from {{ ref('dim_sample') }}
    where sample_type <> 'normal'
),

-- The four rules exclude each other (different sample types; same type with pre/post phases; same type
-- and timepoint with two biopsies), so each ordered pair of a patient's samples matches at most one.
rule_sides as (
    select 'primary_metastasis' as pair_rule, 'primary' as side_a, 'metastasis' as side_b
    union all
    select 'primary_recurrence', 'primary', 'recurrence'
    union all
    select 'pre_post_treatment', 'pre_treatment', 'on_treatment'
    union all
    select 'two_biopsies', 'biopsy_first', 'biopsy_second'
),

ordered_pairs as (
    select
        a.study_id,
        a.patient_id,
        case
            when a.sample_type = 'primary' and b.sample_type = 'metastasis' then 'primary_metastasis'
            when a.sample_type = 'primary' and b.sample_type = 'recurrence' then 'primary_recurrence'
            when b.sample_type = a.sample_type and a.treatment_phase = 'pre' and b.treatment_phase = 'post'
                then 'pre_post_treatment'
            when b.sample_type = a.sample_type and coalesce(b.timepoint, '') = coalesce(a.timepoint, '')
                and a.biopsy is not null and b.biopsy is not null and a.biopsy <> b.biopsy
                and (
                    try_cast(a.biopsy as double) < try_cast(b.biopsy as double)
                    or ((try_cast(a.biopsy as double) is null or try_cast(b.biopsy as double) is null)
                        and a.biopsy < b.biopsy)
                )
                then 'two_biopsies'
        end as pair_rule,
        a.sample_id as sample_id_a,
        b.sample_id as sample_id_b,
        a.sample_type as sample_type_a,
        b.sample_type as sample_type_b,
        a.timepoint as timepoint_a,
        b.timepoint as timepoint_b,
        a.biopsy as biopsy_a,
        b.biopsy as biopsy_b,
        a.assay_id as assay_id_a,
        b.assay_id as assay_id_b,
        a.is_sequenced and b.is_sequenced as both_sequenced
    from samples as a
    inner join samples as b
        on b.study_id = a.study_id and b.patient_id = a.patient_id and b.sample_id <> a.sample_id
)

select
    ordered_pairs.study_id,
    ordered_pairs.patient_id,
    ordered_pairs.pair_rule,
    rule_sides.side_a,
    rule_sides.side_b,
    ordered_pairs.sample_id_a,
    ordered_pairs.sample_id_b,
    ordered_pairs.sample_type_a,
    ordered_pairs.sample_type_b,
    ordered_pairs.timepoint_a,
    ordered_pairs.timepoint_b,
    ordered_pairs.biopsy_a,
    ordered_pairs.biopsy_b,
    ordered_pairs.assay_id_a,
    ordered_pairs.assay_id_b,
    ordered_pairs.both_sequenced
from ordered_pairs
inner join rule_sides on rule_sides.pair_rule = ordered_pairs.pair_rule
