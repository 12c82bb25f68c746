-- One row per comparison x group x gene x feature (a hotspot residue such as E545, or a protein
-- domain such as tp53_dbd): members profiled for the gene (their assay covers it) and members with a
-- PASS mutation at that residue or in that domain (any PASS variant whose protein position falls there
-- and that changes the protein, under the study's variant filters). A synonymous change (class Silent,
-- or a protein change keeping the residue such as p.R175= classed Splice_Region) is neither a hotspot
-- nor a domain mutation (issue 19): residues count int_variants_classified's is_hotspot.
with profiles as (
    select * from {{ ref('int_comparison_members') }} where is_mutation_profiled
),

coverage as (
    select assay_id, hugo_symbol from {{ ref('bridge_assay_gene') }}
),

variants as (
    select study_id, sample_id, upper(hugo_symbol) as hugo_symbol, is_hotspot, hotspot_residue, protein_domains
    from {{ ref('int_variants_filtered') }}
    where filter_status = 'PASS' and variant_class <> 'Silent' and protein_position is not null
      and not coalesce(alternative_aa = reference_aa, false)
),

features as (
    select study_id, sample_id, hugo_symbol, 'residue' as feature_level, hotspot_residue as feature
    from variants where is_hotspot
    union
    select variants.study_id, variants.sample_id, variants.hugo_symbol, 'domain', domains.domain_id
    from variants
    inner join {{ ref('protein_domains') }} as domains
        on upper(domains.gene) = variants.hugo_symbol
        and {{ in_delimited_list('variants.protein_domains', 'domains.domain_id') }}
),

comparison_features as (
    select distinct profiles.study_id, profiles.comparison, features.hugo_symbol, features.feature_level, features.feature
    from profiles
    inner join features on features.study_id = profiles.sample_study_id and features.sample_id = profiles.sample_id
),

counted as (
    select
        profiles.study_id, profiles.comparison, profiles.group_label, profiles.group_order,
        comparison_features.hugo_symbol, comparison_features.feature_level, comparison_features.feature,
        sum(case when coverage.hugo_symbol is not null then 1 else 0 end) as n_profiled,
        sum(case when coverage.hugo_symbol is not null and member_features.sample_id is not null then 1 else 0 end) as n_altered
    from profiles
    inner join comparison_features
        on comparison_features.study_id = profiles.study_id and comparison_features.comparison = profiles.comparison
    left join coverage on coverage.assay_id = profiles.assay_id and coverage.hugo_symbol = comparison_features.hugo_symbol
    left join (select distinct study_id, sample_id, hugo_symbol, feature_level, feature from features) as member_features
        on member_features.study_id = profiles.sample_study_id and member_features.sample_id = profiles.sample_id
        and member_features.hugo_symbol = comparison_features.hugo_symbol
        and member_features.feature_level = comparison_features.feature_level
        and member_features.feature = comparison_features.feature
    group by profiles.study_id, profiles.comparison, profiles.group_label, profiles.group_order,
        comparison_features.hugo_symbol, comparison_features.feature_level, comparison_features.feature
)

select
    study_id,
    comparison,
    group_label,
    group_order,
    hugo_symbol,
    feature_level,
    feature,
    {{ frequency_measures() }}
from counted
where n_profiled > 0
