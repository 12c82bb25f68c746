-- Values that no rule can read, listed instead of guessed (a warn-severity test keeps this visible):
--   1. values of enumerated attributes (seeds.clinical_attributes.allowed_values) that are not canonical
--      after clinical_value_synonyms and the study's `values:` (e.g. HER2 IHC '4+', vital status 'alive?');
--      a STAGE given as a TNM string is not listed (int_patients_staged derives the stage from it);
--   2. metastatic site names not in seeds.metastatic_sites;
--   3. drug names of timeline TREATMENT events not in seeds.drugs.
-- One row per study, attribute and value, with how many rows carry it and the first place it occurs.
with attributes as (
    select
        study_id,
        attribute,
        value_text,
        source_file,
        source_row,
        source_column
    from {{ ref('stg_study__clinical_attributes') }}
    where value_text is not null
),

allowed as (
    select attribute, allowed_values from {{ ref('clinical_attributes') }}
    where allowed_values is not null and allowed_values <> ''
),

enum_unmapped as (
    select
        attributes.study_id,
        attributes.attribute,
        attributes.value_text,
        attributes.source_file,
        attributes.source_row,
        attributes.source_column,
        'not one of ' || allowed.allowed_values as reason
    from attributes
    inner join allowed on allowed.attribute = attributes.attribute
    where position('|' || attributes.value_text || '|' in '|' || allowed.allowed_values || '|') = 0
        -- a STAGE written as a TNM string ('T2N1M0') is read by int_patients_staged's AJCC table
        and not (attributes.attribute = 'STAGE'
                 and {{ regexp_like("replace(upper(attributes.value_text), ' ', '')", '^(Y|YP|P|C)?T(IS|[0-4]|X)') }})
),

site_seed as (
    select lower(trim(raw_site)) as raw_site from {{ ref('metastatic_sites') }}
),

site_values as (
    select attributes.*, part_numbers.part_number
    from attributes
    cross join (
        select 1 as part_number union all select 2 union all select 3 union all select 4 union all select 5
        union all select 6 union all select 7 union all select 8 union all select 9 union all select 10
    ) part_numbers
    where attributes.attribute = 'METASTATIC_SITES'
),

site_unmapped as (
    select
        study_id,
        'METASTATIC_SITES' as attribute,
        site as value_text,
        source_file,
        source_row,
        source_column,
        'site not in seeds.metastatic_sites' as reason
    from (
        select
            site_values.*,
            lower(trim({{ split_part_at("replace(site_values.value_text, ',', ';')", "';'", 'site_values.part_number') }})) as site
        from site_values
    ) split_sites
    where site is not null and site <> '' and site not in (select raw_site from site_seed)
),

drug_unmapped as (
    select
        study_id,
        'TIMELINE_TREATMENT_AGENT' as attribute,
        agent_part as value_text,
        source_file,
        source_row,
        cast(null as bigint) as source_column,
        'drug name not in seeds.drugs (from ' || chr(39) || agent_text || chr(39) || ')' as reason
    from {{ ref('int_treatments_mapped') }}
    where not is_mapped
),

unmapped as (
    select * from enum_unmapped
    union all
    select * from site_unmapped
    union all
    select * from drug_unmapped
),

ranked as (
    select
        unmapped.*,
        count(*) over (partition by study_id, attribute, value_text) as n_rows,
        row_number() over (partition by study_id, attribute, value_text order by source_file, source_row) as occurrence
    from unmapped
)

select
    study_id,
    attribute,
    value_text,
    n_rows,
    source_file as first_source_file,
    source_row as first_source_row,
    source_column as first_source_column,
    reason
from ranked
where occurrence = 1
