-- One row per study and MAF file and NCBI_Build value: the file's declared genome build against the
-- study's reference_genome. A mismatch fails the build here, loudly, naming file and builds (variants
-- placed on the wrong coordinates would silently corrupt hotspot, domain and copy-number joins).
-- NCBI_Build spellings: 37 / GRCh37 / hg19 -> hg19; 38 / GRCh38 / hg38 -> hg38; empty or other -> not checked.
{% set build_expr %}
    case
        when lower(trim(mutations.ncbi_build)) in ('37', 'grch37', 'hg19', 'grch37-lite', 'b37') then 'hg19'
        when lower(trim(mutations.ncbi_build)) in ('38', 'grch38', 'hg38') then 'hg38'
    end
{% endset %}
{% set mismatch_sql %}
    select distinct mutations.source_file, mutations.ncbi_build, studies.reference_genome
    from {{ ref('stg_study__mutations') }} as mutations
    inner join {{ ref('stg_study__studies') }} as studies on studies.study_id = mutations.study_id
    where {{ build_expr }} <> studies.reference_genome
    order by 1, 2
{% endset %}
{% if execute and flags.WHICH in ('run', 'build') %}
    {% set mismatches = run_query(mismatch_sql) %}
    {% if mismatches.rows | length > 0 %}
        {% set lines = [] %}
        {% for row in mismatches.rows %}
            {% do lines.append(row[0] ~ ': NCBI_Build ' ~ row[1] ~ ', study reference_genome ' ~ row[2]) %}
        {% endfor %}
        {{ exceptions.raise_compiler_error('Genome build mismatch: ' ~ lines | join('; ')
            ~ '. Set reference_genome in oncoduck_study.yml or meta_study.txt to the build of the file, or lift the file over.') }}
    {% endif %}
{% endif %}

with mutations as (
    select study_id, source_file, ncbi_build from {{ ref('stg_study__mutations') }}
),

studies as (
    select study_id, reference_genome from {{ ref('stg_study__studies') }}
),

file_builds as (
    select
        mutations.study_id,
        mutations.source_file,
        mutations.ncbi_build,
        {{ build_expr }} as file_genome,
        count(*) as n_variants
    from mutations
    group by mutations.study_id, mutations.source_file, mutations.ncbi_build
)

select
    file_builds.study_id,
    file_builds.source_file,
    file_builds.ncbi_build,
    file_builds.file_genome,
    studies.reference_genome,
    file_builds.n_variants,
    case
        when file_builds.file_genome is null then 'not_checked'
        when file_builds.file_genome = studies.reference_genome then 'match'
        else 'mismatch'
    end as build_status
from file_builds
inner join studies on studies.study_id = file_builds.study_id
