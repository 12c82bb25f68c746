{#- A view, with declaring_study_id rather than study_id, as stg_study__tmb_definitions: the incremental build
    narrows every table with a study_id to the rebuilt studies, which would drop the shared seed rows. -#}
{{ config(materialized='view') }}
-- Every gene set the warehouse counts: the shared collections of seeds/reference/gene_sets.csv (declaring_study_id
-- null: every study) and the sets each study adds (oncoduck_study.yml `gene_sets:`, landing_gene_sets:
-- study_id set, for that study only). One row per collection x gene set x gene, genes in the reference spelling
-- (macros/hugo_symbols.sql).
select
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    sets.collection,
    sets.gene_set,
    {{ reference_symbol('sets.gene') }} as hugo_symbol,
    'seeds/reference/gene_sets.csv' as source_file
from {{ ref('gene_sets') }} as sets
{{ reference_symbol_join('sets.gene') }}
union all
select
    sets.study_id as declaring_study_id,
    sets.collection,
    sets.gene_set,
    {{ reference_symbol('sets.gene') }} as hugo_symbol,
    sets.source_file
from {{ ref('landing_gene_sets') }} as sets
{{ reference_symbol_join('sets.gene') }}
