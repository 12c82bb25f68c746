{#- A view, with declaring_study_id rather than study_id, for the reasons given in stg_study__tmb_definitions. -#}
{{ config(materialized='view') }}
-- One row per nonsynonymous definition x variant class: the seed's (seeds/reference/nonsynonymous_definitions.csv,
-- declaring_study_id null) and the class list of each study-declared TMB definition with `variants: [...]`
-- (oncoduck_study.yml tmb_definitions; its id is the TMB definition's, for the declaring study only; every class
-- listed is nonsynonymous). stg_study__tmb_definitions.nonsynonymous_definition_id points here.
select
    cast(null as {{ dbt.type_string() }}) as declaring_study_id,
    definition_id,
    variant_classification,
    is_nonsynonymous,
    'seeds/reference/nonsynonymous_definitions.csv' as declared_by
from {{ ref('nonsynonymous_definitions') }}

union all

select distinct
    study_id as declaring_study_id,
    item_id as definition_id,
    value as variant_classification,
    true as is_nonsynonymous,
    'oncoduck_study.yml' as declared_by
from {{ ref('landing_declared_references') }}
where setting = 'tmb_definitions[].variants' and list_index is not null  -- the listed classes
