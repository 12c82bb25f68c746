-- Every landed structural-variant line (cBioPortal's data_sv.txt: two breakpoint sites, each with its gene,
-- chromosome and position), typed, with the reason it must be rejected. A site given by its Entrez id alone
-- takes the approved HGNC symbol, and a given symbol the reference spelling, as MAF and CNA genes do
-- (macros/hugo_symbols.sql).
with landed as (
    select * from {{ ref('landing_structural_variants') }}
),

samples as (
    select study_id, sample_id from {{ ref('stg_study__samples') }}
),

typed as (
    select
        {{ landed_line_columns() }},
        {{ sample_id_from_barcode('landed.sample_id') }} as sample_id,
        {%- for site in ['site1', 'site2'] %}
        {{ given_symbol(nullif_missing('landed.' ~ site ~ '_hugo_symbol'), site ~ '_hgnc') }} as {{ site }}_hugo_symbol,
        {{ whole_number(nullif_missing('landed.' ~ site ~ '_entrez_gene_id')) }} as {{ site }}_entrez_gene_id,
        {{ nullif_missing('landed.' ~ site ~ '_entrez_gene_id') }} as {{ site }}_entrez_raw,
        {{ normalize_chromosome(nullif_missing('landed.' ~ site ~ '_chromosome')) }} as {{ site }}_chromosome,
        {{ nullif_missing('landed.' ~ site ~ '_chromosome') }} as {{ site }}_chromosome_raw,
        {{ whole_number(nullif_missing('landed.' ~ site ~ '_position')) }} as {{ site }}_position,
        {{ nullif_missing('landed.' ~ site ~ '_position') }} as {{ site }}_position_raw,
        {{ nullif_missing('landed.' ~ site ~ '_region') }} as {{ site }}_region,
        {%- endfor %}
        {{ nullif_missing('landed.site2_effect_on_frame') }} as site2_effect_on_frame,
        {{ nullif_missing('landed.ncbi_build') }} as ncbi_build,
        lower({{ nullif_missing('landed.dna_support') }}) = 'yes' as has_dna_support,
        lower({{ nullif_missing('landed.rna_support') }}) = 'yes' as has_rna_support,
        {%- for count in ['tumor_read_count', 'tumor_variant_count'] %}
        {{ whole_number(nullif_missing('landed.' ~ count)) }} as {{ count }},
        {{ nullif_missing('landed.' ~ count) }} as {{ count }}_raw,
        {%- endfor %}
        {{ nullif_missing('landed.event_info') }} as event_info,
        upper({{ nullif_missing('landed.sv_class') }}) as sv_class,
        {{ whole_number(nullif_missing('landed.sv_length')) }} as sv_length,
        {{ nullif_missing('landed.sv_length') }} as sv_length_raw,
        upper({{ nullif_missing('landed.sv_status') }}) as sv_status,
        landed.sv_status as sv_status_raw
    from landed
    {%- for site in ['site1', 'site2'] %}
    {{ hugo_symbol_joins(nullif_missing('landed.' ~ site ~ '_hugo_symbol'),
        whole_number(nullif_missing('landed.' ~ site ~ '_entrez_gene_id')), alias=site ~ '_hgnc') }}
    {%- endfor %}
),

keyed as (
    select
        typed.*,
        cast(row_number() over (
            partition by typed.study_id, typed.sample_id, typed.site1_hugo_symbol, typed.site1_chromosome,
                typed.site1_position, typed.site2_hugo_symbol, typed.site2_chromosome, typed.site2_position,
                typed.event_info
            order by typed.source_file, typed.source_row
        ) as bigint) as key_occurrence
    from typed
)

select
    keyed.*,
    {{ reject_ladder(line_rejects() + [
        {'when': 'keyed.sample_id is null', 'code': 'missing_sample_id', 'detail': "'no Sample_Id'"},
        {'when': 'sv_status is null or sv_status not in (\'SOMATIC\', \'GERMLINE\')', 'code': 'invalid_sv_status',
         'detail': "'SV_Status ' || chr(39) || coalesce(sv_status_raw, '') || chr(39) || ' is not SOMATIC or GERMLINE'"},
        {'when': 'site1_entrez_raw is not null and site1_entrez_gene_id is null
                  or site2_entrez_raw is not null and site2_entrez_gene_id is null', 'code': 'invalid_entrez_gene_id',
         'detail': "'Entrez gene id ' || chr(39) || coalesce(site1_entrez_raw, site2_entrez_raw) || chr(39) || ' is not a whole number'"},
        {'when': 'tumor_read_count_raw is not null and not coalesce(tumor_read_count >= 0, false)
                  or tumor_variant_count_raw is not null and not coalesce(tumor_variant_count >= 0, false)
                  or sv_length_raw is not null and sv_length is null', 'code': 'invalid_number',
         'detail': "case when tumor_read_count_raw is not null and not coalesce(tumor_read_count >= 0, false)
                         then 'Tumor_Read_Count ' || chr(39) || tumor_read_count_raw || chr(39) || ' is not a whole number >= 0'
                         when tumor_variant_count_raw is not null and not coalesce(tumor_variant_count >= 0, false)
                         then 'Tumor_Variant_Count ' || chr(39) || tumor_variant_count_raw || chr(39) || ' is not a whole number >= 0'
                         else 'SV_Length ' || chr(39) || sv_length_raw || chr(39) || ' is not a whole number' end"},
        {'when': 'site1_hugo_symbol is null and site2_hugo_symbol is null', 'code': 'missing_gene',
         'detail': "'neither site has a gene (Site1/Site2_Hugo_Symbol, or an Entrez id HGNC lists)'"},
        {'when': 'site1_chromosome_raw is not null and site1_chromosome is null
                  or site2_chromosome_raw is not null and site2_chromosome is null', 'code': 'unknown_chromosome',
         'detail': "'chromosome ' || chr(39) || coalesce(case when site1_chromosome is null then site1_chromosome_raw end, site2_chromosome_raw) || chr(39) || ' is not 1-22, X, Y or MT'"},
        {'when': 'site1_position_raw is not null and (site1_position is null or site1_position < 0)
                  or site2_position_raw is not null and (site2_position is null or site2_position < 0)',
         'code': 'non_numeric_position',
         'detail': "'Site1/Site2_Position ' || chr(39) || coalesce(site1_position_raw, '') || chr(39) || '/' || chr(39) || coalesce(site2_position_raw, '') || chr(39) || ' are not whole numbers'"},
        {'when': 'samples.sample_id is null', 'code': 'sample_not_in_clinical',
         'detail': "'sample ' || keyed.sample_id || ' is not in the clinical sample file'"},
        {'when': 'key_occurrence > 1', 'code': 'duplicate_key',
         'detail': "'the same structural variant (sample, both sites, Event_Info) is on an earlier line'"},
    ]) }}
from keyed
left join samples on samples.study_id = keyed.study_id and samples.sample_id = keyed.sample_id
