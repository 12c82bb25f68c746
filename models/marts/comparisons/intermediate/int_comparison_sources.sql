-- The studies each declared comparison draws its samples from: those of its `studies:` (every one is in the
-- build: the landing refuses others, naming file and line), else its own. One row per comparison x source
-- study. The common case (no `studies:`) is an equi-join-free copy; only the listed ones scan the studies.
with comparisons as (
    select distinct study_id, comparison, studies
    from {{ ref('stg_study__comparisons') }}
)

select study_id, comparison, study_id as sample_study_id
from comparisons
where studies is null
union all
select comparisons.study_id, comparisons.comparison, studies.study_id
from comparisons
inner join {{ ref('stg_study__studies') }} as studies
    on {{ in_delimited_list('comparisons.studies', 'studies.study_id') }}
where comparisons.studies is not null
