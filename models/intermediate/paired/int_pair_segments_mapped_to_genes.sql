-- Copy-number calls of every gene (neutral included) for the samples of int_sample_pairs_matched: one row
-- per paired sample x gene x gene-mapping rule (macro segments_mapped_to_genes). Pair concordance and the
-- paired call-distribution tests need the neutral genes that int_segments_mapped_to_genes leaves out.
with paired_samples as (
    select study_id, sample_id_a as sample_id from {{ ref('int_sample_pairs_matched') }}
    union
    select study_id, sample_id_b as sample_id from {{ ref('int_sample_pairs_matched') }}
),

paired_segments as (
    select segments.*
    from {{ ref('int_segments_called') }} as segments
    inner join paired_samples
        on paired_samples.study_id = segments.study_id and paired_samples.sample_id = segments.sample_id
)

select * from ({{ segments_mapped_to_genes('paired_segments') }}) as mapped
