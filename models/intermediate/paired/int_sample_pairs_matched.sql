-- One row per pair rule per ordered sample pair of one patient (side a = the earlier / reference
-- sample, side b = the later / compared one). Pair rules, declared here and nowhere else:
--   primary_metastasis   sample_type primary (a) vs metastasis (b), same patient; every combination
--                        when a patient has several of either.
--   primary_recurrence   primary (a) vs recurrence (b), same patient.
--   pre_post_treatment   same patient and sample type, TIMEPOINT pre-treatment (a: baseline, pre,
--                        pre_treatment, screening) vs on/post-treatment (b: on_treatment, post,
--                        post_treatment, progression); e.g. yi2024 baseline vs on-treatment plasma.
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
        case
            when lower(timepoint) in ('baseline', 'pre', 'pre_treatment', 'pre-treatment', 'pretreatment', 'screening')
                then 'pre'
            when lower(timepoint) in ('on_treatment', 'on-treatment', 'ontreatment', 'post', 'post_treatment',
                                      'post-treatment', 'posttreatment', 'progression')
                then 'post'
        end as treatment_phase
    from {{ ref('dim_sample') }}
    where sample_type <> 'normal'
),

primary_metastasis as (
    select
        'primary_metastasis' as pair_rule,
        'primary' as side_a,
        'metastasis' as side_b,
        a.study_id,
        a.patient_id,
        a.sample_id as sample_id_a,
        b.sample_id as sample_id_b
    from samples as a
    inner join samples as b
        on b.study_id = a.study_id and b.patient_id = a.patient_id
    where a.sample_type = 'primary' and b.sample_type = 'metastasis'
),

primary_recurrence as (
    select
        'primary_recurrence' as pair_rule,
        'primary' as side_a,
        'recurrence' as side_b,
        a.study_id,
        a.patient_id,
        a.sample_id as sample_id_a,
        b.sample_id as sample_id_b
    from samples as a
    inner join samples as b
        on b.study_id = a.study_id and b.patient_id = a.patient_id
    where a.sample_type = 'primary' and b.sample_type = 'recurrence'
),

pre_post_treatment as (
    select
        'pre_post_treatment' as pair_rule,
        'pre_treatment' as side_a,
        'on_treatment' as side_b,
        a.study_id,
        a.patient_id,
        a.sample_id as sample_id_a,
        b.sample_id as sample_id_b
    from samples as a
    inner join samples as b
        on b.study_id = a.study_id and b.patient_id = a.patient_id and b.sample_type = a.sample_type
    where a.treatment_phase = 'pre' and b.treatment_phase = 'post'
),

two_biopsies as (
    select
        'two_biopsies' as pair_rule,
        'biopsy_first' as side_a,
        'biopsy_second' as side_b,
        a.study_id,
        a.patient_id,
        a.sample_id as sample_id_a,
        b.sample_id as sample_id_b
    from samples as a
    inner join samples as b
        on b.study_id = a.study_id and b.patient_id = a.patient_id and b.sample_type = a.sample_type
        and coalesce(b.timepoint, '') = coalesce(a.timepoint, '')
    where a.biopsy is not null and b.biopsy is not null and a.biopsy <> b.biopsy
      and (
          try_cast(a.biopsy as double) < try_cast(b.biopsy as double)
          or ((try_cast(a.biopsy as double) is null or try_cast(b.biopsy as double) is null) and a.biopsy < b.biopsy)
      )
),

pairs as (
    select * from primary_metastasis
    union all
    select * from primary_recurrence
    union all
    select * from pre_post_treatment
    union all
    select * from two_biopsies
)

select
    pairs.study_id,
    pairs.patient_id,
    pairs.pair_rule,
    pairs.side_a,
    pairs.side_b,
    pairs.sample_id_a,
    pairs.sample_id_b,
    a.sample_type as sample_type_a,
    b.sample_type as sample_type_b,
    a.timepoint as timepoint_a,
    b.timepoint as timepoint_b,
    a.biopsy as biopsy_a,
    b.biopsy as biopsy_b,
    a.assay_id as assay_id_a,
    b.assay_id as assay_id_b,
    a.is_sequenced and b.is_sequenced as both_sequenced
from pairs
inner join samples as a on a.study_id = pairs.study_id and a.sample_id = pairs.sample_id_a
inner join samples as b on b.study_id = pairs.study_id and b.sample_id = pairs.sample_id_b
