-- Gene panel matrix rows (one per sample per profile column) typed, with the reason a line must be rejected.
-- 'NA' means the sample was not profiled for that profile. Matrix columns are named by the profile's
-- stable_id as cBioPortal's importer reads them: `mutations`, `cna`, `gistic`, `structural_variants`,
-- or in downloads prefixed by the study (`brca_tcga_mutations`); `profile` is the kind they name.
-- A panel the matrix names but nothing defines is not a reject here: dim_sample resolves it to no assay and
-- says so (assay_rule 'unresolved').
with landed as (
    select * from {{ ref('landing_gene_panel_matrix') }}
),

typed as (
    select
        study_id,
        source_file,
        source_row,
        source_column,
        n_fields,
        n_header_fields,
        text_fault,
        text_fault_detail,
        {{ sample_id_from_barcode('sample_id') }} as sample_id,
        lower(trim(profile)) as profile_stable_id,
        {{ nullif_missing('panel_id') }} as panel_id
    from landed
),

{{ key_occurrence_ctes('typed', ['study_id', 'sample_id', 'profile_stable_id'], 'source_file, source_row') }}

select
    typed_occurrences.*,
    case
        when profile_stable_id in ('mutations', 'mutation_extended') or right(profile_stable_id, 10) = '_mutations' then 'mutations'
        when profile_stable_id in ('cna', 'gistic') or right(profile_stable_id, 4) = '_cna'
            or right(profile_stable_id, 7) = '_gistic' then 'cna'
        when profile_stable_id in ('structural_variants', 'sv', 'fusion')
            or right(profile_stable_id, 20) = '_structural_variants' or right(profile_stable_id, 7) = '_fusion' then 'structural_variants'
        else profile_stable_id
    end as profile,
    {{ reject_ladder(line_rejects() + [
        {'when': 'sample_id is null', 'code': 'missing_sample_id', 'detail': "'no SAMPLE_ID on this line'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "'sample ' || sample_id || ' already has a ' || profile_stable_id || ' panel on an earlier line'"},
    ]) }}
from typed_occurrences
